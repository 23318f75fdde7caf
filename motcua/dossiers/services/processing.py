"""Processing along the route: take, forward, send back, consult, propose, approve, refuse."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import RouteStep
from motcua.core.errors import ValidationFailed
from motcua.org.models import Agency

from .. import policies
from ..models import Consultation, Dossier, DossierStep, State
from . import common, deadlines, numbering
from .intake import _require_reason

APPROVAL = RouteStep.Role.BRANCH_LEADER


@transaction.atomic
def take(user, code: str, *, version: int | None = None) -> Dossier:
    """The officer takes the open step: the dossier is theirs to act on."""
    dossier = common.load(code, version)
    policies.check(user, "take", dossier)
    step = common.current_step(dossier)
    before = common.claim(dossier, version)
    DossierStep.objects.filter(pk=step.pk).update(assignee=user)
    common.log(user, dossier, "take", before, step=step.position)
    return dossier


@transaction.atomic
def forward(user, code: str, *, note: str = "", version: int | None = None,
            now: dt.datetime | None = None) -> Dossier:
    """Hand the dossier to the next step of the route (form 06 logs each hand-over)."""
    now = now or timezone.now()
    dossier = common.load(code, version)
    policies.check(user, "forward", dossier, now=now)
    step = common.current_step(dossier)
    following = policies.next_route_step(dossier, step)
    assert following is not None  # the policy refuses to forward from the last step
    before = common.claim(dossier, version)
    common.close_step(step, DossierStep.Outcome.FORWARDED, note, now)
    common.open_step(dossier, following, now=now)
    common.save_fields(dossier, state=State.PROCESSING)
    common.log(user, dossier, "forward", before, note, from_step=step.position, to_step=following.position,
               on_time=deadlines.timeliness(now, step.due_at) != deadlines.LATE)
    return dossier


@transaction.atomic
def send_back(user, code: str, *, reason: str, version: int | None = None,
              now: dt.datetime | None = None) -> Dossier:
    """Return the dossier one step back, with the reason."""
    now = now or timezone.now()
    dossier = common.load(code, version)
    policies.check(user, "send_back", dossier, now=now)
    _require_reason(reason)
    step = common.current_step(dossier)
    previous = policies.previous_step(dossier, step)
    assert previous is not None  # the policy refuses to send back from the first step
    before = common.claim(dossier, version)
    common.close_step(step, DossierStep.Outcome.SENT_BACK, reason.strip(), now)
    if previous.route_step_id:
        common.open_step(dossier, previous.route_step, now=now)
    else:
        common.open_step(dossier, None, position=previous.position, name=previous.name, role=previous.role,
                         hours=previous.hours, now=now)
    first = common.route_of(dossier)[0].position
    common.save_fields(dossier, state=State.RECEIVED if previous.position == first else State.PROCESSING)
    common.log(user, dossier, "send_back", before, reason.strip(), from_step=step.position,
               to_step=previous.position)
    return dossier


@transaction.atomic
def consult(user, code: str, *, agency: str, question: str, hours: Decimal = Decimal(8),
            version: int | None = None, now: dt.datetime | None = None) -> Consultation:
    """Ask another agency (inter-agency): the step waits for the answer, which has its own deadline."""
    now = now or timezone.now()
    dossier = common.load(code, version)
    policies.check(user, "consult", dossier, now=now)
    step = common.current_step(dossier)
    target = Agency.objects.filter(code=agency, is_active=True).first()
    problems = []
    if target is None or target.pk == step.agency_id:
        problems.append({"field": "agency", "code": "unknown_agency"})
    if not (question or "").strip():
        problems.append({"field": "question", "code": "question_required"})
    if hours is None or hours <= 0 or hours > 240:
        problems.append({"field": "hours", "code": "hours_out_of_range"})
    if problems or target is None:
        raise ValidationFailed(details=problems)
    before = common.claim(dossier, version)
    consultation = Consultation.objects.create(dossier=dossier, step=step, agency=target, question=question.strip(),
                                               asked_by=user, asked_at=now,
                                               due_at=common.step_due(dossier, now, Decimal(hours)))
    common.log(user, dossier, "consult", before, agency=target.code, consultation=consultation.pk)
    return consultation


@transaction.atomic
def answer_consultation(user, code: str, *, consultation: int, answer: str, version: int | None = None,
                        now: dt.datetime | None = None) -> Consultation:
    """The consulted agency answers; the step may move on once every question is answered."""
    dossier = common.load(code, version)
    policies.check(user, "answer_consultation", dossier, now=now, consultation=consultation)
    item = Consultation.objects.get(pk=consultation, dossier=dossier)
    if not (answer or "").strip():
        raise ValidationFailed(details=[{"field": "answer", "code": "answer_required"}])
    before = common.claim(dossier, version)
    item.answer, item.answered_by, item.answered_at = answer.strip(), user, now or timezone.now()
    item.save(update_fields=["answer", "answered_by", "answered_at"])
    common.log(user, dossier, "answer_consultation", before, consultation=item.pk)
    return item


@transaction.atomic
def propose_approval(user, code: str, *, note: str = "", version: int | None = None,
                     now: dt.datetime | None = None) -> Dossier:
    """The last processing step proposes the decision to the branch leader."""
    now = now or timezone.now()
    dossier = common.load(code, version)
    policies.check(user, "propose_approval", dossier, now=now)
    step = common.current_step(dossier)
    following = policies.next_route_step(dossier, step)
    before = common.claim(dossier, version)
    common.close_step(step, DossierStep.Outcome.FORWARDED, note, now)
    if following is not None:
        common.open_step(dossier, following, now=now)
    else:
        common.open_step(dossier, None, position=step.position + 1, name=str(_("Phê duyệt")), role=APPROVAL,
                         hours=Decimal(1), now=now)
    common.save_fields(dossier, state=State.AWAITING_APPROVAL)
    common.log(user, dossier, "propose_approval", before, note)
    return dossier


@transaction.atomic
def approve(user, code: str, *, note: str = "", version: int | None = None,
            now: dt.datetime | None = None) -> Dossier:
    """The branch leader approves; the result is then attached and marked ready."""
    dossier = common.load(code, version)
    policies.check(user, "approve", dossier, now=now)
    step = common.current_step(dossier)
    before = common.claim(dossier, version)
    common.close_step(step, DossierStep.Outcome.APPROVED, note, now)
    common.save_fields(dossier, state=State.APPROVED, current_step=None)
    common.log(user, dossier, "approve", before, note)
    return dossier


@transaction.atomic
def refuse(user, code: str, *, reason: str, version: int | None = None,
           now: dt.datetime | None = None) -> Dossier:
    """Refuse the dossier with the legal reason; the refusal is returned like a result.

    At the desk's step it is the refusal at intake (form 03, in the center's name); at the competent
    agency's steps it is the agency's decision not to resolve it (its letter, signed by its head). The
    center does not decide for the agency: a branch leader, at any step, may not refuse.
    """
    now = now or timezone.now()
    dossier = common.load(code, version)
    policies.check(user, "refuse", dossier, now=now)
    _require_reason(reason)
    before = common.claim(dossier, version)
    step = common.current_step(dossier)
    at_intake = step.role == RouteStep.Role.RECEPTION
    common.close_step(step, DossierStep.Outcome.REFUSED, reason.strip(), now)
    common.save_fields(dossier, state=State.REFUSED, decision_reason=reason.strip(), current_step=None,
                       result_ready_at=now)
    if at_intake:  # form 03 is numbered in the branch's book; the agency numbers its own letter
        numbering.assign(dossier, numbering.Form.REFUSAL, now)
    common.log(user, dossier, "refuse", before, reason.strip(), at_intake=at_intake)
    return dossier


@transaction.atomic
def reassign(user, code: str, *, agency: str, reason: str, version: int | None = None,
             now: dt.datetime | None = None) -> Dossier:
    """Hand the dossier to another competent agency (e.g. the applicant's real commune), explicitly and logged.

    For the branch's leader, the center's director or an administrator. The open step of the former
    agency is closed as reassigned and opened again, unassigned, at the new one. Errors:
    `reason_required`, `unknown_agency`, `same_agency` (422).
    """
    now = now or timezone.now()
    dossier = common.load(code, version)
    policies.check(user, "reassign", dossier, now=now)
    _require_reason(reason)
    target = Agency.objects.filter(code=agency, is_active=True).exclude(kind=Agency.Kind.CENTER).first()
    if target is None:
        raise ValidationFailed(_("Không có cơ quan giải quyết này."), code="unknown_agency",
                               details=[{"field": "agency", "code": "unknown_agency"}])
    former = dossier.competent_agency
    if target.pk == former.pk:
        raise ValidationFailed(_("Hồ sơ đang do cơ quan này giải quyết."), code="same_agency",
                               details=[{"field": "agency", "code": "same_agency"}])
    before = common.claim(dossier, version)
    common.save_fields(dossier, competent_agency=target)
    step = common.current_step(dossier)
    if step is not None and step.agency_id == former.pk:
        common.close_step(step, DossierStep.Outcome.REASSIGNED, reason.strip(), now)
        common.open_step(dossier, step.route_step, position=step.position, name=step.name, role=step.role,
                         hours=step.hours, now=now)
    common.log(user, dossier, "reassign", before, reason.strip(), from_agency=former.code, to_agency=target.code)
    return dossier
