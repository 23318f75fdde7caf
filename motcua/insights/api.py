"""Leaders' figures: the Decision 766 service index of a period and scope."""

from ninja import Field, Query, Router, Schema

from motcua.core.api import ErrorOut, authenticated

from . import map_selectors, selectors

router = Router(tags=["insights"])


class ServiceIndexIndicatorOut(Schema):
    code: str
    name: str
    max: float
    score: float | None
    value: float | None
    numerator: int | None
    denominator: int | None
    formula: str
    reason: str
    dossiers_url: str | None


class ServiceIndexGroupOut(Schema):
    code: str
    name: str
    max: float
    score: float | None
    indicators: list[ServiceIndexIndicatorOut]


class ServiceIndexOut(Schema):
    total: float
    max_computed: float
    scope: str
    scope_code: str | None
    period_from: str
    period_to: str
    groups: list[ServiceIndexGroupOut]


def index_out(index: selectors.ServiceIndex) -> dict:
    """The index as the API and the page's export give it."""
    scope_code = (index.scope.branch.code if index.scope.branch else
                  index.scope.agency.code if index.scope.agency else None)
    return {
        "total": index.total, "max_computed": index.max_computed, "scope": index.scope.kind,
        "scope_code": scope_code,
        "period_from": index.period.start.isoformat(), "period_to": index.period.end.isoformat(),
        "groups": [{"code": g.code, "name": g.name, "max": g.max, "score": g.score, "indicators": [
            {"code": i.code, "name": i.name, "max": i.max, "score": i.score, "value": i.value,
             "numerator": i.numerator, "denominator": i.denominator, "formula": i.formula, "reason": i.reason,
             "dossiers_url": selectors.behind_url(index.scope, index.period, i.code) if i.dossiers else None}
            for i in g.indicators]} for g in index.groups],
    }


class ServiceIndexQuery(Schema):
    # Declared for the schema; read from the query string as given (`from` is a Python keyword).
    period_from: str | None = Field(None, alias="from", description="YYYY-MM-DD (default: the month's first day)")
    period_to: str | None = Field(None, alias="to", description="YYYY-MM-DD, inclusive (default: today)")
    branch: str | None = None
    agency: str | None = None


@router.get("/insights/service-index", auth=authenticated,
            response={200: ServiceIndexOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
            summary="The Decision 766 service index of a period (from, to: YYYY-MM-DD) and a scope "
                    "(the city, or branch=code, or agency=code)",
            operation_id="motcua_insights_api_service_index")
def service_index(request, filters: Query[ServiceIndexQuery]):
    return index_out(selectors.read_index(request.user, request.GET))


class MapGroupOut(Schema):
    letter: str
    name: str
    waiting: int
    open_counters: int
    wait_minutes: int | None = Field(description="estimated wait of a ticket taken now; null: no counter open")


class MapPointOut(Schema):
    id: int
    code: str
    name: str
    branch: str
    address: str
    latitude: float | None
    longitude: float | None
    hours: list[str] = Field(description='working periods, e.g. ["08:00–12:00", "13:00–17:00"]')
    groups: list[MapGroupOut]
    satisfaction_percent: float | None = Field(description="share of ratings at levels 4–5, last 30 days")
    ratings: int
    booking_url: str


class ServiceMapOut(Schema):
    at: str
    satisfaction_from: str
    satisfaction_to: str
    points: list[MapPointOut]


def map_out(service_map: map_selectors.ServiceMap) -> dict:
    """The map as the API gives it: numbers only."""
    return {
        "at": service_map.at.isoformat(), "satisfaction_from": service_map.satisfaction_since.isoformat(),
        "satisfaction_to": service_map.satisfaction_until.isoformat(),
        "points": [{
            "id": p.point.pk, "code": p.point.code, "name": p.point.name, "branch": p.point.branch.name,
            "address": p.point.address, "latitude": p.latitude, "longitude": p.longitude,
            "hours": [f"{start:%H:%M}–{end:%H:%M}" for start, end in p.hours],
            "groups": [{"letter": g.group.letter, "name": g.group.name, "waiting": g.waiting,
                        "open_counters": g.open_counters, "wait_minutes": g.wait_minutes} for g in p.groups],
            "satisfaction_percent": p.satisfaction.share_percent if p.satisfaction else None,
            "ratings": p.satisfaction.total if p.satisfaction else 0,
            "booking_url": p.booking_url,
        } for p in service_map.points],
    }


@router.get("/insights/service-map", auth=None, response={200: ServiceMapOut},
            summary="Public: every service point with its place, hours, estimated waits now and satisfaction",
            operation_id="motcua_insights_api_service_map")
def service_map(request):
    return map_out(map_selectors.service_map())
