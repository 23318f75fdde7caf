"""Read queries over complaints: the published answers (searchable), the staff's inbox, the figures."""

from __future__ import annotations

from django.db.models import Case, Count, F, Q, QuerySet, When

from motcua.core.text import tokens

from . import policies
from .models import Complaint


def words_of(text: str) -> list[str]:
    return [token for token in tokens(text) if "_" not in token]


def published(q: str = "") -> list[Complaint]:
    """Published answers, newest first; `q` matches subject, question or answer, diacritics ignored."""
    items = list(Complaint.objects.filter(published_at__isnull=False).select_related("agency", "branch")
                 .order_by("-published_at")[:500])
    phrase = " ".join(words_of(q))
    if not phrase:
        return items
    # The query as a phrase of whole words: "so do" is "sổ đỏ", not "hồ sơ" and "độ" apart.
    return [c for c in items
            if f" {phrase} " in f" {' '.join(words_of(f'{c.public_subject} {c.public_content} {c.answer}'))} "]


def for_notice(code: str) -> Complaint | None:
    """A complaint by code for the author's notification (no permission check: a job's read)."""
    return Complaint.objects.filter(code=code).first()


def get_published(code: str) -> Complaint | None:
    return (Complaint.objects.filter(code=code, published_at__isnull=False).select_related("agency", "branch")
            .first())


INBOX_SIZE = 200


def inbox(user) -> list[Complaint]:
    """The complaints the user answers or approves, open first, by due date (the first INBOX_SIZE)."""
    closed = Case(When(status=Complaint.Status.CLOSED, then=1), default=0)
    return list(Complaint.objects.filter(policies.seen_by(user)).select_related("agency", "branch")
                .order_by(closed, "due_at")[:INBOX_SIZE])


def get_for_staff(user, code: str) -> Complaint | None:
    complaint = Complaint.objects.select_related("agency", "branch").filter(code=code).first()
    return complaint if complaint is not None and policies.can(user, "view", complaint) else None


def counts_by_agency() -> QuerySet:
    """For the dashboard: per answering agency, how many complaints, answered, answered on time."""
    return (Complaint.objects.values("agency__short_name")
            .annotate(total=Count("id"), closed=Count("id", filter=Q(status=Complaint.Status.CLOSED)),
                      answered_on_time=Count("id", filter=Q(status=Complaint.Status.CLOSED, closed_at__lte=F("due_at"))))
            .order_by("agency__short_name"))
