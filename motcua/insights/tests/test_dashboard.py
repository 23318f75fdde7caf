"""The dashboard now: today's counts per branch, agency, procedure and channel, the scopes, the exports."""

import datetime as dt

import pytest

from motcua.insights import dashboard_selectors
from motcua.insights.policies import BRANCH, CITY, Scope

from .factories import at, dossier

NOW = at(7, 10, month=12)  # Monday 7/12/2026, 10:00


@pytest.fixture
def today(world):
    """Received today (open, due in 3 days); received earlier, due today at 17:00; received earlier, overdue
    since yesterday (at the other branch, online); returned today; returned yesterday (not counted)."""
    dossier(world, received=at(7, 8, month=12), due=at(10, 17, month=12))
    dossier(world, received=at(1, 9, month=12), due=at(7, 17, month=12), procedure=world.birth)
    dossier(world, received=at(1, 9, month=12), due=at(4, 17, month=12), branch=world.other_branch,
            channel="online")
    dossier(world, received=at(1, 9, month=12), due=at(9, 17, month=12), result=at(7, 9, month=12))
    dossier(world, received=at(1, 9, month=12), due=at(9, 17, month=12), result=at(6, 9, month=12))


def figures(row):
    return (row.received, row.in_progress, row.due_today, row.overdue, row.returned)


def test_counts_per_branch(today, world):
    rows = {r.key: r for r in dashboard_selectors.now_by(Scope(CITY), "branch", NOW)}
    assert figures(rows[world.branch.code]) == (1, 2, 1, 0, 1)
    assert figures(rows[world.other_branch.code]) == (0, 1, 0, 1, 0)
    assert figures(dashboard_selectors.totals(list(rows.values()))) == (1, 3, 1, 1, 1)


def test_counts_per_channel_and_procedure_with_links_to_the_inbox(today, world):
    channels = {r.key: r for r in dashboard_selectors.now_by(Scope(CITY), "channel", NOW)}
    assert figures(channels["online"]) == (0, 1, 0, 1, 0) and channels["online"].name == "Trực tuyến"
    procedures = {r.key: r for r in dashboard_selectors.now_by(Scope(CITY), "procedure", NOW)}
    assert figures(procedures[world.birth.code]) == (0, 1, 1, 0, 0)
    land = procedures[world.land.code]
    assert land.overdue_url == f"/dossiers/?procedure={world.land.code}&due=overdue"


def test_a_branch_scope_counts_only_its_dossiers(today, world):
    rows = dashboard_selectors.now_by(Scope(BRANCH, branch=world.other_branch), "agency", NOW)
    assert [figures(r) for r in rows] == [(0, 1, 0, 1, 0)]


def test_the_page_by_scope_and_its_exports(client, world, today, monkeypatch):
    from motcua.core import clock

    monkeypatch.setattr(clock, "now", lambda: NOW)
    client.force_login(world.leader)
    page = client.get("/insights/dashboard/")
    text = page.content.decode()
    assert page.status_code == 200 and world.branch.name in text and 'data-live-part' in text
    assert client.get(f"/insights/dashboard/?branch={world.other_branch.code}").status_code == 403
    part = client.get("/insights/dashboard/", headers={"HX-Request": "true"}).content.decode()
    assert part.lstrip().startswith('<div id="dashboard-figures"')
    exported = client.get("/insights/dashboard/?table=branch&format=csv").content.decode()
    assert exported.splitlines()[1].startswith(f"{world.branch.code},{world.branch.name},1,2,1,0,1")
    client.force_login(world.reception)
    assert client.get("/insights/dashboard/").status_code == 403
    client.force_login(world.director)
    assert client.get("/insights/dashboard/?branch=nope").status_code == 404


def test_the_queue_now_per_service_point_of_the_scope(world):
    from motcua.core import clock
    from motcua.core.ids import make_national_id
    from motcua.org.models import ServiceGroup, ServicePoint
    from motcua.queueing.models import Ticket

    point = ServicePoint.objects.create(branch=world.branch, code="cn1-a", name="Điểm A", address="1 Phố A")
    ServicePoint.objects.create(branch=world.other_branch, code="cn2-a", name="Điểm B", address="2 Phố B")
    group = ServiceGroup.objects.create(center=world.center, code="dat-dai", name="Đất đai", letter="B")
    now = clock.now()
    for n, minutes in ((1, 25), (2, 5)):
        Ticket.objects.create(service_point=point, group=group, day=clock.today(), sequence=n, number=f"B-00{n}",
                              national_id=make_national_id(province_code="001", gender="male", birth_year=1980,
                                                           sequence=n),
                              issued_at=now - dt.timedelta(minutes=minutes))
    rows = dashboard_selectors.queue_now(Scope(BRANCH, branch=world.branch), now)
    assert [(r.point.code, r.waiting, r.longest_wait_minutes, r.ratings) for r in rows] == [("cn1-a", 2, 25, 0)]
    assert len(dashboard_selectors.queue_now(Scope(CITY), now)) == 2
