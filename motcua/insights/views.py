"""Leaders' pages (the service index and the dossiers behind a figure) and the public transparency page."""

import csv
import io
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core import clock
from motcua.core.errors import DomainError, PermissionDenied, page_status
from motcua.core.exports import neutralise
from motcua.org.models import Agency, Branch

from . import (
    analysis_selectors,
    dashboard_selectors,
    map_selectors,
    policies,
    quality_selectors,
    selectors,
    transparency_selectors,
)

EXPORT_FORMATS = ("csv", "xlsx")
# The waits change with time even when nothing happens in the hall: the public map asks again every minute.
MAP_REFRESH_SECONDS = 60


def export_table(name: str, header: list[str], rows: list[list], fmt: str) -> HttpResponse:
    """A table as CSV or XLSX; every text cell passes through core.exports.neutralise."""
    cells = [[neutralise(v) for v in row] for row in [header, *rows]]
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        for row in cells:
            sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    else:
        text = io.StringIO()
        csv.writer(text).writerows(cells)
        response = HttpResponse("\ufeff" + text.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _scope_choices(user) -> list[tuple[str, str, str]]:
    """(param, code, label) of the scopes the user may pick: the director all, a leader their own."""
    scope = policies.default_scope(user)
    if scope is None:
        return []
    if scope.kind != policies.CITY:
        return [(next(iter(scope.query())), next(iter(scope.query().values())), scope.label)]
    choices = [("", "", _("Toàn thành phố"))]
    choices += [("branch", b.code, b.name) for b in Branch.objects.filter(is_active=True).order_by("number")]
    choices += [("agency", a.code, a.name) for a in Agency.objects.filter(is_active=True).order_by("name")]
    return choices


def _index_params(request):
    """The query with the leader's own scope when none is given (a branch leader opens on their branch)."""
    params = request.GET.copy()
    scope_param = params.pop("scope", [""])[0]
    if ":" in scope_param:
        kind, code = scope_param.split(":", 1)
        if kind in ("branch", "agency"):
            params[kind] = code
    if not params.get("branch") and not params.get("agency"):
        default = policies.default_scope(request.user)
        if default is not None:
            params.update(default.query())
    return params


@login_required
def service_index(request):
    """The 766 index with each indicator's formula, figures and the dossiers behind them; CSV/XLSX export."""
    params = _index_params(request)
    try:
        index = selectors.read_index(request.user, params)
    except PermissionDenied as error:
        return render(request, "insights/forbidden.html", {"error": error}, status=403)
    except DomainError as error:
        return render(request, "insights/service_index.html", {"error": error, "choices": _scope_choices(
            request.user)}, status=page_status(error, error.status))
    fmt = request.GET.get("format", "")
    if fmt in EXPORT_FORMATS:
        header = [_("Mã"), _("Chỉ số"), _("Điểm tối đa"), _("Điểm"), _("Tỷ lệ (%)"), _("Tử số"), _("Mẫu số"),
                  _("Công thức"), _("Ghi chú")]
        rows = [[i.code, i.name, i.max, i.score, i.value, i.numerator, i.denominator, i.formula, i.reason]
                for g in index.groups for i in g.indicators]
        return export_table(f"chi-so-766-{index.period.start}-{index.period.end}", header, rows, fmt)
    rows = [(g, [(i, selectors.behind_url(index.scope, index.period, i.code, "numerator") if i.dossiers else None,
                  selectors.behind_url(index.scope, index.period, i.code, "denominator") if i.dossiers else None)
                 for i in g.indicators]) for g in index.groups]
    selected = ":".join(next(iter(index.scope.query().items()), ("", "")))
    return render(request, "insights/service_index.html", {
        "index": index, "rows": rows, "choices": _scope_choices(request.user), "selected": selected,
        "export_query": params.urlencode()})


@login_required
def dossiers(request):
    """The dossiers counted in an indicator's numerator or denominator (the drill-down of a figure)."""
    try:
        index = selectors.read_index(request.user, request.GET)
        found = selectors.dossiers_behind(index.scope, index.period, request.GET.get("indicator", ""),
                                          request.GET.get("part", "numerator"))
    except PermissionDenied as error:
        return render(request, "insights/forbidden.html", {"error": error}, status=403)
    except DomainError as error:
        return render(request, "insights/forbidden.html", {"error": error}, status=error.status)
    code = request.GET.get("indicator", "")
    indicator = next(i for g in index.groups for i in g.indicators if i.code == code)
    part = request.GET.get("part", "numerator")
    if request.GET.get("format", "") in EXPORT_FORMATS:
        return export_table(f"ho-so-chi-so-{code}-{part}", dossier_header(), _dossier_rows(found),
                            request.GET["format"])
    page, query = _paged(request, found)
    return render(request, "insights/dossiers.html", {"index": index, "indicator": indicator, "part": part,
                                                      "page": page, "query": query,
                                                      "back": urlencode({**index.period.query(), **index.scope.query()})})


def _paged(request, found):
    """A list of dossiers' page (50 a page) and the query string that keeps its filters for the other pages."""
    query = request.GET.copy()
    query.pop("page", None)
    return Paginator(found, 50).get_page(request.GET.get("page")), query.urlencode()


def dossier_header() -> list[str]:
    return [_("Mã hồ sơ"), _("Thủ tục"), _("Cơ quan giải quyết"), _("Chi nhánh"), _("Kênh"), _("Trạng thái"),
            _("Tiếp nhận"), _("Hẹn trả"), _("Có kết quả")]


def _dossier_rows(found) -> list[list]:
    return [[d.code, d.procedure.name, d.competent_agency.short_name, d.branch.name if d.branch else "",
             d.get_channel_display(), d.get_state_display(), _local(d.received_at), _local(d.due_at),
             _local(d.result_ready_at)] for d in found.iterator()]


def _local(value) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def transparency(request):
    """Public: per agency and procedure, received and handled early / on time / late, apologies; the city's index."""
    today = timezone.localdate(clock.now())
    try:
        period = selectors.parse_period(request.GET.get("from"), request.GET.get("to"), today)
    except DomainError as error:
        period = selectors.parse_period(None, None, today)
        problem = error
    else:
        problem = None
    by = request.GET.get("by", "agency") if request.GET.get("by") in ("agency", "procedure") else "agency"
    tallies = transparency_selectors.transparency(period, by=by)
    if request.GET.get("format", "") in EXPORT_FORMATS:
        header = [_("Mã"), _("Tên"), _("Tiếp nhận"), _("Đã giải quyết"), _("Trước hạn"), _("Đúng hạn"),
                  _("Trễ hạn"), _("Xin lỗi"), _("Tỷ lệ đúng hạn (%)")]
        rows = [[t.key, t.name, t.received, t.resolved, t.early, t.on_time, t.late, t.apologies,
                 t.on_time_percent] for t in tallies]
        return export_table(f"cong-khai-{by}-{period.start}-{period.end}", header, rows, request.GET["format"])
    index = selectors.service_index(policies.Scope(policies.CITY), period)
    query = request.GET.copy()
    query.pop("format", None)
    return render(request, "insights/transparency.html", {
        "period": period, "by": by, "tallies": tallies, "index": index, "problem": problem,
        "query": query.urlencode()})


DASHBOARD_TABLES = (("branch", gettext_lazy("Theo chi nhánh")), ("agency", gettext_lazy("Theo cơ quan giải quyết")),
                    ("procedure", gettext_lazy("Theo thủ tục")), ("channel", gettext_lazy("Theo kênh tiếp nhận")))


@login_required
def dashboard(request):
    """Today per branch, agency, procedure and channel; refreshed over the dossiers' event stream, no polling."""
    params = _index_params(request)
    try:
        scope = selectors.parse_scope(params.get("branch"), params.get("agency"))
    except DomainError as error:
        return render(request, "insights/forbidden.html", {"error": error}, status=error.status)
    if not policies.can(request.user, "view_index", scope):
        return render(request, "insights/forbidden.html", {"error": PermissionDenied(
            _("Chỉ lãnh đạo trung tâm, lãnh đạo chi nhánh (chi nhánh mình) và lãnh đạo cơ quan (cơ quan mình) "
              "xem được bảng điều hành này."), code="not_scope_leader")}, status=403)
    now = clock.now()
    tables = [(key, str(title), dashboard_selectors.now_by(scope, key, now)) for key, title in DASHBOARD_TABLES]
    fmt, table = request.GET.get("format", ""), request.GET.get("table", "")
    if fmt in EXPORT_FORMATS and table in dict(DASHBOARD_TABLES):
        rows = next(rows for key, _title, rows in tables if key == table)
        header = [_("Mã"), _("Tên"), _("Tiếp nhận hôm nay"), _("Đang xử lý"), _("Đến hạn hôm nay"), _("Quá hạn"),
                  _("Trả kết quả hôm nay")]
        return export_table(f"dieu-hanh-{table}-{timezone.localdate(now)}", header,
                            [[r.key, r.name, r.received, r.in_progress, r.due_today, r.overdue, r.returned]
                             for r in rows], fmt)
    context = {"scope": scope, "now": now, "tables": tables, "query": params.urlencode(),
               "points": dashboard_selectors.queue_now(scope, now),
               "alerts": analysis_selectors.overdue_alerts(scope, now),
               "total": dashboard_selectors.totals(tables[0][2]) if tables else None,
               "choices": _scope_choices(request.user),
               "selected": ":".join(next(iter(scope.query().items()), ("", "")))}
    template = "insights/dashboard.html#figures" if request.headers.get("HX-Request") else "insights/dashboard.html"
    return render(request, template, context)


def service_map(request):
    """Public: the service points on a map (a list and a drawing without tiles), waits refreshed every minute."""
    service = map_selectors.service_map()
    context = {"map": service, "drawing": map_selectors.drawing(service.points), "refresh_seconds": MAP_REFRESH_SECONDS}
    template = "insights/map.html#points" if request.headers.get("HX-Request") else "insights/map.html"
    return render(request, template, context)


def _analysis_tables(trend_rows, detail, assessed) -> dict[str, tuple[str, list[str], list[list]]]:
    """The analysis page's tables as (file name, header, rows), for CSV/XLSX."""
    def figures(rows):
        return [[f.label, f.total, f.satisfied, f.share_percent, *[f.counts[level] for level in (5, 4, 3, 2, 1)]]
                for f in rows]
    levels = [_("Mức 5"), _("Mức 4"), _("Mức 3"), _("Mức 2"), _("Mức 1")]
    satisfaction_header = [_("Tên"), _("Lượt đánh giá"), _("Hài lòng"), _("Hài lòng (%)"), *levels]
    return {
        "trends": ("xu-huong", [_("Từ ngày"), _("Tiếp nhận"), _("Đã giải quyết"), _("Đúng hạn"), _("Trễ hạn"),
                                _("Đúng hạn (%)")],
                   [[r.start.strftime("%d/%m/%Y"), r.received, r.resolved, r.on_time, r.late, r.on_time_percent]
                    for r in trend_rows]),
        "points": ("hai-long-diem", satisfaction_header, figures(detail.points)),
        "counters": ("hai-long-quay", satisfaction_header, figures(detail.counters)),
        "officers": ("hai-long-can-bo", satisfaction_header, figures(detail.officers)),
        "quality": ("danh-gia-chat-luong", [_("Cơ quan"), _("Hồ sơ"), *[str(name) for _c, name in
                                                                   quality_selectors.INDICATORS], _("Tổng")],
                    [[row.name, row.dossiers, *row.averages, row.total] for row in [assessed.city, *assessed.agencies]]),
    }


@login_required
def analysis(request):
    """Trends, hot spots and satisfaction in detail for a period and scope; every table as CSV/XLSX."""
    params = _index_params(request)
    try:
        scope, period = selectors.read_scope_and_period(request.user, params)
        grain = analysis_selectors.parse_grain(params.get("grain"))
    except PermissionDenied as error:
        return render(request, "insights/forbidden.html", {"error": error}, status=403)
    except DomainError as error:
        return render(request, "insights/forbidden.html", {"error": error}, status=page_status(error, error.status))
    trend_rows = analysis_selectors.trends(scope, period, grain)
    detail = analysis_selectors.satisfaction(scope, period)
    assessed = quality_selectors.quality(scope, period)
    fmt, table = request.GET.get("format", ""), request.GET.get("table", "")
    tables = _analysis_tables(trend_rows, detail, assessed)
    if fmt in EXPORT_FORMATS and table in tables:
        name, header, rows = tables[table]
        return export_table(f"{name}-{period.start}-{period.end}", header, rows, fmt)
    query = params.copy()
    for key in ("format", "table"):
        query.pop(key, None)
    chart = {"labels": [r.start.strftime("%d/%m/%Y") for r in trend_rows],
             "received": [r.received for r in trend_rows], "resolved": [r.resolved for r in trend_rows],
             "on_time_percent": [r.on_time_percent for r in trend_rows],
             "names": {"received": _("Tiếp nhận"), "resolved": _("Đã giải quyết"), "on_time": _("Đúng hạn (%)")}}
    return render(request, "insights/analysis.html", {
        "scope": scope, "period": period, "grain": grain, "trends": trend_rows, "chart": chart,
        "late": [(key, title, analysis_selectors.late_spots(scope, period, key))
                 for key, title in (("branch", _("Chi nhánh")), ("agency", _("Cơ quan giải quyết")),
                                    ("procedure", _("Thủ tục")))
                 if not (key == "branch" and scope.kind == policies.BRANCH)
                 and not (key == "agency" and scope.kind == policies.AGENCY)],
        "supplements": analysis_selectors.supplement_spots(scope, period),
        "waits": analysis_selectors.wait_spots(scope, period),
        "satisfaction": detail, "lowest": analysis_selectors.lowest_satisfaction(detail),
        "satisfaction_tables": [("points", _("Điểm tiếp nhận"), detail.points), ("counters", _("Quầy"), detail.counters),
                                ("officers", _("Cán bộ"), detail.officers)],
        "target_percent": round(detail.target * 100), "min_ratings": analysis_selectors.MIN_RATINGS,
        "quality_rows": [assessed.city, *assessed.agencies] if assessed.city.dossiers else [],
        "indicators": [(code, name, quality_selectors.RULES[code]) for code, name in quality_selectors.INDICATORS],
        "grain_choices": [("day", _("Ngày")), ("week", _("Tuần")), ("month", _("Tháng"))],
        "choices": _scope_choices(request.user), "query": query.urlencode(),
        "selected": ":".join(next(iter(scope.query().items()), ("", ""))),
    })


@login_required
def analysis_dossiers(request):
    """The dossiers behind a hot spot: resolved late, or asked for a supplement, in the period."""
    params = request.GET.copy()
    procedure = params.pop("procedure", [""])[0]
    kind = params.get("kind", "")
    try:
        scope, period = selectors.read_scope_and_period(request.user, params)
        found = analysis_selectors.dossiers_behind(scope, period, kind, procedure or None)
    except PermissionDenied as error:
        return render(request, "insights/forbidden.html", {"error": error}, status=403)
    except DomainError as error:
        return render(request, "insights/forbidden.html", {"error": error}, status=page_status(error, error.status))
    if request.GET.get("format", "") in EXPORT_FORMATS:
        return export_table(f"ho-so-{kind}-{period.start}-{period.end}", dossier_header(), _dossier_rows(found),
                            request.GET["format"])
    page, query = _paged(request, found)
    back = urlencode({**period.query(), **scope.query()})
    title = _("Hồ sơ giải quyết trễ hạn") if kind == "late" else _("Hồ sơ phải bổ sung")
    return render(request, "insights/analysis_dossiers.html", {
        "title": title, "scope": scope, "period": period, "procedure": procedure, "page": page,
        "query": query, "back": back})
