"""Satisfaction API: a citizen rates a finished ticket; staff read a service point's figures.

The rating endpoint takes no account: the ticket's token in the body is the capability (see
services.py). Answers never carry the ticket's bound ID or phone.
"""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictInt, StrictStr

from motcua.core.api import ErrorOut, authenticated
from motcua.core.errors import NotFound, PermissionDenied

from . import policies, selectors, services
from .models import COMMENT_MAX_LENGTH, Rating

# The tag and the operation ids were published under the app's former name, "feedback": they stay, so
# that clients generated from the schema keep their names.
router = Router(tags=["feedback"])


class RatingIn(Schema):
    token: str = Field(min_length=1, max_length=64, description="The ticket's public token (slip, tablet)")
    score: StrictInt | StrictStr = Field(description="1–5, or a level: “Rất không hài lòng” … “Rất hài lòng”")
    comment: str = Field("", max_length=COMMENT_MAX_LENGTH,
                         description=f"Optional, at most {COMMENT_MAX_LENGTH} characters")


class RatingOut(Schema):
    id: int
    ticket: str
    counter: int
    score: int
    level: str
    satisfied: bool
    comment: str
    created_at: dt.datetime


def rating_out(rating: Rating) -> RatingOut:
    return RatingOut(id=rating.pk, ticket=rating.ticket.number, counter=rating.counter.number, score=rating.score,
                     level=rating.get_score_display(), satisfied=rating.satisfied, comment=rating.comment,
                     created_at=rating.created_at)


@router.post("/tickets/{ticket_id}/rating", auth=None,
             response={201: RatingOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
             summary="Rate a finished ticket (once, within the rating window)",
             operation_id="motcua_feedback_api_rate_ticket")
def rate_ticket(request, ticket_id: int, payload: RatingIn):
    rating = services.rate_ticket(ticket_id, token=payload.token, score=payload.score, comment=payload.comment)
    return Status(201, rating_out(rating))


class LevelOut(Schema):
    score: int
    level: str
    count: int


class FiguresOut(Schema):
    label: str
    levels: list[LevelOut]
    total: int
    satisfied: int
    satisfied_share: float | None
    meets_target: bool | None


class CounterFiguresOut(FiguresOut):
    counter: int | None


class SatisfactionOut(Schema):
    service_point: int
    date: dt.date
    target: float
    total: FiguresOut
    counters: list[CounterFiguresOut]
    officers: list[FiguresOut]


class SatisfactionQuery(Schema):
    date: dt.date | None = None


def _figures(figures, **extra) -> dict:
    return {"label": figures.label, "total": figures.total, "satisfied": figures.satisfied,
            "satisfied_share": None if figures.share is None else round(figures.share, 4),
            "meets_target": figures.meets_target,
            "levels": [{"score": s, "level": name, "count": n} for s, name, n in figures.levels], **extra}


@router.get("/service-points/{point_id}/satisfaction", auth=authenticated,
            response={200: SatisfactionOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
            summary="Satisfaction figures of a day, per counter and per officer (staff)",
            operation_id="motcua_feedback_api_point_satisfaction")
def point_satisfaction(request, point_id: int, filters: Query[SatisfactionQuery]):
    point = selectors.get_point(point_id)
    if point is None:
        raise NotFound(_("Không tìm thấy điểm tiếp nhận."), code="service_point_not_found")
    if not policies.can(request.user, "view_figures", point):
        raise PermissionDenied(_("Chỉ cán bộ, lãnh đạo của chi nhánh và lãnh đạo trung tâm xem được số liệu này."),
                               code="not_branch_staff")
    result = selectors.satisfaction(point, filters.date)
    return {"service_point": point.pk, "date": result.day, "target": result.target,
            "total": _figures(result.total),
            "counters": [_figures(f, counter=f.key) for f in result.counters],
            "officers": [_figures(f) for f in result.officers]}
