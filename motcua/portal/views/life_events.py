"""Life events: the public guide, and the citizen's own view of what they have and what to file next."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from .. import policies
from ..selectors import life_events as selectors
from .wallet import citizen_page


def life_events(request):
    """Every life event with its procedures (public)."""
    return render(request, "portal/life_events.html", {"events": selectors.life_events()})


def life_event(request, code: str):
    """One life event: its procedures in order; for a logged-in citizen, what they already have."""
    event = selectors.life_event(code)
    if event is None:
        raise Http404
    person = policies.person_of(request.user) if policies.can(request.user, policies.USE_WALLET) else None
    steps = selectors.statuses(request.user, person, event) if person is not None else None
    return render(
        request, "portal/life_event.html", {"event": event, "steps": steps, "mine": person is not None}
    )


@citizen_page
def my_life_events(request):
    """The citizen's page: each life event with, per procedure, done, in progress or to file next."""
    events = [
        (event, selectors.statuses(request.user, request.person, event)) for event in selectors.life_events()
    ]
    return render(request, "portal/my_life_events.html", {"events": events})
