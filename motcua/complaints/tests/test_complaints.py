"""Complaints and petitions: routing, deadlines in working days, reminders and escalation, approval by the
head, publication without personal data, the author's rating."""

import datetime as dt

import pytest

from motcua.complaints import policies, selectors, services
from motcua.complaints.models import Complaint
from motcua.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from motcua.core.models import OutboxMessage
from motcua.integrations.sms import set_sms
from motcua.integrations.sms.fake import OutboxSms

from .conftest import HANOI, MONDAY_9AM, file

pytestmark = pytest.mark.django_db


# --- routing -------------------------------------------------------------------------------------------------

def test_a_complaint_about_a_procedure_goes_to_its_competent_agency(world, at):
    complaint = file(about="1.004227")
    assert complaint.about == "procedure" and complaint.agency == world.department and complaint.branch is None
    assert complaint.code == "PAKN-261123-0001" and len(complaint.tracking_key) == 10


def test_a_commune_procedure_an_officer_or_a_counter_goes_to_the_center(world, at):
    assert file(about="1.001193").agency is None  # decided by the applicant's commune: the center routes it
    counter = file(about="Quầy số 5")
    assert (counter.about, counter.agency, counter.branch) == ("counter", None, None)
    assert file(about="cán bộ tiếp nhận").about == "officer"
    assert file(about="").about == "other"


def test_a_complaint_about_a_dossier_goes_to_its_agency_and_branch(world, at, client):
    from motcua.dossiers.tests.conftest import submit

    code = submit(client, world.reception).json()["code"]
    complaint = file(about=code.lower())
    assert (complaint.about, complaint.about_reference) == ("dossier", code)
    assert complaint.agency == world.department and complaint.branch == world.branch
    unknown = file(about="000.00.99.H26-250101-0001")
    assert (unknown.about, unknown.agency, unknown.branch) == ("dossier", None, None)


@pytest.mark.parametrize("field, overrides, code", [
    ("subject", {"subject": "  "}, "subject_required"),
    ("content", {"content": ""}, "content_required"),
    ("name", {"name": ""}, "name_required"),
    ("phone", {"phone": "12345"}, "phone_format"),
    ("email", {"email": "not-an-address"}, "email_format"),
    ("subject", {"subject": "x" * 201}, "subject_too_long"),
])
def test_bad_input_is_refused_with_its_field(world, at, field, overrides, code):
    with pytest.raises(ValidationFailed) as error:
        file(**overrides)
    assert error.value.code == code and error.value.details == {"field": field}
    assert Complaint.objects.count() == 0


# --- deadlines -----------------------------------------------------------------------------------------------

def nth_working_day_after(day: dt.date, n: int) -> dt.date:
    from motcua.complaints.services import _calendar

    calendar = _calendar()
    while n:
        day += dt.timedelta(days=1)
        n -= calendar.is_working_day(day)
    return day


def test_the_deadline_is_ten_working_days_skipping_weekends(world, at):
    complaint = file()
    assert complaint.due_at == dt.datetime(2026, 12, 7, 9, 0, tzinfo=HANOI)  # two weekends skipped


def test_the_deadline_skips_tet(world, at):
    at(dt.datetime(2026, 2, 13, 9, 0, tzinfo=HANOI))  # the Friday before Tết (16–20/2/2026)
    complaint = file()
    due = complaint.due_at.astimezone(HANOI)
    assert due.date() == nth_working_day_after(dt.date(2026, 2, 13), 10)
    assert due.date() > dt.date(2026, 3, 2)  # ten weekdays would be 27/2: the Tết days do not count
    assert due.time() == dt.time(9, 0)


def test_after_the_cutoff_counting_starts_the_next_working_day(world, at):
    world.center.cutoff_time = dt.time(15, 0)
    world.center.save()
    at(dt.datetime(2026, 11, 27, 16, 0, tzinfo=HANOI))  # Friday, after the cut-off
    # counting starts Monday 30/11 08:00: ten full working days end on Friday 11/12 at closing time
    assert file().due_at == dt.datetime(2026, 12, 11, 17, 0, tzinfo=HANOI)


