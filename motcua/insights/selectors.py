"""The Decision 766/QĐ-TTg service index computed from the center's own records.

Five groups of indicators, 100 points in all: transparency 18, progress and results 20, digitisation 22,
online services 22, satisfaction 18. Each indicator is a share `numerator / denominator` over a period
and a scope (the city, a branch, an agency) scored linearly on its maximum (`max × share`), with its
formula in Vietnamese. An indicator that needs data this system does not hold (the procedures'
publication dates, online payments, citizens' complaints) has no score and says why; the total adds
the scores that could be computed. docs/dashboard.md lists the indicators and how each is modelled.

Dossier counts are single aggregate queries over the period, served by the indexes on the reception
and result times; whether a resolved dossier was early, on time or late is the dossiers' own rule
(`deadlines.timeliness`), applied to the period's resolved dossiers only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure
from motcua.core import clock
from motcua.core.errors import NotFound, PermissionDenied, ValidationFailed
from motcua.dossiers.models import Channel, Dossier, DossierDocument, State
from motcua.dossiers.services import deadlines
from motcua.org.models import Agency, Branch
from motcua.ratings.models import SATISFIED_FROM, Rating

from .policies import AGENCY, BRANCH, CITY, Scope, can

MAX_PERIOD_DAYS = 366
ONLINE_CHANNELS = (Channel.ONLINE, Channel.NATIONAL_PORTAL)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    @property
    def since(self) -> dt.datetime:
        return dt.datetime.combine(self.start, dt.time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))

    @property
    def until(self) -> dt.datetime:
        return dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))

    def query(self) -> dict[str, str]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}


def parse_period(start: str | None, end: str | None, today: dt.date) -> Period:
    """The period of `from`/`to` (YYYY-MM-DD, both inclusive); the current month to today when absent."""
    def parse(value: str | None, name: str) -> dt.date | None:
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValidationFailed(_("Ngày không hợp lệ: dùng dạng YYYY-MM-DD."), code="invalid_date",
                                   details={"field": name}) from None
    first, last = parse(start, "from"), parse(end, "to")
    last = last or today
    first = first or last.replace(day=1)
    if first > last:
        raise ValidationFailed(_("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc."), code="invalid_period",
                               details={"from": first.isoformat(), "to": last.isoformat()})
    if (last - first).days >= MAX_PERIOD_DAYS:
        raise ValidationFailed(_("Kỳ xem tối đa 366 ngày."), code="period_too_long",
                               details={"max_days": MAX_PERIOD_DAYS})
    return Period(first, last)


def parse_scope(branch: str | None, agency: str | None) -> Scope:
    """The scope named by a branch code or an agency code (not both); the city when neither."""
    if branch and agency:
        raise ValidationFailed(_("Chỉ chọn một chi nhánh hoặc một cơ quan."), code="scope_ambiguous")
    if branch:
        found = Branch.objects.filter(code=branch).first()
        if found is None:
            raise NotFound(_("Không tìm thấy chi nhánh."), code="branch_not_found")
        return Scope(BRANCH, branch=found)
    if agency:
        found_agency = Agency.objects.filter(code=agency).first()
        if found_agency is None:
            raise NotFound(_("Không tìm thấy cơ quan."), code="agency_not_found")
        return Scope(AGENCY, agency=found_agency)
    return Scope(CITY)


# --- the dossier sets the indicators count -----------------------------------------------------------

def scoped_dossiers(scope: Scope) -> QuerySet[Dossier]:
    dossiers = Dossier.objects.all()
    if scope.kind == BRANCH:
        return dossiers.filter(branch=scope.branch)
    if scope.kind == AGENCY:
        return dossiers.filter(competent_agency=scope.agency)
    return dossiers


def received_in(scope: Scope, period: Period) -> QuerySet[Dossier]:
    """Dossiers received in the period (index on the reception time, with the branch or agency)."""
    return scoped_dossiers(scope).filter(received_at__gte=period.since, received_at__lt=period.until)


def resolved_in(scope: Scope, period: Period) -> QuerySet[Dossier]:
    """Dossiers that got their result (or the refusal) in the period."""
    return scoped_dossiers(scope).filter(result_ready_at__gte=period.since, result_ready_at__lt=period.until)


def verdicts(scope: Scope, period: Period) -> dict[int, str]:
    """Each resolved dossier's timeliness against its first appointment (an apology does not make it on time)."""
    rows = (resolved_in(scope, period).annotate(first_due=Coalesce("original_due_at", "due_at"))
            .values_list("pk", "result_ready_at", "first_due"))
    return {pk: deadlines.timeliness(finished, due) for pk, finished, due in rows}


