"""The queue's staff hub (/queue/): the points a user operates or oversees, with the counters' live state."""

from django.contrib.auth.models import User

from motcua.core import roles
from motcua.core.menus import menu_for
from motcua.queueing import services

from .conftest import citizen_id


def test_a_branch_officer_gets_the_hub_with_consoles_and_todays_satisfaction(client, hall):
    services.issue_ticket(service_point=hall.point, group=hall.land, national_id=citizen_id(1))
    services.call_next(hall.counters[0], user=hall.officer)
    assert {"queue-points", "ratings-figures"} <= {item.key for item in menu_for(hall.officer)}
    client.force_login(hall.officer)
    page = client.get("/queue/").content.decode()
    assert f'href="/queue/counters/{hall.counters[0].pk}/"' in page and "B-001" in page
    assert f"/feedback/service-points/{hall.point.pk}/" in page and "Tiếp nhận hồ sơ" in page
    for item in menu_for(hall.officer):
        assert client.get(item.url).status_code == 200, item.key


def test_the_director_oversees_every_point_without_operating_its_counters(client, hall):
    director = User.objects.create_user("giamdoc")
    director.groups.add(roles.sync_roles()[roles.CENTER_DIRECTOR])
    assert "queue-points" in {item.key for item in menu_for(director)}
    client.force_login(director)
    page = client.get("/queue/").content.decode()
    assert hall.point.name in page and "/queue/counters/" not in page  # read only: no console link


def test_others_have_neither_the_menu_item_nor_the_page(client, hall):
    citizen = User.objects.create_user("congdan")
    assert "queue-points" not in {item.key for item in menu_for(citizen)}
    client.force_login(citizen)
    assert client.get("/queue/").status_code == 403
    client.logout()
    assert client.get("/queue/").status_code == 302
