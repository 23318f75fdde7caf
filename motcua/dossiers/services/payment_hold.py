"""The financial obligation (national status 6): a dossier whose procedure must be paid before processing.

The payments app calls these when it opens such a dossier's invoice and when the invoice is paid
(`states.SYSTEM_TRANSITIONS`). While the dossier waits, its route's first step is open but no action
that needs an open step is allowed (`states.OPEN_STEP_STATES` does not hold the waiting state), and
the legal processing time does not run: the wait is a pause of the appointment, like a supplement's.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from motcua.core.errors import Conflict

from ..models import Dossier, State
from ..states import SYSTEM_TRANSITIONS
from . import common, deadlines


def _require_state(dossier: Dossier, change: str) -> None:
    if dossier.state not in SYSTEM_TRANSITIONS[change][0]:
        raise Conflict(code="dossier_state_changed")


@transaction.atomic
def hold_for_payment(dossier: Dossier, *, now: dt.datetime) -> Dossier:
    """The received dossier waits for its fees (status 6)."""
    _require_state(dossier, "hold_for_payment")
    before = common.claim(dossier, None)
    common.save_fields(dossier, state=SYSTEM_TRANSITIONS["hold_for_payment"][1])
    common.log("payments", dossier, "hold_for_payment", before)
    return dossier


@transaction.atomic
def release_payment_hold(code: str, *, held_since: dt.datetime, now: dt.datetime) -> Dossier | None:
    """The fees are paid: the dossier is received for processing, its appointment moved by the wait.

    Does nothing (None) when the dossier no longer waits (withdrawn meanwhile): the payment stands.
    """
    dossier = common.load(code)
    if dossier.state != State.FINANCIAL_PENDING:
        return None
    before = common.claim(dossier, None)
    common.save_fields(dossier, state=SYSTEM_TRANSITIONS["release_payment_hold"][1],
                       due_at=deadlines.appointment_at(dossier, waits=((held_since, now),)))
    step = dossier.current_step
    if step is not None:
        step.started_at = now
        step.due_at = common.step_due(dossier, now, step.hours)
        step.save(update_fields=["started_at", "due_at"])
    common.log("payments", dossier, "release_payment_hold", before)
    return dossier
