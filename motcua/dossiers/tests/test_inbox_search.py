"""The inbox finds a dossier by code, applicant name (with or without diacritics) or ID number, filters by
procedure, agency and due status, and shows the applicant and the working time left."""

import datetime as dt

import pytest
from django.utils import timezone

from motcua.dossiers import page_selectors, selectors, services
from motcua.dossiers.models import Dossier, DossierStep

from .conftest import KNOWN_ID, OTHER_ID, pdf

MONDAY = timezone.make_aware(dt.datetime(2025, 3, 3, 8, 0))


def receive(world, name, id_number, *, now=MONDAY) -> Dossier:
    sub = services.Submission(procedure="1.004227", applicant=services.ApplicantData(
        kind="person", id_number=id_number, name=name, phone="0987654321"), shown=[4])
    return services.submit_dossier(world.reception, sub, {1: [pdf()], 2: [pdf()]}, now=now)


@pytest.fixture
def two(world):
    return (receive(world, "Trần Thị Bình", OTHER_ID), receive(world, "Nguyễn Văn An", KNOWN_ID,
                                                               now=MONDAY + dt.timedelta(days=2)))


def codes(user, **filters):
    return {d.code for d in selectors.inbox(user, **filters)}


@pytest.mark.parametrize("text", ["trần thị", "TRAN THI", "tran thi binh", "Bình"])
def test_the_name_is_found_with_or_without_diacritics_in_any_case(world, two, text):
    assert codes(world.reception, q=text) == {two[0].code}


def test_the_code_and_the_whole_id_number_are_found_but_not_part_of_an_id(world, two):
    assert codes(world.reception, q=two[1].code[-6:].lower()) == {two[1].code}
    assert codes(world.reception, q=KNOWN_ID) == {two[1].code}
    assert codes(world.reception, q=KNOWN_ID[:8]) == set()  # an ID is looked up whole, never guessed by parts
    assert codes(world.reception, q="!!! 😀") == set() and codes(world.reception, q="") == {d.code for d in two}


def test_filters_by_procedure_agency_and_due_status(world, two):
    assert codes(world.reception, procedure="1.004227") == {d.code for d in two}
    assert codes(world.reception, procedure="1.001193") == set()
    assert codes(world.reception, agency=world.department.code) == {d.code for d in two}
    assert codes(world.reception, agency=world.other_department.code) == set()
    # Both reception steps (2 working hours) have passed by now: overdue, none near.
    assert codes(world.reception, due="overdue") == {d.code for d in two}
    assert codes(world.reception, due="near") == set()


def test_someone_elses_dossier_is_not_found_by_its_id(world, two):
    assert codes(world.other_reception, q=KNOWN_ID) == set()


def test_the_page_lists_the_applicant_and_the_time_left(client, world, two, settings):
    client.force_login(world.reception)
    page = client.get("/dossiers/", {"q": "nguyen van"}).content.decode()
    assert two[1].code in page and two[0].code not in page and "Nguyễn Văn An" in page
    assert 'name="procedure"' in page and world.department.name in page  # the filters' options
    assert "Đã quá hạn" in page
    assert client.get("/dossiers/", {"due": "bogus", "procedure": "x"}).status_code == 200


def test_the_time_left_is_working_time(world):
    friday = timezone.make_aware(dt.datetime(2025, 3, 7, 14, 0))
    dossier = receive(world, "Lê Văn Cường", OTHER_ID, now=friday)  # reception step due Friday 16:00
    assert page_selectors.time_left_label(dossier, friday + dt.timedelta(minutes=30)) == "còn 1 giờ 30 phút"
    DossierStep.objects.filter(pk=dossier.current_step_id).update(due_at=timezone.make_aware(
        dt.datetime(2025, 3, 12, 10, 0)))  # Wednesday 10:00: Fri 2.5 h + Mon 8 + Tue 8 + Wed 2 = 20.5 h
    dossier = Dossier.objects.select_related("current_step").get(pk=dossier.pk)
    assert page_selectors.time_left_label(dossier, friday + dt.timedelta(minutes=30)) == "còn 2,5 ngày làm việc"
    assert page_selectors.time_left_label(dossier, timezone.make_aware(dt.datetime(2025, 3, 12, 11, 0))) == ""


def test_the_api_filters_the_same_way(client, world, two):
    client.force_login(world.reception)
    found = client.get("/api/dossiers", {"q": "tran thi"}).json()
    assert [d["code"] for d in found] == [two[0].code]
    assert client.get("/api/dossiers", {"due": "near"}).json() == []


def test_the_inbox_rows_cost_no_query_each(world, two):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        page_selectors.inbox_rows(world.reception)
    for n in range(3):
        receive(world, f"Người thứ {n}", OTHER_ID)
    with CaptureQueriesContext(connection) as more:
        rows = page_selectors.inbox_rows(world.reception)
    assert len(rows) == 5 and len(more.captured_queries) == len(few.captured_queries)
