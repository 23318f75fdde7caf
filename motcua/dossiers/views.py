"""Dossier pages: reception, the inbox, the dossier with its actions, approvals, public tracking.

Thin views: writes go through `services`, reads through `selectors` and `page_selectors`.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from motcua.catalog.selectors import search_procedures
from motcua.core import privacy
from motcua.core.errors import Conflict, DomainError, NotFound, PermissionDenied, RateLimited
from motcua.queueing import selectors as queue_selectors

from . import actions, policies, selectors, services, slips, uploads
from . import page_selectors as pages
from .api import count_tracking_attempt
from .forms import InboxFilterForm, ReceptionForm, TrackingForm, VersionForm, problems_by_field
from .services import deadlines

PAGE_ROLES = {"receive": pages.may_receive, "inbox": pages.may_use_inbox, "approve": pages.may_see_approvals}


def staff_page(kind: str):
    """Login, then the role: a 403 page naming the problem instead of the page."""
    def decorate(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not PAGE_ROLES[kind](request.user):
                return render(request, "dossiers/forbidden.html", {"message": PermissionDenied().message},
                              status=403)
            return view(request, *args, **kwargs)
        return wrapper
    return decorate


def _template(request, name: str, part: str) -> str:
    return f"dossiers/{name}.html#{part}" if request.headers.get("HX-Request") else f"dossiers/{name}.html"


# --- reception --------------------------------------------------------------------------------------

@staff_page("receive")
def receive(request):
    """The counter's intake form: procedure, applicant, checklist with files; submit to the intake service."""
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
                            birth_date=registry.record.birth_date)
    errors, problems = {}, []
    if form.is_valid():
        shown = [int(v) for v in request.POST.getlist("shown") if v.isdigit()]
        files = {int(key.split(".", 1)[1]): request.FILES.getlist(key) for key in request.FILES
                 if key.startswith("document.") and key.split(".", 1)[1].isdigit()}
        try:
            dossier = services.submit_dossier(request.user, form.submission(shown), files)
        except DomainError as exc:
            errors, problems = problems_by_field(exc)
            problems = problems or [str(exc.message)]
            for key, field_messages in errors.items():
                for message in field_messages if key in form.fields else []:
                    form.add_error(key, message)
        else:
            return redirect("dossier-received", code=dossier.code)
    elif form.is_bound:
        problems = [f"{form[name].label}: {message}" for name, field_errors in form.errors.items()
                    if name in form.fields for message in field_errors]
    procedure_code = (form.data.get("procedure") if form.is_bound else form.initial.get("procedure")) or ""
    procedure = pages.operational_procedure(procedure_code)
    status = 422 if form.is_bound else 200
    return render(request, "dossiers/receive.html", {
        "form": form, "procedure": procedure, "registry": registry, "errors": errors, "problems": problems,
        "checklist": pages.procedure_checklist(procedure, bool(registry and registry.record), errors),
        "shown": request.POST.getlist("shown") if form.is_bound else None,
    }, status=status)


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
                            birth_date=registry.record.birth_date)
    procedure = pages.operational_procedure(request.POST.get("procedure", "")[:40])
    return render(request, "dossiers/receive.html#lookup-answer", {
        "form": form, "registry": registry, "errors": {}, "procedure": procedure,
        "checklist": pages.procedure_checklist(procedure, bool(registry and registry.record))})


@staff_page("receive")
def received(request, code: str):
    """After a successful intake: the code, the appointment and the receipt slip (form 01)."""
    try:
        dossier = selectors.get_dossier(request.user, code)
    except NotFound as exc:
        raise Http404 from exc
    return render(request, "dossiers/received.html", {"dossier": dossier})


# --- inbox and approvals ----------------------------------------------------------------------------

@staff_page("inbox")
def inbox(request):
    procedures, agencies = pages.inbox_choices(request.user)
    form = InboxFilterForm(request.GET or None, procedures=procedures, agencies=agencies)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = pages.inbox_rows(request.user, **{key: filters.get(key) or default for key, default in (
        ("state", ""), ("mine", False), ("overdue", False), ("q", ""), ("procedure", ""), ("agency", ""),
        ("due", ""))})
    return render(request, _template(request, "inbox", "rows"), {
        "form": form, "rows": rows, "query": request.GET.urlencode(),
        "may_receive": pages.may_receive(request.user), "may_approve": pages.may_approve(request.user)})


@staff_page("approve")
def approvals(request):
    """The branch leader's list; approve one or several through the approve service, each on its own."""
    if request.method == "POST":
        if not pages.may_approve(request.user):  # the director's view is read only
            return render(request, "dossiers/forbidden.html", {"message": PermissionDenied().message}, status=403)
        codes = request.POST.getlist("code")
        if not codes:
            messages.error(request, _("Chưa chọn hồ sơ nào."))
        for code in codes[:100]:
            version = request.POST.get(f"version-{code}", "")
            try:
                services.approve(request.user, code, note=request.POST.get("note", "")[:4000],
                                 version=int(version) if version.isdigit() else None)
            except DomainError as exc:
                messages.error(request, f"{code}: {exc.message}")
            else:
                messages.success(request, _("Đã phê duyệt hồ sơ %(code)s.") % {"code": code})
        return redirect("dossier-approvals")
    return render(request, "dossiers/approvals.html", {"dossiers": pages.approval_queue(request.user),
                                                       "may_approve": pages.may_approve(request.user)})


