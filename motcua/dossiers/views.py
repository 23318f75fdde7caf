"""Dossier pages: reception, the inbox, the dossier with its actions, approvals, public tracking.

Thin views: writes go through `services`, reads through `selectors` and `page_selectors`.
"""

from __future__ import annotations

from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from motcua.catalog.selectors import search_procedures
from motcua.core import privacy, roles
from motcua.core.errors import Conflict, DomainError, NotFound, PermissionDenied, RateLimited
from motcua.queueing import selectors as queue_selectors

from . import held, selectors, services, slips, uploads
from . import page_selectors as pages
from .api import count_tracking_attempt
from .forms import ACTION_FORMS, InboxFilterForm, ReceptionForm, TrackingForm, VersionForm, page_problems
from .models import State
from .services import common, deadlines

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
                dossier = services.submit_dossier(request.user, form.submission(shown), files)
                kept_files.release(attached)
                return redirect("dossier-received", code=dossier.code)
            services.check_submission(request.user, form.submission(shown), files)  # the rest, at once
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

ACTION_LABELS = {
    "receive": _("Tiếp nhận hồ sơ"), "refuse_intake": _("Không tiếp nhận"), "take": _("Nhận xử lý"),
    "forward": _("Chuyển bước tiếp"), "propose_approval": _("Trình phê duyệt"), "approve": _("Phê duyệt"),
    "send_back": _("Trả lại bước trước"), "consult": _("Xin ý kiến cơ quan khác"),
    "request_supplement": _("Yêu cầu bổ sung hồ sơ"), "attach_result": _("Đính kèm kết quả"),
    "mark_ready": _("Kết quả sẵn sàng để trả"), "return_result": _("Trả kết quả"),
    "apologise": _("Xin lỗi và hẹn lại ngày trả"), "refuse": _("Từ chối giải quyết"), "withdraw": _("Rút hồ sơ"),
    "reassign": _("Chuyển cơ quan giải quyết"),
}
DANGER = {"refuse", "refuse_intake", "withdraw", "send_back", "stop"}


# --- supply and stop: the forms of a dossier waiting for its supplement ----------------------------

class SupplyForm(VersionForm):
    """One file field per document of the procedure's checklist (those the citizen can hand in)."""

    def __init__(self, *args, dossier=None, **kwargs):
        super().__init__(*args, **kwargs)
        documents = dossier.procedure.documents.exclude(kind="shown").order_by("position") if dossier else []
        for document in documents:
            self.fields[f"document_{document.position}"] = forms.FileField(
                label=f"{document.position}. {document.name}", required=False)

    def files_by_position(self) -> dict[int, list]:
        return {int(name.removeprefix("document_")): [value] for name, value in self.cleaned_data.items()
                if name.startswith("document_") and value}


class StopForm(VersionForm):
    reason = forms.CharField(label=_("Ghi chú (không bắt buộc)"), max_length=4000, required=False,
                             widget=forms.Textarea({"rows": 2}))


PAGE_FORMS: dict[str, type[VersionForm]] = {**ACTION_FORMS, "supply": SupplyForm, "stop": StopForm}
ACTION_LABELS.update({"supply": _("Nhận hồ sơ bổ sung"), "stop": _("Dừng xử lý (quá hạn bổ sung)")})


def _page_form(name: str, dossier, *args, **kwargs) -> VersionForm:
    if name == "supply":
        kwargs["dossier"] = dossier
    return PAGE_FORMS[name](*args, **kwargs)


def _supplement_actions(user, dossier) -> set[str]:
    """supply and stop, for the reception of the dossier's branch (stop only once the limit has passed)."""
    if dossier.state != State.SUPPLEMENT_REQUESTED:
        return set()
    admin = common.is_admin(user)
    found = set()
    if admin or common.in_branch(user, dossier, roles.RECEPTION_OFFICER):
        found.add("supply")
    expires = deadlines.supplement_expires_at(dossier)
    if (admin or common.in_branch(user, dossier, roles.RECEPTION_OFFICER, roles.BRANCH_LEADER)) \
            and expires is not None and timezone.now() >= expires:
        found.add("stop")
    return found


