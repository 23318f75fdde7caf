"""Rating a finished service: one rating per ticket, by whoever holds the ticket's token.

Who may rate: the ticket's public token (printed on the slip as part of its address, and shown to the
counter's paired tablet) is the capability. The tablet has no user session; a caller who does not
hold the token cannot rate a ticket, whatever its id. One rating per ticket is guaranteed by the
database (a unique ticket column): of two simultaneous submissions exactly one is stored, the other
gets `already_rated`.

Ratings are not written to the audit log: they change nobody's treatment, and auditing each one
would serialise every counter on the audit chain. The row itself records when it was made.
"""

import logging
import unicodedata
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _

from motcua.core import clock, events
from motcua.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from motcua.queueing import selectors as queue_selectors

from .models import COMMENT_MAX_LENGTH, Level, Rating

if TYPE_CHECKING:
    from motcua.queueing.models import Ticket

logger = logging.getLogger(__name__)

DEFAULT_WINDOW_MINUTES = 30


class AlreadyRated(Conflict):
    code = "already_rated"
    default_message = _("Lượt phục vụ này đã được đánh giá. Mỗi số thứ tự chỉ được đánh giá một lần. "
                        "Xin cảm ơn quý khách!")


class TicketNotFinished(Conflict):
    code = "ticket_not_finished"
    default_message = _("Chỉ đánh giá được khi cán bộ đã kết thúc phục vụ số thứ tự này.")


class RatingWindowClosed(Conflict):
    code = "rating_window_closed"
    default_message = _("Đã quá thời gian đánh giá cho lượt phục vụ này.")


class TicketNotFound(NotFound):
    code = "ticket_not_found"
    default_message = _("Không tìm thấy số thứ tự.")


class InvalidRatingToken(PermissionDenied):
    code = "rating_token_invalid"
    default_message = _("Mã đánh giá không đúng với số thứ tự này.")


def rating_window() -> timedelta:
    """How long after the service ended a citizen may still rate it (setting MOTCUA["RATING_WINDOW_MINUTES"])."""
    minutes = getattr(settings, "MOTCUA", {}).get("RATING_WINDOW_MINUTES", DEFAULT_WINDOW_MINUTES)
    return timedelta(minutes=int(minutes))


def channel(service_point_id: int) -> str:
    """Live channel of a service point's satisfaction figures (payloads: counter number and score only).

    The channel keeps its published name ("feedback:…"): live clients subscribe to it.
    """
    return f"feedback:{service_point_id}"


def _simplify(text: str) -> str:
    text = unicodedata.normalize("NFC", text).strip().casefold()
    return " ".join(text.replace("_", " ").replace("-", " ").split())


_LEVEL_NAMES = {_simplify(str(level.value)): level for level in Level}
_LEVEL_NAMES |= {_simplify(level.name): level for level in Level}


def parse_score(value) -> Level:
    """1–5 (number or digit string), a level's Vietnamese name ("Hài lòng") or its code ("satisfied")."""
    level = None
    if isinstance(value, int) and not isinstance(value, bool):
        level = Level(value) if value in Level.values else None
    elif isinstance(value, str):
        key = _simplify(value)
        level = _LEVEL_NAMES.get(key)
        if level is None:
            # Labels are compared in Vietnamese whatever the request's language.
            level = next((lv for lv in Level if _simplify(_vietnamese_label(lv)) == key), None)
    if level is None:
        raise ValidationFailed(_("Mức độ hài lòng phải là số từ 1 đến 5 hoặc tên một mức đánh giá."),
                               code="invalid_score", details={"field": "score"})
    return level


def _vietnamese_label(level: Level) -> str:
    from django.utils import translation

    with translation.override("vi"):
        return str(level.label)


def clean_comment(value) -> str:
    """The comment as stored: a string, control characters dropped, at most COMMENT_MAX_LENGTH characters."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationFailed(_("Góp ý phải là văn bản."), code="invalid_comment", details={"field": "comment"})
    text = "".join(ch for ch in unicodedata.normalize("NFC", value)
                   if ch in "\n\t" or unicodedata.category(ch)[0] != "C").strip()
    if len(text) > COMMENT_MAX_LENGTH:
        raise ValidationFailed(
            _("Góp ý dài tối đa %(limit)d ký tự.") % {"limit": COMMENT_MAX_LENGTH}, code="comment_too_long",
            details={"field": "comment", "max_length": COMMENT_MAX_LENGTH})
    return text


def ensure_ratable(ticket: "Ticket", now=None) -> None:
    """Raise unless `ticket` is finished, within the rating window and not rated yet."""
    now = now or clock.now()
    if not queue_selectors.service_finished(ticket):
        raise TicketNotFinished(details={"status": ticket.status})
    if now - ticket.finished_at > rating_window():
        raise RatingWindowClosed(details={"window_minutes": int(rating_window().total_seconds() // 60)})
    if Rating.objects.filter(ticket=ticket).exists():
        raise AlreadyRated()


def rate_ticket(ticket_id: int, *, token: str, score, comment="") -> Rating:
    """Store the citizen's rating of a finished ticket; exactly one rating per ticket."""
    level = parse_score(score)
    text = clean_comment(comment)
    ticket = queue_selectors.get_ticket(ticket_id) if isinstance(ticket_id, int) else None
    if ticket is None:
        raise TicketNotFound()
    if not isinstance(token, str) or not token or not constant_time_compare(token, ticket.token):
        raise InvalidRatingToken()
    now = clock.now()
    ensure_ratable(ticket, now)
    # ensure_ratable has held the service finished at a counter (queue_selectors.service_finished).
    assert ticket.counter is not None and ticket.finished_at is not None
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                ticket=ticket, service_point_id=ticket.service_point_id, counter=ticket.counter,
                officer_id=ticket.served_by_id, day=timezone.localdate(ticket.finished_at), score=level.value,
                comment=text, created_at=now)
            events.publish(channel(ticket.service_point_id), "rating",
                           {"counter": ticket.counter.number, "score": level.value})
    except IntegrityError:
        # The unique ticket column: someone else's submission for this ticket committed first.
        raise AlreadyRated() from None
    logger.info("ticket %s rated %s at counter %s", ticket.pk, level.value, ticket.counter_id)
    return rating
