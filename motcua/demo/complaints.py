"""The demo's complaints and petitions (data/demo/complaints.yaml): a few received, answered and published
over the last weeks, so that the published answers and the staff's inbox show something.

Each is routed and given its deadline by the complaints app's own rules (`route`, `due_at_for`), and what
is published is that app's `public_text`; only the dates are the scenario's. Idempotent (a complaint of
the same author and subject is not added again); removed by `remove_demo_complaints`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from motcua.complaints import services
from motcua.complaints.models import Complaint
from motcua.core import clock, codes

FILE = "complaints.yaml"


@dataclass
class ComplaintsReport:
    created: int = 0
    published: int = 0

    def __str__(self) -> str:
        return gettext("%(created)d (công khai %(published)d)") % {"created": self.created,
                                                                   "published": self.published}


def read_complaints(data_dir: Path) -> list[dict]:
    path = data_dir / "demo" / FILE
    if not path.is_file():
        return []
    return yaml.safe_load(path.read_text(encoding="utf-8")) or []


def _user(username: str | None):
    return get_user_model().objects.filter(username=username).first() if username else None


@transaction.atomic
def load_demo_complaints(data_dir: Path) -> ComplaintsReport:
    """Create the scenario's complaints that do not exist yet."""
    report = ComplaintsReport()
    today = clock.today()
    for position, spec in enumerate(read_complaints(data_dir)):
        if Complaint.objects.filter(name=spec["name"], phone=spec["phone"], subject=spec["subject"]).exists():
            continue
        day = today - dt.timedelta(days=int(spec["days_ago"]))
        received = timezone.make_aware(dt.datetime.combine(day, dt.time(8, 30)) + dt.timedelta(minutes=17 * position))
        kind, reference, agency, branch = services.route(str(spec.get("about", "")))
        complaint = Complaint(
            code=codes.next_complaint_code(day), channel=Complaint.Channel.WEB, subject=spec["subject"],
            content=spec["content"], name=spec["name"], phone=spec["phone"], about=kind, about_reference=reference,
            publish=spec.get("publish", True), agency=agency, branch=branch, received_at=received,
            due_at=services.due_at_for(received))
        state = spec.get("state", "received")
        answered = received
        if state in ("answered", "closed"):
            answered = received + dt.timedelta(days=int(spec.get("answer_days", 1)))
            complaint.answer, complaint.answered_by, complaint.answered_at = (
                spec["answer"], _user(spec.get("answered_by")), answered)
            complaint.status = Complaint.Status.ANSWERED
        if state == "closed":
            approver = _user(spec.get("approved_by"))
            if approver is None:  # the scenario's head is not a demo account here: leave it to approve
                complaint.status = Complaint.Status.ANSWERED
            else:
                complaint.status, complaint.approved_by = Complaint.Status.CLOSED, approver
                closed = complaint.closed_at = answered + dt.timedelta(hours=3)
                if complaint.publish:
                    complaint.published_at = closed
                    complaint.public_subject = services.public_text(complaint.subject, complaint)
                    complaint.public_content = services.public_text(complaint.content, complaint)
                    report.published += 1
                if spec.get("rating"):
                    complaint.rating, complaint.rated_at = int(spec["rating"]), closed + dt.timedelta(days=1)
        complaint.save()
        report.created += 1
    return report


def remove_demo_complaints(data_dir: Path) -> int:
    """Delete the scenario's complaints (matched by author and subject)."""
    removed = 0
    for spec in read_complaints(data_dir):
        _total, by_model = Complaint.objects.filter(name=spec["name"], phone=spec["phone"],
                                                    subject=spec["subject"]).delete()
        removed += by_model.get("complaints.Complaint", 0)
    return removed
