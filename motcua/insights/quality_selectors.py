"""The one-stop quality assessment of resolved dossiers: nine indicators scored 0–2 each, per dossier and averaged.

Each indicator is scored from the center's own records with the rule written beside it (`RULES`); where
the records cannot say (the officer's attitude: ratings belong to queue tickets, not to dossiers), the
indicator has no score and the average leaves it out — it is never invented.

1. Total time against the legal limit — 2 early, 1 on time, 0 late (`deadlines.timeliness`, against
   the first appointment).
2. Time at each step against the step's own limit — 2 every step early, 1 none late, 0 a step late
   (no score when the dossier has no recorded steps).
3. Contacts needed to complete the dossier — 2 none after filing, 1 one supplement, 0 more.
4. Agencies the citizen had to go to — 2: one place, the center (every dossier here was received at
   the one-stop desk or online and its result returned from there).
5. Through the one-stop model — 2: received and returned by the one-stop desk (all dossiers here).
6. Public disclosure of the procedure — 2 its documents, time limit and legal basis all published in
   the catalog, 1 one of them missing, 0 more (fees are not counted: no fee may mean a free procedure).
7. Staff attitude — no score (no rating is tied to a dossier).
8. Handling of feedback about the dossier — 2 none, or every one answered by its due time, 1 answered
   late, 0 one still unanswered past its due time.
9. Online service — 2 filed online, 1 the procedure is offered online but the dossier came to the
   counter, 0 the procedure is not offered online.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure
from motcua.complaints.models import Complaint
from motcua.dossiers.models import Dossier, DossierStep
from motcua.dossiers.services import deadlines

from .policies import Scope
from .selectors import ONLINE_CHANNELS, Period, resolved_in

INDICATORS = (
    ("total_time", _("Thời gian giải quyết so với quy định")),
    ("step_time", _("Thời gian ở từng bước, từng cơ quan")),
    ("contacts", _("Số lần phải liên hệ để hoàn thiện hồ sơ")),
    ("agencies", _("Số cơ quan phải đến")),
    ("one_stop", _("Thực hiện qua bộ phận một cửa")),
    ("disclosure", _("Công khai thủ tục hành chính")),
    ("attitude", _("Thái độ của cán bộ")),
    ("feedback", _("Tiếp thu, xử lý phản ánh, kiến nghị")),
    ("online", _("Cung cấp dịch vụ công trực tuyến")),
)
# How each indicator is scored, as the page explains it.
RULES = {
    "total_time": _("2: trước hạn; 1: đúng hạn; 0: trễ hạn (so với ngày hẹn trả ban đầu)."),
    "step_time": _("2: mọi bước trước hạn; 1: không bước nào trễ; 0: có bước trễ (không chấm khi chưa ghi nhận bước)."),
    "contacts": _("2: không phải bổ sung; 1: bổ sung một lần; 0: nhiều hơn."),
    "agencies": _("2: chỉ đến một nơi, trung tâm (mọi hồ sơ tiếp nhận tại đây)."),
    "one_stop": _("2: tiếp nhận và trả kết quả qua bộ phận một cửa (mọi hồ sơ tại đây)."),
    "disclosure": _("2: công khai đủ thành phần hồ sơ, thời hạn, căn cứ pháp lý; 1: thiếu một; 0: thiếu nhiều hơn."),
    "attitude": _("Chưa chấm: đánh giá hài lòng gắn với số thứ tự, chưa gắn với hồ sơ."),
    "feedback": _("2: không có phản ánh hoặc trả lời đúng hạn; 1: trả lời trễ; 0: quá hạn chưa trả lời."),
    "online": _("2: nộp trực tuyến; 1: thủ tục có trực tuyến nhưng nộp tại quầy; 0: thủ tục chưa có trực tuyến."),
}


def _grade(verdicts: list[str]) -> int:
    """2 all early, 1 none late, 0 one late (the assessment's rule for a time)."""
    if deadlines.LATE in verdicts:
        return 0
    return 2 if all(v == deadlines.EARLY for v in verdicts) else 1


def _disclosure(procedure: Procedure) -> int:
    # Fees are not counted: a procedure without fee rows may be free, and the catalog cannot tell.
    missing = sum((not procedure.documents.all(), procedure.processing_days is None,
                   not procedure.legal_basis.strip()))
    return 2 if missing == 0 else 1 if missing == 1 else 0


def _feedback(complaints: list[Complaint], now: dt.datetime) -> int:
    if any(c.closed_at is None and c.due_at < now for c in complaints):
        return 0
    if any(c.closed_at is not None and c.closed_at > c.due_at for c in complaints):
        return 1
    return 2


def _online(dossier: Dossier) -> int:
    if dossier.channel in ONLINE_CHANNELS:
        return 2
    return 1 if dossier.procedure.online_level != Procedure.OnlineLevel.NONE else 0


@dataclass
class Assessment:
    dossier: Dossier
    scores: dict[str, int | None]

    @property
    def total(self) -> int:
        return sum(s for s in self.scores.values() if s is not None)

    @property
    def maximum(self) -> int:
        return 2 * sum(1 for s in self.scores.values() if s is not None)


def assess(dossiers: list[Dossier], complaints: dict[str, list[Complaint]], now: dt.datetime) -> list[Assessment]:
    """The nine scores of each resolved dossier (prefetched: steps, supplement, the procedure's documents)."""
    assessed = []
    for dossier in dossiers:
        steps = [deadlines.timeliness(s.finished_at, s.due_at) for s in dossier.steps.all() if s.finished_at]
        supplement = getattr(dossier, "supplement", None)
        scores: dict[str, int | None] = {
            "total_time": _grade([deadlines.timeliness(dossier.result_ready_at, dossier.original_due_at or dossier.due_at)]),
            "step_time": _grade(steps) if steps else None,
            "contacts": 2 if supplement is None else 1,
            "agencies": 2,
            "one_stop": 2,
            "disclosure": _disclosure(dossier.procedure),
            "attitude": None,
            "feedback": _feedback(complaints.get(dossier.code, []), now),
            "online": _online(dossier),
        }
        assessed.append(Assessment(dossier, scores))
    return assessed


@dataclass
class QualityRow:
    key: str
    name: str
    dossiers: int = 0
    sums: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, assessment: Assessment) -> None:
        self.dossiers += 1
        for code, score in assessment.scores.items():
            if score is not None:
                self.sums[code] = self.sums.get(code, 0) + score
                self.counts[code] = self.counts.get(code, 0) + 1

    def average(self, code: str) -> float | None:
        return round(self.sums[code] / self.counts[code], 2) if self.counts.get(code) else None

    @property
    def averages(self) -> list[float | None]:
        return [self.average(code) for code, _name in INDICATORS]

    @property
    def total(self) -> float | None:
        """The average total over the indicators that have a score (out of `maximum`)."""
        values = [a for a in self.averages if a is not None]
        return round(sum(values), 2) if values else None

    @property
    def maximum(self) -> int:
        return 2 * sum(1 for a in self.averages if a is not None)


