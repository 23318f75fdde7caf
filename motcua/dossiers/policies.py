"""Who may do what to a dossier, and when: the single source for the services, the pages and the API.

`check(user, action, dossier)` raises the reason an action cannot be done now, in this order:
- the dossier's state does not allow it (409 `invalid_state`, from the lifecycle in `states.py`);
- the user may not do it (403 `permission_denied`): their role, their branch or agency, the step;
- the dossier's situation forbids it (the step is another officer's, a consultation is pending, the
  supplement was already asked for, the apology is too late …), each with its own code.
Services call it first and then validate their input; pages and the API offer exactly the actions
for which `can` is true (`offered`), so a button is never shown for something the service refuses.
Reading and printing have their own questions: `may_see_personal_data`, `may_print` (a dossier's
forms) and `may_see_register` (form 07), asked by the pages and by `services/printing.py`.

The rules follow Decree 118/2025 and Circular 01/2025: the desk (reception officers of the dossier's
branch) receives, refuses at intake, hands supplements and results over; the competent agency's
officers process its steps and its leader signs at the agency leader's step; the branch leader
approves at the approval step and, with the center's director, may hand a dossier to another
competent agency; the center never refuses on the agency's behalf.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cached_property

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import RouteStep
from motcua.core import roles
from motcua.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from motcua.org.models import Person

from .models import Consultation, Dossier, DossierStep, SupplementRequest
from .states import TRANSITIONS

StepRole = RouteStep.Role


class InvalidTransition(DomainError):
    status = 409
    code = "invalid_state"
    default_message = _("Hồ sơ đang ở trạng thái không cho phép thao tác này.")


class ConsultationPending(DomainError):
    status = 409
    code = "consultation_pending"
    default_message = _("Bước này đang chờ ý kiến của cơ quan phối hợp.")


class Facts:
    """What the rules ask about one user and one dossier, each read at most once."""

    def __init__(self, user, dossier: Dossier, *, now: dt.datetime | None = None,
                 consultation: int | None = None) -> None:
        self.user = user
        self.dossier = dossier
        self.now = now or timezone.now()
        self.consultation_id = consultation

    @cached_property
    def admin(self) -> bool:
        return roles.is_admin(self.user)

    @cached_property
    def officer(self):
        return roles.officer_of(self.user)

    @property
    def step(self) -> DossierStep | None:
        return self.dossier.current_step

    def in_branch(self, *role_names: str) -> bool:
        """The user holds one of the roles and works at the dossier's branch."""
        officer = self.officer
        return bool(officer and officer.branch_id and officer.branch_id == self.dossier.branch_id
                    and roles.has_role(self.user, *role_names))

    def in_agency(self, agency_id: int | None, *role_names: str) -> bool:
        """The user works for the agency with one of the roles (by default any of the agency's people)."""
        officer = self.officer
        return bool(officer and agency_id and officer.agency_id == agency_id
                    and roles.has_role(self.user, *(role_names or roles.AGENCY_ROLES)))

    @cached_property
    def desk(self) -> bool:
        """A reception officer of the dossier's branch (or an administrator)."""
        return self.admin or self.in_branch(roles.RECEPTION_OFFICER)

    @cached_property
    def applicant(self) -> bool:
        """The user is the applicant: the account that filed online, or the account of the person whose
        national ID the dossier carries (a citizen's account is linked to one person: org.Person.user)."""
        if self.user is None or not self.user.is_authenticated:
            return False
        if self.dossier.owner_id is not None and self.dossier.owner_id == self.user.pk:
            return True
        return Person.objects.filter(user=self.user, national_id=self.dossier.applicant_id_number).exists()

    @cached_property
    def on_step(self) -> bool:
        """The open step is one this user may act on: the desk's, the approval, or their agency's."""
        step = self.step
        if step is None:
            return False
        if self.admin:
            return True
        if step.role == StepRole.RECEPTION:
            return self.in_branch(roles.RECEPTION_OFFICER)
        if step.role == StepRole.BRANCH_LEADER:
            return self.in_branch(roles.BRANCH_LEADER)
        if step.role == StepRole.AGENCY_LEADER:
            return self.in_agency(step.agency_id, roles.AGENCY_LEADER)
        return self.in_agency(step.agency_id)

    @cached_property
    def result_handler(self) -> bool:
        """Who may attach the result and mark it ready: the competent agency, the branch's desk and leader."""
        return (self.admin or self.in_agency(self.dossier.competent_agency_id)
                or self.in_branch(roles.RECEPTION_OFFICER, roles.BRANCH_LEADER))

    @cached_property
    def open_consultations(self) -> list[Consultation]:
        return list(Consultation.objects.filter(dossier=self.dossier, answered_at__isnull=True)
                    .select_related("agency"))


