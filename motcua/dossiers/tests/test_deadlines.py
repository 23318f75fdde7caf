"""Deadline jobs with a controlled clock: near/overdue flags once, expired supplements closed, the apology
rule, and the citizen's SMS."""

import datetime as dt

import pytest
from django.utils import timezone

from motcua.core.errors import DomainError
from motcua.core.models import AuditEntry, LiveEvent
from motcua.dossiers import services, tasks
from motcua.dossiers.models import DeadlineFlag, Dossier, State
from motcua.dossiers.services import common, deadlines

from .conftest import pdf

MONDAY = timezone.make_aware(dt.datetime(2025, 3, 3, 8, 0))  # a plain working week
PHONE = "0987654321"


def at(day_offset: int, hour: int, minute: int = 0) -> dt.datetime:
    return MONDAY + dt.timedelta(days=day_offset, hours=hour - 8, minutes=minute)


def receive(world, now=MONDAY) -> Dossier:
    sub = services.Submission(procedure="1.004227", applicant=services.ApplicantData(
        kind="person", id_number="001190005678", name="Trần Thị Bình", phone=PHONE), shown=[4])
    return services.submit_dossier(world.reception, sub, {1: [pdf()], 2: [pdf()]}, now=now)


# --- near and overdue -------------------------------------------------------------------------------

def test_levels_follow_the_working_time_margin(world, settings):
    dossier = receive(world)
    calendar = common.calendar_of(dossier)
    step_due = dossier.current_step.due_at  # reception: 2 working hours → Monday 10:00
    assert step_due == at(0, 10)
    assert deadlines.deadline_level(calendar, step_due, MONDAY) == "near"
    assert deadlines.deadline_level(calendar, step_due, at(0, 10)) == "overdue"
    settings.MOTCUA_NEAR_DUE_WORKING_HOURS = 1
    assert deadlines.deadline_level(calendar, step_due, MONDAY) == ""
    assert deadlines.deadline_level(calendar, step_due, at(0, 9)) == "near"


def test_each_flag_is_announced_once_with_an_event_for_the_inboxes(world, django_capture_on_commit_callbacks):
    dossier = receive(world)
    with django_capture_on_commit_callbacks(execute=True):
        assert deadlines.flag_deadlines(at(0, 8, 30)) == {"overdue": 0, "near": 1}
        assert deadlines.flag_deadlines(at(0, 9)) == {"overdue": 0, "near": 0}  # already told
        assert deadlines.flag_deadlines(at(0, 11)) == {"overdue": 1, "near": 0}
        assert deadlines.flag_deadlines(at(0, 16)) == {"overdue": 0, "near": 0}
    flags = DeadlineFlag.objects.filter(dossier=dossier).order_by("pk")
    assert [(f.target, f.level, f.due_at) for f in flags] == [("step", "near", at(0, 10)),
                                                             ("step", "overdue", at(0, 10))]
    assert not AuditEntry.objects.filter(action__contains="flag").exists()  # the job writes no audit entry
    events = LiveEvent.objects.filter(name="deadline")
    assert {e.channel for e in events} == {"dossiers:all", f"dossiers:branch:{world.branch.pk}",
                                           f"dossiers:agency:{world.center_agency.pk}",
                                           f"dossiers:agency:{world.department.pk}"}
    text = " ".join(str(e.payload) for e in events)
    assert PHONE not in text and "Trần" not in text and "001190005678" not in text


def test_the_appointment_is_flagged_too_and_a_new_date_is_a_new_deadline(world):
    dossier = receive(world)
    before_due = dossier.due_at - dt.timedelta(hours=1)
    assert {(f.target, f.level) for f in deadlines.flags_of(dossier, before_due)} >= {("appointment", "near")}
    deadlines.flag_deadlines(before_due)
    services.apologise(world.officer, dossier.code, new_due_at=dossier.due_at + dt.timedelta(days=5),
                       reason="Chờ xác minh", now=at(0, 9))
    dossier.refresh_from_db()
    assert deadlines.flag_deadlines(dossier.due_at + dt.timedelta(minutes=1))["overdue"] >= 1


