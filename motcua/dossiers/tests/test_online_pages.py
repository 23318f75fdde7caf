"""The citizen's pages: online submission through the intake service, and the list of one's own dossiers."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.dossiers import services
from motcua.dossiers.models import Channel, Dossier, DossierDocument, State
from motcua.org.models import Person

from .conftest import KNOWN_ID, OTHER_ID, pdf, png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen(world):
    """The world's citizen, linked to the person the registry knows."""
    Person.objects.filter(national_id=KNOWN_ID).update(user=world.citizen)
    return world.citizen


def online_post(**overrides):
    data = {"procedure": "1.004227", "name": "Nguyễn Văn An", "phone": "0912345678", "address": "1 Điện Biên Phủ",
            "document.1": pdf("phieu.pdf"), "document.2": SimpleUploadedFile("hd.png", png_bytes())}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize("url", ["/dossiers/online/", "/dossiers/mine/"])
def test_citizen_pages_need_login(client, world, url):
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("url", ["/dossiers/online/", "/dossiers/mine/"])
@pytest.mark.parametrize("user", ["reception", "officer", "director"])
def test_citizen_pages_need_the_citizen_role(client, world, url, user):
    client.force_login(getattr(world, user))
    response = client.get(url)
    assert response.status_code == 403
    assert "Bạn không có quyền" in response.content.decode()


def test_the_form_is_prefilled_from_the_citizens_record(client, world, citizen):
    client.force_login(citizen)
    page = client.get("/dossiers/online/?procedure=1.001193").content.decode()
    assert KNOWN_ID in page and "Nguyễn Văn An" in page and "0912345678" in page and "1 Điện Biên Phủ" in page
    assert 'id="applicant-id"' in page and "readonly" in page
    # The registry knows the person: the residence paper is not needed.
    assert "Không cần nộp: đã khai thác từ CSDL dân cư" in page


def test_searching_lists_operational_procedures(client, world, citizen):
    client.force_login(citizen)
    page = client.get("/dossiers/online/?q=the chap").content.decode()
    assert "Đăng ký thế chấp quyền sử dụng đất" in page and "?procedure=1.004227" in page


def test_searching_for_what_the_center_does_not_receive_says_where_to_go(client, world, citizen):
    from motcua.catalog.models import HandledElsewhere

    HandledElsewhere.objects.create(code="ho-chieu", name="Cấp hộ chiếu phổ thông", aliases=["hộ chiếu"],
                                    where="Phòng Quản lý xuất nhập cảnh, Công an thành phố Hà Nội")
    client.force_login(citizen)
    page = client.get("/dossiers/online/?q=hộ chiếu").content.decode()
    assert "Thủ tục này không tiếp nhận tại Trung tâm: Cấp hộ chiếu phổ thông." in page
    assert "?procedure=" not in page


def test_a_citizen_without_a_person_record_is_told_so(client, world):
    client.force_login(world.citizen)
    response = client.get("/dossiers/online/")
    assert response.status_code == 200 and 'id="no-person"' in response.content.decode()
    assert Dossier.objects.count() == 0


def test_submitting_creates_a_new_online_dossier_owned_by_the_citizen(client, world, citizen):
    client.force_login(citizen)
    response = client.post("/dossiers/online/", online_post())
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.state == State.NEW and dossier.channel == Channel.ONLINE and dossier.owner == citizen
    assert dossier.applicant_id_number == KNOWN_ID and dossier.branch is None
    assert dossier.documents.filter(source=DossierDocument.Source.UPLOAD).count() == 2
    page = client.get(response["Location"]).content.decode()
    assert dossier.code in page and dossier.tracking_path() in page and dossier.printed_tracking_key in page


def test_the_id_number_cannot_be_changed_by_the_form(client, world, citizen):
    client.force_login(citizen)
    assert client.post("/dossiers/online/", online_post(id_number=OTHER_ID)).status_code == 302
    assert Dossier.objects.get().applicant_id_number == KNOWN_ID


