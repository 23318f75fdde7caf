"""Read queries of the portal: a citizen's own dossiers and what their page shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from motcua.core.errors import DomainError, NotFound
from motcua.dossiers import policies as dossier_policies
from motcua.dossiers import selectors as dossier_selectors
from motcua.dossiers.models import Dossier, State, SupplementRequest
from motcua.dossiers.services import deadlines
from motcua.org.models import Officer, Person
from motcua.payments import policies as payment_policies
from motcua.payments import selectors as payment_selectors
from motcua.signing.models import SignedDocument

RESULT_STATES = (State.RESULT_READY, State.RETURNED)


def person_of(user) -> Person | None:
    return Person.objects.filter(user=user).first() if user is not None and user.is_authenticated else None


def my_dossiers(user) -> QuerySet[Dossier]:
    """Every dossier of the person: filed online from this account, or carrying their national ID
    (any channel, any branch), newest first."""
    person = person_of(user)
    mine = Q(owner=user)
    if person is not None:
        mine |= Q(applicant_id_number=person.national_id)
    return (
        dossier_selectors.visible_dossiers(user)
        .filter(mine)
        .select_related("supplement", "branch")
        .order_by("-submitted_at")
    )


def my_dossier(user, code: str) -> Dossier:
    dossier = my_dossiers(user).filter(code=code).first()
    if dossier is None:
        raise NotFound()
    return dossier


@dataclass
class Contact:
    name: str
    title: str
    agency: str
    branch: str
    branch_phone: str


@dataclass
class SupplementView:
    items: list[dict[str, str]]
    requested_at: dt.datetime
    expires_at: dt.datetime | None
    supplied_at: dt.datetime | None
    contact: Contact | None
    awaited: bool


@dataclass
class DossierPage:
    dossier: Dossier
    supplement: SupplementView | None
    can_supply: bool
    result_available: bool
    signed: list[SignedDocument] = field(default_factory=list)
    payable: bool = False
    invoices: list[Any] = field(default_factory=list)


def _contact(supplement: SupplementRequest, dossier: Dossier) -> Contact | None:
    user = supplement.requested_by
    if user is None:
        return None
    officer = Officer.objects.select_related("agency", "branch").filter(user=user).first()
    branch = officer.branch if officer and officer.branch else dossier.branch
    return Contact(
        name=user.get_full_name() or user.get_username(),
        title=officer.title if officer else "",
        agency=officer.agency.name if officer else "",
        branch=branch.name if branch else "",
        branch_phone=branch.phone if branch else "",
    )


def dossier_page(user, code: str) -> DossierPage:
    """What the citizen's page of one dossier shows (NotFound when it is not theirs)."""
    dossier = my_dossier(user, code)
    supplement = getattr(dossier, "supplement", None) if hasattr(dossier, "supplement") else None
    view = None
    if supplement is not None:
        awaited = supplement.supplied_at is None and dossier.state == State.SUPPLEMENT_REQUESTED
        view = SupplementView(
            items=list(supplement.items or []),
            requested_at=supplement.requested_at,
            expires_at=deadlines.supplement_expires_at(dossier) if awaited else None,
            supplied_at=supplement.supplied_at,
            contact=_contact(supplement, dossier),
            awaited=awaited,
        )
    try:
        invoices = payment_selectors.invoices_of(user, code)
    except DomainError:
        invoices = []
    payable = any(i.status == "open" and payment_policies.can(user, "pay_online", i) for i in invoices)
    return DossierPage(
        dossier=dossier,
        supplement=view,
        can_supply=dossier_policies.can(user, "supply", dossier),
        result_available=bool(dossier.result_file) and dossier.state in RESULT_STATES,
        signed=list(SignedDocument.objects.filter(dossier=dossier).order_by("form", "-version")),
        payable=payable,
        invoices=invoices,
    )