# --- one dossier ------------------------------------------------------------------------------------

def _action_form(action: actions.Action, dossier, *args, **kwargs) -> VersionForm:
    return action.form(*args, dossier=dossier, **kwargs)


def _detail_context(request, dossier, *, failed: str = "", form=None, error=None) -> dict:
    offered = pages.available_actions(request.user, dossier)
    action_list = []
    for action in actions.REGISTRY.values():
        if action.name not in offered or action.name == "answer_consultation":  # answered question by question
            continue
        bound = form if action.name == failed and form is not None else _action_form(
            action, dossier, prefix=action.name, initial={"version": dossier.version})
        action_list.append({"name": action.name, "label": action.label, "form": bound, "open": action.name == failed,
                            "simple": len(bound.fields) == 1, "danger": action.danger,
                            "multipart": action.multipart})
    questions = policies.questions_for(request.user, dossier) if "answer_consultation" in offered else []
    answer_forms = [(q, actions.get("answer_consultation").form(
        prefix=f"answer-{q.pk}", initial={"version": dossier.version, "consultation": q.pk})) for q in questions]
    personal = policies.may_see_personal_data(request.user, dossier)
    return {
        "dossier": dossier, "actions": action_list, "answer_forms": answer_forms, "error": error, "failed": failed,
        "failed_label": actions.REGISTRY[failed].label if failed and form is not None and form.errors else "",
        "conflict": isinstance(error, Conflict) and error.code == "conflict", "personal": personal,
        "id_shown": dossier.applicant_id_number if personal else privacy.mask(dossier.applicant_id_number),
        "steps": selectors.steps_of(dossier), "documents": dossier.documents.all(),
        "consultations": dossier.consultations.select_related("agency"),
        "supplement": getattr(dossier, "supplement", None), "urgency": deadlines.urgency(dossier),
        "refusal_kind": slips.refusal_kind(dossier),
    }


@staff_page("inbox")
def detail(request, code: str):
    try:
        dossier = selectors.get_dossier(request.user, code)
    except NotFound as exc:
        raise Http404 from exc
    return render(request, "dossiers/detail.html", _detail_context(request, dossier))


@login_required
def document(request, code: str, document_id: int):
    """One uploaded document of a dossier, for whoever may see the dossier (its applicant too); audited."""
    try:
        opened = services.open_document(request.user, code, document_id, via="page")
    except NotFound as exc:
        raise Http404 from exc
    return uploads.document_response(opened.handle, opened.filename, opened.content_type)


@staff_page("inbox")
@require_POST
def act(request, code: str, action: str):
    """One action form of the dossier page: validate, call the service, back to the page (or show why not)."""
    if action not in actions.REGISTRY:
        raise Http404
    registered = actions.REGISTRY[action]
    try:
        dossier = selectors.get_dossier(request.user, code)
    except NotFound as exc:
        raise Http404 from exc
    prefix = action
    if action == "answer_consultation":
        prefix = "answer-" + "".join(ch for ch in request.POST.get("prefix", "") if ch.isdigit())
    form = _action_form(registered, dossier, request.POST, request.FILES, prefix=prefix)
    error = None
    if form.is_valid():
        try:
            actions.perform(request.user, code, action, actions.ActionInput.of(form.action_data()))
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, str(registered.done))
            return redirect("dossier-detail", code=code)
    context = _detail_context(request, selectors.get_dossier(request.user, code) if error else dossier,
                              failed=action if action != "answer_consultation" else "", form=form, error=error)
    status = getattr(error, "status", 422)
    return render(request, "dossiers/detail.html", context, status=status)


# --- public tracking --------------------------------------------------------------------------------

def tracking(request, code: str = ""):
    """No login: the code and the tracking key give the public view (the API's selector and rate limit).

    The QR code of slip 01 opens `/tracking/<code>/?key=<key>`: the lookup runs at once.
    """
    result, not_found, limited = None, False, False
    scanned = request.method == "GET" and bool(code and request.GET.get("key"))
    if request.method == "POST" or scanned:
        form = TrackingForm(request.POST if request.method == "POST" else {"code": code, "key": request.GET["key"]})
        if form.is_valid():
            try:
                count_tracking_attempt(request, form.cleaned_data["code"])
                result = selectors.tracking(form.cleaned_data["code"].strip(), form.cleaned_data["key"])
            except RateLimited:
                limited = True
            except NotFound:
                not_found = True
    else:
        form = TrackingForm(initial={"code": code[:40]})
    status = 429 if limited else 200
    return render(request, "dossiers/tracking.html", {
        "form": form, "result": result, "not_found": not_found, "limited": limited,
        "action": reverse("tracking")}, status=status)