def test_a_missing_document_is_a_422_and_nothing_is_stored(client, world, citizen):
    client.force_login(citizen)
    response = client.post("/dossiers/online/", online_post(**{"document.2": None}))
    assert response.status_code == 422
    page = response.content.decode()
    assert "Thiếu thành phần hồ sơ: Hợp đồng thế chấp" in page and "Chưa có gì được lưu" in page
    assert Dossier.objects.count() == 0 and DossierDocument.objects.count() == 0


def test_a_bad_representative_number_is_shown_by_its_field(client, world, citizen):
    client.force_login(citizen)
    response = client.post("/dossiers/online/", online_post(rep_name="Trần Thị Bình", rep_id_number="123"))
    assert response.status_code == 422
    assert 'id="id_rep_id_number_error"' in response.content.decode()
    assert Dossier.objects.count() == 0


def test_an_unknown_procedure_is_a_422(client, world, citizen):
    client.force_login(citizen)
    response = client.post("/dossiers/online/", online_post(procedure="9.999999"))
    assert response.status_code == 422 and Dossier.objects.count() == 0


def test_the_confirmation_shows_only_the_citizens_own_dossier(client, world, citizen):
    counter = services.submit_dossier(world.reception, services.Submission(
        procedure="1.004227", shown=[4], applicant=services.ApplicantData(kind="person", id_number=OTHER_ID,
                                                                          name="Trần Thị Bình")),
        {1: [pdf()], 2: [pdf("hd.pdf")]})
    client.force_login(citizen)
    page = client.get(f"/dossiers/online/?done={counter.code}").content.decode()
    assert 'id="online-code"' not in page and f"/tracking/{counter.code}/" not in page


def test_my_dossiers_lists_only_the_citizens_own(client, world, citizen):
    client.force_login(citizen)
    client.post("/dossiers/online/", online_post())
    mine = Dossier.objects.get()
    counter = services.submit_dossier(world.reception, services.Submission(
        procedure="1.004227", shown=[4], applicant=services.ApplicantData(kind="person", id_number=OTHER_ID,
                                                                          name="Trần Thị Bình")),
        {1: [pdf()], 2: [pdf("hd.pdf")]})
    response = client.get("/dossiers/mine/")
    page = response.content.decode()
    assert response.status_code == 200
    assert mine.code in page and mine.tracking_path() in page and "Đăng ký thế chấp quyền sử dụng đất" in page
    assert counter.code not in page


def test_my_dossiers_shows_the_appointment_as_dd_mm_yyyy(client, world, citizen):
    client.force_login(citizen)
    client.post("/dossiers/online/", online_post())
    dossier = Dossier.objects.get()
    services.receive_online(world.reception, dossier.code)
    dossier.refresh_from_db()
    from motcua.core.templatetags.motcua import vndate

    page = client.get("/dossiers/mine/").content.decode()
    assert vndate(dossier.due_at) in page and dossier.get_state_display() in page


def test_my_dossiers_empty(client, world, citizen):
    client.force_login(citizen)
    assert 'id="no-dossiers"' in client.get("/dossiers/mine/").content.decode()


def test_the_forms_errors_and_intakes_problems_are_shown_together(client, world, citizen):
    client.force_login(citizen)
    response = client.post("/dossiers/online/", online_post(email="not-an-address", phone="0612 345 678",
                                                            **{"document.2": None}))
    page = response.content.decode()
    assert response.status_code == 422
    assert "Thư điện tử:" in page and 'id="id_phone_error">Số điện thoại không hợp lệ' in page
    assert "Thiếu thành phần hồ sơ: Hợp đồng thế chấp" in page
    assert Dossier.objects.count() == 0


def test_the_phone_is_stored_in_its_national_form(client, world, citizen):
    client.force_login(citizen)
    response = client.post("/dossiers/online/", online_post(phone="+84 912 345 678"))
    assert response.status_code == 302
    assert Dossier.objects.get().applicant_phone == "0912345678"
