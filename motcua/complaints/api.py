"""Complaints API: anyone files one (anonymous JSON, no CSRF token, limited per client); the author follows
it with the code and tracking key, and rates the answer."""

import datetime as dt

from django.conf import settings
from ninja import Field, Router, Schema, Status

from motcua.core.api import ErrorOut
from motcua.core.ratelimit import ClientRateThrottle

from . import services
from .models import CONTENT_MAX_LENGTH, SUBJECT_MAX_LENGTH, Complaint

router = Router(tags=["complaints"])

THROTTLE = [ClientRateThrottle(lambda: settings.MOTCUA_COMPLAINT_RATE, "complaint")]


class ComplaintIn(Schema):
    subject: str = Field(max_length=SUBJECT_MAX_LENGTH * 2)
    content: str = Field(max_length=CONTENT_MAX_LENGTH * 2)
    name: str = Field(max_length=240)
    phone: str = Field(max_length=40)
    email: str | None = Field(None, max_length=254)
    about: str | None = Field(None, max_length=120,
                              description="A procedure code, a dossier code, “quầy 5”, “cán bộ …” or free text")
    publish: bool = Field(True, description="Whether the answer may be published (personal data removed)")


class FiledOut(Schema):
    code: str
    tracking_key: str
    due_at: dt.datetime


class ComplaintOut(Schema):
    code: str
    subject: str
    status: str
    status_label: str
    received_at: dt.datetime
    due_at: dt.datetime
    answer: str | None
    answered_at: dt.datetime | None
    rating: int | None


class AnswerRatingIn(Schema):
    key: str = Field(max_length=20)
    score: int | str


def complaint_out(complaint: Complaint) -> dict:
    closed = complaint.status == Complaint.Status.CLOSED
    return {"code": complaint.code, "subject": complaint.subject, "status": complaint.status,
            "status_label": str(complaint.get_status_display()), "received_at": complaint.received_at,
            "due_at": complaint.due_at, "answer": complaint.answer if closed else None,
            "answered_at": complaint.closed_at if closed else None, "rating": complaint.rating}


@router.post("/complaints", auth=None, throttle=THROTTLE,
             response={201: FiledOut, 422: ErrorOut, 429: ErrorOut},
             summary="File a complaint or petition (phản ánh, kiến nghị)")
def file_complaint(request, payload: ComplaintIn):
    complaint = services.file_complaint(subject=payload.subject, content=payload.content, name=payload.name,
                                        phone=payload.phone, email=payload.email or "", about=payload.about or "",
                                        publish=payload.publish, channel=Complaint.Channel.API)
    return Status(201, {"code": complaint.code, "tracking_key": complaint.printed_tracking_key,
                        "due_at": complaint.due_at})


@router.get("/complaints/{code}", auth=None, throttle=THROTTLE, response={200: ComplaintOut, 404: ErrorOut, 429: ErrorOut},
            summary="A complaint's progress and approved answer, for whoever holds its tracking key")
def track_complaint(request, code: str, key: str = ""):
    return complaint_out(services.find_for_author(code, key))


@router.post("/complaints/{code}/rating", auth=None, throttle=THROTTLE,
             response={200: ComplaintOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut},
             summary="The author rates the answer (1–5, once)")
def rate_answer(request, code: str, payload: AnswerRatingIn):
    return complaint_out(services.rate_answer(code, payload.key, payload.score))
