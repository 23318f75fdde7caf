"""Read queries the printed forms need beyond `selectors`: places, signers, deadlines, the register's range."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from motcua.core.models import AuditEntry
from motcua.org.models import Agency, Branch, Center, Officer, ServicePoint
from motcua.org.selectors import default_service_point, home_center

from .models import Consultation, Dossier, DossierStep, SupplementRequest
from .selectors import visible_dossiers


def center_of(dossier: Dossier | None = None, branch: Branch | None = None) -> Center | None:
    """The center that issues the forms: the branch's, otherwise the installation's (`home_center`)."""
    branch = branch or (dossier.branch if dossier is not None and dossier.branch_id else None)
    if branch is not None:
        return Center.objects.select_related("province").get(pk=branch.center_id)
    return home_center()


def service_point_of(dossier: Dossier) -> ServicePoint | None:
    """Where the dossier was received and its result is returned: its own service point, else its branch's first."""
    if dossier.service_point_id:
        return ServicePoint.objects.get(pk=dossier.service_point_id)
    return default_service_point(dossier.branch_id)


HEAD_TITLES = ("giám đốc", "chủ tịch", "thủ trưởng")  # "Phó giám đốc" does not start with them


def head_of(agency: Agency) -> Officer | None:
    """The agency's head: its officer whose title is the head's (Giám đốc, Chủ tịch…), not a deputy's."""
    for officer in Officer.objects.select_related("user").filter(agency=agency).exclude(title=""):
        if officer.title.strip().lower().startswith(HEAD_TITLES):
            return officer
    return None


def refused_step(dossier: Dossier) -> DossierStep | None:
    """The step at which the dossier was refused (its role says who refused: the desk or the agency)."""
    return dossier.steps.filter(outcome=DossierStep.Outcome.REFUSED).order_by("-finished_at", "-pk").first()


def last_actor(dossier: Dossier, *actions: str):
    """The user who last did one of the audited `actions` on the dossier (None: nobody, or the scheduler)."""
    entry = (AuditEntry.objects.select_related("actor")
             .filter(object_type="dossier", object_id=dossier.code, action__in=[f"dossier.{a}" for a in actions])
             .order_by("-seq").first())
    return entry.actor if entry is not None else None


def supplement_of(dossier: Dossier) -> SupplementRequest | None:
    return SupplementRequest.objects.select_related("requested_by").filter(dossier=dossier).first()


def document_copies(dossier: Dossier) -> dict[int, int]:
    """Number of copies the catalog asks for, by checklist position."""
    return dict(dossier.procedure.documents.values_list("position", "count"))


def consultations_of(dossier: Dossier) -> list[Consultation]:
    return list(Consultation.objects.select_related("agency", "step__agency", "asked_by", "answered_by")
                .filter(dossier=dossier).order_by("asked_at", "pk"))


def register_dossiers(user, start: dt.date, end: dt.date, *, branch: Branch | None = None,
                      agency: Agency | None = None) -> QuerySet[Dossier]:
    """Dossiers the user may see that were received from `start` to `end` (local days, inclusive)."""
    tz = timezone.get_current_timezone()
    low = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    high = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    period = Q(received_at__gte=low, received_at__lt=high)  # inside each part: the period, not the history
    dossiers = visible_dossiers(user, within=period)
    if branch is not None:
        dossiers = dossiers.filter(branch=branch)
    if agency is not None:
        dossiers = dossiers.filter(competent_agency=agency)
    return dossiers.order_by("received_at", "code")


def last_event_at(dossier: Dossier, *actions: str) -> dt.datetime | None:
    """When one of the audited `actions` was last done on the dossier."""
    return (AuditEntry.objects.filter(object_type="dossier", object_id=dossier.code,
                                      action__in=[f"dossier.{a}" for a in actions])
            .order_by("-seq").values_list("occurred_at", flat=True).first())
