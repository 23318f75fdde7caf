"""The queue API's schemas and how a ticket is shown in them."""

from datetime import datetime

from ninja import Schema

from motcua.org.api import ServicePointCounterOut

from ..models import Lane, Ticket
from ..services import wait_records


class TicketIn(Schema):
    group: str
    national_id: str = ""
    phone: str = ""
    priority: str = ""
    lane: str = Lane.IN_PERSON
    device: str = ""


class TicketOut(Schema):
    id: int
    number: str
    group: str
    group_name: str
    status: str
    lane: str
    priority: str
    source: str | None
    national_id_masked: str
    position: int | None
    estimated_wait_minutes: int | None
    issued_at: datetime
    token: str


class CalledTicketOut(Schema):
    """A ticket as the officer at the counter sees it: the bound ID in full, to check against the card."""

    id: int
    number: str
    group: str
    status: str
    counter: int | None
    lane: str
    priority: str
    priority_confirmed: bool | None
    national_id: str
    phone_masked: str
    flagged: bool
    flag_reason: str
    call_count: int
    called_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None


class CallOut(Schema):
    ticket: CalledTicketOut | None
    message: str


class ActionIn(Schema):
    group: str | None = None
    counter: int | None = None
    identity_matches: bool | None = None
    priority_confirmed: bool | None = None


class CounterStateOut(Schema):
    number: int
    status: str
    ticket: str | None
    serving: bool


class PointCounterOut(ServicePointCounterOut):
    """A counter as planned (org's schema) with its live state."""

    status: str
    ticket: str | None


class CallEntryOut(Schema):
    ticket: str
    counter: int | None
    called_at: datetime


class GroupWaitOut(Schema):
    letter: str
    name: str
    waiting: int
    wait_minutes: int | None


class PointOut(Schema):
    id: int
    name: str


class BoardOut(Schema):
    service_point: PointOut
    counters: list[CounterStateOut]
    latest_calls: list[CallEntryOut]
    groups: list[GroupWaitOut]


def ticket_out(ticket: Ticket) -> TicketOut:
    # A ticket just issued carries the estimate it was issued with (`services.issue_ticket`).
    # Any other reading is a display: recorded and smoothed against the one before (`wait_records`).
    position, wait = getattr(ticket, "issued_estimate", None) or wait_records.displayed_estimate(ticket)
    waiting = ticket.status == Ticket.Status.WAITING
    return TicketOut(id=ticket.pk, number=ticket.number, group=ticket.group.letter, group_name=ticket.group.name,
                     status=ticket.status, lane=ticket.lane, priority=ticket.priority, source=ticket.source,
                     national_id_masked=ticket.masked_national_id or ticket.masked_phone,
                     position=position if waiting else None, estimated_wait_minutes=wait if waiting else None,
                     issued_at=ticket.issued_at, token=ticket.token)


def called_out(ticket: Ticket) -> CalledTicketOut:
    return CalledTicketOut(
        id=ticket.pk, number=ticket.number, group=ticket.group.letter, status=ticket.status,
        counter=ticket.counter.number if ticket.counter else None, lane=ticket.lane, priority=ticket.priority,
        priority_confirmed=ticket.priority_confirmed, national_id=ticket.national_id,
        phone_masked=ticket.masked_phone, flagged=ticket.flagged, flag_reason=ticket.flag_reason,
        call_count=ticket.call_count, called_at=ticket.called_at, started_at=ticket.started_at,
        finished_at=ticket.finished_at)