def test_no_flag_while_the_clock_is_stopped_for_a_supplement(world):
    dossier = receive(world)
    services.request_supplement(world.reception, dossier.code, items=[{"name": "Bản vẽ", "reason": "Thiếu"}],
                                now=at(0, 9))
    assert deadlines.flag_deadlines(at(10, 9)) == {"overdue": 0, "near": 0}


# --- supplements not supplied -------------------------------------------------------------------------

def test_dossiers_are_closed_after_fifteen_working_days_without_the_supplement(world):
    dossier = receive(world)
    services.request_supplement(world.reception, dossier.code, items=[{"name": "Bản vẽ", "reason": "Thiếu"}],
                                now=at(0, 9))
    calendar = common.calendar_of(dossier)
    expiry = calendar.add_working_days(calendar.counting_start(at(0, 9)), 15)
    assert services.stop_expired_supplements(now=expiry - dt.timedelta(minutes=1)) == []
    assert Dossier.objects.get(code=dossier.code).state == State.SUPPLEMENT_REQUESTED
    assert services.stop_expired_supplements(now=expiry) == [dossier.code]
    assert Dossier.objects.get(code=dossier.code).state == State.STOPPED
    assert services.stop_expired_supplements(now=expiry + dt.timedelta(days=1)) == []


def test_the_job_stops_a_long_expired_supplement(world):
    dossier = receive(world)
    services.request_supplement(world.reception, dossier.code, items=[{"name": "Bản vẽ", "reason": "Thiếu"}],
                                now=at(0, 9))
    assert tasks.stop_expired_supplements() == 1  # 2025: long expired by the real clock
    assert Dossier.objects.get(code=dossier.code).state == State.STOPPED


# --- the apology rule -------------------------------------------------------------------------------

def in_three_working_days(dossier) -> dt.datetime:
    return common.calendar_of(dossier).add_working_days(dossier.due_at, 3)


def test_apology_one_working_day_before_the_deadline_is_accepted(world):
    dossier = receive(world)  # 3 working days from Monday 08:00 → due Wednesday 17:00
    assert timezone.localtime(dossier.due_at).weekday() == 2
    latest = deadlines.latest_apology_at(dossier)
    assert latest == at(2, 8)  # Wednesday 08:00: the 8 working hours of Wednesday remain
    services.apologise(world.officer, dossier.code, new_due_at=in_three_working_days(dossier),
                       reason="Chờ xác minh", now=latest)
    assert Dossier.objects.get(code=dossier.code).original_due_at == dossier.due_at


def test_apology_less_than_eight_working_hours_before_the_deadline_is_too_late(world):
    dossier = receive(world, now=at(0, 10))  # due Thursday 10:00: the apology must go by Wednesday 10:00
    assert dossier.due_at == at(3, 10)
    for moment in (dossier.due_at - dt.timedelta(hours=1), at(2, 10, 1)):
        with pytest.raises(DomainError) as error:
            services.apologise(world.officer, dossier.code, new_due_at=in_three_working_days(dossier),
                               reason="x", now=moment)
        assert error.value.code == "apology_too_late" and error.value.details["rule"] == "one_working_day"
        assert error.value.details["latest_at"] == at(2, 10).isoformat()
        assert "chậm nhất 10:00" in str(error.value.message)
    with pytest.raises(DomainError) as error:
        services.apologise(world.officer, dossier.code, new_due_at=in_three_working_days(dossier),
                           reason="x", now=dossier.due_at + dt.timedelta(hours=1))
    assert error.value.details["rule"] == "deadline_passed"


def test_the_weekend_does_not_count_as_the_working_day_before(world):
    dossier = receive(world, now=at(3, 10))  # Thursday 10:00 → due Tuesday 10:00
    assert timezone.localtime(dossier.due_at).weekday() == 1
    assert deadlines.latest_apology_at(dossier) == at(7, 10)  # Monday 10:00
    saturday = at(5, 10)
    services.apologise(world.officer, dossier.code, new_due_at=in_three_working_days(dossier),
                       reason="x", now=saturday)  # Saturday is before Monday: still in time


