"""Results by post: the citizen asks for the paper result at home and follows the parcel."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import DomainError, NotFound, page_status

from ..models import DeliveryStatus
from ..services import postal
from .wallet import citizen_page


class DeliveryForm(forms.Form):
    name = forms.CharField(label=_("Họ tên người nhận"), max_length=200)
    phone = forms.CharField(
        label=_("Điện thoại người nhận"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )
    address = forms.CharField(label=_("Địa chỉ nhận"), max_length=250)


def _journey(delivery) -> list[dict]:
    """The parcel's events, newest first, with their Vietnamese labels."""
    if delivery is None:
        return []
    labels = dict(DeliveryStatus.choices)
    out = []
    for event in reversed(delivery.events):
        try:
            at = dt.datetime.fromisoformat(event.get("at") or "")
        except ValueError:
            at = None
        out.append(
            {
                "at": at,
                "label": labels.get(event.get("status"), event.get("status")),
                "note": event.get("note") or "",
            }
        )
    return out


@citizen_page
def delivery(request, code: str):
    """Ask for the result by post (with the fee quoted), or follow the parcel already sent."""
    try:
        found = postal.refresh(request.user, code)
        dossier, _person = postal.dossier_for(request.user, code)
    except NotFound as exc:
        raise Http404 from exc
    person = request.person
    error = None
    form = DeliveryForm(
        initial={
            "name": dossier.applicant_name or person.full_name,
            "phone": dossier.applicant_phone or person.phone,
            "address": dossier.applicant_address or person.address,
        }
    )
    if found is None and request.method == "POST":
        form = DeliveryForm(request.POST)
        if form.is_valid():
            receiver = postal.Receiver(**form.cleaned_data)
            try:
                postal.request_delivery(request.user, code, receiver)
                return redirect("portal-delivery", code=dossier.code)
            except DomainError as exc:
                error = exc
                for problem in exc.details or []:
                    if isinstance(problem, dict) and problem.get("field") in form.fields:
                        form.add_error(problem["field"], problem["message"])
    fee = None
    if found is None and postal.may_post(dossier):
        try:
            fee = postal.quote_delivery(request.user, code)
        except DomainError as exc:
            error = error or exc
    status = (
        page_status(error) if error is not None else (422 if form.is_bound and not form.is_valid() else 200)
    )
    return render(
        request,
        "portal/delivery.html",
        {
            "dossier": dossier,
            "delivery": found,
            "journey": _journey(found),
            "form": form,
            "fee": fee,
            "error": error,
            "may_post": postal.may_post(dossier),
        },
        status=status,
    )
