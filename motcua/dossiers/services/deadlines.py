"""The deadline policy of dossiers, in one place: pages, API, slips, jobs and reports call it.

- the appointment (`appointment_at`): the procedure's legal duration in working time from receipt,
  paused while a supplement is awaited (worktime.deadlines);
- how urgent a deadline is (`deadline_level`, `urgency`): overdue once passed, near within
  MOTCUA_NEAR_DUE_WORKING_HOURS (8) working hours — the inbox badge and the scheduler's warnings alike;
- when an awaited supplement expires (`supplement_deadline`, `supplement_expires_at`);
- whether a step was done early, on time or late (`timeliness`, form 06);
- the apology's time limit (`latest_apology_at`).

A flag is not stored on the dossier (it changes with the clock: `deadline_level` computes it); what is
stored is the fact that officers were told, a `DeadlineFlag` row per dossier, deadline and level (unique
together), so each warning goes out once even when the job runs every few minutes or twice at the same
time.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from motcua.worktime import WorkCalendar

from ..live import publish_deadline
from ..models import DeadlineFlag, Dossier, State, SupplementRequest
from . import common

logger = logging.getLogger(__name__)

# The clock runs in these states (it is stopped while a supplement is awaited).
CLOCK_RUNNING = (State.RECEIVED, State.PROCESSING, State.AWAITING_APPROVAL, State.APPROVED)
OVERDUE, NEAR = "overdue", "near"


def near_margin() -> dt.timedelta:
    """Working time before a deadline from which it counts as near (MOTCUA_NEAR_DUE_WORKING_HOURS, 8)."""
    return dt.timedelta(hours=float(getattr(settings, "MOTCUA_NEAR_DUE_WORKING_HOURS", 8)))


# --- the appointment ---------------------------------------------------------------------------------

def appointment_at(dossier: Dossier, *, while_paused: bool = False,
                   waits: tuple[tuple[dt.datetime, dt.datetime], ...] = ()) -> dt.datetime | None:
    """The appointment: the legal duration from receipt, paused while a supplement is awaited.

    None while the pause is open (the new appointment depends on when the supplement comes), unless
    `while_paused`: then the appointment as it stood before the pause (what slips print meanwhile).
    `waits` are other closed pauses (the wait for the fees of a procedure paid before processing).
    """
    if dossier.received_at is None:
        return None
    calendar = common.calendar_of(dossier)
    pauses = list(waits)
    supplement = getattr(dossier, "supplement", None) if dossier.pk else None
    if supplement is not None and (supplement.supplied_at is not None or not while_paused):
        pauses.append((supplement.requested_at, supplement.supplied_at))
    return calendar.due_at(dossier.received_at, common.legal_duration(dossier, calendar), pauses,
                           common.resume_mode_of(dossier))


def current_appointment(dossier: Dossier) -> dt.datetime | None:
    """The appointment in force: the stored one (an apology may have moved it), or, while the clock is
    stopped for a supplement, the one that stood before the pause."""
    return dossier.due_at if dossier.due_at is not None else appointment_at(dossier, while_paused=True)


# --- how urgent -------------------------------------------------------------------------------------

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
        if level and due is not None:
            flags.append(Flag(dossier.code, target, level, due))
    return flags


def urgency(dossier: Dossier, now: dt.datetime | None = None, calendar: WorkCalendar | None = None) -> str:
    """The inbox's badge: "overdue", "near" or "" — the worst of the dossier's flags (`flags_of`)."""
    levels = {flag.level for flag in flags_of(dossier, now or timezone.now(), calendar)}
    return OVERDUE if OVERDUE in levels else NEAR if NEAR in levels else ""


# --- early, on time, late ---------------------------------------------------------------------------

EARLY, ON_TIME, LATE = "early", "on_time", "late"


def timeliness(finished: dt.datetime | None, due: dt.datetime | None) -> str:
    """"early" (done on a day before the deadline's day), "on_time", "late"; "" while not finished."""
    if finished is None:
        return ""
    if due is None:
        return ON_TIME
    if finished > due:
        return LATE
    return EARLY if timezone.localdate(finished) < timezone.localdate(due) else ON_TIME


def _announce(dossier: Dossier, flag: Flag) -> bool:
    """Record and publish one flag unless it was already; True when it was new."""
    if DeadlineFlag.objects.filter(dossier=dossier, target=flag.target, level=flag.level,
                                   due_at=flag.due_at).exists():
        return False
    try:
        with transaction.atomic():
            # Unique per dossier, deadline and level: of two runs at the same moment one insert fails.
            DeadlineFlag.objects.create(dossier=dossier, target=flag.target, level=flag.level,
                                        due_at=flag.due_at)
            _publish(dossier, flag)
    except IntegrityError:
        return False
    return True


def _publish(dossier: Dossier, flag: Flag) -> None:
    """Tell the live inboxes that may show the dossier (after commit)."""
    publish_deadline(dossier, {"code": dossier.code, "level": flag.level, "target": flag.target,
                               "due_at": flag.due_at.isoformat()})


def _within_reach(dossiers, now: dt.datetime):
    """The dossiers whose clock runs and that have a deadline close enough in calendar time to be near."""
    # A working-time margin never spans more than a few weeks of calendar time (Tết included).
    horizon = now + dt.timedelta(days=21) + near_margin() * 3
    return (dossiers.filter(state__in=CLOCK_RUNNING)
            .filter(Q(due_at__lte=horizon) | Q(current_step__due_at__lte=horizon)))


def with_urgency(dossiers, level: str, now: dt.datetime | None = None):
    """The dossiers of a queryset whose `urgency` is `level` ("overdue" or "near"), as a queryset."""
    now = now or timezone.now()
    if level == OVERDUE:
        return dossiers.filter(state__in=CLOCK_RUNNING).filter(Q(due_at__lte=now) | Q(current_step__due_at__lte=now))
    near = [d.pk for d in _within_reach(dossiers, now).select_related("current_step", "branch__center")
            if urgency(d, now) == NEAR]
    return dossiers.filter(pk__in=near)


def working_time_left(dossier: Dossier, now: dt.datetime | None = None,
                      calendar: WorkCalendar | None = None) -> dt.timedelta | None:
    """Working time until the dossier's nearest deadline (step or appointment); None when none runs or
    the nearest one has passed."""
    now = now or timezone.now()
    if dossier.state not in CLOCK_RUNNING:
        return None
    step = dossier.current_step
    due = [d for d in (dossier.due_at, step.due_at if step else None) if d is not None]
    if not due or min(due) <= now:
        return None
    return (calendar or common.calendar_of(dossier)).working_time_between(now, min(due))


def flag_deadlines(now: dt.datetime | None = None) -> dict[str, int]:
    """Tell the inboxes once about every deadline that became near or passed; counts per level."""
    now = now or timezone.now()
    candidates = _within_reach(Dossier.objects.all(), now).select_related("current_step", "branch__center",
                                                                           "procedure")
    calendars = common.Calendars()
    counts = {OVERDUE: 0, NEAR: 0}
    for dossier in candidates.iterator(chunk_size=500):
        for flag in flags_of(dossier, now, calendars.of(dossier)):
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


def supplement_expiry_days() -> float:
    """Working days an applicant has to hand in a supplement (MOTCUA_SUPPLEMENT_EXPIRY_DAYS, 15)."""
    return float(getattr(settings, "MOTCUA_SUPPLEMENT_EXPIRY_DAYS", 15))


def supplement_deadline(dossier: Dossier, supplement: SupplementRequest) -> dt.datetime:
    """When a supplement asked for is due; after it the dossier may be stopped."""
    calendar = common.calendar_of(dossier)
    return calendar.add_working_days(calendar.counting_start(supplement.requested_at), supplement_expiry_days())


def supplement_expires_at(dossier: Dossier) -> dt.datetime | None:
    """When the dossier's awaited supplement expires; None when none is awaited."""
    supplement = getattr(dossier, "supplement", None)
    if supplement is None or supplement.supplied_at is not None:
        return None
    return supplement_deadline(dossier, supplement)


# --- the supplement request's window ----------------------------------------------------------------

def supplement_window_hours() -> float | None:
    """Working hours after receipt within which a supplement may be asked for
    (MOTCUA_SUPPLEMENT_WINDOW_HOURS, 8; None: no limit)."""
    hours = getattr(settings, "MOTCUA_SUPPLEMENT_WINDOW_HOURS", 8)
    return None if hours is None else float(hours)


def supplement_request_closes_at(dossier: Dossier) -> dt.datetime | None:
    """The last moment the dossier's supplement may be asked for (None: no limit, or not received)."""
    hours = supplement_window_hours()
    if hours is None or dossier.received_at is None:
        return None
    calendar = common.calendar_of(dossier)
    return calendar.add_working_time(calendar.counting_start(dossier.received_at), dt.timedelta(hours=hours))