@pytest.mark.parametrize("new_due, why", [
    (dt.datetime(2025, 3, 9, 10, 0), "ngày nghỉ"),           # a Sunday
    (dt.datetime(2025, 3, 8, 9, 0), "ngày nghỉ"),            # a Saturday
    (dt.datetime(2025, 4, 30, 9, 0), "ngày nghỉ"),           # Reunification Day
    (dt.datetime(2025, 3, 10, 12, 30), "ngoài giờ"),         # a Monday, over lunch
    (dt.datetime(2025, 3, 10, 19, 0), "ngoài giờ"),          # a Monday evening
])
def test_the_new_date_is_a_working_day_and_hour_of_the_center(world, new_due, why):
    dossier = receive(world)
    with pytest.raises(DomainError) as error:
        services.apologise(world.officer, dossier.code, new_due_at=timezone.make_aware(new_due), reason="x",
                           now=at(0, 9))
    assert error.value.code == "new_due_not_working_time" and why in str(error.value.message)
    assert error.value.details[0]["field"] == "new_due_at"
    assert Dossier.objects.get(code=dossier.code).original_due_at is None
    services.apologise(world.officer, dossier.code, new_due_at=timezone.make_aware(dt.datetime(2025, 3, 10, 9, 0)),
                       reason="x", now=at(0, 9))


def test_the_new_date_may_be_set_only_once(world):
    dossier = receive(world)
    later = in_three_working_days(dossier)
    services.apologise(world.officer, dossier.code, new_due_at=later, reason="x", now=at(0, 9))
    with pytest.raises(DomainError) as error:
        services.apologise(world.officer, dossier.code, new_due_at=later + dt.timedelta(days=1), reason="y",
                           now=at(0, 10))
    assert error.value.code == "apology_already_made"


# --- the dossier page: supply and stop --------------------------------------------------------------

def page_post(client, user, dossier, action, data=None):
    client.force_login(user)
    body = {f"{action}-version": dossier.version, **{f"{action}-{k}": v for k, v in (data or {}).items()}}
    return client.post(f"/dossiers/{dossier.code}/actions/{action}/", body)


def waiting_for_supplement(world, requested_at) -> Dossier:
    dossier = receive(world, now=requested_at - dt.timedelta(hours=1))
    services.request_supplement(world.reception, dossier.code, items=[{"name": "Bản vẽ", "reason": "Thiếu"}],
                                now=requested_at)
    return Dossier.objects.get(pk=dossier.pk)


def test_reception_hands_in_the_supplement_through_the_page(client, world):
    dossier = waiting_for_supplement(world, timezone.now())
    client.force_login(world.reception)
    page = client.get(f"/dossiers/{dossier.code}/").content.decode()
    assert 'id="action-supply"' in page and 'name="supply-document_2"' in page
    assert 'name="supply-document_4"' not in page  # shown at the counter, not handed in
    assert 'id="action-stop"' not in page  # the 15 working days are not over
    assert page_post(client, world.reception, dossier, "supply").status_code == 422  # no file: nothing changes
    assert Dossier.objects.get(pk=dossier.pk).state == State.SUPPLEMENT_REQUESTED
    response = page_post(client, world.reception, dossier, "supply", {"document_2": pdf("ban-ve.pdf")})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == State.RECEIVED and dossier.supplement.supplied_at is not None
    assert dossier.documents.filter(source="supplement").count() == 1


def test_an_agency_officer_gets_neither_form(client, world):
    dossier = waiting_for_supplement(world, timezone.now())
    client.force_login(world.officer)
    page = client.get(f"/dossiers/{dossier.code}/").content.decode()
    assert 'id="action-supply"' not in page and 'id="action-stop"' not in page
    assert page_post(client, world.officer, dossier, "stop").status_code == 403


def test_stop_is_offered_once_the_supplement_is_overdue(client, world):
    dossier = waiting_for_supplement(world, at(0, 9))  # 2025: long overdue by the real clock
    client.force_login(world.leader)
    assert 'id="action-stop"' in client.get(f"/dossiers/{dossier.code}/").content.decode()
    assert page_post(client, world.leader, dossier, "stop", {"reason": ""}).status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == State.STOPPED and dossier.decision_reason


def test_stop_before_the_limit_shows_the_services_refusal(client, world):
    dossier = waiting_for_supplement(world, timezone.now())
    response = page_post(client, world.reception, dossier, "stop")
    assert response.status_code == 400 and "Chưa hết thời hạn bổ sung" in response.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).state == State.SUPPLEMENT_REQUESTED