def _require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied()


def _require_step(facts: Facts) -> DossierStep:
    """The open step, which the user may act on and nobody else has taken."""
    _require(facts.on_step)
    step = facts.step
    assert step is not None  # on_step implies an open step
    if step.assignee_id and step.assignee_id != facts.user.pk and not facts.admin:
        raise Conflict(_("Hồ sơ đang do cán bộ khác thụ lý."), code="taken_by_other")
    return step


def _require_unblocked(step: DossierStep) -> None:
    if Consultation.objects.filter(step=step, answered_at__isnull=True).exists():
        raise ConsultationPending()


def next_route_step(dossier: Dossier, step: DossierStep) -> RouteStep | None:
    """The route's step after `step` (None after the last one)."""
    return dossier.procedure.route.filter(position__gt=step.position).order_by("position").first()


def previous_step(dossier: Dossier, step: DossierStep) -> DossierStep | None:
    """The finished step before `step` that a send-back returns to."""
    return (DossierStep.objects.filter(dossier=dossier, finished_at__isnull=False, position__lt=step.position)
            .order_by("-position", "-finished_at").first())


# --- one rule per action ------------------------------------------------------------------------------

def _intake(facts: Facts) -> None:
    """Receiving an online dossier or refusing it at intake: the desk of a branch; a dossier filed at one
    branch stays with it, one filed online without a branch goes to whichever branch takes it."""
    officer = facts.officer
    _require(facts.admin or (roles.has_role(facts.user, roles.RECEPTION_OFFICER) and officer is not None
                             and officer.branch_id is not None
                             and facts.dossier.branch_id in (None, officer.branch_id)))


def _take(facts: Facts) -> None:
    step = _require_step(facts)
    if step.assignee_id == facts.user.pk:
        raise Conflict(_("Bạn đang thụ lý hồ sơ này."), code="already_taken")


def _forward(facts: Facts) -> None:
    step = _require_step(facts)
    _require(step.role != StepRole.BRANCH_LEADER)
    _require_unblocked(step)
    following = next_route_step(facts.dossier, step)
    if following is None or following.role == StepRole.BRANCH_LEADER:
        raise DomainError(_("Đây là bước cuối của quy trình: hãy trình phê duyệt."), code="propose_instead")


def _propose_approval(facts: Facts) -> None:
    step = _require_step(facts)
    _require(step.role != StepRole.BRANCH_LEADER)
    _require_unblocked(step)
    following = next_route_step(facts.dossier, step)
    if following is not None and following.role != StepRole.BRANCH_LEADER:
        raise DomainError(_("Hồ sơ còn bước xử lý tiếp theo: hãy chuyển bước."), code="forward_instead")


def _send_back(facts: Facts) -> None:
    step = _require_step(facts)
    _require_unblocked(step)
    if previous_step(facts.dossier, step) is None:
        raise DomainError(_("Không có bước trước để trả lại."), code="no_previous_step")


def _consult(facts: Facts) -> None:
    _require_step(facts)


def _answer_consultation(facts: Facts) -> None:
    mine = [q for q in facts.open_consultations if facts.admin or facts.in_agency(q.agency_id)]
    if facts.consultation_id is None:  # offered when a question to the user's agency is open
        _require(bool(mine))
        return
    asked = Consultation.objects.filter(pk=facts.consultation_id, dossier=facts.dossier).first()
    if asked is None:
        raise NotFound()
    _require(facts.admin or facts.in_agency(asked.agency_id))
    if asked.answered_at is not None:
        raise Conflict(_("Đã có ý kiến trả lời."), code="already_answered")


def _request_supplement(facts: Facts) -> None:
    from .services import deadlines

    _require_step(facts)
    if SupplementRequest.objects.filter(dossier=facts.dossier).exists():
        raise Conflict(_("Chỉ được yêu cầu bổ sung một lần."), code="supplement_already_requested")
    closes = deadlines.supplement_request_closes_at(facts.dossier)
    if closes is not None and facts.now > closes:
        raise DomainError(_("Đã quá thời hạn yêu cầu bổ sung (%(hours)s giờ làm việc kể từ khi tiếp nhận).")
                          % {"hours": f"{deadlines.supplement_window_hours():g}"}, code="supplement_too_late")


