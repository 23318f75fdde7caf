"""The portal API: the citizen's own dossiers (/api/me/dossiers)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from ninja import Router, Schema

from motcua.core.api import ErrorOut, authenticated

from ..selectors import dossiers as selectors

router = Router(tags=["portal"])
ERRORS = {code: ErrorOut for code in (401, 403, 404)}


# --- my dossiers -------------------------------------------------------------------------------------


class MyDossierOut(Schema):
    code: str
    procedure_code: str
    procedure: str
    state: str
    state_label: str
    channel: str
    branch: str | None
    submitted_at: dt.datetime
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    supplement_awaited: bool
    page_url: str


class ContactOut(Schema):
    name: str
    title: str
    agency: str
    branch: str
    branch_phone: str


class SupplementOut(Schema):
    items: list[dict[str, str]]
    requested_at: dt.datetime
    expires_at: dt.datetime | None
    supplied_at: dt.datetime | None
    awaited: bool
    contact: ContactOut | None


class MyDossierDetailOut(MyDossierOut):
    supplement: SupplementOut | None
    can_supply: bool
    result_url: str | None
    payments_url: str | None
    payable: bool


def _summary(dossier) -> dict:
    supplement = getattr(dossier, "supplement", None) if hasattr(dossier, "supplement") else None
    return {
        "code": dossier.code,
        "procedure_code": dossier.procedure.code,
        "procedure": dossier.procedure.name,
        "state": dossier.state,
        "state_label": dossier.get_state_display(),
        "channel": dossier.channel,
        "branch": dossier.branch.name if dossier.branch else None,
        "submitted_at": dossier.submitted_at,
        "received_at": dossier.received_at,
        "due_at": dossier.due_at,
        "supplement_awaited": bool(
            supplement and supplement.supplied_at is None and dossier.state == "supplement_requested"
        ),
        "page_url": reverse("portal-me-dossier", args=[dossier.code]),
    }


def _citizen(request):
    from motcua.core import roles

    if not roles.has_role(request.user, roles.CITIZEN):
        from motcua.core.errors import PermissionDenied

        raise PermissionDenied()
    return request.user


@router.get(
    "/me/dossiers",
    response={200: list[MyDossierOut], **ERRORS},
    auth=authenticated,
    summary="Every dossier of the logged-in person (any channel, any branch, by national ID)",
)
def my_dossiers(request):
    return [_summary(d) for d in selectors.my_dossiers(_citizen(request))[:200]]


@router.get(
    "/me/dossiers/{code}",
    response={200: MyDossierDetailOut, **ERRORS},
    auth=authenticated,
    summary="One of my dossiers: the supplement asked for in full, what can be done",
)
def my_dossier(request, code: str):
    page = selectors.dossier_page(_citizen(request), code)
    s = page.supplement
    return {
        **_summary(page.dossier),
        "supplement": None
        if s is None
        else {
            "items": s.items,
            "requested_at": s.requested_at,
            "expires_at": s.expires_at,
            "supplied_at": s.supplied_at,
            "awaited": s.awaited,
            "contact": None if s.contact is None else vars(s.contact),
        },
        "can_supply": page.can_supply,
        "payable": page.payable,
        "result_url": reverse("portal-me-result", args=[code]) if page.result_available else None,
        "payments_url": reverse("payments-dossier", args=[code]) if page.invoices else None,
    }
