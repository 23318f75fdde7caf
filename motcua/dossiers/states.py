"""The lifecycle as data: which action may leave which state, where it leads, and the national statuses."""

from django.utils.translation import gettext_lazy as _

from .models import FINAL_STATES, State

S = State
OPEN_STEP_STATES = frozenset({S.RECEIVED, S.PROCESSING, S.AWAITING_APPROVAL})
IN_PROGRESS = frozenset({S.RECEIVED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.AWAITING_APPROVAL, S.APPROVED})

# action -> (states it may start from, state it leads to; None = stays or depends on the dossier)
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "receive": (frozenset({S.NEW}), S.RECEIVED),
    "refuse_intake": (frozenset({S.NEW}), S.NOT_RECEIVED),
    "take": (OPEN_STEP_STATES, None),
    "forward": (frozenset({S.RECEIVED, S.PROCESSING}), S.PROCESSING),
    "send_back": (frozenset({S.PROCESSING, S.AWAITING_APPROVAL}), None),
    "consult": (frozenset({S.RECEIVED, S.PROCESSING}), None),
    "answer_consultation": (frozenset({S.RECEIVED, S.PROCESSING}), None),
    "request_supplement": (frozenset({S.RECEIVED, S.PROCESSING}), S.SUPPLEMENT_REQUESTED),
    "supply": (frozenset({S.SUPPLEMENT_REQUESTED}), None),
    "stop": (frozenset({S.SUPPLEMENT_REQUESTED}), S.STOPPED),
    "refuse": (frozenset({S.RECEIVED, S.PROCESSING, S.AWAITING_APPROVAL}), S.REFUSED),
    "propose_approval": (frozenset({S.RECEIVED, S.PROCESSING}), S.AWAITING_APPROVAL),
    "approve": (frozenset({S.AWAITING_APPROVAL}), S.APPROVED),
    "attach_result": (frozenset({S.AWAITING_APPROVAL, S.APPROVED}), None),
    "mark_ready": (frozenset({S.APPROVED}), S.RESULT_READY),
    "return_result": (frozenset({S.RESULT_READY, S.REFUSED}), S.RETURNED),
    "withdraw": (frozenset({S.NEW, S.FINANCIAL_PENDING}) | IN_PROGRESS - {S.APPROVED}, S.WITHDRAWN),
    "apologise": (IN_PROGRESS - {S.SUPPLEMENT_REQUESTED}, None),
    "reassign": (frozenset({S.RECEIVED, S.PROCESSING}), None),
}
ACTIONS = tuple(TRANSITIONS)

# Changes no person asks for: the payments app makes them when an invoice opens or is paid (a procedure
# that must be paid before processing). While it waits, no step can be taken or forwarded.
SYSTEM_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "hold_for_payment": (frozenset({S.RECEIVED}), S.FINANCIAL_PENDING),
    "release_payment_hold": (frozenset({S.FINANCIAL_PENDING}), S.RECEIVED),
}

# Our states on the National Public Service Portal's ten statuses (Decree 118/2025).
NATIONAL_STATUS_LABELS = {
    1: _("Mới đăng ký"), 2: _("Đã tiếp nhận"), 3: _("Không tiếp nhận"), 4: _("Đang xử lý"), 5: _("Yêu cầu bổ sung"),
    6: _("Chờ thực hiện nghĩa vụ tài chính"), 7: _("Công dân yêu cầu rút hồ sơ"), 8: _("Dừng xử lý"),
    9: _("Đã xử lý xong"), 10: _("Đã trả kết quả"),
}
_NATIONAL = {
    S.NEW: 1,
    S.RECEIVED: 2,
    S.FINANCIAL_PENDING: 6,
    S.NOT_RECEIVED: 3,
    S.PROCESSING: 4,
    S.AWAITING_APPROVAL: 4,
    S.APPROVED: 4,
    S.SUPPLEMENT_REQUESTED: 5,
    S.WITHDRAWN: 7,
    S.STOPPED: 8,
    S.RESULT_READY: 9,
    S.REFUSED: 9,  # the refusal letter is the outcome, returned like a result
    S.RETURNED: 10,
}


def national_status(state: str) -> int:
    """The national portal's status number (1-10) for one of our states."""
    return _NATIONAL[State(state)]


def is_final(state: str) -> bool:
    return state in FINAL_STATES


def allowed_from(action: str) -> frozenset[str]:
    return TRANSITIONS[action][0]