def _supply(facts: Facts) -> None:
    _require(facts.desk or facts.applicant)


def _stop(facts: Facts) -> None:
    from .services import deadlines

    if facts.user is not None:  # None: the scheduler, which stops what has expired
        _require(facts.admin or facts.in_branch(roles.RECEPTION_OFFICER, roles.BRANCH_LEADER))
    expires = deadlines.supplement_expires_at(facts.dossier)
    if expires is not None and facts.now < expires:
        raise DomainError(_("Chưa hết thời hạn bổ sung hồ sơ."), code="supplement_not_expired",
                          details={"expires_at": expires.isoformat()})


def _refuse(facts: Facts) -> None:
    """At the desk's step the desk (form 03); at an agency's step that agency (its letter signed by its
    head); never the center's leaders at the approval step on the agency's behalf."""
    step = _require_step(facts)
    _require(step.role != StepRole.BRANCH_LEADER)


def _approve(facts: Facts) -> None:
    step = _require_step(facts)
    _require(step.role == StepRole.BRANCH_LEADER)


def _attach_result(facts: Facts) -> None:
    _require(facts.result_handler)


def _mark_ready(facts: Facts) -> None:
    _require(facts.result_handler)
    if not facts.dossier.result_file:
        raise DomainError(_("Chưa đính kèm kết quả."), code="result_missing")


def _return_result(facts: Facts) -> None:
    _require(facts.desk)


def _withdraw(facts: Facts) -> None:
    owner = facts.dossier.owner_id
    _require(facts.desk or (owner is not None and owner == facts.user.pk))


def _apologise(facts: Facts) -> None:
    """The competent agency (whose delay it is) or the branch's leader; once, and in time (Decree 118/2025:
    the apology reaches the citizen at least one working day before the appointment)."""
    from .services import deadlines

    dossier = facts.dossier
    _require(facts.admin or facts.in_agency(dossier.competent_agency_id) or facts.in_branch(roles.BRANCH_LEADER))
    if dossier.original_due_at is not None:
        raise Conflict(_("Chỉ được hẹn lại một lần."), code="apology_already_made")
    if dossier.due_at is None or facts.now >= dossier.due_at:
        raise DomainError(_("Đã quá hạn: văn bản xin lỗi phải gửi trước hạn trả kết quả."), code="apology_too_late",
                          details={"rule": "deadline_passed"})
    latest = deadlines.latest_apology_at(dossier)
    if latest is not None and facts.now > latest:
        raise DomainError(_("Văn bản xin lỗi phải gửi trước hạn trả kết quả ít nhất một ngày làm việc "
                            "(chậm nhất %(when)s).") % {"when": timezone.localtime(latest).strftime("%H:%M %d/%m/%Y")},
                          code="apology_too_late", details={"rule": "one_working_day", "latest_at": latest.isoformat()})


def _reassign(facts: Facts) -> None:
    _require(facts.admin or roles.has_role(facts.user, roles.CENTER_DIRECTOR) or facts.in_branch(roles.BRANCH_LEADER))


RULES: dict[str, Callable[[Facts], None]] = {
    "receive": _intake, "refuse_intake": _intake, "take": _take, "forward": _forward,
    "send_back": _send_back, "consult": _consult, "answer_consultation": _answer_consultation,
    "request_supplement": _request_supplement, "supply": _supply, "stop": _stop, "refuse": _refuse,
    "propose_approval": _propose_approval, "approve": _approve, "attach_result": _attach_result,
    "mark_ready": _mark_ready, "return_result": _return_result, "withdraw": _withdraw,
    "apologise": _apologise, "reassign": _reassign,
}
assert set(RULES) == set(TRANSITIONS), "every lifecycle action has exactly one rule"


def check(user, action: str, dossier: Dossier, *, now: dt.datetime | None = None,
          consultation: int | None = None) -> None:
    """Raise why `user` may not do `action` to `dossier` now; return when they may."""
    rule = RULES.get(action)
    if rule is None:
        raise NotFound(_("Không có thao tác này."), code="unknown_action")
    if dossier.state not in TRANSITIONS[action][0]:
        raise InvalidTransition(details={"state": dossier.state, "action": action})
    rule(Facts(user, dossier, now=now, consultation=consultation))