def _paper_documents():
    """A document still on paper: shown at the counter or listed with no file and not read from the registry."""
    return DossierDocument.objects.filter(dossier=OuterRef("pk"), file="").exclude(
        source=DossierDocument.Source.REGISTRY)


def _satisfaction_ratings(scope: Scope, period: Period) -> QuerySet[Rating]:
    ratings = Rating.objects.filter(day__gte=period.start, day__lte=period.end)
    if scope.kind == BRANCH:
        return ratings.filter(service_point__branch=scope.branch)
    if scope.kind == AGENCY:
        return ratings.filter(counter__agency=scope.agency)
    return ratings


def _procedures(scope: Scope) -> QuerySet[Procedure]:
    procedures = Procedure.objects.filter(is_active=True, status=Procedure.Status.OPERATIONAL)
    if scope.kind == AGENCY:
        return procedures.filter(agency=scope.agency)
    return procedures


# --- indicators ----------------------------------------------------------------------------------------

@dataclass
class Indicator:
    code: str
    name: str
    max: float
    formula: str
    numerator: int | None = None
    denominator: int | None = None
    reason: str = ""  # why there is no score
    dossiers: bool = False  # whether the drill-down lists the dossiers behind the figures

    @property
    def value(self) -> float | None:
        """The share in percent (two decimals), None without a denominator."""
        if self.numerator is None or not self.denominator:
            return None
        return round(100 * self.numerator / self.denominator, 2)

    @property
    def score(self) -> float | None:
        if self.numerator is None or not self.denominator:
            return None
        return round(self.max * self.numerator / self.denominator, 2)


@dataclass
class Group:
    code: str
    name: str
    max: float
    indicators: list[Indicator] = field(default_factory=list)

    @property
    def score(self) -> float | None:
        scores = [i.score for i in self.indicators if i.score is not None]
        return round(sum(scores), 2) if scores else None


@dataclass
class ServiceIndex:
    scope: Scope
    period: Period
    groups: list[Group]

    @property
    def total(self) -> float:
        return round(sum(g.score or 0 for g in self.groups), 2)

    @property
    def max_computed(self) -> float:
        """The points of the indicators that could be scored (what `total` is out of)."""
        return sum(i.max for g in self.groups for i in g.indicators if i.score is not None)


NOT_HELD_PUBLICATION = _("Cần ngày công bố và ngày công khai của từng thủ tục (Cơ sở dữ liệu quốc gia về TTHC): "
                         "hệ thống chưa lưu.")
NOT_HELD_SYNC = _("Cần xác nhận của Cổng Dịch vụ công quốc gia cho từng hồ sơ đã đồng bộ: hệ thống chưa lưu "
                  "xác nhận theo hồ sơ.")
NOT_HELD_PAYMENT = _("Cần dữ liệu thanh toán trực tuyến phí, lệ phí: hệ thống chưa có thanh toán trực tuyến.")
NOT_HELD_COMPLAINTS = _("Cần dữ liệu phản ánh, kiến nghị: hệ thống chưa tiếp nhận phản ánh, kiến nghị.")
NOT_HELD_AGENCY_RATINGS = _("Đánh giá được ghi theo quầy; quầy chưa gắn với cơ quan này.")


def _counts(queryset: QuerySet[Dossier], **conditions: Q) -> dict[str, int]:
    """Several counts of one dossier set in one aggregate query."""
    return queryset.aggregate(total=Count("pk"), **{name: Count("pk", filter=q) for name, q in conditions.items()})


