"""The analysis page: trends by day/week/month, hot spots with the dossiers behind them, overdue alerts."""

import datetime as dt

import pytest

from motcua.dossiers.models import SupplementRequest
from motcua.insights import analysis_selectors as analysis
from motcua.insights.policies import BRANCH, CITY, Scope
from motcua.insights.selectors import Period

from .factories import at, dossier

NOVEMBER = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
QUERY = "from=2026-11-01&to=2026-11-30"


@pytest.fixture
def month(world):
    """Monday 2/11: two land dossiers received (one resolved early on 5/11, one late on 12/11 — its apology
    moved the date, but late against the first appointment counts); Tuesday 10/11: a birth dossier at
    the other branch resolved on time on 10/11, asked for a supplement; 1/12: one received after the period."""
    dossier(world, received=at(2), due=at(9, 17), result=at(5))
    dossier(world, received=at(2), original_due=at(9, 17), due=at(20, 17), result=at(12))
    birth = dossier(world, received=at(10), due=at(10, 17), result=at(10, 15), procedure=world.birth,
                    branch=world.other_branch)
    SupplementRequest.objects.create(dossier=birth, items=[{"name": "Tờ khai", "reason": "thiếu chữ ký"}],
                                     requested_at=at(10, 10), resume_state="processing")
    dossier(world, received=at(1, month=12))


def test_trends_per_day_week_and_month(month):
    days = {r.start: r for r in analysis.trends(Scope(CITY), NOVEMBER, "day")}
    assert len(days) == 30
    assert (days[dt.date(2026, 11, 2)].received, days[dt.date(2026, 11, 2)].resolved) == (2, 0)
    assert (days[dt.date(2026, 11, 5)].resolved, days[dt.date(2026, 11, 5)].on_time) == (1, 1)
    assert (days[dt.date(2026, 11, 12)].late, days[dt.date(2026, 11, 12)].on_time_percent) == (1, 0.0)
    weeks = analysis.trends(Scope(CITY), NOVEMBER, "week")
    assert [w.start for w in weeks][:3] == [dt.date(2026, 10, 26), dt.date(2026, 11, 2), dt.date(2026, 11, 9)]
    second, third = weeks[1], weeks[2]
    assert (second.received, second.resolved, second.on_time) == (2, 1, 1)
    assert (third.received, third.resolved, third.on_time, third.late) == (1, 2, 1, 1)
    assert third.on_time_percent == 50.0
    (whole,) = analysis.trends(Scope(CITY), NOVEMBER, "month")
    assert (whole.start, whole.received, whole.resolved, whole.late) == (dt.date(2026, 11, 1), 3, 3, 1)


def test_a_grain_that_is_not_day_week_or_month_is_refused():
    with pytest.raises(analysis.ValidationFailed) as refused:
        analysis.parse_grain("hour")
    assert refused.value.code == "invalid_grain"


def test_late_hot_spots_rank_by_late_dossiers_with_their_share(month, world):
    (land,) = analysis.late_spots(Scope(CITY), NOVEMBER, "procedure")
    assert (land.key, land.value, land.total, land.percent) == (world.land.code, 1, 2, 50.0)
    assert "kind=late" in land.url and f"procedure={world.land.code}" in land.url
    (branch,) = analysis.late_spots(Scope(CITY), NOVEMBER, "branch")
    assert branch.key == world.branch.code
    assert analysis.late_spots(Scope(BRANCH, branch=world.other_branch), NOVEMBER, "procedure") == []


def test_supplement_hot_spots_count_dossiers_asked_against_those_received(month, world):
    (birth,) = analysis.supplement_spots(Scope(CITY), NOVEMBER)
    assert (birth.key, birth.value, birth.total) == (world.birth.code, 1, 1)
    assert analysis.supplement_spots(Scope(CITY), Period(dt.date(2026, 12, 1), dt.date(2026, 12, 5))) == []


def test_the_dossiers_behind_a_hot_spot(month, world):
    late = analysis.dossiers_behind(Scope(CITY), NOVEMBER, "late", world.land.code)
    assert [d.original_due_at for d in late] == [at(9, 17)]
    asked = analysis.dossiers_behind(Scope(CITY), NOVEMBER, "supplement")
    assert [d.procedure for d in asked] == [world.birth]
    with pytest.raises(analysis.NotFound):
        analysis.dossiers_behind(Scope(CITY), NOVEMBER, "late", "9.999999")
    with pytest.raises(analysis.ValidationFailed):
        analysis.dossiers_behind(Scope(CITY), NOVEMBER, "everything")


def test_overdue_alerts_list_the_most_urgent_first_with_who_holds_them(world):
    now = at(7, 10, month=12)
    dossier(world, received=at(1, month=12), due=at(4, 17, month=12))
    dossier(world, received=at(1, month=12), due=at(3, 17, month=12), branch=world.other_branch)
    dossier(world, received=at(1, month=12), due=at(20, 17, month=12))  # far from due
    alerts = analysis.overdue_alerts(Scope(CITY), now)
    assert (alerts.overdue, [a.dossier.due_at for a in alerts.rows]) == (2, [at(3, 17, month=12), at(4, 17, month=12)])
    assert {a.level for a in alerts.rows} == {"overdue"}
    assert alerts.rows[0].holder == world.department.short_name  # no step yet: the competent agency
    mine = analysis.overdue_alerts(Scope(BRANCH, branch=world.branch), now)
    assert [a.dossier.due_at for a in mine.rows] == [at(4, 17, month=12)]


def test_the_page_and_its_exports_for_the_director(client, month, world):
    client.force_login(world.director)
    response = client.get(f"/insights/analysis/?{QUERY}&grain=week")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="trends-data"' in html and "vendor/chart.js/dist/chart.umd.min.js" in html
    assert "kind=late" in html and world.birth.name in html
    assert 'id="table-quality"' in html and world.department.name in html
    quality = client.get(f"/insights/analysis/?{QUERY}&table=quality&format=csv").content.decode("utf-8-sig")
    assert quality.splitlines()[1].startswith("Tất cả,3,")
    export = client.get(f"/insights/analysis/?{QUERY}&grain=week&table=trends&format=csv")
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    lines = export.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Từ ngày,Tiếp nhận") and lines[2].startswith("02/11/2026,2,1,1,0")
    behind = client.get(f"/insights/analysis/dossiers/?kind=late&procedure={world.land.code}&{QUERY}")
    assert behind.status_code == 200 and 'id="behind-table"' in behind.content.decode()
    assert client.get(f"/insights/analysis/?{QUERY}&grain=hour").status_code == 422


def test_a_branch_leader_sees_only_their_branch_and_others_nothing(client, month, world):
    client.force_login(world.leader)
    assert client.get(f"/insights/analysis/?{QUERY}").status_code == 200
    assert client.get(f"/insights/analysis/?{QUERY}&branch={world.other_branch.code}").status_code == 403
    assert client.get(f"/insights/analysis/dossiers/?kind=late&{QUERY}&branch={world.other_branch.code}"
                      ).status_code == 403
    client.force_login(world.reception)
    assert client.get(f"/insights/analysis/?{QUERY}").status_code == 403