def test_the_number_of_days_is_a_setting(world, at, settings):
    settings.MOTCUA_COMPLAINTS = {"ANSWER_WORKING_DAYS": 3}
    assert file().due_at == dt.datetime(2026, 11, 26, 9, 0, tzinfo=HANOI)


# --- reminders and escalation --------------------------------------------------------------------------------

def topics():
    return list(OutboxMessage.objects.filter(topic__startswith="complaint.").values_list("topic", flat=True))


def test_near_the_due_date_staff_are_reminded_once_and_overdue_the_head_is_told_once(world, at):
    complaint = file()  # due Monday 7/12 09:00
    assert services.check_deadlines(dt.datetime(2026, 11, 30, 9, 0, tzinfo=HANOI)) == "0 reminded, 0 escalated"
    # two working days before: Thursday 3/12 09:00
    assert services.check_deadlines(dt.datetime(2026, 12, 3, 9, 0, tzinfo=HANOI)) == "1 reminded, 0 escalated"
    assert services.check_deadlines(dt.datetime(2026, 12, 3, 10, 0, tzinfo=HANOI)) == "0 reminded, 0 escalated"
    assert services.check_deadlines(dt.datetime(2026, 12, 7, 9, 1, tzinfo=HANOI)) == "0 reminded, 1 escalated"
    assert services.check_deadlines(dt.datetime(2026, 12, 8, 9, 0, tzinfo=HANOI)) == "0 reminded, 0 escalated"
    complaint.refresh_from_db()
    assert complaint.reminded_at and complaint.escalated_at
    assert topics().count("complaint.due_soon") == 1 and topics().count("complaint.overdue") == 1
    overdue = OutboxMessage.objects.get(topic="complaint.overdue")
    assert overdue.payload["to"] == "head" and overdue.payload["agency"] == world.department.code


def test_an_answered_complaint_is_neither_reminded_nor_escalated(world, at, department_leader):
    complaint = file()
    services.answer_complaint(world.officer, complaint, "Đã trả kết quả.")
    services.approve_answer(department_leader, complaint)
    assert services.check_deadlines(dt.datetime(2026, 12, 9, 9, 0, tzinfo=HANOI)) == "0 reminded, 0 escalated"


def test_the_deadline_job_is_scheduled(settings):
    assert ("complaint_deadlines", "motcua.complaints.services.check_deadlines", 3600) in settings.MOTCUA_PERIODIC_JOBS


# --- answer, approval, publication ---------------------------------------------------------------------------

def test_only_the_responsible_agency_answers_and_only_its_head_approves(world, at, department_leader):
    complaint = file()
    with pytest.raises(PermissionDenied):
        services.answer_complaint(world.other_officer, complaint, "Không phải việc của tôi.")
    complaint = services.answer_complaint(world.officer, complaint, "Sở đã trả kết quả ngày 25/11.")
    with pytest.raises(PermissionDenied):
        services.approve_answer(world.officer, complaint)
    with pytest.raises(PermissionDenied):
        services.approve_answer(world.leader, complaint)  # a branch leader: not the agency's head
    assert policies.can(department_leader, "approve", complaint) and policies.can(world.director, "approve", complaint)
    closed = services.approve_answer(department_leader, complaint)
    assert closed.status == "closed" and closed.on_time is True and closed.approved_by == department_leader
    with pytest.raises(Conflict):
        services.approve_answer(department_leader, closed)


