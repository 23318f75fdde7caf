"""Recording the wait estimates a ticket is shown, so that they can be judged on its real wait.

One insert per showing: at issue (inside the issuing transaction) and at each later display of a
waiting ticket (the slip, `GET /api/tickets/by-token/{token}`), at most one a minute per ticket; a display
within the minute shows the estimate last recorded. A later display is smoothed against the one
before (`estimates.smoothed`): what a citizen reads does not swing from one look to the next.
"""

import datetime as dt

from motcua.core import clock

from .. import estimates, selectors
from ..models import Ticket, WaitEstimate

# A page reloaded again and again records one display a minute, not one a reload.
MIN_DISPLAY_INTERVAL = dt.timedelta(minutes=1)


def record_issue(ticket: Ticket, figures: selectors.TicketEstimate, now: dt.datetime) -> WaitEstimate:
    return WaitEstimate.objects.create(
        ticket=ticket,
        moment=WaitEstimate.Moment.ISSUE,
        shown_at=now,
        position=figures.position,
        minutes=figures.minutes,
        naive_minutes=figures.naive_minutes,
    )


def displayed_estimate(ticket: Ticket) -> tuple[int, int | None]:
    """(position, wait) to show for `ticket` now, recorded as a display while the ticket waits."""
    figures = selectors.ticket_estimate_figures(ticket)
    if ticket.status != Ticket.Status.WAITING or ticket.pk is None:
        return figures.position, figures.minutes
    now = clock.now()
    last = selectors.last_wait_estimate(ticket)
    if last is not None and now - last.shown_at < MIN_DISPLAY_INTERVAL:
        return figures.position, last.minutes if last.minutes is not None else figures.minutes
    elapsed = (now - last.shown_at).total_seconds() / 60 if last is not None else 0.0
    shown = estimates.smoothed(last.minutes if last is not None else None, elapsed, figures.minutes)
    WaitEstimate.objects.create(
        ticket=ticket,
        moment=WaitEstimate.Moment.DISPLAY,
        shown_at=now,
        position=figures.position,
        minutes=shown,
        naive_minutes=figures.naive_minutes,
    )
    return figures.position, shown
