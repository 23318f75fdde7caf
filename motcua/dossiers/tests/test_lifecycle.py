"""Every path of the lifecycle through the API: who may act, what state follows, what is recorded."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from motcua.core.audit import verify_chain
from motcua.core.models import AuditEntry
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierStep
from motcua.dossiers.selectors import control_sheet, receipt_slip
from motcua.dossiers.services import common

from .conftest import act, pdf, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def code(client, world):
    return submit(client, world.reception).json()["code"]


def to_officer(client, world, code):
    assert act(client, world.reception, code, "forward").status_code == 200
    return act(client, world.officer, code, "take").json()


def to_approval(client, world, code):
    to_officer(client, world, code)
    return act(client, world.officer, code, "propose_approval", {"note": "Đủ điều kiện"}).json()


def test_happy_path_to_the_returned_result(client, world, code):
    body = to_officer(client, world, code)
    assert body["state"] == "processing" and body["national_status"] == 4
    assert body["current_step"]["agency"] == "so-nn" and body["current_step"]["assignee"] == "officer"
    body = act(client, world.officer, code, "propose_approval").json()
    assert body["state"] == "awaiting_approval" and body["current_step"]["role"] == "branch_leader"
    body = act(client, world.leader, code, "approve").json()
    assert body["state"] == "approved" and body["current_step"] is None
    assert act(client, world.officer, code, "mark_ready").json()["code"] == "result_missing"
    response = act(client, world.officer, code, "attach_result", files={"result": pdf("kq.pdf")})
    assert response.status_code == 200 and response.json()["result_attached"] is True
    body = act(client, world.officer, code, "mark_ready").json()
    assert body["state"] == "result_ready" and body["national_status"] == 9
    assert act(client, world.reception, code, "return_result", {"method": "counter"}).json()["code"] == \
        "receiver_required"
    body = act(client, world.reception, code, "return_result",
               {"method": "counter", "received_by_name": "Trần Thị Bình"}).json()
    assert body["state"] == "returned" and body["national_status"] == 10 and body["return_method"] == "counter"
    actions = list(AuditEntry.objects.filter(object_id=code).values_list("action", flat=True))
    assert actions == ["dossier.submitted", "dossier.forward", "dossier.take", "dossier.propose_approval",
                       "dossier.approve", "dossier.attach_result", "dossier.mark_ready", "dossier.return_result"]
    assert verify_chain() is None
    rows = control_sheet(Dossier.objects.get(code=code))
    assert [r["step"] for r in rows] == ["Tiếp nhận", "Thẩm định", "Ký duyệt"]


def test_forward_refuses_to_skip_the_approval_and_propose_refuses_to_skip_steps(client, world, code):
    assert act(client, world.reception, code, "propose_approval").json()["code"] == "forward_instead"
    to_officer(client, world, code)
    assert act(client, world.officer, code, "forward").json()["code"] == "propose_instead"


def test_send_back_one_step_with_a_reason(client, world, code):
    to_officer(client, world, code)
    assert act(client, world.officer, code, "send_back").json()["code"] == "reason_required"
    body = act(client, world.officer, code, "send_back", {"reason": "Thiếu chữ ký"}).json()
    assert body["state"] == "received" and body["current_step"]["name"] == "Tiếp nhận"
    assert body["steps"][1]["outcome"] == "sent_back" and body["steps"][1]["note"] == "Thiếu chữ ký"
    assert act(client, world.reception, code, "send_back", {"reason": "x"}).json()["code"] == "invalid_state"


def test_leader_sends_back_from_approval(client, world, code):
    to_approval(client, world, code)
    body = act(client, world.leader, code, "send_back", {"reason": "Xem lại"}).json()
    assert body["state"] == "processing" and body["current_step"]["name"] == "Thẩm định"


def test_consultation_blocks_the_step_until_answered(client, world, code):
    to_officer(client, world, code)
    body = act(client, world.officer, code, "consult", {"agency": "so-xd", "question": "Ý kiến quy hoạch?",
                                                       "hours": 16}).json()
    consultation = body["consultations"][0]
    assert consultation["agency"] == "so-xd" and consultation["answered_at"] is None
    assert act(client, world.officer, code, "propose_approval").json()["code"] == "consultation_pending"
    client.force_login(world.other_officer)  # the consulted agency sees the dossier
    assert code in [d["code"] for d in client.get("/api/dossiers").json()]
    assert act(client, world.officer, code, "answer_consultation",
               {"consultation": consultation["id"], "answer": "x"}).status_code == 403
    body = act(client, world.other_officer, code, "answer_consultation",
               {"consultation": consultation["id"], "answer": "Phù hợp quy hoạch"}).json()
    assert body["consultations"][0]["answer"] == "Phù hợp quy hoạch"
    assert act(client, world.officer, code, "propose_approval").json()["state"] == "awaiting_approval"


def test_consult_validates_its_input(client, world, code):
    to_officer(client, world, code)
    body = act(client, world.officer, code, "consult", {"agency": "nope", "question": ""}).json()
    assert {d["code"] for d in body["details"]} == {"unknown_agency", "question_required"}
    assert act(client, world.officer, code, "consult", {"agency": "so-xd", "question": "q",
                                                       "hours": -1}).status_code == 422


def test_supplement_once_pauses_the_clock_then_restarts(client, world, code):
    to_officer(client, world, code)
    assert act(client, world.officer, code, "request_supplement", {"items": []}).json()["code"] == "items_required"
    body = act(client, world.officer, code, "request_supplement",
               {"items": [{"name": "Bản đồ thửa đất", "reason": "Thiếu"},
                          {"name": "Hợp đồng", "reason": "Chưa công chứng"}]}).json()
    assert body["state"] == "supplement_requested" and body["national_status"] == 5
    assert body["appointment_at"] is None and len(body["supplement_items"]) == 2
    assert act(client, world.reception, code, "supply", files={}).status_code == 422
    body = act(client, world.reception, code, "supply", files={"document.2": pdf("hd.pdf")}).json()
    assert body["state"] == "processing" and body["appointment_at"] is not None
    assert act(client, world.officer, code, "request_supplement",
               {"items": [{"name": "x", "reason": "y"}]}).json()["code"] == "supplement_already_requested"


def test_supplement_restart_and_resume_modes(world):
    received = dt.datetime(2025, 3, 3, 8, 0, tzinfo=dt.UTC).astimezone(timezone.get_current_timezone())
    received = received.replace(hour=8)
    results = {}
    for mode in ("restart", "resume"):
        world.center.resume_mode = mode
        world.center.save()
        sub = services.Submission(procedure="1.004227", applicant=services.ApplicantData(
            kind="person", id_number="001190005678", name="B"), shown=[4])
        dossier = services.submit_dossier(world.reception, sub, {1: [pdf()], 2: [pdf()]}, now=received)
        services.request_supplement(world.reception, dossier.code, items=[{"name": "a", "reason": "b"}],
                                    now=received + dt.timedelta(hours=4))
        results[mode] = services.supply(world.reception, dossier.code, files={1: [pdf()]},
                                        now=received + dt.timedelta(days=2)).due_at
    # 3 days (24 h) from Wed 5/3 8:00: restart ends Fri 17:00; resume had used 4 h, so 20 h: Fri 12:00.
    assert results["restart"].hour == 17 and results["resume"].hour == 12
    assert results["resume"] < results["restart"]


def test_supplement_too_late_and_stop_after_fifteen_working_days(world):
    received = timezone.make_aware(dt.datetime(2025, 3, 3, 8, 0))
    sub = services.Submission(procedure="1.004227", applicant=services.ApplicantData(
        kind="person", id_number="001190005678", name="B"), shown=[4])
    dossier = services.submit_dossier(world.reception, sub, {1: [pdf()], 2: [pdf()]}, now=received)
    with pytest.raises(Exception) as late:
        services.request_supplement(world.reception, dossier.code, items=[{"name": "a", "reason": "b"}],
                                    now=received + dt.timedelta(days=2))
    assert late.value.code == "supplement_too_late"
    services.request_supplement(world.reception, dossier.code, items=[{"name": "a", "reason": "b"}],
                                now=received + dt.timedelta(hours=2))
    with pytest.raises(Exception) as early:
        services.stop(world.reception, dossier.code, now=received + dt.timedelta(days=10))
    assert early.value.code == "supplement_not_expired"
    stopped = services.stop(world.reception, dossier.code, now=received + dt.timedelta(days=30))
    assert stopped.state == "stopped" and stopped.current_step is None


def test_refusal_with_reason_is_returned_like_a_result(client, world, code):
    to_officer(client, world, code)
    assert act(client, world.officer, code, "refuse").json()["code"] == "reason_required"
    body = act(client, world.officer, code, "refuse", {"reason": "Không đủ điều kiện theo Điều 5"}).json()
    assert body["state"] == "refused" and body["national_status"] == 9 and body["current_step"] is None
    body = act(client, world.reception, code, "return_result", {"method": "post",
                                                               "received_by_name": "Bưu điện"}).json()
    assert body["state"] == "returned"


def test_citizen_withdraws_their_online_dossier(client, world):
    code = submit(client, world.citizen, {"procedure": "1.004227", "branch": "cn1", "shown": [4],
                                          "applicant": {"id_number": "001190005678", "name": "B"}}).json()["code"]
    act(client, world.reception, code, "receive")
    body = act(client, world.citizen, code, "withdraw", {"reason": "Không có nhu cầu nữa"}).json()
    assert body["state"] == "withdrawn" and body["national_status"] == 7
    assert not DossierStep.objects.filter(dossier__code=code, finished_at__isnull=True).exists()
    assert act(client, world.citizen, code, "withdraw", {"reason": "again"}).json()["code"] == "invalid_state"


def test_citizen_may_not_act_as_an_officer(client, world):
    code = submit(client, world.citizen, {"procedure": "1.004227", "branch": "cn1", "shown": [4],
                                          "applicant": {"id_number": "001190005678", "name": "B"}}).json()["code"]
    for action in ("receive", "refuse_intake"):
        assert act(client, world.citizen, code, action, {"reason": "x"}).status_code == 403


def test_apology_once_before_the_deadline(client, world, code):
    dossier = Dossier.objects.get(code=code)
    later = common.calendar_of(dossier).add_working_days(dossier.due_at, 3).isoformat()
    assert act(client, world.officer, code, "apologise", {"reason": "Chờ xác minh"}).status_code == 422
    assert act(client, world.officer, code, "apologise",
               {"reason": "x", "new_due_at": dossier.due_at.isoformat()}).json()["code"] == "new_due_invalid"
    body = act(client, world.officer, code, "apologise", {"reason": "Chờ xác minh", "new_due_at": later}).json()
    assert body["original_appointment_at"] is not None and body["appointment_at"] != body["original_appointment_at"]
    assert act(client, world.officer, code, "apologise",
               {"reason": "again", "new_due_at": later}).json()["code"] == "apology_already_made"


def test_apology_after_the_deadline_is_refused(world):
    received = timezone.make_aware(dt.datetime(2025, 3, 3, 8, 0))
    sub = services.Submission(procedure="1.004227", applicant=services.ApplicantData(
        kind="person", id_number="001190005678", name="B"), shown=[4])
    dossier = services.submit_dossier(world.reception, sub, {1: [pdf()], 2: [pdf()]}, now=received)
    with pytest.raises(Exception) as error:
        services.apologise(world.officer, dossier.code, new_due_at=dossier.due_at + dt.timedelta(days=5),
                           reason="x", now=dossier.due_at + dt.timedelta(hours=1))
    assert error.value.code == "apology_too_late"


def test_other_branch_and_other_agency_may_not_act_or_see(client, world, code):
    assert act(client, world.other_reception, code, "forward").status_code == 404
    assert act(client, world.other_officer, code, "take").status_code == 404
    act(client, world.reception, code, "forward")
    assert act(client, world.reception, code, "take").status_code == 403
    assert act(client, world.leader, code, "approve").json()["code"] == "invalid_state"
    act(client, world.officer, code, "propose_approval")
    assert act(client, world.other_reception, code, "approve").status_code == 404
    assert act(client, world.officer, code, "approve").status_code == 403


def test_a_step_taken_by_one_officer_is_not_acted_on_by_another(client, world, code):
    from django.contrib.auth.models import User

    from motcua.core import roles
    from motcua.org.models import Officer

    colleague = User.objects.create_user("colleague")
    colleague.groups.add(roles.sync_roles()[roles.AGENCY_OFFICER])
    Officer.objects.create(user=colleague, agency=world.department)
    to_officer(client, world, code)
    assert act(client, colleague, code, "take").json()["code"] == "taken_by_other"
    assert act(client, colleague, code, "propose_approval").json()["code"] == "taken_by_other"


def test_stale_version_is_a_conflict_and_changes_nothing(client, world, code):
    version = client.get(f"/api/dossiers/{code}").json()["version"]
    assert act(client, world.reception, code, "forward", {"version": version}).status_code == 200
    response = act(client, world.reception, code, "withdraw", {"version": version, "reason": "x"})
    assert response.status_code == 409 and response.json()["code"] == "conflict"
    assert Dossier.objects.get(code=code).state == "processing"


def test_unknown_action_unknown_dossier_and_bad_bodies(client, world, code):
    assert act(client, world.reception, code, "teleport").json()["code"] == "unknown_action"
    assert act(client, world.reception, "NOPE-1", "forward").status_code == 404
    assert act(client, world.reception, code, "forward", {"bogus": 1}).status_code == 422
    assert act(client, world.reception, code, "forward", {"version": "x"}).status_code == 422
    client.force_login(world.reception)
    url = f"/api/dossiers/{code}/actions/forward"
    assert client.post(url, "{", content_type="application/json").json()["code"] == "invalid_json"
    assert act(client, world.reception, code, "attach_result", files={"result": SimpleUploadedFile(
        "x.exe", b"MZ")}).status_code == 409
    assert Dossier.objects.get(code=code).version == 1
    assert AuditEntry.objects.filter(object_id=code).count() == 1  # only the submission


def test_inbox_is_filtered_and_most_urgent_first(client, world):
    first = submit(client, world.reception).json()["code"]
    second = submit(client, world.reception).json()["code"]
    act(client, world.reception, first, "forward")
    client.force_login(world.officer)
    assert [d["code"] for d in client.get("/api/dossiers").json()] == [second, first]
    client.force_login(world.other_officer)
    assert client.get("/api/dossiers").json() == []
    client.force_login(world.director)
    assert {d["code"] for d in client.get("/api/dossiers").json()} == {first, second}
    client.force_login(world.reception)
    assert [d["code"] for d in client.get("/api/dossiers?state=processing").json()] == [first]
    assert client.get("/api/dossiers?limit=abc").status_code == 422
    client.logout()
    assert client.get("/api/dossiers").status_code == 401


def test_receipt_slip_holds_what_form_01_shows(client, world, code):
    slip = receipt_slip(Dossier.objects.get(code=code))
    assert slip["code"] == code and slip["applicant"]["name"] == "Trần Thị Bình"
    assert slip["receiving_unit"] == "Chi nhánh số 1" and slip["appointment_at"] is not None
    assert [d["position"] for d in slip["documents"]] == [1, 2, 4]


def test_changes_are_published_to_the_inboxes_without_personal_data(client, world, code,
                                                                     django_capture_on_commit_callbacks):
    from motcua.core.models import LiveEvent

    with django_capture_on_commit_callbacks(execute=True):
        act(client, world.reception, code, "forward")
    events = LiveEvent.objects.filter(name="dossier")
    assert {e.channel for e in events} == {"dossiers:all", f"dossiers:agency:{world.department.pk}",
                                           f"dossiers:branch:{world.branch.pk}"}
    assert all(e.payload == {"code": code, "action": "forward", "state": "processing", "national_status": 4}
               for e in events)


def test_citizen_supplies_their_online_dossier(client, world):
    code = submit(client, world.citizen, {"procedure": "1.004227", "branch": "cn1", "shown": [4],
                                          "applicant": {"id_number": "001190005678", "name": "B"}}).json()["code"]
    act(client, world.reception, code, "receive")
    act(client, world.reception, code, "request_supplement", {"items": [{"name": "Hợp đồng", "reason": "Mờ"}]})
    assert act(client, world.other_reception, code, "supply", files={"document.2": pdf()}).status_code == 404
    response = act(client, world.citizen, code, "supply", files={"document.2": SimpleUploadedFile("x.pdf", b"MZ")})
    assert response.json()["details"][0]["code"] == "file_type"
    body = act(client, world.citizen, code, "supply", files={"document.2": pdf("hd.pdf")}).json()
    assert body["state"] == "received" and [d["source"] for d in body["documents"]].count("supplement") == 1


def test_scheduler_stops_only_expired_supplements(world):
    from motcua.dossiers.selectors import register_rows

    received = timezone.make_aware(dt.datetime(2025, 3, 3, 8, 0))
    codes = []
    for _n in range(2):
        sub = services.Submission(procedure="1.004227", applicant=services.ApplicantData(
            kind="person", id_number="001190005678", name="B"), shown=[4])
        codes.append(services.submit_dossier(world.reception, sub, {1: [pdf()], 2: [pdf()]}, now=received).code)
    services.request_supplement(world.reception, codes[0], items=[{"name": "a", "reason": "b"}],
                                now=received + dt.timedelta(hours=1))
    assert services.stop_expired_supplements(now=received + dt.timedelta(days=7)) == []
    assert services.stop_expired_supplements(now=received + dt.timedelta(days=30)) == [codes[0]]
    entry = AuditEntry.objects.get(action="dossier.stop")
    assert entry.actor is None and entry.actor_label == "scheduler"
    rows = register_rows(Dossier.objects.filter(code__in=codes).order_by("code"))
    assert [r["number"] for r in rows] == [1, 2] and rows[0]["code"] == codes[0]


def test_the_branch_leader_reassigns_the_competent_agency_explicitly(client, world, code):
    to_officer(client, world, code)  # Sở NN&MT's officer holds the appraisal step
    assert act(client, world.officer, code, "reassign", {"agency": "so-xd", "reason": "x"}).status_code == 403
    body = act(client, world.leader, code, "reassign", {"agency": "so-xd"}).json()
    assert body["code"] == "reason_required"
    for agency, problem in (("so-nn", "same_agency"), ("trung-tam", "unknown_agency"), ("nowhere", "unknown_agency")):
        assert act(client, world.leader, code, "reassign", {"agency": agency, "reason": "x"}).json()["code"] == problem
    body = act(client, world.leader, code, "reassign", {"agency": "so-xd", "reason": "Thuộc thẩm quyền Sở Xây dựng"})
    assert body.status_code == 200
    body = body.json()
    assert body["competent_agency"] == "so-xd" and body["state"] == "processing"
    assert body["current_step"]["agency"] == "so-xd" and body["current_step"]["assignee"] is None
    old = DossierStep.objects.get(dossier__code=code, outcome="reassigned")
    assert old.agency.code == "so-nn" and old.note == "Thuộc thẩm quyền Sở Xây dựng"
    entry = AuditEntry.objects.filter(action="dossier.reassign").get()
    assert (entry.data["from_agency"], entry.data["to_agency"], entry.actor_label) == ("so-nn", "so-xd", "leader")
    # The new agency's officer takes it; the former agency no longer sees it.
    assert act(client, world.officer, code, "forward").status_code == 404
    assert act(client, world.other_officer, code, "take").json()["current_step"]["assignee"] == "officer2"
    assert verify_chain() is None  # no broken entry