def test_the_published_question_has_no_personal_data(world, at, department_leader,
                                                    django_capture_on_commit_callbacks):
    set_sms(OutboxSms())
    OutboxSms.clear()
    complaint = file(subject="Nguyễn Thị Hoa phản ánh chậm trả",
                     content="Tôi là Nguyễn Thị Hoa, CCCD 001190012345, điện thoại 0912345678, thư hoa@example.vn. "
                             "Hồ sơ 000.00.11.H26-261120-0007 quá hạn. Chị Hoa mong được trả lời.")
    services.answer_complaint(world.officer, complaint, "Sở đã trả kết quả.")
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_answer(department_leader, complaint)
    published = selectors.get_published(complaint.code)
    shown = f"{published.public_subject} {published.public_content}"
    assert "Nguyễn" not in shown.replace("[người gửi]", "")  # the family name goes with the rest of the name
    for secret in ("Nguyễn Thị Hoa", "Hoa", "001190012345", "0912345678", "hoa@example.vn",
                   "000.00.11.H26-261120-0007", "2345", "678"):
        assert secret not in shown, secret
    assert "quá hạn" in shown and "[người gửi]" in shown
    from motcua.notify import tasks as notify_tasks

    notify_tasks.deliver()
    assert [m.phone for m in OutboxSms.messages()] == ["0912345678"]  # the author is told (by notify)
    set_sms(None)


def test_an_author_who_declined_is_answered_but_not_published(world, at, department_leader):
    complaint = file(publish=False)
    services.answer_complaint(world.officer, complaint, "Đã xử lý.")
    services.approve_answer(department_leader, complaint)
    assert selectors.get_published(complaint.code) is None and selectors.published() == []


def test_published_answers_are_searchable_without_diacritics(world, at, department_leader):
    for subject, answer in (("Chậm trả sổ đỏ", "Đã trả giấy chứng nhận."), ("Thái độ cán bộ", "Đã nhắc nhở.")):
        complaint = file(subject=subject)
        services.answer_complaint(world.officer, complaint, answer)
        services.approve_answer(department_leader, complaint)
    assert [c.public_subject for c in selectors.published("so do")] == ["Chậm trả sổ đỏ"]
    assert [c.public_subject for c in selectors.published("nhắc nhở")] == ["Thái độ cán bộ"]
    assert len(selectors.published("")) == 2


# --- the author's rating -------------------------------------------------------------------------------------

def test_the_author_rates_the_answer_once(world, at, department_leader):
    complaint = file()
    key = complaint.printed_tracking_key
    with pytest.raises(Conflict) as early:
        services.rate_answer(complaint.code, key, 5)
    assert early.value.code == "not_answered"
    services.answer_complaint(world.officer, complaint, "Đã xử lý.")
    services.approve_answer(department_leader, complaint)
    with pytest.raises(NotFound):
        services.rate_answer(complaint.code, "WRONG-KEY00", 5)
    with pytest.raises(ValidationFailed):
        services.rate_answer(complaint.code, key, 9)
    assert services.rate_answer(complaint.code, key.lower().replace("-", ""), "4").rating == 4
    with pytest.raises(Conflict) as twice:
        services.rate_answer(complaint.code, key, 1)
    assert twice.value.code == "already_rated"


def test_counts_by_agency_feed_the_dashboard(world, at, department_leader):
    on_time = file()
    file(about="Quầy 3")
    services.answer_complaint(world.officer, on_time, "Đã xử lý.")
    services.approve_answer(department_leader, on_time)
    counts = {row["agency__short_name"]: row for row in selectors.counts_by_agency()}
    assert counts["Sở NN&MT"] == {"agency__short_name": "Sở NN&MT", "total": 1, "closed": 1, "answered_on_time": 1}
    assert counts[None]["total"] == 1 and counts[None]["closed"] == 0


def test_an_answer_after_the_due_date_counts_as_late(world, at, department_leader):
    complaint = file()
    at(MONDAY_9AM + dt.timedelta(days=20))
    services.answer_complaint(world.officer, complaint, "Xin lỗi vì chậm.")
    assert services.approve_answer(department_leader, complaint).on_time is False
