"""The citizen's pages: file a dossier online and list one's own dossiers.

Thin views over the same intake service as the counter: `services.submit_dossier` with channel ONLINE.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from motcua.catalog.selectors import search_procedures
from motcua.core import roles
from motcua.core.errors import DomainError, PermissionDenied
from motcua.integrations.population_registry import RegistryUnavailable, get_registry
from motcua.org.models import Person

from .. import page_selectors as pages
from .. import selectors, services
from ..forms import OnlineSubmissionForm, fee_declaration, page_problems


def citizen_page(view):
    """Login, then the citizen role: a 403 page naming the problem instead of the page."""
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not roles.has_role(request.user, roles.CITIZEN):
            return render(request, "dossiers/forbidden.html", {"message": PermissionDenied().message}, status=403)
        return view(request, *args, **kwargs)
    return wrapper


def _person_of(user) -> Person | None:
    return Person.objects.filter(user=user).select_related("commune").first()


def _registry_knows(person: Person) -> bool:
    """Whether the population registry answers for the citizen's own number (as the intake service will ask)."""
    try:
        return get_registry().lookup(person.national_id) is not None
    except RegistryUnavailable:
        return False


def _uploaded(request) -> dict[int, list]:
    return {int(key.split(".", 1)[1]): request.FILES.getlist(key) for key in request.FILES
            if key.startswith("document.") and key.split(".", 1)[1].isdigit()}


@citizen_page
def online(request):
    """Choose a procedure, check one's details, attach the documents, file the dossier online."""
    person = _person_of(request.user)
    done = request.GET.get("done", "")[:40]
    if done:
        dossier = selectors.visible_dossiers(request.user).filter(code=done, owner=request.user).first()
        if dossier is not None:
            return render(request, "dossiers/online_done.html", {"dossier": dossier})
    if person is None:
        return render(request, "dossiers/online.html", {"person": None})
    if request.method == "POST":
        form = OnlineSubmissionForm(request.POST)
    else:
        form = OnlineSubmissionForm(initial={
            "procedure": request.GET.get("procedure", "")[:40], "name": person.full_name, "phone": person.phone,
            "email": person.email, "address": person.address})
    errors, problems = {}, []
    if form.is_bound:
        error = None
        try:
            if form.is_valid():
                dossier = services.submit_dossier(request.user, form.submission(person, fee_declaration(request.POST)), _uploaded(request))
                return redirect(reverse("dossier-online") + "?" + urlencode({"done": dossier.code}))
            services.check_submission(request.user, form.submission(person, fee_declaration(request.POST)), _uploaded(request))  # all at once
        except DomainError as exc:
            error = exc
        errors, problems = page_problems(form, error, skip=("procedure",))
    procedure_code = (form.data.get("procedure") if form.is_bound else form.initial.get("procedure")) or ""
    procedure = pages.operational_procedure(procedure_code)
    q = request.GET.get("q", "").strip()[:100]
    found = search_procedures(q=q, status="operational", limit=8) if q and not form.is_bound else None
    return render(request, "dossiers/online.html", {
        "person": person, "form": form, "procedure": procedure, "errors": errors, "problems": problems,
        "q": q, "found": found,
        "checklist": pages.procedure_checklist(procedure, _registry_knows(person), errors) if procedure else [],
    }, status=422 if form.is_bound else 200)


@citizen_page
def mine(request):
    """The citizen's own dossiers, newest first, each with a link to its tracking page."""
    dossiers = selectors.visible_dossiers(request.user).filter(owner=request.user).order_by("-submitted_at")[:200]
    return render(request, "dossiers/mine.html", {"dossiers": dossiers})
