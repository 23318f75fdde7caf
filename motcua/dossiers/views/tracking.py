"""Public tracking of a dossier by its code and key."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse

from motcua.core.errors import NotFound, RateLimited

from .. import selectors
from ..api import count_tracking_attempt
from ..forms import TrackingForm


def tracking(request, code: str = ""):
    """No login: the code and the tracking key give the public view (the API's selector and rate limit).

    The QR code of slip 01 opens `/tracking/<code>/?key=<key>`: the lookup runs at once.
    """
    result, not_found, limited = None, False, False
    scanned = request.method == "GET" and bool(code and request.GET.get("key"))
    if request.method == "POST" or scanned:
        form = TrackingForm(request.POST if request.method == "POST" else {"code": code, "key": request.GET["key"]})
        if form.is_valid():
            try:
                count_tracking_attempt(request, form.cleaned_data["code"])
                result = selectors.tracking(form.cleaned_data["code"].strip(), form.cleaned_data["key"])
            except RateLimited:
                limited = True
            except NotFound:
                not_found = True
    else:
        form = TrackingForm(initial={"code": code[:40]})
    status = 429 if limited else 200
    return render(request, "dossiers/tracking.html", {
        "form": form, "result": result, "not_found": not_found, "limited": limited,
        "action": reverse("tracking")}, status=status)
