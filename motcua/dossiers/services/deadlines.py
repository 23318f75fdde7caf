"""Deadlines watched by the scheduler: near-due and overdue flags, and the apology rule's time limit.

A flag is not stored on the dossier (it changes with the clock: `deadline_level` computes it); what is
stored is the fact that officers were told, as an audit entry per dossier, deadline and level, so each
warning goes out once even when the job runs every few minutes or twice at the same time.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from motcua.core import audit, events
from motcua.core.models import AuditEntry
from motcua.worktime import WorkCalendar

from ..live import agency_channel, branch_channel
from ..models import Dossier, State
from . import common

logger = logging.getLogger(__name__)

FLAG_ACTION = "dossier.deadline_flagged"
# The clock runs in these states (it is stopped while a supplement is awaited).
CLOCK_RUNNING = (State.RECEIVED, State.PROCESSING, State.AWAITING_APPROVAL, State.APPROVED)
OVERDUE, NEAR = "overdue", "near"


def near_margin() -> dt.timedelta:
    """Working time before a deadline from which it counts as near (MOTCUA_NEAR_DUE_WORKING_HOURS, 8)."""
    return dt.timedelta(hours=float(getattr(settings, "MOTCUA_NEAR_DUE_WORKING_HOURS", 8)))


def deadline_level(calendar: WorkCalendar, due_at: dt.datetime | None, now: dt.datetime,
                   margin: dt.timedelta | None = None) -> str:
    """"overdue", "near" (within the working-time margin) or ""."""
    if due_at is None:
        return ""
    if due_at <= now:
        return OVERDUE
    return NEAR if calendar.working_time_between(now, due_at) <= (margin or near_margin()) else ""


@dataclass(frozen=True)
class Flag:
    code: str
    target: str  # "appointment" (the dossier's due date) or "step" (the current step's deadline)
    level: str
    due_at: dt.datetime


def flags_of(dossier: Dossier, now: dt.datetime, calendar: WorkCalendar | None = None) -> list[Flag]:
    """The flags a dossier has now (none when its clock is stopped or it is closed)."""
    if dossier.state not in CLOCK_RUNNING:
        return []
    calendar = calendar or common.calendar_of(dossier)
    flags = []
    step = dossier.current_step
    for target, due in (("appointment", dossier.due_at), ("step", step.due_at if step else None)):
        level = deadline_level(calendar, due, now)
        if level:
            flags.append(Flag(dossier.code, target, level, due))
    return flags


def _already_flagged(flag: Flag) -> bool:
    return AuditEntry.objects.filter(action=FLAG_ACTION, object_type="dossier", object_id=flag.code,
                                     data__target=flag.target, data__level=flag.level,
                                     data__due_at=flag.due_at.isoformat()).exists()


def _announce(dossier: Dossier, flag: Flag) -> bool:
    """Record and publish one flag unless it was already; True when it was new."""
    with transaction.atomic():
        # Lock the dossier row (PostgreSQL) so that two runs cannot both find the flag new.
        Dossier.objects.select_for_update().filter(pk=dossier.pk).first()
        if _already_flagged(flag):
            return False
        audit.record_event("scheduler", FLAG_ACTION, "dossier", dossier.code, dossier.state, dossier.state,
                           data={"target": flag.target, "level": flag.level, "due_at": flag.due_at.isoformat()})
        payload = {"code": dossier.code, "level": flag.level, "target": flag.target,
                   "due_at": flag.due_at.isoformat()}
        channels = {agency_channel(dossier.competent_agency_id)}
        if dossier.branch_id:
            channels.add(branch_channel(dossier.branch_id))
        if dossier.current_step is not None:
            channels.add(agency_channel(dossier.current_step.agency_id))
        for channel in sorted(channels):
            events.publish(channel, "deadline", payload)
    return True


def flag_deadlines(now: dt.datetime | None = None) -> dict[str, int]:
    """Tell the inboxes once about every deadline that became near or passed; counts per level."""
    now = now or timezone.now()
    # A working-time margin never spans more than a few weeks of calendar time (Tết included).
    horizon = now + dt.timedelta(days=21) + near_margin() * 3
    candidates = (Dossier.objects.filter(state__in=CLOCK_RUNNING)
                  .filter(Q(due_at__lte=horizon) | Q(current_step__due_at__lte=horizon))
                  .select_related("current_step", "branch__center", "procedure"))
    calendars: dict[int | None, WorkCalendar] = {}
    counts = {OVERDUE: 0, NEAR: 0}
    for dossier in candidates.iterator(chunk_size=500):
        key = dossier.branch.center_id if dossier.branch_id else None
        if key not in calendars:
            calendars[key] = common.calendar_of(dossier)
        for flag in flags_of(dossier, now, calendars[key]):
            if _announce(dossier, flag):
                counts[flag.level] += 1
    return counts


# --- the apology rule -------------------------------------------------------------------------------

def latest_apology_at(dossier: Dossier) -> dt.datetime | None:
    """The last moment an apology may be sent: one working day (its 8 working hours) before the appointment."""
    if dossier.due_at is None:
        return None
    calendar = common.calendar_of(dossier)
    return calendar.subtract_working_time(dossier.due_at, calendar.day_length)


def supplement_expires_at(dossier: Dossier) -> dt.datetime | None:
    """When an unsupplied dossier may be stopped (MOTCUA_SUPPLEMENT_EXPIRY_DAYS working days after the request)."""
    supplement = getattr(dossier, "supplement", None)
    if supplement is None or supplement.supplied_at is not None:
        return None
    calendar = common.calendar_of(dossier)
    days = float(getattr(settings, "MOTCUA_SUPPLEMENT_EXPIRY_DAYS", 15))
    return calendar.add_working_days(calendar.counting_start(supplement.requested_at), days)
