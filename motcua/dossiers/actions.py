"""The lifecycle actions of a dossier, registered once: label, page form, service and outcome message.

The dossier page and the API both go through this registry: the page offers the actions
`policies.offered` returns, renders each one's form and calls `perform`; the API's
`POST /api/dossiers/{code}/actions/{action}` calls `perform` with the same input. Which states an
action leaves and reaches is the lifecycle (`states.TRANSITIONS`); who may do it, `policies.RULES`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import NotFound, ValidationFailed

from . import forms, services
from .states import TRANSITIONS


@dataclass
class ActionInput:
    """Everything an action may take; each action reads the fields it needs."""

    version: int | None = None
    reason: str = ""
    note: str = ""
    items: list[dict] = field(default_factory=list)
    agency: str = ""
    question: str = ""
    hours: Decimal = Decimal(8)
    consultation: int | None = None
    answer: str = ""
    method: str = ""
    received_by_name: str = ""
    new_due_at: dt.datetime | None = None
    files: dict[int, list] = field(default_factory=dict)
    result: Any = None

    @classmethod
    def of(cls, data: dict) -> ActionInput:
        known = {f.name for f in fields(cls)}
        return cls(**{name: value for name, value in data.items() if name in known and value is not None})


Run = Callable[[Any, str, ActionInput], object]


@dataclass(frozen=True)
class Action:
    name: str
    label: Promise
    done: Promise
    run: Run
    form: type[forms.VersionForm] = forms.VersionForm
    danger: bool = False  # shown apart, in red: it ends or reverses the dossier's course
    multipart: bool = False  # its form carries files


def _apologise(user, code: str, data: ActionInput):
    if data.new_due_at is None:
        raise ValidationFailed(details=[{"field": "new_due_at", "code": "required"}])
    return services.apologise(user, code, new_due_at=data.new_due_at, reason=data.reason, version=data.version)


_ACTIONS = [
    Action("receive", _("Tiếp nhận hồ sơ"), _("Đã tiếp nhận hồ sơ."),
           lambda u, c, d: services.receive_online(u, c, version=d.version)),
    Action("refuse_intake", _("Không tiếp nhận"), _("Đã không tiếp nhận hồ sơ."),
           lambda u, c, d: services.refuse_intake(u, c, reason=d.reason, version=d.version),
           forms.ReasonForm, danger=True),
    Action("take", _("Nhận xử lý"), _("Bạn đã nhận xử lý hồ sơ."),
           lambda u, c, d: services.take(u, c, version=d.version)),
    Action("forward", _("Chuyển bước tiếp"), _("Đã chuyển bước tiếp."),
           lambda u, c, d: services.forward(u, c, note=d.note, version=d.version), forms.NoteForm),
    Action("propose_approval", _("Trình phê duyệt"), _("Đã trình phê duyệt."),
           lambda u, c, d: services.propose_approval(u, c, note=d.note, version=d.version), forms.NoteForm),
    Action("approve", _("Phê duyệt"), _("Đã phê duyệt hồ sơ."),
           lambda u, c, d: services.approve(u, c, note=d.note, version=d.version), forms.NoteForm),
    Action("send_back", _("Trả lại bước trước"), _("Đã trả lại bước trước."),
           lambda u, c, d: services.send_back(u, c, reason=d.reason, version=d.version), forms.ReasonForm,
           danger=True),
    Action("consult", _("Xin ý kiến cơ quan khác"), _("Đã gửi xin ý kiến."),
           lambda u, c, d: services.consult(u, c, agency=d.agency, question=d.question, hours=d.hours,
                                            version=d.version), forms.ConsultForm),
    Action("answer_consultation", _("Trả lời xin ý kiến"), _("Đã gửi ý kiến trả lời."),
           lambda u, c, d: services.answer_consultation(u, c, consultation=d.consultation or 0, answer=d.answer,
                                                        version=d.version), forms.AnswerForm),
    Action("request_supplement", _("Yêu cầu bổ sung hồ sơ"), _("Đã yêu cầu bổ sung hồ sơ."),
           lambda u, c, d: services.request_supplement(u, c, items=d.items, version=d.version),
           forms.SupplementForm),
    Action("supply", _("Nhận hồ sơ bổ sung"), _("Đã nhận hồ sơ bổ sung, hồ sơ tiếp tục được xử lý."),
           lambda u, c, d: services.supply(u, c, files=d.files, version=d.version), forms.SupplyForm,
           multipart=True),
    Action("attach_result", _("Đính kèm kết quả"), _("Đã đính kèm kết quả."),
           lambda u, c, d: services.attach_result(u, c, upload=d.result, version=d.version), forms.ResultForm,
           multipart=True),
    Action("mark_ready", _("Kết quả sẵn sàng để trả"), _("Kết quả đã sẵn sàng để trả."),
           lambda u, c, d: services.mark_ready(u, c, version=d.version)),
    Action("return_result", _("Trả kết quả"), _("Đã trả kết quả."),
           lambda u, c, d: services.return_result(u, c, method=d.method, received_by_name=d.received_by_name,
                                                  version=d.version), forms.ReturnForm),
    Action("apologise", _("Xin lỗi và hẹn lại ngày trả"), _("Đã hẹn lại ngày trả."), _apologise,
           forms.ApologiseForm),
    Action("refuse", _("Từ chối giải quyết"), _("Đã từ chối giải quyết hồ sơ."),
           lambda u, c, d: services.refuse(u, c, reason=d.reason, version=d.version), forms.RefuseForm,
           danger=True),
    Action("withdraw", _("Rút hồ sơ"), _("Đã rút hồ sơ."),
           lambda u, c, d: services.withdraw(u, c, reason=d.reason, version=d.version), forms.ReasonForm,
           danger=True),
    Action("stop", _("Dừng xử lý (quá hạn bổ sung)"), _("Đã dừng xử lý hồ sơ."),
           lambda u, c, d: services.stop(u, c, reason=d.reason, version=d.version), forms.StopForm, danger=True),
    Action("reassign", _("Chuyển cơ quan giải quyết"), _("Đã chuyển hồ sơ cho cơ quan giải quyết mới."),
           lambda u, c, d: services.reassign(u, c, agency=d.agency, reason=d.reason, version=d.version),
           forms.ReassignForm),
]
REGISTRY: dict[str, Action] = {action.name: action for action in _ACTIONS}
assert set(REGISTRY) == set(TRANSITIONS), "every lifecycle action is registered once"


def get(name: str) -> Action:
    """The registered action; NotFound (`unknown_action`) for any other name."""
    action = REGISTRY.get(name)
    if action is None:
        raise NotFound(_("Không có thao tác này."), code="unknown_action")
    return action


def perform(user, code: str, name: str, data: ActionInput) -> object:
    """Run one lifecycle action through its service (which checks the policy and the input)."""
    return get(name).run(user, code, data)