def service_index(scope: Scope, period: Period) -> ServiceIndex:
    """The index of `scope` over `period` (who may read it is the caller's policy check)."""
    received = _counts(
        received_in(scope, period),
        online=Q(channel__in=ONLINE_CHANNELS),
        digitised=~Q(Exists(_paper_documents())),
        persons=Q(applicant_kind="person"),
        reused=Q(applicant_kind="person", registry_used=True),
    )
    resolved = _counts(resolved_in(scope, period), results=~Q(state=State.REFUSED),
                       electronic=~Q(state=State.REFUSED) & ~Q(result_file=""))
    verdict = verdicts(scope, period)
    on_time = sum(1 for v in verdict.values() if v in (deadlines.EARLY, deadlines.ON_TIME))
    late_ids = [pk for pk, v in verdict.items() if v == deadlines.LATE]
    late_with_apology = Dossier.objects.filter(pk__in=late_ids, original_due_at__isnull=False).count() if late_ids else 0
    procedures = _procedures(scope).aggregate(total=Count("pk"),
                                              full=Count("pk", filter=Q(online_level=Procedure.OnlineLevel.FULL)))
    ratings = _satisfaction_ratings(scope, period).aggregate(
        total=Count("pk"), satisfied=Count("pk", filter=Q(score__gte=SATISFIED_FROM)))

    def of(numerator: int, denominator: int) -> dict:
        return {"numerator": numerator, "denominator": denominator}

    groups = [
        Group("transparency", str(_("Công khai, minh bạch")), 18, [
            Indicator("1.1", str(_("Tỷ lệ thủ tục hành chính được cập nhật, công khai đúng hạn")), 4,
                      str(_("Số TTHC công khai đúng hạn / Tổng số TTHC phải công khai × 100%")),
                      reason=str(NOT_HELD_PUBLICATION)),
            Indicator("1.2", str(_("Tỷ lệ hồ sơ được đồng bộ trạng thái lên Cổng Dịch vụ công quốc gia")), 6,
                      str(_("Số hồ sơ đồng bộ đầy đủ trạng thái / Tổng số hồ sơ tiếp nhận × 100%")),
                      reason=str(NOT_HELD_SYNC)),
            Indicator("1.3", str(_("Tỷ lệ hồ sơ trễ hạn có phiếu xin lỗi và hẹn lại ngày trả kết quả")), 8,
                      str(_("Số hồ sơ trễ hạn đã có phiếu xin lỗi (mẫu 04) / Tổng số hồ sơ giải quyết trễ hạn "
                            "trong kỳ × 100%")),
                      dossiers=True, **of(late_with_apology, len(late_ids))),
        ]),
        Group("progress", str(_("Tiến độ, kết quả giải quyết")), 20, [
            Indicator("2.1", str(_("Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn")), 20,
                      str(_("(Số hồ sơ giải quyết trước hạn + đúng hạn) / Tổng số hồ sơ đã giải quyết trong kỳ "
                            "× 100% (so với ngày hẹn trả ban đầu)")),
                      dossiers=True, **of(on_time, len(verdict))),
        ]),
        Group("digitisation", str(_("Số hóa hồ sơ")), 22, [
            Indicator("3.1", str(_("Tỷ lệ hồ sơ được số hóa")), 8,
                      str(_("Số hồ sơ tiếp nhận có mọi thành phần ở dạng điện tử / Tổng số hồ sơ tiếp nhận "
                            "trong kỳ × 100%")),
                      dossiers=True, **of(received["digitised"], received["total"])),
            Indicator("3.2", str(_("Tỷ lệ cấp kết quả giải quyết thủ tục hành chính điện tử")), 8,
                      str(_("Số hồ sơ có kết quả điện tử / Tổng số hồ sơ có kết quả trong kỳ (không tính hồ sơ "
                            "bị từ chối) × 100%")),
                      dossiers=True, **of(resolved["electronic"], resolved["results"])),
            Indicator("3.3", str(_("Tỷ lệ khai thác, sử dụng lại thông tin, dữ liệu số")), 6,
                      str(_("Số hồ sơ của cá nhân có khai thác Cơ sở dữ liệu quốc gia về dân cư / Tổng số hồ sơ "
                            "của cá nhân tiếp nhận trong kỳ × 100%")),
                      dossiers=True, **of(received["reused"], received["persons"])),
        ]),
        Group("online", str(_("Cung cấp dịch vụ trực tuyến")), 22, [
            Indicator("4.1", str(_("Tỷ lệ thủ tục hành chính cung cấp dịch vụ công trực tuyến toàn trình")), 6,
                      str(_("Số TTHC cung cấp trực tuyến toàn trình / Tổng số TTHC đang áp dụng × 100%")),
                      **of(procedures["full"], procedures["total"])),
            Indicator("4.2", str(_("Tỷ lệ hồ sơ tiếp nhận trực tuyến")), 12,
                      str(_("Số hồ sơ nộp trực tuyến (Cổng DVC của thành phố và Cổng DVC quốc gia) / Tổng số hồ "
                            "sơ tiếp nhận trong kỳ × 100%")),
                      dossiers=True, **of(received["online"], received["total"])),
            Indicator("4.3", str(_("Tỷ lệ hồ sơ thanh toán trực tuyến")), 4,
                      str(_("Số hồ sơ thanh toán trực tuyến / Tổng số hồ sơ có phí, lệ phí × 100%")),
                      reason=str(NOT_HELD_PAYMENT)),
        ]),
        Group("satisfaction", str(_("Mức độ hài lòng")), 18, [
            Indicator("5.1", str(_("Tỷ lệ phản ánh, kiến nghị xử lý đúng hạn")), 6,
                      str(_("Số phản ánh, kiến nghị xử lý đúng hoặc trước hạn / Tổng số phản ánh, kiến nghị "
                            "thuộc thẩm quyền × 100%")),
                      reason=str(NOT_HELD_COMPLAINTS)),
            Indicator("5.2", str(_("Tỷ lệ hài lòng trong xử lý phản ánh, kiến nghị")), 6,
                      str(_("(Tổng số phản ánh, kiến nghị − Số bị phản hồi không hài lòng) / Tổng số phản ánh, "
                            "kiến nghị × 100%")),
                      reason=str(NOT_HELD_COMPLAINTS)),
            _satisfaction_indicator(scope, ratings),
        ]),
    ]
    return ServiceIndex(scope=scope, period=period, groups=groups)


