"""My dossiers: every dossier of the logged-in person, a supplement answered online, the result."""

from __future__ import annotations

import mimetypes
from pathlib import PurePosixPath

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from motcua.core import audit, uploads
from motcua.core.errors import DomainError, NotFound, page_status
from motcua.dossiers import services as dossier_services
from motcua.dossiers.forms import SupplyForm
from motcua.dossiers.views.online import citizen_page

from ..selectors import dossiers as selectors


@citizen_page
@require_GET
def my_dossiers(request):
    """The person's dossiers (any channel, any branch), each opening its own page: no tracking key to type."""
    person = selectors.person_of(request.user)
    dossiers = list(selectors.my_dossiers(request.user)[:200])
    return render(request, "portal/me.html", {"dossiers": dossiers, "person": person})


@citizen_page
@require_http_methods(["GET", "POST"])
def my_dossier(request, code: str):
    """One dossier: its state, the supplement asked for in full with the upload, fees, the result."""
    try:
        page = selectors.dossier_page(request.user, code)
    except NotFound:
        raise Http404 from None
    dossier = page.dossier
    form = SupplyForm(initial={"version": dossier.version}, dossier=dossier, prefix="supply")
    error = None
    if request.method == "POST":
        form = SupplyForm(request.POST, request.FILES, dossier=dossier, prefix="supply")
        if form.is_valid():
            try:
                # The dossiers' own rule: files kept, the clock restarted or resumed (Center.resume_mode).
                dossier_services.supply(request.user, code, **form.action_data())
            except DomainError as exc:
                error = exc
            else:
                messages.success(request, _("Đã gửi giấy tờ bổ sung; hồ sơ tiếp tục được giải quyết."))
                return redirect("portal-me-dossier", code=code)
    problems = []
    if error is not None and isinstance(error.details, list):
        problems = [p.get("message") or str(error.message) for p in error.details if isinstance(p, dict)]
    signed = {d.form: d for d in page.signed}  # the newest version of each form (ordered newest first)
    status = page_status(error) if error else (422 if request.method == "POST" else 200)
    return render(
        request,
        "portal/me_dossier.html",
        {
            "page": page,
            "dossier": dossier,
            "form": form,
            "error": error,
            "problems": problems,
            "signed": list(signed.values()),
        },
        status=status,
    )


@citizen_page
@require_GET
def my_result(request, code: str):
    """The result document (the decision, the certificate …) once it is ready; each opening is audited."""
    try:
        page = selectors.dossier_page(request.user, code)
    except NotFound:
        raise Http404 from None
    if not page.result_available:
        raise Http404
    name = page.dossier.result_file.name
    try:
        handle = uploads.open_stored(name)
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    audit.record_event(request.user, "dossier.result_opened", "dossier", code, data={"via": "portal"})
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    filename = f"ket-qua-{code}{PurePosixPath(name).suffix}"
    return uploads.document_response(handle, filename, content_type)
