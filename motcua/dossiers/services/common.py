"""What every dossier use case shares: loading, the version claim, calendars, the route, audit.

Who may do what is in `policies.py`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from motcua.catalog.models import RouteStep
from motcua.core import audit, outbox
from motcua.core.errors import Conflict, NotFound
from motcua.org.calendars import calendar_for
from motcua.org.models import Agency, Center
from motcua.org.selectors import home_center
from motcua.worktime import ResumeMode, WorkCalendar

from ..models import Dossier, DossierStep, State

# --- loading and the version claim ------------------------------------------------------------------

def load(code: str, version: int | None = None) -> Dossier:
    """The dossier; Conflict at once when the caller saw another version than the current one."""
    dossier = (Dossier.objects.select_related("procedure", "branch__center", "competent_agency", "current_step")
               .filter(code=code).first())
    if dossier is None:
        raise NotFound()
    if version is not None and dossier.version != version:
        raise Conflict()
    return dossier


def claim(dossier: Dossier, version: int | None) -> str:
    """Bump the version if it is still the one the caller saw: the first writer wins, others get 409.

    Done before any other write, so on PostgreSQL the row stays locked for the rest of the transaction.
    Returns the state before the change (for the audit entry).
    """
    expected = dossier.version if version is None else version
    if Dossier.objects.filter(pk=dossier.pk, version=expected).update(version=F("version") + 1) != 1:
        raise Conflict()
    dossier.version = expected + 1
    return dossier.state


def current_step(dossier: Dossier) -> DossierStep:
    """The dossier's open step, for an action whose policy check has required one."""
    step = dossier.current_step
    assert step is not None, f"{dossier.code} has no open step"
    return step


def save_fields(dossier: Dossier, **changes) -> None:
    for name, value in changes.items():
        setattr(dossier, name, value)
    Dossier.objects.filter(pk=dossier.pk).update(**changes)


def log(user, dossier: Dossier, action: str, before: str, reason: str = "", **data) -> None:
    """Audit the change and write its outbox message `dossier.<action>`, in the change's transaction.

    The appointment as it stands after the change goes along (the national portal is told that one).
    The message carries the states and these facts (codes, counts), never the reason's free text:
    consumers (citizen SMS, national portal) load the rest from the dossier.
    """
    due_at = dossier.due_at.isoformat() if dossier.due_at else None
    facts = {"version": dossier.version, "due_at": due_at, **data}
    audit.record_event(user, f"dossier.{action}", "dossier", dossier.code, before, dossier.state, reason, facts)
    outbox.emit(f"dossier.{action}", "dossier", dossier.code,
                {"from_state": before or "", "to_state": dossier.state, **facts})
    from ..live import publish_change

    publish_change(dossier, action)


# --- time -------------------------------------------------------------------------------------------

def center_of(dossier: Dossier) -> Center | None:
    if dossier.branch is not None:
        return dossier.branch.center
    return home_center()


def calendar_of(dossier: Dossier) -> WorkCalendar:
    center = center_of(dossier)
    return calendar_for(center) if center else WorkCalendar()


class Calendars:
    """The calendars of many dossiers, read once per center (for loops over a list or a job's batch)."""

    def __init__(self) -> None:
        self._by_center: dict[int | None, WorkCalendar] = {}

    def of(self, dossier: Dossier) -> WorkCalendar:
        key = dossier.branch.center_id if dossier.branch is not None else None
        if key not in self._by_center:
            self._by_center[key] = calendar_of(dossier)
        return self._by_center[key]


def resume_mode_of(dossier: Dossier) -> ResumeMode:
    center = center_of(dossier)
    return "resume" if center is not None and center.resume_mode == "resume" else "restart"


def legal_duration(dossier: Dossier, calendar: WorkCalendar) -> dt.timedelta:
    days = dossier.procedure.processing_days or Decimal(0)
    return calendar.day_length * float(days)


def step_due(dossier: Dossier, start: dt.datetime, hours: Decimal) -> dt.datetime:
    calendar = calendar_of(dossier)
    return calendar.add_working_time(calendar.counting_start(start), dt.timedelta(hours=float(hours)))


# --- route ------------------------------------------------------------------------------------------

def center_agency() -> Agency | None:
    return Agency.objects.filter(kind=Agency.Kind.CENTER, is_active=True).order_by("pk").first()


def agency_for(dossier: Dossier, route_step: RouteStep) -> Agency:
    if route_step.scope == RouteStep.Scope.AGENCY:
        assert route_step.agency is not None  # the route_step_agency_when_scoped constraint
        return route_step.agency
    if route_step.scope == RouteStep.Scope.CENTER:
        return center_agency() or dossier.competent_agency
    return dossier.competent_agency


def route_of(dossier: Dossier) -> list[RouteStep]:
    return list(dossier.procedure.route.select_related("agency").order_by("position"))


def open_step(dossier: Dossier, route_step: RouteStep | None, *, position: int | None = None, name: str = "",
              role: str = "", hours: Decimal | None = None, assignee=None,
              now: dt.datetime | None = None) -> DossierStep:
    now = now or timezone.now()
    if route_step is not None:
        position, name, role, hours = route_step.position, route_step.name, route_step.role, route_step.hours
        agency = agency_for(dossier, route_step)
    else:
        agency = center_agency() or dossier.competent_agency
    if hours is None or position is None:
        raise ValueError("a step outside the route needs a position and hours")
    step = DossierStep.objects.create(
        dossier=dossier, route_step=route_step, position=position, name=name, role=role, agency=agency,
        hours=hours, assignee=assignee, started_at=now, due_at=step_due(dossier, now, hours))
    save_fields(dossier, current_step=step)
    return step


def close_step(step: DossierStep | None, outcome: str, note: str = "", now: dt.datetime | None = None) -> None:
    if step is None:
        return
    step.finished_at = now or timezone.now()
    step.outcome = outcome
    step.note = note
    step.save(update_fields=["finished_at", "outcome", "note"])


ACTIVE_STATES = (State.RECEIVED, State.PROCESSING, State.AWAITING_APPROVAL)