def can(user, action: str, dossier: Dossier, *, now: dt.datetime | None = None) -> bool:
    """Whether `check` would let the action through (what pages and the API offer)."""
    try:
        check(user, action, dossier, now=now)
    except DomainError:
        return False
    return True


def offered(user, dossier: Dossier, *, now: dt.datetime | None = None) -> list[str]:
    """The lifecycle actions `user` can do to `dossier` now, in the lifecycle's order."""
    return [action for action in RULES if can(user, action, dossier, now=now)]


# --- reading ------------------------------------------------------------------------------------------

def may_see_personal_data(user, dossier: Dossier) -> bool:
    """Handlers of the dossier see the applicant's name and numbers; a consulted agency sees them masked."""
    facts = Facts(user, dossier)
    step = dossier.current_step
    return (facts.admin or roles.has_role(user, roles.CENTER_DIRECTOR)
            or facts.in_branch(roles.RECEPTION_OFFICER, roles.BRANCH_LEADER)
            or facts.in_agency(dossier.competent_agency_id)
            or (step is not None and facts.in_agency(step.agency_id)))


def questions_for(user, dossier: Dossier) -> list[Consultation]:
    """Unanswered questions the user's agency has been asked on the dossier (every one for administrators)."""
    facts = Facts(user, dossier)
    return [q for q in facts.open_consultations if facts.admin or facts.in_agency(q.agency_id)]


# --- printing -----------------------------------------------------------------------------------------

def may_print(user, dossier: Dossier) -> bool:
    """Whoever may see the dossier may print its forms (01-06, the agency's refusal letter): its applicant,
    its branch's desk and leaders, its agencies' officers, the director and administrators."""
    from .selectors import visible_dossiers

    return visible_dossiers(user, within=Q(pk=dossier.pk)).exists()


def may_see_register(user) -> bool:
    """The register (form 07) is for staff (`roles.STAFF_ROLES`: every role but the citizen's) and
    administrators; each finds in it only the dossiers they may see."""
    return bool(user is not None and user.is_authenticated
                and (roles.is_admin(user) or roles.has_role(user, *roles.STAFF_ROLES)))


# --- following live -----------------------------------------------------------------------------------

MAX_CHANNELS = 10


def live_channels(user) -> list[str]:
    """The dossier channels whose events `user`'s inbox may follow (`live.py`): the same scopes as
    `selectors.visible_dossiers`, so an inbox hears of exactly the dossiers it may list."""
    from . import live

    if user is None or not user.is_authenticated:
        return []
    if roles.is_admin(user) or roles.has_role(user, roles.CENTER_DIRECTOR):
        return [live.ALL]
    officer = roles.officer_of(user)
    if officer is None:
        return []
    channels = []
    if officer.branch_id and roles.has_role(user, roles.RECEPTION_OFFICER, roles.BRANCH_LEADER):
        channels.append(live.branch_channel(officer.branch_id))
    if roles.has_role(user, roles.RECEPTION_OFFICER):
        channels.append(live.ONLINE)
    if officer.agency_id and roles.has_role(user, *roles.AGENCY_ROLES):
        channels.append(live.agency_channel(officer.agency_id))
    return channels


class UnknownChannel(DomainError):
    status = 404
    code = "unknown_channel"
    default_message = _("Không có kênh sự kiện này.")


class TooManyChannels(DomainError):
    status = 422
    code = "too_many_channels"
    default_message = _("Chỉ theo dõi được tối đa 10 kênh một lúc.")


def check_follow(user, asked: list[str]) -> list[str]:
    """The channels `user` follows: those asked (each one theirs), or all of theirs when none is asked.

    Raises 422 `too_many_channels`, 404 `unknown_channel` (not a channel name) or 403
    `permission_denied` (a channel of another branch or agency, or a user with no inbox).
    """
    from . import live

    if len(asked) > MAX_CHANNELS:
        raise TooManyChannels()
    if any(not live.is_channel(name) for name in asked):
        raise UnknownChannel()
    allowed = live_channels(user)
    if not allowed or any(name not in allowed for name in asked):
        raise PermissionDenied()
    return list(dict.fromkeys(asked)) or allowed
