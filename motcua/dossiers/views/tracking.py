"""Public tracking of a dossier by its code and key."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse

from motcua.core.errors import NotFound, RateLimited

from .. import selectors
from ..api import count_tracking_attempt
from ..forms import TrackingForm


def _result_download(code: str, key: str) -> str:
    """The signed result's download link (with the key) once the result is released and signed, else ""."""
    from motcua.signing import selectors as signing_selectors  # same layer: its selectors only

    if not signing_selectors.released_result(code):
        return ""
    return f"{reverse('signing:result-download', args=[code])}?{urlencode({'key': key})}"


def tracking(request, code: str = ""):
    """No login: the code and the tracking key give the public view (the API's selector and rate limit).

    The QR code of slip 01 opens `/tracking/<code>/?key=<key>`: the lookup runs at once.
    """
    result, not_found, limited, download = None, False, False, ""
    scanned = request.method == "GET" and bool(code and request.GET.get("key"))
    if request.method == "POST" or scanned:
        form = TrackingForm(request.POST if request.method == "POST" else {"code": code, "key": request.GET["key"]})
        if form.is_valid():
            try:
                count_tracking_attempt(request, form.cleaned_data["code"])
                result = selectors.tracking(form.cleaned_data["code"].strip(), form.cleaned_data["key"])
                download = _result_download(result["code"], form.cleaned_data["key"])
            except RateLimited:
                limited = True
            except NotFound:
                not_found = True
    else:
        form = TrackingForm(initial={"code": code[:40]})
    status = 429 if limited else 200
    return render(request, "dossiers/tracking.html", {
        "form": form, "result": result, "not_found": not_found, "limited": limited, "result_download": download,
        "action": reverse("tracking")}, status=status)