def _satisfaction_indicator(scope: Scope, ratings: dict) -> Indicator:
    indicator = Indicator("5.3", str(_("Tỷ lệ hài lòng trong tiếp nhận, giải quyết thủ tục hành chính")), 6,
                          str(_("Số lượt đánh giá Hài lòng và Rất hài lòng / Tổng số lượt đánh giá trong kỳ × 100%")),
                          numerator=ratings["satisfied"], denominator=ratings["total"])
    if scope.kind == AGENCY and not ratings["total"]:
        indicator.numerator = indicator.denominator = None
        indicator.reason = str(NOT_HELD_AGENCY_RATINGS)
    return indicator


def read_scope_and_period(user, params) -> tuple[Scope, Period]:
    """Parse the period and scope of a leader's page or API call and check the policy."""
    period = parse_period(params.get("from"), params.get("to"), timezone.localdate(clock.now()))
    scope = parse_scope(params.get("branch"), params.get("agency"))
    if not can(user, "view_index", scope):
        raise PermissionDenied(str(_("Chỉ lãnh đạo trung tâm, lãnh đạo chi nhánh (chi nhánh mình) và lãnh đạo cơ "
                                 "quan (cơ quan mình) xem được chỉ số này.")), code="not_scope_leader")
    return scope, period


def read_index(user, params) -> ServiceIndex:
    """Parse the period and scope, check the policy, compute the index (shared by the API and the page)."""
    return service_index(*read_scope_and_period(user, params))


# --- the dossiers behind a figure ----------------------------------------------------------------------

PARTS = ("numerator", "denominator")


def _behind(scope: Scope, period: Period) -> dict[str, Callable[[str], QuerySet[Dossier]]]:
    def on_time(part: str) -> QuerySet[Dossier]:
        verdict = verdicts(scope, period)
        wanted = (deadlines.EARLY, deadlines.ON_TIME) if part == "numerator" else tuple(set(verdict.values()))
        return Dossier.objects.filter(pk__in=[pk for pk, v in verdict.items() if v in wanted])

    def apologies(part: str) -> QuerySet[Dossier]:
        late = [pk for pk, v in verdicts(scope, period).items() if v == deadlines.LATE]
        dossiers = Dossier.objects.filter(pk__in=late)
        return dossiers.filter(original_due_at__isnull=False) if part == "numerator" else dossiers

    def received(condition: Q, persons: bool = False) -> Callable[[str], QuerySet[Dossier]]:
        def read(part: str) -> QuerySet[Dossier]:
            dossiers = received_in(scope, period)
            if persons:
                dossiers = dossiers.filter(applicant_kind="person")
            return dossiers.filter(condition) if part == "numerator" else dossiers
        return read

    def electronic(part: str) -> QuerySet[Dossier]:
        dossiers = resolved_in(scope, period).exclude(state=State.REFUSED)
        return dossiers.exclude(result_file="") if part == "numerator" else dossiers

    return {
        "1.3": apologies, "2.1": on_time,
        "3.1": received(~Q(Exists(_paper_documents()))), "3.2": electronic,
        "3.3": received(Q(registry_used=True), persons=True),
        "4.2": received(Q(channel__in=ONLINE_CHANNELS)),
    }


def dossiers_behind(scope: Scope, period: Period, indicator: str, part: str) -> QuerySet[Dossier]:
    """The dossiers counted in an indicator's numerator or denominator, newest reception first."""
    readers = _behind(scope, period)
    if indicator not in readers:
        raise NotFound(_("Chỉ số này không tính trên hồ sơ."), code="indicator_without_dossiers")
    if part not in PARTS:
        raise ValidationFailed(_("Phần cần xem là tử số hoặc mẫu số."), code="invalid_part")
    return (readers[indicator](part).select_related("procedure", "competent_agency", "branch")
            .order_by("-received_at", "-pk"))


def behind_url(scope: Scope, period: Period, indicator: str, part: str = "numerator") -> str:
    query = {"indicator": indicator, "part": part, **period.query(), **scope.query()}
    return f"{reverse('insights-dossiers')}?{urlencode(query)}"
