"""Reception at the counter: the form, the procedure search, the checklist, the registry lookup,
the received page."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from motcua.catalog.selectors import search_procedures
from motcua.core.errors import DomainError, NotFound
from motcua.queueing import selectors as queue_selectors

from .. import held, selectors, services
from .. import page_selectors as pages
from ..forms import ReceptionForm, fee_declaration, page_problems
from .common import staff_page


def _uploaded(request) -> dict[int, list]:
    return {int(key.split(".", 1)[1]): request.FILES.getlist(key) for key in request.FILES
            if key.startswith("document.") and key.split(".", 1)[1].isdigit()}


@staff_page("receive")
def receive(request):
    """The counter's intake form: procedure, applicant, checklist with files; submit to the intake service.

    A refused submit shows every problem at once (the form's and intake's) and keeps the chosen files
    (held on the server, see `held.py`), so that the officer corrects only what is wrong.
    """
    attached: dict[int, list] = {}
    if request.method == "POST":
        form = ReceptionForm(request.POST)
    else:
        ticket, point = request.GET.get("ticket", "")[:20], request.GET.get("point", "")[:40]
        initial = {"id_number": queue_selectors.person_at_counter(request.user, point, ticket), "ticket": ticket,
                   "procedure": request.GET.get("procedure", "")[:40], "service_point": point}
        form = ReceptionForm(initial=initial)
    id_number = (form.data.get("id_number") if form.is_bound else form.initial.get("id_number")) or ""
    kind = (form.data.get("kind") if form.is_bound else "person") or "person"
    registry = pages.look_up_person(request.user, id_number) if kind == "person" and id_number else None
    if registry and registry.record and not form.is_bound:
        form.initial.update(name=registry.record.full_name, address=registry.record.address,
                            birth_date=registry.record.birth_date, gender=registry.record.gender)
    errors, problems = {}, []
    if form.is_bound:
        shown = [int(v) for v in request.POST.getlist("shown") if v.isdigit()]
        kept_files = held.HeldUploads(request)
        new, refused = kept_files.keep(_uploaded(request))
        attached = held.merged(kept_files.chosen(request.POST), new)
        files = held.merged(kept_files.as_uploads(attached), refused)
        error = None
        try:
            if form.is_valid():
                dossier = services.submit_dossier(request.user, form.submission(shown, fee_declaration(request.POST)), files)
                kept_files.release(attached)
                return redirect("dossier-received", code=dossier.code)
            services.check_submission(request.user, form.submission(shown, fee_declaration(request.POST)), files)  # the rest, at once
        except DomainError as exc:
            error = exc
        errors, problems = page_problems(form, error)
    procedure_code = (form.data.get("procedure") if form.is_bound else form.initial.get("procedure")) or ""
    procedure = pages.operational_procedure(procedure_code)
    status = 422 if form.is_bound else 200
    return render(request, "dossiers/receive.html", {
        "form": form, "procedure": procedure, "registry": registry, "errors": errors, "problems": problems,
        "checklist": pages.procedure_checklist(procedure, bool(registry and registry.record), errors, attached),
        "shown": request.POST.getlist("shown") if form.is_bound else None,
    }, status=status)


@staff_page("receive")
@require_POST
def remove_held_file(request, token: str):
    """HTMX: the officer removes a file held from a refused submit (only one of their own session)."""
    if not held.HeldUploads(request).discard(token):
        raise Http404
    return HttpResponse("")


@staff_page("receive")
def procedure_search(request):
    """HTMX fragment: the catalog's procedures matching the search box (diacritics ignored)."""
    q = request.GET.get("q", "").strip()[:100]
    found = search_procedures(q=q, status="operational", limit=8) if q else None
    return render(request, "dossiers/receive.html#procedure-results", {"found": found, "q": q})


@staff_page("receive")
def reception_checklist(request):
    """HTMX fragment: the chosen procedure's documents (registry ones not needed when it answered)."""
    procedure = pages.operational_procedure(request.GET.get("procedure", "")[:40])
    known = request.GET.get("registry") == "found"
    return render(request, "dossiers/receive.html#checklist", {
        "procedure": procedure, "checklist": pages.procedure_checklist(procedure, known), "errors": {},
        "registry": pages.RegistryAnswer("found") if known else None})


@staff_page("receive")
@require_POST
def registry_lookup(request):
    """HTMX fragment: the applicant's fields prefilled from the population registry (number in the body)."""
    form = ReceptionForm(initial={key: request.POST.get(key, "") for key in ReceptionForm.base_fields})
    registry = None
    if request.POST.get("kind", "person") == "person":
        registry = pages.look_up_person(request.user, request.POST.get("id_number", ""))
    if registry and registry.record:
        form.initial.update(name=registry.record.full_name, address=registry.record.address,
                            birth_date=registry.record.birth_date, gender=registry.record.gender)
    procedure = pages.operational_procedure(request.POST.get("procedure", "")[:40])
    attached = held.HeldUploads(request).chosen(request.POST)  # the files kept from a refused submit stay
    return render(request, "dossiers/receive.html#lookup-answer", {
        "form": form, "registry": registry, "errors": {}, "procedure": procedure,
        "checklist": pages.procedure_checklist(procedure, bool(registry and registry.record), None, attached)})


@staff_page("receive")
def received(request, code: str):
    """After a successful intake: the code, the appointment and the receipt slip (form 01)."""
    try:
        dossier = selectors.get_dossier(request.user, code)
    except NotFound as exc:
        raise Http404 from exc
    return render(request, "dossiers/received.html", {"dossier": dossier})
