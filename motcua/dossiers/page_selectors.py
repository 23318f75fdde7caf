"""Read queries the HTML pages need beyond selectors.py: the actions to offer, flags, the approval list."""

from __future__ import annotations

from dataclasses import dataclass
from math import floor

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from motcua.catalog.models import Procedure, RouteStep
from motcua.core import audit, roles
from motcua.core.errors import ValidationFailed
from motcua.core.ids import parse_national_id
from motcua.core.text import fold
from motcua.integrations.population_registry import PersonRecord, RegistryUnavailable, get_registry
from motcua.org.models import AdministrativeUnit
from motcua.org.selectors import list_units
from motcua.worktime import WorkCalendar

from . import policies, selectors
from .models import Dossier, State
from .services import common, deadlines
from .services.intake import checklist

STAFF_ROLES = (roles.RECEPTION_OFFICER, *roles.AGENCY_ROLES, roles.BRANCH_LEADER, roles.CENTER_DIRECTOR)


def may_receive(user) -> bool:
    return roles.is_admin(user) or roles.has_role(user, roles.RECEPTION_OFFICER)


def may_use_inbox(user) -> bool:
    return roles.is_admin(user) or roles.has_role(user, *STAFF_ROLES)


def may_approve(user) -> bool:
    return roles.is_admin(user) or roles.has_role(user, roles.BRANCH_LEADER)


def may_see_approvals(user) -> bool:
    """Branch leaders approve their branch's dossiers; the center's director sees every branch's, read only."""
    return may_approve(user) or roles.has_role(user, roles.CENTER_DIRECTOR)


# --- reception --------------------------------------------------------------------------------------

@dataclass
class RegistryAnswer:
    status: str  # "found" | "unknown" | "unavailable" | "invalid"
    record: PersonRecord | None = None


def look_up_person(user, national_id: str) -> RegistryAnswer:
    """Ask the population registry (the intake service's adapter) for a reception officer; audited."""
    if not may_receive(user):
        return RegistryAnswer("invalid")
    try:
        number = parse_national_id(national_id).number
    except ValidationFailed:
        return RegistryAnswer("invalid")
    try:
        record = get_registry().lookup(number)
    except RegistryUnavailable:
        return RegistryAnswer("unavailable")
    # Who looked whom up is personal-data access: recorded with the masked number only.
    audit.record_event(user, "population_registry.lookup", "person", "********" + number[-4:],
                       data={"found": record is not None})
    return RegistryAnswer("found" if record else "unknown", record)


def operational_procedure(code: str) -> Procedure | None:
    if not code:
        return None
    return (Procedure.objects.filter(code=code, status=Procedure.Status.OPERATIONAL, is_active=True)
            .select_related("agency").first())


def procedure_checklist(procedure: Procedure | None, registry_known: bool,
                        errors: dict[str, list[str]] | None = None, attached: dict[int, list] | None = None,
                        ) -> list[dict]:
    """The intake checklist with, per document, what is expected, the problems found with it and the
    files already attached (held from a refused submit)."""
    if procedure is None:
        return []
    errors, attached = errors or {}, attached or {}
    return [{"document": document, "expect": expect, "errors": errors.get(f"document.{document.position}", []),
             "held": attached.get(document.position, [])}
            for document, expect in checklist(procedure, registry_known=registry_known)]


def commune_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The current communes and wards (2025 list), grouped by province and kind, alphabetically: a select's
    option groups (Hà Nội has 126: its wards, then its communes)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    units = list_units(level=AdministrativeUnit.Level.COMMUNE)
    for unit in sorted(units, key=lambda u: (fold(u.parent.name) if u.parent else "", fold(u.kind), fold(u.name))):
        label = " — ".join(part for part in (unit.parent.name if unit.parent else "", unit.kind.capitalize()) if part)
        groups.setdefault(label, []).append((unit.code, unit.name))
    return list(groups.items())


# --- inbox ------------------------------------------------------------------------------------------

def inbox_rows(user, *, state: str = "", **filters) -> list[dict]:
    """The inbox page's rows (at most 200): the dossier, its badge and the working time left."""
    now = timezone.now()
    dossiers = selectors.inbox(user, state=state or None, **filters).select_related("branch__center")[:200]
    calendars = common.Calendars()  # one calendar per center, not one per row
    return [{"dossier": d, "urgency": deadlines.urgency(d, now, calendars.of(d)),
             "left": time_left_label(d, now, calendars.of(d))} for d in dossiers]


def time_left_label(dossier: Dossier, now, calendar: WorkCalendar | None = None) -> str:
    """"còn 2 giờ 30 phút" / "còn 3,5 ngày làm việc" until the nearest deadline; "" when none runs."""
    calendar = calendar or common.calendar_of(dossier)
    left = deadlines.working_time_left(dossier, now, calendar)
    if left is None:
        return ""
    day = calendar.day_length
    if left < day:
        hours, minutes = divmod(int(left.total_seconds()) // 60, 60)
        return _("còn %(h)d giờ %(m)02d phút") % {"h": hours, "m": minutes} if hours else \
            _("còn %(m)d phút") % {"m": minutes}
    days = floor(left / day * 2) / 2  # half days, never more than there is
    return _("còn %(d)s ngày làm việc") % {"d": number_format(days, decimal_pos=1 if days % 1 else 0)}


def inbox_choices(user) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The procedures and the competent agencies of the open dossiers the user sees (the filters' options)."""
    dossiers = selectors.visible_dossiers(user, open_only=True)
    procedures = (dossiers.order_by("procedure__name").values_list("procedure__code", "procedure__name").distinct())
    agencies = (dossiers.order_by("competent_agency__name")
                .values_list("competent_agency__code", "competent_agency__name").distinct())
    return list(procedures)[:300], list(agencies)[:300]


def approval_queue(user) -> QuerySet[Dossier]:
    """Dossiers waiting for a branch leader's approval: their branch's for a leader; every branch's for
    administrators and (read only) for the center's director."""
    dossiers = selectors.inbox(user, state=State.AWAITING_APPROVAL).filter(
        current_step__role=RouteStep.Role.BRANCH_LEADER).select_related("branch")
    if roles.is_admin(user) or roles.has_role(user, roles.CENTER_DIRECTOR):
        return dossiers
    officer = roles.officer_of(user)
    if officer is None or not officer.branch_id or not roles.has_role(user, roles.BRANCH_LEADER):
        return dossiers.none()
    return dossiers.filter(branch_id=officer.branch_id)


# --- the dossier page -------------------------------------------------------------------------------

def available_actions(user, dossier: Dossier) -> set[str]:
    """The actions to offer this user now: exactly those the services would let through (policies)."""
    return set(policies.offered(user, dossier))
