"""The printed forms of a dossier (01-06) and the register (07) through the API, read back with pdftotext."""

import datetime as dt
import io
import logging
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import timezone

from motcua.core.errors import ValidationFailed
from motcua.core.models import AuditEntry
from motcua.dossiers import services, slips
from motcua.dossiers.models import Dossier
from motcua.org.models import ServicePoint
from motcua.pdf.text import format_date

from .conftest import OTHER_ID, act, land_payload, pdf, submit

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext)"),
]

PROCEDURE = "Đăng ký thế chấp quyền sử dụng đất"
APPLICANT = "Trần Thị Bình"


def text_of(content: bytes, layout: bool = False) -> str:
    """The PDF's text with whitespace collapsed (long values wrap over lines); `layout` keeps table rows."""
    command = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), "-", "-"]
    out = subprocess.run(command, input=content, capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


def keep(name: str, content: bytes) -> None:
    """Write the PDF into $MOTCUA_FORMS_DIR when set (to look at the rendered forms)."""
    folder = os.environ.get("MOTCUA_FORMS_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / name).write_bytes(content)


def fetch(client, user, code, form):
    if user is not None:
        client.force_login(user)
    return client.get(f"/api/dossiers/{code}/slips/{form}.pdf")


def fetch_pdf(client, user, code, form, keep_as: str | None = "dossier-{form}.pdf") -> str:
    response = fetch(client, user, code, form)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{code}-{form}.pdf"'
    assert response.content.startswith(b"%PDF")
    if keep_as:
        keep(keep_as.format(form=form), response.content)
    return text_of(response.content)


def assert_common(text: str, dossier: Dossier) -> None:
    assert dossier.code in text
    assert APPLICANT in text
    assert PROCEDURE in text


@pytest.fixture
def point(world):
    return ServicePoint.objects.create(branch=world.branch, code="cn1-vcc", name="Điểm tiếp nhận Võ Chí Công",
                                       address="258 Võ Chí Công, phường Phú Thượng")


@pytest.fixture
def code(client, world, point):
    applicant = {"kind": "person", "id_number": OTHER_ID, "name": APPLICANT, "phone": "0987654321",
                 "email": "binh.tran@example.vn", "address": "Số 5 ngõ 12 phố Đội Cấn, phường Ba Đình"}
    world.branch.phone = "024 3771 2345"
    world.branch.save()
    response = submit(client, world.reception, land_payload(applicant=applicant))
    assert response.status_code == 201
    return response.json()["code"]


def dossier_of(code) -> Dossier:
    return Dossier.objects.select_related("procedure", "branch", "competent_agency").get(code=code)


def to_officer(client, world, code):
    assert act(client, world.reception, code, "forward").status_code == 200
    assert act(client, world.officer, code, "take").status_code == 200


# --- 01 -------------------------------------------------------------------------------------------

def test_receipt_slip_01(client, world, code, settings):
    settings.MOTCUA_PUBLIC_URL = "https://dichvucong.example.vn/"
    text = fetch_pdf(client, world.reception, code, "01")
    dossier = dossier_of(code)
    assert_common(text, dossier)
    assert "GIẤY TIẾP NHẬN HỒ SƠ" in text
    assert f"Thời gian nhận hồ sơ: {dossier.received_at.astimezone(timezone.get_current_timezone()):%H:%M} ngày " \
           f"{format_date(dossier.received_at)}" in text
    assert format_date(dossier.due_at) in text
    assert OTHER_ID in text and "0987654321" in text  # the applicant's own slip: full ID
    assert "Số 5 ngõ 12 phố Đội Cấn, phường Ba Đình" in text and "binh.tran@example.vn" in text
    assert "Chi nhánh số 1 (Điểm tiếp nhận Võ Chí Công) tiếp nhận hồ sơ của" in text
    assert "Nơi trả kết quả: Điểm tiếp nhận Võ Chí Công, 258 Võ Chí Công, phường Phú Thượng" in text
    assert "3 ngày làm việc" in text
    year = timezone.localdate(dossier.received_at).year
    assert "Số: 0001/TNHS-CN01" in text  # the branch's first receipt of the year
    assert f"Vào Sổ theo dõi hồ sơ, Quyển số: CN01/{year}, Số thứ tự: 1" in text
    assert "Phí, lệ phí" not in text  # the procedure's fees are not fixed per dossier
    assert "UBND HÀ NỘI" in text and "TRUNG TÂM PVHCC HÀ NỘI" in text
    assert f"Hà Nội, ngày {dossier.received_at.astimezone(timezone.get_current_timezone()):%d} tháng" in text
    # Documents with their kind and count; the ID card shown at the counter.
    text = text_of(fetch(client, world.reception, code, "01").content, layout=True)
    assert "1 Phiếu yêu cầu đăng ký Bản chính 01" in text
    assert "Hợp đồng thế chấp Bản sao chứng thực 01" in text
    assert "Căn cước Bản chính (xuất trình) 01" in text
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in text and "reception" in text
    form = slips.receipt_slip(dossier)
    key = dossier.printed_tracking_key
    assert form.tracking_url == f"https://dichvucong.example.vn/tracking/{code}/?key={key}"
    assert form.tracking_key == key and "Mã tra cứu hồ sơ" in text and key in text
    assert form.return_at == dossier.due_at and form.receiving_officer.name == "reception"


def test_receipt_slip_says_what_came_from_the_population_database(client, world):
    from motcua.catalog.models import RequiredDocument

    from .conftest import KNOWN_ID

    # The ID card the catalog asks to be shown, replaced by the registry's record like the residence paper.
    RequiredDocument.objects.create(procedure=world.birth, position=3, name="Căn cước", kind="shown",
                                    registry_replaces=True)
    sub = services.Submission(procedure="1.001193", applicant=services.ApplicantData(
        kind="person", id_number=KNOWN_ID, name="Nguyễn Văn An", phone="0912345678"))
    dossier = services.submit_dossier(world.reception, sub, {1: [pdf()]})
    kinds = {d.name: d.kind for d in slips.receipt_slip(dossier).documents}
    assert kinds == {"Tờ khai đăng ký khai sinh": "Bản chính",
                     "Giấy xác nhận cư trú": "Khai thác từ CSDL quốc gia về dân cư",
                     "Căn cước": "Khai thác từ CSDL quốc gia về dân cư"}
    text = fetch_pdf(client, world.reception, dossier.code, "01", keep_as="dossier-01-registry.pdf")
    assert text.count("Khai thác từ CSDL quốc gia về dân cư") == 2 and "xuất trình" not in text


def test_receipt_slip_counts_files_of_an_online_dossier_as_electronic_copies(client, world, point):
    payload = {"procedure": "1.004227", "branch": "cn1", "shown": [4],
               "applicant": {"id_number": OTHER_ID, "name": APPLICANT, "phone": "0987654321"}}
    files = {"document.1": [pdf("p1.pdf"), pdf("p2.pdf")], "document.2": pdf("hd.pdf")}
    code = submit(client, world.citizen, payload, files).json()["code"]
    assert fetch(client, world.citizen, code, "01").json()["code"] == "form_not_applicable"  # not received yet
    assert act(client, world.reception, code, "receive").status_code == 200
    fetch_pdf(client, world.citizen, code, "01", keep_as=None)  # the owner may print their own slip
    text = text_of(fetch(client, world.citizen, code, "01").content, layout=True)
    assert "Phiếu yêu cầu đăng ký Bản điện tử 02" in text and "Hợp đồng thế chấp Bản điện tử 01" in text


# --- 02 -------------------------------------------------------------------------------------------

def test_supplement_request_02_only_when_one_exists(client, world, code):
    response = fetch(client, world.reception, code, "02")
    assert response.status_code == 409 and response.json()["code"] == "form_not_applicable"
    assert "bổ sung" in response.json()["message"]
    items = [{"name": "Hợp đồng thế chấp có công chứng", "reason": "Bản đã nộp thiếu trang 2"}]
    assert act(client, world.reception, code, "request_supplement", {"items": items}).status_code == 200
    text = fetch_pdf(client, world.reception, code, "02")
    dossier = dossier_of(code)
    assert_common(text, dossier)
    assert "PHIẾU YÊU CẦU BỔ SUNG" in text
    assert "Hợp đồng thế chấp có công chứng" in text and "Bản đã nộp thiếu trang 2" in text
    assert "Số: 0001/BSHS-CN01" in text
    assert "liên hệ với reception, Chi nhánh số 1 (Điểm tiếp nhận Võ Chí Công), số điện thoại 024 3771 2345" in text
    form = slips.supplement_request(dossier)
    assert format_date(form.complete_by) in text and form.complete_by > timezone.localdate(dossier.received_at)
    assert format_date(dossier.received_at) in text
    # The receipt slip still gives an appointment while the clock is stopped.
    assert dossier.due_at is None
    assert format_date(slips.receipt_slip(dossier).return_at) in fetch_pdf(client, world.reception, code, "01",
                                                                           keep_as=None)


# --- 03 -------------------------------------------------------------------------------------------

def test_the_competent_agency_refuses_with_its_own_letter_not_form_03(client, world, code):
    assert fetch(client, world.reception, code, "refusal").json()["code"] == "form_not_applicable"
    to_officer(client, world, code)
    reason = "Không đủ điều kiện theo Điều 5 Nghị định 99/2022/NĐ-CP"
    assert act(client, world.leader, code, "refuse", {"reason": reason}).status_code == 403  # not the center's call
    assert act(client, world.officer, code, "refuse", {"reason": reason}).status_code == 200
    assert fetch(client, world.officer, code, "03").json()["code"] == "form_not_applicable"
    text = fetch_pdf(client, world.officer, code, "refusal")
    dossier = dossier_of(code)
    assert "THÔNG BÁO" in text and "Về việc từ chối giải quyết hồ sơ" in text and reason in text
    assert "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG" in text and "GIÁM ĐỐC" in text  # the agency, signed by its head
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN" not in text and "TCHS" not in text
    assert not dossier.slip_numbers.filter(form="03").exists()  # the branch's book of form 03 is untouched
    refused_on = timezone.localdate(dossier.result_ready_at)
    assert f"ngày {refused_on:%d} tháng {refused_on:%m} năm {refused_on:%Y}" in text
    # Still printable once the refusal has been handed over.
    act(client, world.reception, code, "return_result", {"method": "counter", "received_by_name": APPLICANT})
    assert fetch(client, world.reception, code, "refusal").status_code == 200


def test_refusal_03_of_an_online_dossier_not_received(client, world):
    payload = {"procedure": "1.004227", "shown": [4], "applicant": {"id_number": OTHER_ID, "name": APPLICANT}}
    code = submit(client, world.citizen, payload).json()["code"]
    assert act(client, world.reception, code, "refuse_intake", {"reason": "Hồ sơ giả mạo chữ ký"}).status_code == 200
    text = fetch_pdf(client, world.citizen, code, "03", keep_as=None)
    assert_common(text, dossier_of(code))
    assert "Hồ sơ giả mạo chữ ký" in text


# --- 04 -------------------------------------------------------------------------------------------

def test_apology_04_only_when_one_exists(client, world, code):
    assert fetch(client, world.officer, code, "04").json()["code"] == "form_not_applicable"
    dossier = dossier_of(code)
    first_due = dossier.due_at
    later = first_due + dt.timedelta(days=7)
    body = {"reason": "Phải xác minh nguồn gốc đất tại phường", "new_due_at": later.isoformat()}
    assert act(client, world.officer, code, "apologise", body).status_code == 200
    text = fetch_pdf(client, world.officer, code, "04")
    assert_common(text, dossier)
    assert "PHIẾU XIN LỖI" in text and "Phải xác minh nguồn gốc đất tại phường" in text
    assert "Số: 0001/XLHS-CN01" in text
    assert format_date(first_due) in text and format_date(later) in text
    assert "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG" in text and "GIÁM ĐỐC" in text  # no head on record: signed by hand
    # Signed by the head of the agency responsible for the delay, not by the officer who recorded it.
    from django.contrib.auth.models import User

    from motcua.org.models import Officer

    deputy = User.objects.create_user("pgd", first_name="Lan", last_name="Phạm")
    Officer.objects.create(user=deputy, agency=dossier.competent_agency, title="Phó Giám đốc")
    head = User.objects.create_user("gd", first_name="Hùng", last_name="Lê")
    Officer.objects.create(user=head, agency=dossier.competent_agency, title="Giám đốc")
    assert slips.apology(dossier_of(code)).head.name == head.get_full_name()
    assert format_date(dossier.received_at) in text


# --- 05 -------------------------------------------------------------------------------------------

def test_stop_notice_05_when_stopped(client, world, point):
    received = timezone.make_aware(dt.datetime(2025, 3, 3, 8, 0))
    sub = services.Submission(procedure="1.004227", shown=[4], applicant=services.ApplicantData(
        kind="person", id_number=OTHER_ID, name=APPLICANT, phone="0987654321"))
    code = services.submit_dossier(world.reception, sub, {1: [pdf()], 2: [pdf()]}, now=received).code
    services.request_supplement(world.reception, code, items=[{"name": "a", "reason": "b"}],
                                now=received + dt.timedelta(hours=2))
    assert fetch(client, world.reception, code, "05").json()["code"] == "form_not_applicable"
    services.stop(world.reception, code, now=received + dt.timedelta(days=30))
    text = fetch_pdf(client, world.reception, code, "05")
    assert_common(text, dossier_of(code))
    assert "PHIẾU DỪNG GIẢI QUYẾT HỒ SƠ" in text and "Quá hạn bổ sung hồ sơ." in text
    assert "02/04/2025" in text and "03/03/2025" in text  # stopped on, received on


def test_stop_notice_05_when_withdrawn(client, world, code):
    assert act(client, world.reception, code, "withdraw", {"reason": "Không có nhu cầu nữa"}).status_code == 200
    text = fetch_pdf(client, world.reception, code, "05", keep_as="dossier-05-withdrawn.pdf")
    assert_common(text, dossier_of(code))
    assert "Không có nhu cầu nữa" in text and "Số: 0001/DXLHS-CN01" in text


# --- numbering books and printing ------------------------------------------------------------------

def test_each_branch_numbers_its_receipts_per_year_without_gaps(client, world, point):
    from motcua.dossiers.models import SlipNumber

    sub = services.Submission(procedure="1.004227", shown=[4], applicant=services.ApplicantData(
        kind="person", id_number=OTHER_ID, name=APPLICANT))
    december = timezone.make_aware(dt.datetime(2025, 12, 31, 9, 0))
    codes = [services.submit_dossier(world.reception, sub, {1: [pdf()], 2: [pdf()]}, now=december).code
             for _ in range(2)]
    january = services.submit_dossier(world.reception, sub, {1: [pdf()], 2: [pdf()]},
                                      now=december + dt.timedelta(days=2)).code
    numbers = {n.dossier.code: (n.book, n.number) for n in SlipNumber.objects.select_related("dossier")}
    assert [numbers[c] for c in codes] == [("CN01/2025", 1), ("CN01/2025", 2)]
    assert numbers[january] == ("CN01/2026", 1)  # a new book each year
    with pytest.raises(ValidationFailed):  # an invalid dossier takes no number: the book keeps no gap
        services.submit_dossier(world.reception, sub, {}, now=december)
    services.submit_dossier(world.reception, sub, {1: [pdf()], 2: [pdf()]}, now=december)
    assert sorted(SlipNumber.objects.filter(book="CN01/2025").values_list("number", flat=True)) == [1, 2, 3]


def test_fixed_fees_are_printed_on_the_receipt(client, world, code):
    from motcua.catalog.models import Fee

    land = dossier_of(code).procedure
    Fee.objects.create(procedure=land, position=1, name="Lệ phí đăng ký thế chấp", amount=80_000)
    Fee.objects.create(procedure=land, position=2, name="Phí cung cấp thông tin", kind="fee", amount=1_170_000)
    assert "7. Phí, lệ phí: 1.250.000 đ" in fetch_pdf(client, world.reception, code, "01", keep_as=None)
    Fee.objects.create(procedure=land, position=3, name="Phí sao lục", kind="fee", amount=5_000, per="trang",
                       basis="per_unit")
    assert slips.receipt_slip(dossier_of(code)).fees is None  # per page: not known at intake


def test_printing_a_slip_is_audited(client, world, code):
    fetch_pdf(client, world.reception, code, "01", keep_as=None)
    entry = AuditEntry.objects.filter(action="dossier.slip_printed").get()
    assert (entry.object_id, entry.actor_label, entry.data["form"]) == (code, "reception", "01")
    assert fetch(client, world.reception, code, "03").status_code == 409  # not applicable: nothing printed
    assert AuditEntry.objects.filter(action="dossier.slip_printed").count() == 1


# --- 06 -------------------------------------------------------------------------------------------

def test_control_sheet_06_lists_each_hand_over(client, world, code):
    to_officer(client, world, code)
    assert act(client, world.officer, code, "consult", {"agency": "so-xd", "question": "Quy hoạch?"}).status_code \
        == 200
    consultation = dossier_of(code).consultations.get()
    assert act(client, world.other_officer, code, "answer_consultation",
               {"consultation": consultation.pk, "answer": "Phù hợp"}).status_code == 200
    assert act(client, world.officer, code, "propose_approval").status_code == 200
    assert act(client, world.leader, code, "take").status_code == 200
    assert act(client, world.leader, code, "approve").status_code == 200
    assert act(client, world.officer, code, "attach_result", files={"result": pdf("kq.pdf")}).status_code == 200
    assert act(client, world.officer, code, "mark_ready").status_code == 200
    assert act(client, world.reception, code, "return_result",
               {"method": "counter", "received_by_name": APPLICANT}).status_code == 200
    dossier = dossier_of(code)
    sheet = slips.control_sheet(dossier)
    rows = [(h.from_unit, h.from_person, h.to_unit, h.to_person) for h in sheet.hand_overs]
    assert rows == [
        (APPLICANT, "", "Chi nhánh số 1", "reception"),                                # received
        ("Chi nhánh số 1", "reception", "Sở Nông nghiệp và Môi trường", "officer"),    # to appraisal
        ("Sở Nông nghiệp và Môi trường", "officer", "Sở Xây dựng", "officer2"),         # consultation asked
        ("Sở Xây dựng", "officer2", "Sở Nông nghiệp và Môi trường", "officer"),         # and answered
        ("Sở Nông nghiệp và Môi trường", "officer", "Chi nhánh số 1", "leader"),        # proposed for approval
        ("Chi nhánh số 1", "leader", "Chi nhánh số 1", "reception"),                    # approved: to the counter
        ("Chi nhánh số 1", "reception", APPLICANT, ""),                                 # result returned
    ]
    results = [h.result for h in sheet.hand_overs]
    assert all(r in ("Trước hạn", "Đúng hạn") for r in results[:3] + results[4:6]) and results[3] == results[6] == ""
    assert sheet.cooperating_agencies == ["Sở Xây dựng"]
    text = fetch_pdf(client, world.leader, code, "06")
    assert dossier.code in text and PROCEDURE in text and APPLICANT in text
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH" in text
    for person in ("reception", "officer", "officer2", "leader"):
        assert person in text
    assert text.count("Đúng hạn") + text.count("Trước hạn") >= 5
    assert format_date(dossier.received_at) in text and format_date(dossier.due_at) in text


def test_verdicts():
    due = timezone.make_aware(dt.datetime(2026, 11, 25, 17, 0))
    assert slips.verdict(due - dt.timedelta(days=1), due) == "Trước hạn"
    assert slips.verdict(due - dt.timedelta(hours=1), due) == "Đúng hạn"
    assert slips.verdict(due + dt.timedelta(minutes=1), due) == "Quá hạn"
    assert slips.verdict(None, due) == ""


# --- who may fetch, bad input ----------------------------------------------------------------------

def test_slip_visibility_like_the_dossier(client, world, code):
    unknown = fetch(client, world.reception, "000.00.11.H26-261123-9999", "01")
    assert unknown.status_code == 404
    before = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first()
    for user in (world.other_reception, world.other_officer, world.citizen):
        response = fetch(client, user, code, "01")
        assert response.status_code == 404 and response.json() == unknown.json()
    client.logout()
    assert client.get(f"/api/dossiers/{code}/slips/01.pdf").status_code == 401
    assert fetch(client, world.officer, code, "01").status_code == 200  # the competent agency
    assert fetch(client, world.director, code, "06").status_code == 200
    # Refused fetches leave no trace; the two slips printed are audited.
    printed = AuditEntry.objects.filter(seq__gt=before).values_list("action", "actor_label", "data__form")
    assert list(printed) == [("dossier.slip_printed", "officer", "01"), ("dossier.slip_printed", "director", "06")]


def test_unknown_form(client, world, code):
    for form in ("07", "99", "1", "x"):
        response = fetch(client, world.reception, code, form)
        assert response.status_code == 404 and response.json()["code"] == "unknown_form"


def test_no_personal_data_in_logs(client, world, code, caplog):
    with caplog.at_level(logging.DEBUG):
        fetch_pdf(client, world.reception, code, "01", keep_as=None)
        fetch_pdf(client, world.reception, code, "06", keep_as=None)
    assert OTHER_ID not in caplog.text and APPLICANT not in caplog.text and "0987654321" not in caplog.text


# --- 07 -------------------------------------------------------------------------------------------

def register(client, user, ext, **params):
    if user is not None:
        client.force_login(user)
    return client.get(f"/api/dossiers/register.{ext}", params)


def test_register_07_pdf_and_xlsx(client, world, point):
    from openpyxl import load_workbook

    from motcua.pdf.register import XLSX_HEADER_ROW

    codes = [submit(client, world.reception).json()["code"] for _n in range(2)]
    other = submit(client, world.other_reception).json()["code"]
    act(client, world.reception, codes[0], "forward")
    today = timezone.localdate().isoformat()
    response = register(client, world.reception, "xlsx", **{"from": today, "to": today})
    assert response.status_code == 200
    assert response["Content-Type"] == slips.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith("attachment; filename=\"so-theo-doi-ho-so-")
    keep("dossier-07.xlsx", response.content)
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [r for r in sheet.iter_rows(min_row=XLSX_HEADER_ROW + 1, values_only=True) if any(r)]
    assert [r[1] for r in rows] == codes  # the caller's branch only, in order of receipt
    assert rows[0][2] == PROCEDURE and rows[0][3] == APPLICANT
    assert isinstance(rows[0][6], dt.datetime)
    assert sheet.cell(1, 1).value == "TRUNG TÂM PVHCC HÀ NỘI"
    day = format_date(timezone.localdate())
    assert sheet.cell(3, 1).value == f"Từ ngày {day} đến ngày {day}"

    response = register(client, world.director, "pdf", **{"from": today, "to": today})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    keep("dossier-07.pdf", response.content)
    text = text_of(response.content)
    assert all(c in text for c in [*codes, other]) and APPLICANT in text and PROCEDURE in text
    assert format_date(timezone.localdate()) in text

    filtered = register(client, world.director, "xlsx", **{"from": today, "to": today, "branch": "cn2"})
    sheet = load_workbook(io.BytesIO(filtered.content)).active
    assert [r[1] for r in sheet.iter_rows(min_row=XLSX_HEADER_ROW + 1, values_only=True) if any(r)] == [other]
    # A branch the caller may not see gives no rows, not someone else's dossiers.
    filtered = register(client, world.reception, "xlsx", **{"from": today, "to": today, "branch": "cn2"})
    sheet = load_workbook(io.BytesIO(filtered.content)).active
    assert not [r for r in sheet.iter_rows(min_row=XLSX_HEADER_ROW + 1, values_only=True) if any(r)]
    # Days without dossiers.
    response = register(client, world.director, "xlsx", **{"from": "2020-01-01", "to": "2020-01-31"})
    assert response.status_code == 200


def test_register_staff_only_and_bad_input(client, world):
    before = AuditEntry.objects.count()
    ok = {"from": "2026-01-01", "to": "2026-01-31"}
    assert register(client, world.citizen, "pdf", **ok).status_code == 403
    client.logout()
    assert register(client, None, "xlsx", **ok).status_code == 401
    cases = [
        ({"to": "2026-01-31"}, "from", "required"),
        ({"from": "2026-01-01"}, "to", "required"),
        ({"from": "2026-13-01", "to": "2026-01-31"}, "from", "invalid_date"),
        ({"from": "01/01/2026", "to": "2026-01-31"}, "from", "invalid_date"),
        ({"from": "2026-01-01", "to": "tomorrow"}, "to", "invalid_date"),
        ({"from": "2026-02-01", "to": "2026-01-31"}, "to", "range_reversed"),
        ({"from": "2025-01-01", "to": "2026-01-02"}, "to", "range_too_long"),
        ({**ok, "branch": "cn99"}, "branch", "unknown_branch"),
        ({**ok, "agency": "nowhere"}, "agency", "unknown_agency"),
    ]
    for ext in ("pdf", "xlsx"):
        for params, field, problem in cases:
            response = register(client, world.reception, ext, **params)
            assert response.status_code == 422, (params, response.content)
            details = response.json()["details"]
            assert {"field": field, "code": problem} in [{"field": d["field"], "code": d["code"]} for d in details]
            assert all(d["message"] for d in details)
    # 366 days is the longest range.
    assert register(client, world.reception, "pdf", **{"from": "2024-01-01", "to": "2024-12-31"}).status_code == 200
    assert AuditEntry.objects.count() == before


def test_register_agency_officer_sees_their_agency(client, world, point):
    code = submit(client, world.reception).json()["code"]
    today = timezone.localdate().isoformat()
    from openpyxl import load_workbook

    for user, expected in ((world.officer, [code]), (world.other_officer, [])):
        response = register(client, user, "xlsx", **{"from": today, "to": today})
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert [r[1] for r in sheet.iter_rows(min_row=6, values_only=True) if any(r)] == expected


def test_issuer_and_place_come_from_the_center(client, world, code):
    province = world.center.province
    province.name = "Tỉnh Cao Bằng"
    province.save()
    world.center.name = "Trung tâm Phục vụ hành chính công tỉnh Cao Bằng"
    world.center.save()
    text = fetch_pdf(client, world.reception, code, "01", keep_as=None)
    assert "UBND TỈNH CAO BẰNG" in text and "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH CAO BẰNG" in text
    assert "Cao Bằng, ngày" in text and "Hà Nội" not in text


def test_forms_stay_in_vietnamese_whatever_the_language(client, world, code):
    client.force_login(world.reception)
    response = client.get(f"/api/dossiers/{code}/slips/01.pdf", HTTP_ACCEPT_LANGUAGE="en")
    text = text_of(response.content)
    assert "3 ngày làm việc" in text and "Căn cước" in text
