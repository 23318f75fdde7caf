"""Satisfaction pages: the counter's tablet (citizens rate) and the staff figures of a service point.

The tablet has no user session of its own. It is paired with one counter once: an officer of the
branch signs in on the tablet, opens the counter's rating page and presses "Ghép nối thiết bị này";
the tablet is then a registered device (queueing.Device, the same pairing as the kiosk's, see
queueing/pairing.py) until it is revoked, and the officer may sign out. Only a paired tablet (or a
signed-in officer of the branch) sees the finished ticket and its token, which the rating needs.
"""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.queueing import pairing

from . import policies, selectors, services
from .models import COMMENT_MAX_LENGTH, Level

THANKS_SECONDS = 6

FACES = {1: "M11 23 Q16 17 21 23", 2: "M11 22 Q16 19 21 22", 3: "M11 21 L21 21", 4: "M11 20 Q16 24 21 20",
         5: "M10 19 Q16 26 22 19"}


def _tablet_counter(request, counter_id: int):
    counter = selectors.get_counter(counter_id)
    if counter is None:
        raise Http404
    officer = policies.can(request.user, "open_tablet", counter.service_point)
    device = pairing.paired_device(request, kind=pairing.TABLET, counter=counter)
    return counter, officer, device, officer or device is not None


def _levels():
    return [(level.value, level.label, FACES[level.value]) for level in Level]


def _panel_context(counter, error=None) -> dict:
    ticket = selectors.pending_ticket(counter)
    officer = selectors.counter_officer(counter) or (ticket.served_by if ticket else None)
    return {"counter": counter, "ticket": ticket, "officer_name": selectors.officer_name(officer),
            "levels": _levels(), "error": error, "comment_max": COMMENT_MAX_LENGTH}


def tablet(request, counter_id: int):
    """The counter's rating tablet: waits for a finished service, offers the five levels, thanks, resets."""
    counter, officer, device, allowed = _tablet_counter(request, counter_id)
    if not allowed:
        return render(request, "ratings/tablet_unpaired.html", {"counter": counter}, status=403)
    return render(request, "ratings/tablet.html", {
        **_panel_context(counter), "officer": officer, "device": device,
        "pairing": {"kind": pairing.TABLET, "target": counter.pk}})


def tablet_panel(request, counter_id: int):
    """The tablet's panel; 204 (no swap) while the ticket on screen is still the one to rate."""
    counter, _officer, _device, allowed = _tablet_counter(request, counter_id)
    if not allowed:
        return HttpResponse(status=403)
    context = _panel_context(counter)
    showing = request.GET.get("showing", "")
    if showing and context["ticket"] is not None and showing == str(context["ticket"].pk):
        return HttpResponse(status=204)
    return render(request, "ratings/tablet.html#panel", {**context, "oob": True})


@require_POST
def tablet_rate(request, counter_id: int):
    """The citizen's choice on the tablet (HTMX, or a plain form post)."""
    counter, _officer, _device, allowed = _tablet_counter(request, counter_id)
    if not allowed:
        return HttpResponse(status=403)
    ticket_id = request.POST.get("ticket", "")
    htmx = bool(request.headers.get("HX-Request"))
    template = "ratings/tablet.html#panel" if htmx else "ratings/tablet.html"
    try:
        if not request.POST.get("score"):
            raise DomainError(_("Vui lòng chọn một mức đánh giá."), code="score_required")
        ticket = selectors.pending_ticket(counter)
        if ticket is None or str(ticket.pk) != ticket_id:
            raise DomainError(_("Lượt phục vụ này không còn chờ đánh giá; màn hình đã được cập nhật."),
                              code="stale_tablet")
        services.rate_ticket(ticket.pk, token=request.POST.get("token", ""), score=request.POST.get("score"),
                             comment=request.POST.get("comment", ""))
    except DomainError as exc:
        return render(request, template, {**_panel_context(counter, error=exc), "oob": htmx})
    return render(request, template, {**_panel_context(counter), "thanks": True, "thanks_seconds": THANKS_SECONDS,
                                      "oob": htmx})


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else timezone.localdate(clock.now())
    except ValueError:
        return timezone.localdate(clock.now())


@login_required
def point_figures(request, point_id: int):
    """Staff page: the day's satisfaction per counter and per officer against the 95% target."""
    point = selectors.get_point(point_id)
    if point is None:
        raise Http404
    if not policies.can(request.user, "view_figures", point):
        return render(request, "ratings/forbidden.html", status=403)
    day = _day(request.GET.get("date", ""))
    context = {"point": point, "result": selectors.satisfaction(point, day),
               "comments": selectors.latest_comments(point, day), "target_percent": int(selectors.TARGET * 100),
               "is_today": day == timezone.localdate(clock.now())}
    template = "ratings/figures.html#figures" if request.headers.get("HX-Request") else "ratings/figures.html"
    return render(request, template, context)
