"""The hall's display board and its spoken calls."""

from django.http import FileResponse, Http404
from django.shortcuts import render

from .. import announce, selectors
from .common import point_or_404


def board(request, point_id: int):
    """Full-screen display for the hall's TV; live through server-sent events."""
    point = point_or_404(point_id)
    return render(request, "queueing/board.html", {
        "point": point, "board": selectors.board(point), "speech": announce.speech_available()})


def board_panel(request, point_id: int):
    point = point_or_404(point_id)
    return render(request, "queueing/board.html#panel", {"point": point, "board": selectors.board(point)})


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
