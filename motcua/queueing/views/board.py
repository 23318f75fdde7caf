"""The hall's display board and its spoken calls."""

from django.core.cache import cache
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language

from .. import announce, selectors
from ..selectors import LATEST_CALLS
from .common import point_or_404

PANEL_CACHE_SECONDS = 120


def board(request, point_id: int):
    """Full-screen display for the hall's TV; live through server-sent events."""
    point = point_or_404(point_id)
    return render(request, "queueing/board.html", {
        "point": point, "board": selectors.board(point), "speech": announce.speech_available(),
        "latest_size": LATEST_CALLS})


def board_panel(request, point_id: int):
    """The panel; with ?v=<event id>, rendered once for that event and the same for every board."""
    version = request.GET.get("v", "")
    if not version.isdigit() or len(version) > 18:
        point = point_or_404(point_id)
        return render(request, "queueing/board.html#panel", panel_context(point))
    key = f"queue-board-panel:{point_id}:{version}:{get_language()}"
    html = cache.get(key)
    if html is None:
        point = point_or_404(point_id)
        html = render_to_string("queueing/board.html#panel", panel_context(point), request=request)
        cache.set(key, html, PANEL_CACHE_SECONDS)
    return HttpResponse(html)


def panel_context(point) -> dict:
    return {"point": point, "board": selectors.board(point), "latest_size": LATEST_CALLS}


def announcement(request, number: str, counter: str):
    """The spoken call as WAV (404 without espeak-ng: the board then plays its chime)."""
    counter = int(counter)
    if not announce.NUMBER.match(number) or not 0 < counter < 1000:
        raise Http404
    path = announce.announcement_wav(number, counter)
    if path is None:
        raise Http404
    response = FileResponse(path.open("rb"), content_type="audio/wav")
    response["Cache-Control"] = "public, max-age=86400"
    return response