@dataclass
class Quality:
    city: QualityRow
    agencies: list[QualityRow]


def quality(scope: Scope, period: Period) -> Quality:
    """The assessment of the dossiers resolved in the period, in all and per competent agency."""
    dossiers = list(resolved_in(scope, period).select_related("procedure", "competent_agency", "supplement")
                    .prefetch_related(Prefetch("steps", queryset=DossierStep.objects.only(
                        "dossier_id", "due_at", "finished_at")),
                        Prefetch("procedure__documents")))
    # Feedback about dossiers is rare: read it all rather than name thousands of codes in a query.
    complaints: dict[str, list[Complaint]] = {}
    for complaint in Complaint.objects.filter(about=Complaint.About.DOSSIER).only(
            "about_reference", "due_at", "closed_at"):
        complaints.setdefault(complaint.about_reference, []).append(complaint)
    city = QualityRow("", str(_("Tất cả")))
    by_agency: dict[str, QualityRow] = {}
    for assessment in assess(dossiers, complaints, timezone.now()):
        agency = assessment.dossier.competent_agency
        city.add(assessment)
        by_agency.setdefault(agency.code, QualityRow(agency.code, agency.name)).add(assessment)
    rows = sorted(by_agency.values(), key=lambda r: (r.total if r.total is not None else 99, r.name))
    return Quality(city=city, agencies=rows)

