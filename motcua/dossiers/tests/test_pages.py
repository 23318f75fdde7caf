"""The dossier pages: who may open them, each action through its form, errors shown, nothing written on bad input."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from motcua.dossiers import services
from motcua.dossiers.models import Consultation, Dossier, State
from motcua.dossiers.services import common

from .conftest import KNOWN_ID, OTHER_ID, pdf, png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def receive_land(world, **applicant):
    sub = services.Submission(procedure="1.004227", shown=[4], applicant=services.ApplicantData(
        kind="person", id_number=OTHER_ID, name="Trần Thị Bình", phone="0987654321", **applicant))
    files = {1: [pdf()], 2: [SimpleUploadedFile("hd.png", png_bytes())]}
    return services.submit_dossier(world.reception, sub, files)


def at_agency_step(world):
    dossier = receive_land(world)
    services.forward(world.reception, dossier.code)
    return Dossier.objects.get(pk=dossier.pk)


def post_action(client, user, dossier, action, data=None, files=None):
    client.force_login(user)
    body = {f"{action}-version": dossier.version, **{f"{action}-{k}": v for k, v in (data or {}).items()}}
    body.update(files or {})
    return client.post(f"/dossiers/{dossier.code}/actions/{action}/", body)


def reception_post(**overrides):
    data = {"procedure": "1.004227", "channel": "counter", "kind": "person", "id_number": OTHER_ID,
            "name": "Trần Thị Bình", "phone": "0987654321", "sets": "1", "shown": ["4"],
            "document.1": pdf("phieu.pdf"), "document.2": SimpleUploadedFile("hd.png", png_bytes())}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- who may open what ------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/dossiers/", "/dossiers/receive/", "/dossiers/approvals/"])
def test_staff_pages_need_login(client, world, url):
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize(("url", "user"), [("/dossiers/receive/", "officer"), ("/dossiers/receive/", "citizen"),
                                           ("/dossiers/", "citizen"), ("/dossiers/approvals/", "officer"),
                                           ("/dossiers/approvals/", "reception")])
def test_staff_pages_need_the_role(client, world, url, user):
    client.force_login(getattr(world, user))
    response = client.get(url)
    assert response.status_code == 403
    assert "Bạn không có quyền" in response.content.decode()


def test_a_dossier_outside_the_viewers_scope_is_a_404(client, world):
    dossier = receive_land(world)
    client.force_login(world.other_officer)
    assert client.get(f"/dossiers/{dossier.code}/").status_code == 404
    assert post_action(client, world.other_officer, dossier, "take").status_code == 404


# --- reception --------------------------------------------------------------------------------------

def _called_ticket(world, point_code="cn1-q", number="A-012", national_id=KNOWN_ID):
    """A ticket of today now at a counter of `point_code`, bound to `national_id`."""
    from motcua.core import clock
    from motcua.org.models import Counter, ServiceGroup, ServicePoint
    from motcua.queueing.models import Ticket

    point, _ = ServicePoint.objects.get_or_create(branch=world.branch, code=point_code,
                                                  defaults={"name": point_code, "address": "1 Phố A"})
    group, _ = ServiceGroup.objects.get_or_create(center=world.center, code="tu-phap",
                                                  defaults={"name": "Tư pháp", "letter": "A"})
    counter = Counter.objects.create(service_point=point, number=Counter.objects.filter(service_point=point).count() + 1)
    return Ticket.objects.create(service_point=point, group=group, day=clock.today(), sequence=12, number=number,
                                 national_id=national_id, status=Ticket.Status.CALLED, counter=counter)


def test_reception_prefills_from_the_queue_and_the_registry(client, world):
    _called_ticket(world)
    client.force_login(world.reception)
    page = client.get("/dossiers/receive/?ticket=A-012&point=cn1-q").content.decode()
    assert 'value="Nguyễn Văn An"' in page and 'value="1 Điện Biên Phủ"' in page
    assert "A-012" in page and "CSDL dân cư đã xác nhận" in page


def test_reception_takes_the_id_from_the_called_ticket_not_from_the_address(client, world):
    client.force_login(world.reception)
    page = client.get(f"/dossiers/receive/?national_id={KNOWN_ID}").content.decode()
    assert f'value="{KNOWN_ID}"' not in page and "Nguyễn Văn An" not in page


def test_reception_shows_no_id_for_a_ticket_not_at_a_counter_or_of_another_branch(client, world):
    from motcua.queueing.models import Ticket

    ticket = _called_ticket(world)
    client.force_login(world.reception)
    ticket.status = Ticket.Status.DONE
    ticket.save(update_fields=["status"])
    assert f'value="{KNOWN_ID}"' not in client.get("/dossiers/receive/?ticket=A-012&point=cn1-q").content.decode()
    ticket.status = Ticket.Status.SERVING
    ticket.save(update_fields=["status"])
    assert f'value="{KNOWN_ID}"' in client.get("/dossiers/receive/?ticket=A-012&point=cn1-q").content.decode()
    ticket.service_point.branch = world.other_branch
    ticket.service_point.save(update_fields=["branch"])
    assert f'value="{KNOWN_ID}"' not in client.get("/dossiers/receive/?ticket=A-012&point=cn1-q").content.decode()


def test_reception_from_a_counter_records_its_service_point(client, world):
    from motcua.org.models import ServicePoint

    ServicePoint.objects.create(branch=world.branch, code="cn1-a", name="Điểm A", address="1 Phố A")
    _called_ticket(world, point_code="cn1-b")
    client.force_login(world.reception)
    page = client.get("/dossiers/receive/?ticket=A-012&point=cn1-b").content.decode()
    assert 'name="service_point" value="cn1-b"' in page and 'value="Nguyễn Văn An"' in page
    assert client.post("/dossiers/receive/", reception_post(service_point="cn1-b")).status_code == 302
    assert Dossier.objects.get().service_point.code == "cn1-b"


def test_procedure_search_ignores_diacritics(client, world):
    client.force_login(world.reception)
    page = client.get("/dossiers/receive/procedures/?q=the chap quyen su dung dat", HTTP_HX_REQUEST="true")
    assert 'value="1.004227"' in page.content.decode()
    assert "<html" not in page.content.decode()


def test_procedure_search_says_what_the_center_does_not_receive(client, world):
    from motcua.catalog.models import HandledElsewhere

    HandledElsewhere.objects.create(code="ho-chieu", name="Cấp hộ chiếu phổ thông", aliases=["hộ chiếu"],
                                    where="Phòng Quản lý xuất nhập cảnh, Công an thành phố Hà Nội")
    client.force_login(world.reception)
    page = client.get("/dossiers/receive/procedures/?q=cap lai ho chieu", HTTP_HX_REQUEST="true").content.decode()
    assert "Thủ tục này không tiếp nhận tại Trung tâm: Cấp hộ chiếu phổ thông." in page
    assert "Nộp tại: Phòng Quản lý xuất nhập cảnh" in page
    assert 'name="procedure"' not in page and "Không có thủ tục nào khớp" not in page


def test_procedure_search_explains_an_unknown_word(client, world):
    client.force_login(world.reception)
    page = client.get("/dossiers/receive/procedures/?q=xyzzy", HTTP_HX_REQUEST="true").content.decode()
    assert "Danh mục không có thủ tục nào chứa từ “xyzzy”" in page


def test_checklist_marks_registry_documents_as_not_needed(client, world):
    client.force_login(world.reception)
    page = client.get("/dossiers/receive/checklist/?procedure=1.001193&registry=found").content.decode()
    assert "Không cần nộp: đã khai thác từ CSDL dân cư" in page and 'name="document.1"' in page
    page = client.get("/dossiers/receive/checklist/?procedure=1.001193").content.decode()
    assert 'name="document.2"' in page


def test_registry_lookup_fragment(client, world):
    client.force_login(world.reception)
    page = client.post("/dossiers/receive/lookup/", {"kind": "person", "id_number": KNOWN_ID,
                                                     "procedure": "1.001193"}).content.decode()
    assert 'value="Nguyễn Văn An"' in page and 'hx-swap-oob="true"' in page
    page = client.post("/dossiers/receive/lookup/", {"kind": "person", "id_number": OTHER_ID}).content.decode()
    assert "CSDL dân cư không có số định danh này" in page


def test_reception_submits_through_the_service(client, world):
    client.force_login(world.reception)
    response = client.post("/dossiers/receive/", reception_post())
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/dossiers/received/{dossier.code}/"
    page = client.get(response["Location"]).content.decode()
    assert dossier.code in page and f"/api/dossiers/{dossier.code}/slips/01.pdf" in page
    assert timezone.localtime(dossier.due_at).strftime("%d/%m/%Y") in page
    assert dossier.state == State.RECEIVED and dossier.documents.count() == 3


def test_reception_lists_every_problem_and_stores_nothing(client, world):
    client.force_login(world.reception)
    response = client.post("/dossiers/receive/", reception_post(**{"document.2": None, "id_number": "123"}))
    page = response.content.decode()
    assert response.status_code == 422
    assert "Thiếu thành phần hồ sơ: Hợp đồng thế chấp" in page
    assert "12 chữ số" in page and 'aria-invalid="true"' in page
    assert Dossier.objects.count() == 0


def test_reception_shows_the_forms_errors_and_intakes_problems_at_once(client, world):
    client.force_login(world.reception)
    response = client.post("/dossiers/receive/", reception_post(
        email="not-an-address", sets="0", phone="12345", birth_date="2999-01-01", **{"document.2": None}))
    page = response.content.decode()
    assert response.status_code == 422
    assert "Thư điện tử:" in page and "Số bộ hồ sơ:" in page  # the form's own errors
    assert "Điện thoại: Số điện thoại không hợp lệ" in page  # and intake's, in the same answer
    assert "Ngày sinh không thể sau ngày hôm nay." in page
    assert "Thiếu thành phần hồ sơ: Hợp đồng thế chấp" in page
    assert 'href="#id_phone"' in page and 'href="#doc-2"' in page  # each problem leads to its field
    assert Dossier.objects.count() == 0


def test_reception_offers_the_current_communes_in_a_select(client, world):
    from motcua.org.models import AdministrativeUnit

    AdministrativeUnit.objects.create(level="commune", code="00001", name="Phường Phúc Xá", is_current=False)
    AdministrativeUnit.objects.create(level="commune", code="00100", name="Xã Sóc Sơn", kind="xã",
                                      parent=world.commune.parent)
    client.force_login(world.reception)
    page = client.get("/dossiers/receive/").content.decode()
    select = re.search(r'<select name="commune"[^>]*>(.*?)</select>', page, re.S)
    assert select is not None and 'id="id_commune"' in select.group(0)
    assert '<option value="00004">Phường Ba Đình</option>' in select.group(1)
    assert '<optgroup label="Hà Nội — Xã">' in select.group(1) and "Xã Sóc Sơn" in select.group(1)
    assert "Phúc Xá" not in select.group(1)  # merged on 1/7/2025


def test_reception_shows_a_mismatch_between_the_id_and_the_gender_on_the_field(client, world):
    client.force_login(world.reception)
    response = client.post("/dossiers/receive/", reception_post(gender="male", commune="00001"))
    page = response.content.decode()
    assert response.status_code == 422
    assert re.search(r'id="id_gender_error">Giới tính nam không khớp với số định danh: chữ số thứ 4', page)
    assert "Không có xã, phường với mã này." in page
    assert Dossier.objects.count() == 0


def test_reception_rejects_a_file_that_is_not_a_document(client, world):
    client.force_login(world.reception)
    bad = SimpleUploadedFile("to-khai.pdf", b"<!doctype html><html><script>alert(1)</script></html>")
    response = client.post("/dossiers/receive/", reception_post(**{"document.1": bad}))
    page = response.content.decode()
    assert response.status_code == 422
    assert "Tệp “to-khai.pdf” không được nhận: nội dung tệp không phải là PDF, JPEG hoặc PNG" in page
    assert Dossier.objects.count() == 0


# --- inbox ------------------------------------------------------------------------------------------

def test_inbox_lists_flags_and_filters(client, world):
    dossier = at_agency_step(world)
    Dossier.objects.filter(pk=dossier.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    client.force_login(world.officer)
    page = client.get("/dossiers/").content.decode()
    assert dossier.code in page and "Quá hạn" in page
    assert dossier.code in client.get("/dossiers/?overdue=on").content.decode()
    assert dossier.code not in client.get("/dossiers/?mine=on").content.decode()
    fragment = client.get("/dossiers/?state=processing", HTTP_HX_REQUEST="true").content.decode()
    assert dossier.code in fragment and "<html" not in fragment


# --- the dossier page and its actions ----------------------------------------------------------------

def test_dossier_page_masks_personal_data_for_a_consulted_agency(client, world):
    dossier = at_agency_step(world)
    client.force_login(world.officer)
    assert OTHER_ID in client.get(f"/dossiers/{dossier.code}/").content.decode()
    services.take(world.officer, dossier.code)
    services.consult(world.officer, dossier.code, agency="so-xd", question="Ý kiến về quy hoạch?")
    client.force_login(world.other_officer)
    page = client.get(f"/dossiers/{dossier.code}/").content.decode()
    assert OTHER_ID not in page and "Trần Thị Bình" not in page and "********5678" in page
    assert "Trả lời xin ý kiến" in page


def test_take_forward_propose_and_approve_through_the_page(client, world):
    dossier = receive_land(world)
    assert post_action(client, world.reception, dossier, "forward", {"note": "Đủ"}).status_code == 302
    dossier.refresh_from_db()
    page = client.get(f"/dossiers/{dossier.code}/").content.decode()
    assert "Đã chuyển bước tiếp." in page
    response = post_action(client, world.officer, dossier, "take")
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.current_step.assignee == world.officer
    assert post_action(client, world.officer, dossier, "propose_approval").status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == State.AWAITING_APPROVAL
    assert post_action(client, world.leader, dossier, "approve").status_code == 302
    assert Dossier.objects.get(pk=dossier.pk).state == State.APPROVED


def test_a_reason_is_required_and_nothing_changes_without_it(client, world):
    dossier = at_agency_step(world)
    services.take(world.officer, dossier.code)
    dossier.refresh_from_db()
    response = post_action(client, world.officer, dossier, "send_back", {"reason": ""})
    assert response.status_code == 422 and "field-error" in response.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).version == dossier.version


def test_a_stale_version_shows_the_conflict_and_a_reload_link(client, world):
    dossier = at_agency_step(world)
    stale = dossier.version
    services.take(world.officer, dossier.code)
    dossier.version = stale
    response = post_action(client, world.officer, dossier, "forward")
    page = response.content.decode()
    assert response.status_code == 409
    assert "Dữ liệu đã bị thay đổi" in page and 'id="reload-link"' in page


def test_domain_errors_are_shown_on_the_page(client, world):
    dossier = at_agency_step(world)
    services.take(world.officer, dossier.code)
    dossier.refresh_from_db()
    response = post_action(client, world.officer, dossier, "forward")
    assert response.status_code == 400 and "hãy trình phê duyệt" in response.content.decode()


def test_consult_and_answer(client, world):
    dossier = at_agency_step(world)
    services.take(world.officer, dossier.code)
    dossier.refresh_from_db()
    response = post_action(client, world.officer, dossier, "consult",
                           {"agency": "so-xd", "question": "Quy hoạch?", "hours": "8"})
    assert response.status_code == 302
    question = Consultation.objects.get()
    dossier.refresh_from_db()
    client.force_login(world.other_officer)
    response = client.post(f"/dossiers/{dossier.code}/actions/answer_consultation/", {
        "prefix": question.pk, f"answer-{question.pk}-version": dossier.version,
        f"answer-{question.pk}-consultation": question.pk, f"answer-{question.pk}-answer": "Phù hợp"})
    assert response.status_code == 302
    assert Consultation.objects.get().answer == "Phù hợp"


def test_request_supplement_lists_the_items(client, world):
    dossier = at_agency_step(world)
    services.take(world.officer, dossier.code)
    dossier.refresh_from_db()
    response = post_action(client, world.officer, dossier, "request_supplement", {"item_0_name": "Sơ đồ thửa đất"})
    assert response.status_code == 422 and Dossier.objects.get(pk=dossier.pk).state == State.PROCESSING
    response = post_action(client, world.officer, dossier, "request_supplement",
                           {"item_0_name": "Sơ đồ thửa đất", "item_0_reason": "Thiếu chữ ký"})
    assert response.status_code == 302
    assert Dossier.objects.get(pk=dossier.pk).supplement.items == [{"name": "Sơ đồ thửa đất",
                                                                     "reason": "Thiếu chữ ký"}]


def test_refuse_with_the_legal_reason_then_return(client, world):
    dossier = at_agency_step(world)
    services.take(world.officer, dossier.code)
    dossier.refresh_from_db()
    assert post_action(client, world.officer, dossier, "refuse", {"reason": "Điều 5 Nghị định 101"}).status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == State.REFUSED
    response = post_action(client, world.reception, dossier, "return_result", {"method": "counter",
                                                                               "received_by_name": ""})
    assert response.status_code == 422 and "Cần ghi tên người nhận kết quả." in response.content.decode()
    response = post_action(client, world.reception, dossier, "return_result", {"method": "counter",
                                                                               "received_by_name": "Trần Thị Bình"})
    assert response.status_code == 302 and Dossier.objects.get(pk=dossier.pk).state == State.RETURNED


def test_result_attached_marked_ready_and_returned(client, world):
    dossier = at_agency_step(world)
    services.take(world.officer, dossier.code)
    services.propose_approval(world.officer, dossier.code)
    services.approve(world.leader, dossier.code)
    dossier.refresh_from_db()
    client.force_login(world.reception)
    page = client.get(f"/dossiers/{dossier.code}/")
    assert "Đính kèm kết quả" in page.content.decode()
    bad = post_action(client, world.reception, dossier, "attach_result", files={"attach_result-result":
                                                                                SimpleUploadedFile("r.pdf", b"x")})
    assert bad.status_code == 422 and not Dossier.objects.get(pk=dossier.pk).result_file
    assert post_action(client, world.reception, dossier, "attach_result",
                       files={"attach_result-result": pdf("kq.pdf")}).status_code == 302
    dossier.refresh_from_db()
    assert post_action(client, world.reception, dossier, "mark_ready").status_code == 302
    dossier.refresh_from_db()
    assert post_action(client, world.reception, dossier, "return_result",
                       {"method": "electronic", "received_by_name": ""}).status_code == 302
    assert Dossier.objects.get(pk=dossier.pk).state == State.RETURNED


def test_withdraw_and_apologise(client, world):
    dossier = at_agency_step(world)
    new_due = timezone.localtime(common.calendar_of(dossier).add_working_days(dossier.due_at, 3)).strftime(
        "%Y-%m-%dT%H:%M")
    assert post_action(client, world.officer, dossier, "apologise",
                       {"new_due_at": new_due, "reason": "Chờ xác minh"}).status_code == 302
    dossier.refresh_from_db()
    assert dossier.original_due_at is not None
    assert post_action(client, world.reception, dossier, "withdraw", {"reason": ""}).status_code == 422
    assert post_action(client, world.reception, dossier, "withdraw", {"reason": "Đơn rút"}).status_code == 302
    assert Dossier.objects.get(pk=dossier.pk).state == State.WITHDRAWN


def test_only_the_competent_agency_is_offered_the_refusal_and_its_letter_is_linked(client, world):
    dossier = at_agency_step(world)
    client.force_login(world.leader)
    assert 'id="action-refuse"' not in client.get(f"/dossiers/{dossier.code}/").content.decode()
    assert post_action(client, world.leader, dossier, "refuse", {"reason": "Không đủ điều kiện"}).status_code == 403
    client.force_login(world.officer)
    assert 'id="action-refuse"' in client.get(f"/dossiers/{dossier.code}/").content.decode()
    assert post_action(client, world.officer, dossier, "refuse", {"reason": "Không đủ điều kiện"}).status_code == 302
    page = client.get(f"/dossiers/{dossier.code}/").content.decode()
    assert f"/api/dossiers/{dossier.code}/slips/refusal.pdf" in page and "/slips/03.pdf" not in page


def test_the_branch_leader_reassigns_from_the_dossier_page(client, world):
    dossier = at_agency_step(world)
    client.force_login(world.officer)
    assert 'id="action-reassign"' not in client.get(f"/dossiers/{dossier.code}/").content.decode()
    client.force_login(world.leader)
    page = client.get(f"/dossiers/{dossier.code}/").content.decode()
    assert "Chuyển cơ quan giải quyết" in page and 'value="so-xd"' in page
    assert post_action(client, world.leader, dossier, "reassign", {"agency": "so-xd", "reason": ""}).status_code == 422
    assert post_action(client, world.leader, dossier, "reassign",
                       {"agency": "so-xd", "reason": "Sai thẩm quyền"}).status_code == 302
    assert Dossier.objects.get(pk=dossier.pk).competent_agency.code == "so-xd"


def slip_links(page: str) -> list[str]:
    return re.findall(r'href="(/api/dossiers/[^"]+/slips/0[1-6]\.pdf)"', page)


def test_every_slip_linked_from_the_pages_answers(client, world):
    dossier = at_agency_step(world)
    services.take(world.officer, dossier.code)
    services.request_supplement(world.officer, dossier.code, items=[{"name": "Sơ đồ", "reason": "Thiếu"}])
    other = at_agency_step(world)
    services.withdraw(world.reception, other.code, reason="Đơn rút")
    client.force_login(world.reception)
    links = slip_links(client.get(f"/dossiers/{dossier.code}/").content.decode())
    links += slip_links(client.get(f"/dossiers/{other.code}/").content.decode())
    assert {link[-6:] for link in links} == {"01.pdf", "02.pdf", "05.pdf", "06.pdf"}
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, link
        assert response["Content-Type"] == "application/pdf"


def filed_online(world):
    sub = services.Submission(procedure="1.004227", channel="online", branch="cn1", applicant=services.ApplicantData(
        kind="person", id_number=OTHER_ID, name="Trần Thị Bình", phone="0987654321"))
    return services.submit_dossier(world.citizen, sub, {1: [pdf()], 2: [pdf("hd.pdf")]})


def test_reception_receives_or_refuses_an_online_dossier(client, world):
    first, second = filed_online(world), filed_online(world)
    assert post_action(client, world.reception, first, "receive").status_code == 302
    assert Dossier.objects.get(pk=first.pk).state == State.RECEIVED
    assert post_action(client, world.reception, second, "refuse_intake", {"reason": ""}).status_code == 422
    assert post_action(client, world.reception, second, "refuse_intake",
                       {"reason": "Sai thủ tục"}).status_code == 302
    assert Dossier.objects.get(pk=second.pk).state == State.NOT_RECEIVED


def test_send_back_with_a_reason(client, world):
    dossier = at_agency_step(world)
    services.take(world.officer, dossier.code)
    dossier.refresh_from_db()
    assert post_action(client, world.officer, dossier, "send_back", {"reason": "Thiếu chữ ký"}).status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == State.RECEIVED and dossier.current_step.position == 1


def test_an_unknown_action_is_a_404(client, world):
    dossier = receive_land(world)
    assert post_action(client, world.reception, dossier, "explode").status_code == 404


# --- approvals ----------------------------------------------------------------------------------------

def test_leader_approves_several_at_once(client, world):
    codes = []
    for _n in range(2):
        dossier = at_agency_step(world)
        services.take(world.officer, dossier.code)
        services.propose_approval(world.officer, dossier.code)
        codes.append(dossier.code)
    client.force_login(world.leader)
    page = client.get("/dossiers/approvals/").content.decode()
    assert all(code in page for code in codes)
    data = {"code": codes, **{f"version-{c}": Dossier.objects.get(code=c).version for c in codes}}
    response = client.post("/dossiers/approvals/", data, follow=True)
    assert "Đã phê duyệt hồ sơ" in response.content.decode()
    assert set(Dossier.objects.values_list("state", flat=True)) == {State.APPROVED}


def test_approval_with_a_stale_version_is_reported_and_not_applied(client, world):
    dossier = at_agency_step(world)
    services.take(world.officer, dossier.code)
    services.propose_approval(world.officer, dossier.code)
    client.force_login(world.leader)
    response = client.post("/dossiers/approvals/", {"code": [dossier.code], f"version-{dossier.code}": 1},
                           follow=True)
    assert "Dữ liệu đã bị thay đổi" in response.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).state == State.AWAITING_APPROVAL


# --- public tracking ---------------------------------------------------------------------------------

def test_tracking_shows_the_public_view_only(client, world):
    dossier = receive_land(world)
    assert f'value="{dossier.code}"' in client.get(f"/tracking/{dossier.code}/").content.decode()
    page = client.post("/tracking/", {"code": dossier.code, "key": dossier.printed_tracking_key}).content.decode()
    assert "Đã tiếp nhận" in page and "Tiếp nhận" in page
    assert "Trần Thị Bình" not in page and OTHER_ID not in page and "0987654321" not in page


def test_the_qr_code_of_the_slip_opens_the_dossier_at_once(client, world):
    dossier = receive_land(world)
    page = client.get(dossier.tracking_path())
    assert page.status_code == 200 and 'id="tracking-result"' in page.content.decode()
    assert dossier.tracking_path() == f"/tracking/{dossier.code}/?key={dossier.printed_tracking_key}"


def test_the_last_digits_of_the_phone_no_longer_open_the_page(client, world):
    dossier = receive_land(world)
    page = client.post("/tracking/", {"code": dossier.code, "key": "4321"}).content.decode()
    assert 'id="tracking-result"' not in page


def test_tracking_wrong_check_looks_like_an_unknown_code(client, world):
    dossier = receive_land(world)
    wrong = client.post("/tracking/", {"code": dossier.code, "key": "0000000000"}).content.decode()
    unknown = client.post("/tracking/", {"code": "NO-SUCH-CODE", "key": dossier.printed_tracking_key}).content.decode()
    message = "Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu này."
    assert message in wrong and message in unknown
    assert dossier.procedure.name not in wrong


def test_tracking_is_rate_limited(client, world):
    for _n in range(30):
        client.post("/tracking/", {"code": "X", "key": "0000000000"})
    response = client.post("/tracking/", {"code": "X", "key": "0000000000"})
    assert response.status_code == 429


def test_the_pages_speak_english_too(client, world):
    dossier = receive_land(world)
    client.force_login(world.reception)
    client.cookies["django_language"] = "en"
    assert "Track your dossier" in client.get("/tracking/").content.decode()
    page = client.get(f"/dossiers/{dossier.code}/").content.decode()
    assert "Dossier <span" in page and "Forward" in page and "Processing and hand-overs" in page
    assert "1. Procedure" in client.get("/dossiers/receive/").content.decode()
