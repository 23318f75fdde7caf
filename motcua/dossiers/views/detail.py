"""One dossier: its page, its documents and its actions (with the supply and stop forms)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from motcua.core import privacy, roles
from motcua.core.errors import Conflict, DomainError, NotFound

from .. import page_selectors as pages
from .. import selectors, services, slips, uploads
from ..forms import ACTION_FORMS, VersionForm
from ..models import State
from ..services import common, deadlines
from .common import staff_page

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
