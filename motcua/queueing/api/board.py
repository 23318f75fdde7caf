"""What the hall shows: the board, the counters' live state and the board's server-sent events."""

from ninja import Router

from motcua.core import events
from motcua.core.api import ErrorOut

from .. import live, selectors
from .common import find_point
from .schemas import BoardOut, PointCounterOut

# Operation ids as published before the API became a package: clients generated from the schema keep
# their names.
router = Router()

# The board also changes with time alone (the wait estimates): a shared answer lives this long at most.
BOARD_SECONDS = 5.0


@router.get("/service-points/{point_id}/board", response={200: BoardOut, 404: ErrorOut}, auth=None,
            summary="What the hall's display shows (numbers only)",
            operation_id="motcua_queueing_api_board")
def board(request, point_id: int):
    """Computed once per change of the hall (its events) and shared by every board that asks."""
    point = find_point(point_id)
    return events.shared(live.channel(point.pk), "board", lambda: selectors.board(point), seconds=BOARD_SECONDS)


@router.get("/service-points/{point_id}/counters", response={200: list[PointCounterOut], 404: ErrorOut}, auth=None,
            summary="The counters of a service point: id (for call-next), role, groups, lanes and live state",
            operation_id="motcua_queueing_api_point_counters")
def point_counters(request, point_id: int):
    return selectors.counters_with_state(find_point(point_id))


@router.get("/service-points/{point_id}/events", auth=None, response={200: None, 404: ErrorOut},
            url_name="queue-board-events",
            summary="Server-sent events: call, change (resume with Last-Event-ID)",
            operation_id="motcua_queueing_api_board_events")
def board_events(request, point_id: int):
    return events.sse_response(live.channel(find_point(point_id).pk), request)