def _detail_context(request, dossier, *, failed: str = "", form=None, error=None) -> dict:
    actions = pages.available_actions(request.user, dossier) | _supplement_actions(request.user, dossier)
    action_list = []
    for name, label in ACTION_LABELS.items():
        if name not in actions:
            continue
        bound = form if name == failed and form is not None else _page_form(
            name, dossier, prefix=name, initial={"version": dossier.version})
        action_list.append({"name": name, "label": label, "form": bound, "open": name == failed,
                            "simple": len(bound.fields) == 1, "danger": name in DANGER,
                            "multipart": name in ("attach_result", "supply")})
    questions = pages.open_consultations_for(request.user, dossier) if "answer_consultation" in actions else []
    answer_forms = [(q, ACTION_FORMS["answer_consultation"](
        prefix=f"answer-{q.pk}", initial={"version": dossier.version, "consultation": q.pk})) for q in questions]
    personal = pages.may_see_personal_data(request.user, dossier)
    return {
        "dossier": dossier, "actions": action_list, "answer_forms": answer_forms, "error": error, "failed": failed,
        "failed_label": ACTION_LABELS.get(failed, "") if form is not None and form.errors else "",
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


def _perform(user, code: str, action: str, data: dict) -> None:
    version = data.get("version")
    handlers = {
        "receive": lambda: services.receive_online(user, code, version=version),
        "refuse_intake": lambda: services.refuse_intake(user, code, reason=data["reason"], version=version),
        "take": lambda: services.take(user, code, version=version),
        "forward": lambda: services.forward(user, code, note=data["note"], version=version),
        "send_back": lambda: services.send_back(user, code, reason=data["reason"], version=version),
        "consult": lambda: services.consult(user, code, agency=data["agency"].code, question=data["question"],
                                            hours=data["hours"], version=version),
        "answer_consultation": lambda: services.answer_consultation(
            user, code, consultation=data["consultation"], answer=data["answer"], version=version),
        "request_supplement": lambda: services.request_supplement(user, code, items=data["items"],
                                                                  version=version),
        "refuse": lambda: services.refuse(user, code, reason=data["reason"], version=version),
        "propose_approval": lambda: services.propose_approval(user, code, note=data["note"], version=version),
        "approve": lambda: services.approve(user, code, note=data["note"], version=version),
        "attach_result": lambda: services.attach_result(user, code, upload=data["result"], version=version),
        "mark_ready": lambda: services.mark_ready(user, code, version=version),
        "return_result": lambda: services.return_result(
            user, code, method=data["method"], received_by_name=data["received_by_name"], version=version),
        "withdraw": lambda: services.withdraw(user, code, reason=data["reason"], version=version),
        "apologise": lambda: services.apologise(user, code, new_due_at=data["new_due_at"], reason=data["reason"],
                                                version=version),
        "supply": lambda: services.supply(user, code, files=data.get("files", {}), version=version),
        "stop": lambda: services.stop(user, code, reason=data["reason"], version=version),
        "reassign": lambda: services.reassign(user, code, agency=data["agency"].code, reason=data["reason"],
                                              version=version),
    }
    handlers[action]()


ACTION_DONE = {
    "receive": _("Đã tiếp nhận hồ sơ."), "take": _("Bạn đã nhận xử lý hồ sơ."), "forward": _("Đã chuyển bước tiếp."),
    "send_back": _("Đã trả lại bước trước."), "consult": _("Đã gửi xin ý kiến."),
    "answer_consultation": _("Đã gửi ý kiến trả lời."), "request_supplement": _("Đã yêu cầu bổ sung hồ sơ."),
    "refuse": _("Đã từ chối giải quyết hồ sơ."), "refuse_intake": _("Đã không tiếp nhận hồ sơ."),
    "propose_approval": _("Đã trình phê duyệt."), "approve": _("Đã phê duyệt hồ sơ."),
    "attach_result": _("Đã đính kèm kết quả."), "mark_ready": _("Kết quả đã sẵn sàng để trả."),
    "return_result": _("Đã trả kết quả."), "withdraw": _("Đã rút hồ sơ."), "apologise": _("Đã hẹn lại ngày trả."),
    "supply": _("Đã nhận hồ sơ bổ sung, hồ sơ tiếp tục được xử lý."), "stop": _("Đã dừng xử lý hồ sơ."),
    "reassign": _("Đã chuyển hồ sơ cho cơ quan giải quyết mới."),
}


@staff_page("inbox")
@require_POST
def act(request, code: str, action: str):
    """One action form of the dossier page: validate, call the service, back to the page (or show why not)."""
    if action not in PAGE_FORMS:
        raise Http404
    try:
        dossier = selectors.get_dossier(request.user, code)
    except NotFound as exc:
        raise Http404 from exc
    prefix = action
    if action == "answer_consultation":
        prefix = "answer-" + "".join(ch for ch in request.POST.get("prefix", "") if ch.isdigit())
    form = _page_form(action, dossier, request.POST, request.FILES, prefix=prefix)
    error = None
    if form.is_valid():
        data = dict(form.cleaned_data)
        if action == "request_supplement":
            data["items"] = form.items()
        if action == "supply":
            data["files"] = form.files_by_position()
        try:
            _perform(request.user, code, action, data)
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, str(ACTION_DONE[action]))
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

