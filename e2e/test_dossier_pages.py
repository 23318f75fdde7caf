"""Dossiers in a browser: reception receives one, an officer handles it, a leader approves, the citizen tracks it."""

import datetime as dt
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from playwright.sync_api import Page, expect

from e2e.helpers import assert_no_horizontal_scroll, assert_page_basics

pytestmark = pytest.mark.e2e

PASSWORD = "Mot-cua-2025!"
KNOWN_ID = "001090001234"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def center(transactional_db):
    """One branch, the land department, a mortgage procedure routed reception → officer ×2 → branch leader."""
    from django.contrib.auth.models import User

    from motcua.catalog.models import Field, Procedure, RequiredDocument, RouteStep
    from motcua.core import roles
    from motcua.org.models import AdministrativeUnit, Agency, Branch, Center, Officer, Person

    groups = roles.sync_roles()
    province = AdministrativeUnit.objects.create(level="province", code="01", name="Thành phố Hà Nội")
    commune = AdministrativeUnit.objects.create(level="commune", code="00004", name="Phường Ba Đình",
                                                parent=province)
    hanoi = Center.objects.create(code="hanoi", name="Trung tâm Phục vụ hành chính công Thành phố Hà Nội",
                                  short_name="TTPVHCC Hà Nội", province=province, e_id_suffix="H26",
                                  working_periods=[["08:00", "12:00"], ["13:00", "17:00"]])
    branch = Branch.objects.create(center=hanoi, number=1, code="cn-1", name="Chi nhánh số 1")
    center_agency = Agency.objects.create(code="ttpvhcc", name="Trung tâm Phục vụ hành chính công",
                                          short_name="TTPVHCC", kind="center", e_id="000.00.01.H26")
    department = Agency.objects.create(code="so-nnmt", name="Sở Nông nghiệp và Môi trường", short_name="Sở NN&MT",
                                       kind="department", e_id="000.00.12.H26")
    field = Field.objects.create(code="dat-dai", name="Đất đai")
    land = Procedure.objects.create(code="1.004227", name="Đăng ký thế chấp quyền sử dụng đất", field=field,
                                    level="province", agency=department, processing_days=Decimal(3))
    RequiredDocument.objects.create(procedure=land, position=1, name="Phiếu yêu cầu đăng ký thế chấp")
    RequiredDocument.objects.create(procedure=land, position=2, name="Hợp đồng thế chấp", kind="certified_copy")
    RequiredDocument.objects.create(procedure=land, position=3, name="Giấy ủy quyền", optional=True)
    RequiredDocument.objects.create(procedure=land, position=4, name="Căn cước", kind="shown")
    for position, name, role, scope in [(1, "Tiếp nhận hồ sơ", "reception", "center"),
                                        (2, "Thẩm định hồ sơ", "agency_officer", "competent"),
                                        (3, "Dự thảo kết quả", "agency_officer", "competent"),
                                        (4, "Ký duyệt", "branch_leader", "center")]:
        RouteStep.objects.create(procedure=land, position=position, name=name, role=role, scope=scope, hours=8)
    Person.objects.create(national_id=KNOWN_ID, full_name="Nguyễn Văn An", birth_date=dt.date(1990, 5, 1),
                          gender="male", commune=commune, address="1 Điện Biên Phủ, phường Ba Đình")

    def user(name, role, agency, branch=None, first="", last=""):
        account = User.objects.create_user(name, password=PASSWORD, first_name=first, last_name=last)
        account.groups.add(groups[role])
        Officer.objects.create(user=account, agency=agency, branch=branch)
        return account

    return SimpleNamespace(
        reception=user("tiepnhan", roles.RECEPTION_OFFICER, center_agency, branch, "Hà", "Trần"),
        officer=user("chuyenvien", roles.AGENCY_OFFICER, department, None, "Minh", "Lê"),
        leader=user("lanhdao", roles.BRANCH_LEADER, center_agency, branch, "Lan", "Nguyễn"),
    )


def receive_late_dossier(center) -> str:
    """A second dossier, at the department's step, whose appointment has passed."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from motcua.dossiers import services
    from motcua.dossiers.models import Dossier

    sub = services.Submission(procedure="1.004227", shown=[4], applicant=services.ApplicantData(
        kind="organisation", id_number="0100109106", name="Công ty TNHH Hoa Sen", phone="024 3825 1234"))
    files = {n: [SimpleUploadedFile(f"{n}.pdf", PDF)] for n in (1, 2)}
    dossier = services.submit_dossier(center.reception, sub, files)
    services.forward(center.reception, dossier.code)
    Dossier.objects.filter(pk=dossier.pk).update(due_at=timezone.now() - dt.timedelta(hours=2))
    return dossier.code


def log_in(page: Page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit], main form input[type=submit]").first.click()
    page.wait_for_load_state()


def check_page(page: Page) -> None:
    assert_page_basics(page)
    assert_no_horizontal_scroll(page)


def run_action(page: Page, action: str, fields: dict | None = None) -> None:
    details = page.locator(f"#details-{action}")
    if details.count():
        details.locator("summary").click()
        for selector, value in (fields or {}).items():
            page.fill(selector, value)
    page.click(f"#action-{action}")
    page.wait_for_load_state()


def test_a_dossier_from_the_counter_to_the_citizen(page: Page, center, screenshot, browser_log):
    from motcua.dossiers.models import Dossier

    # The incomplete dossier and the empty reason below are refused on purpose.
    browser_log.expect(r"status of 422 .*/dossiers/(receive/|.*/actions/send_back/)")

    # Reception: the queue's console links here for the called citizen; the registry fills in the person.
    from motcua.core import clock
    from motcua.org.models import Counter, ServiceGroup, ServicePoint
    from motcua.queueing.models import Ticket

    point = ServicePoint.objects.create(branch=center.reception.officer.branch, code="cn-1-a", name="Điểm A",
                                        address="1 Phố A")
    group = ServiceGroup.objects.create(center=point.branch.center, code="dat-dai", name="Đất đai", letter="B")
    Ticket.objects.create(service_point=point, group=group, day=clock.today(), sequence=3, number="B-003",
                          national_id=KNOWN_ID, status=Ticket.Status.CALLED,
                          counter=Counter.objects.create(service_point=point, number=1))
    log_in(page, "tiepnhan")
    page.goto("/dossiers/receive/?ticket=B-003&point=cn-1-a")
    expect(page.locator("#ticket-note")).to_contain_text("B-003")
    expect(page.locator("#id_name")).to_have_value("Nguyễn Văn An")
    page.fill("#procedure-q", "the chap quyen su dung dat")
    page.get_by_label(re.compile("Đăng ký thế chấp quyền sử dụng đất")).check()
    expect(page.locator("#doc-1")).to_be_visible()
    check_page(page)
    screenshot("reception")
    # A first submit with several problems: each is listed at once, and the chosen file stays attached.
    page.set_input_files("#doc-1", files=[{"name": "phieu.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.fill("#id_phone", "12345")
    page.fill("#id_email", "not-an-address")
    page.select_option("#id_gender", "female")
    page.click("#submit-dossier")
    problems = page.locator("#problems")
    expect(problems).to_contain_text("Thư điện tử:")
    expect(problems).to_contain_text("Điện thoại: Số điện thoại không hợp lệ")
    expect(problems).to_contain_text("Giới tính: Giới tính nữ không khớp với số định danh")
    expect(problems).to_contain_text("Thiếu thành phần hồ sơ: Hợp đồng thế chấp")
    expect(problems).not_to_contain_text("Phiếu yêu cầu đăng ký thế chấp")
    expect(page.locator("#checklist .held-files")).to_contain_text("Đã đính kèm: phieu.pdf")
    assert Dossier.objects.count() == 0
    check_page(page)
    screenshot("reception-errors")
    # A wrong file added by mistake is removed again; then the corrections and the missing document.
    page.set_input_files("#doc-2", files=[{"name": "nham.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.fill("#id_phone", "12345")
    page.click("#submit-dossier")
    expect(page.locator("#checklist .held-files li", has_text="nham.pdf")).to_have_count(1)
    page.get_by_role("button", name="Gỡ tệp nham.pdf").click()
    expect(page.locator("#checklist .held-files li", has_text="nham.pdf")).to_have_count(0)
    expect(page.locator("#checklist .held-files li", has_text="Đã đính kèm: phieu.pdf")).to_have_count(1)
    page.fill("#id_phone", "+84 912 345 678")
    page.fill("#id_email", "")
    page.select_option("#id_gender", "male")
    page.select_option("#id_commune", "00004")
    page.set_input_files("#doc-2", files=[{"name": "hop-dong.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.click("#submit-dossier")
    code = page.locator("#received-code").inner_text().strip()
    dossier = Dossier.objects.get(code=code)
    assert dossier.applicant_phone == "0912345678" and dossier.applicant_gender == "male"
    assert sorted(d.filename for d in dossier.documents.exclude(file="")) == ["hop-dong.pdf", "phieu.pdf"]
    expect(page.locator("#slip-01")).to_have_attribute("href", f"/api/dossiers/{code}/slips/01.pdf")
    check_page(page)
    screenshot("received")
    page.goto(f"/dossiers/{code}/")
    run_action(page, "forward", {"#id_forward-note": "Hồ sơ đủ thành phần"})
    expect(page.locator(".message").first).to_contain_text("Đã chuyển bước tiếp.")

    # The department's officer: inbox (with an overdue dossier too), take, forward, take, propose approval.
    late = receive_late_dossier(center)
    log_in(page, "chuyenvien")
    page.goto("/dossiers/")
    expect(page.locator("#inbox-rows")).to_contain_text(code)
    expect(page.locator("#inbox-rows tr", has_text=late).locator(".badge.danger")).to_have_text("Quá hạn")
    expect(page.locator("#inbox-rows tr", has_text=late).locator(".time-left")).to_have_text("Đã quá hạn")
    check_page(page)
    screenshot("inbox")
    # Search by the applicant's name typed without diacritics, then by due status; then clear.
    page.get_by_label("Tìm theo mã hồ sơ, tên hoặc số định danh người nộp").fill("nguyen van an")
    expect(page.locator("#inbox-rows tr", has_text=late)).to_have_count(0)
    expect(page.locator("#inbox-rows")).to_contain_text(code)
    expect(page.locator("#inbox-rows tr", has_text=code).locator(".applicant")).to_have_text("Nguyễn Văn An")
    screenshot("inbox-search")
    page.get_by_label("Tìm theo mã hồ sơ, tên hoặc số định danh người nộp").fill("")
    page.get_by_label("Thời hạn").select_option("overdue")
    expect(page.locator("#inbox-rows")).to_contain_text(late)
    page.get_by_label("Thời hạn").select_option("")
    expect(page.locator("#inbox-rows")).to_contain_text(code)
    page.get_by_role("link", name=code).click()
    expect(page.locator("#applicant-name")).to_contain_text("Nguyễn Văn An")
    run_action(page, "take")
    expect(page.locator("#current-step")).to_contain_text("Lê")
    # Each uploaded document opens from the page (with the officer's session), as its type.
    links = page.locator(".documents a.document-link")
    expect(links).to_have_count(2)
    expect(links.first).to_contain_text("Mở phieu.pdf")
    opened = page.request.get(links.first.get_attribute("href"))
    assert opened.status == 200 and opened.headers["content-type"] == "application/pdf"
    assert opened.body() == PDF and opened.headers["x-content-type-options"] == "nosniff"
    check_page(page)
    screenshot("detail")
    run_action(page, "send_back", {"#id_send_back-reason": ""})
    expect(page.locator("#action-error, #details-send_back .field-error").first).to_be_visible()
    expect(page.locator("#details-send_back")).to_have_attribute("open", "")
    check_page(page)
    screenshot("detail-error")
    page.goto(f"/dossiers/{code}/")
    run_action(page, "forward")
    run_action(page, "take")
    run_action(page, "propose_approval")
    expect(page.locator("#dossier-state")).to_have_text("Chờ phê duyệt")

    # The branch leader approves from the list.
    log_in(page, "lanhdao")
    page.goto("/dossiers/approvals/")
    check_page(page)
    screenshot("approvals")
    page.get_by_label(re.compile(re.escape(code))).check()
    page.click("#approve-selected")
    expect(page.locator(".message").first).to_contain_text(f"Đã phê duyệt hồ sơ {code}")
    dossier.refresh_from_db()
    assert dossier.state == "approved"

    # The citizen, without an account: by hand with the slip's code and key, then with its QR code's link.
    page.context.clear_cookies()
    page.goto("/tracking/")
    page.fill("#id_code", code)
    page.fill("#id_key", "1234")  # the last digits of the phone number open nothing
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.locator("#tracking-error")).to_contain_text("Không tìm thấy hồ sơ")
    page.fill("#id_key", dossier.printed_tracking_key.lower())
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.locator("#tracking-state")).to_have_text("Đã phê duyệt, chờ kết quả")
    page.goto(dossier.tracking_path())
    expect(page.locator("#id_code")).to_have_value(code)
    expect(page.locator("#tracking-state")).to_have_text("Đã phê duyệt, chờ kết quả")
    expect(page.locator("#tracking-result")).not_to_contain_text("Nguyễn Văn An")
    expect(page.locator("#tracking-result")).not_to_contain_text(KNOWN_ID)
    check_page(page)


def test_reception_is_keyboard_usable(page: Page, center):
    log_in(page, "tiepnhan")
    page.goto("/dossiers/receive/")
    page.focus("#procedure-q")
    page.keyboard.type("dang ky the chap")
    radio = page.locator("input[name=procedure]").first
    expect(radio).to_be_visible()
    page.keyboard.press("Tab")
    expect(radio).to_be_focused()
    page.keyboard.press("Space")
    expect(page.locator("#doc-1")).to_be_visible()
    page.fill("#id_id_number", KNOWN_ID)
    page.focus("#registry-lookup")
    page.keyboard.press("Enter")
    expect(page.locator("#registry-answer")).to_contain_text("CSDL dân cư đã xác nhận")
    expect(page.locator("#id_name")).to_have_value("Nguyễn Văn An")
    check_page(page)


def test_the_branch_leader_reassigns_the_competent_agency(page: Page, center, screenshot):
    from motcua.dossiers.models import Dossier
    from motcua.org.models import Agency

    Agency.objects.create(code="so-xd", name="Sở Xây dựng", short_name="Sở XD", kind="department",
                          e_id="000.00.04.H26")
    code = receive_late_dossier(center)
    log_in(page, "lanhdao")
    page.goto(f"/dossiers/{code}/")
    page.locator("#details-reassign summary").click()
    page.get_by_label("Cơ quan giải quyết mới").select_option(label="Sở XD")
    page.get_by_label("Lý do chuyển").fill("Công trình thuộc thẩm quyền cấp phép của Sở Xây dựng")
    check_page(page)
    screenshot("reassign-form")
    page.click("#action-reassign")
    expect(page.locator(".message").first).to_contain_text("Đã chuyển hồ sơ cho cơ quan giải quyết mới.")
    expect(page.locator("#current-step")).to_contain_text("Sở XD")
    check_page(page)
    assert Dossier.objects.get(code=code).competent_agency.code == "so-xd"


def test_reception_search_says_passports_are_not_received_here(page: Page, center, screenshot):
    from motcua.catalog.models import HandledElsewhere

    HandledElsewhere.objects.create(
        code="ho-chieu", name="Cấp, cấp lại hộ chiếu phổ thông", aliases=["hộ chiếu"],
        where="Phòng Quản lý xuất nhập cảnh, Công an thành phố Hà Nội, hoặc trực tuyến",
        online_url="https://dichvucong.gov.vn/")
    log_in(page, "tiepnhan")
    page.goto("/dossiers/receive/")
    page.fill("#procedure-q", "cap lai ho chieu")
    notice = page.locator("#procedure-results").get_by_role("note")
    expect(notice).to_contain_text("Thủ tục này không tiếp nhận tại Trung tâm")
    expect(notice).to_contain_text("Nộp tại: Phòng Quản lý xuất nhập cảnh, Công an thành phố Hà Nội")
    expect(page.locator("input[name=procedure]")).to_have_count(0)
    check_page(page)
    screenshot("passport-notice")


def test_reception_declares_copies_and_an_exemption_seen_at_the_counter(page: Page, center, screenshot):
    from motcua.catalog.models import Fee, FeeExemption, Procedure
    from motcua.payments.models import Invoice

    land = Procedure.objects.get(code="1.004227")
    fee = Fee.objects.create(procedure=land, position=1, name="Phí đăng ký giao dịch bảo đảm", kind="fee",
                             amount=80_000)
    FeeExemption.objects.create(fee=fee, code="agri-loan", name="Vay vốn phát triển nông nghiệp, nông thôn",
                                evidence="Hợp đồng tín dụng")
    Fee.objects.create(procedure=land, position=2, name="Phí cấp bản sao", kind="fee", amount=20_000,
                       basis="per_unit", per="bản", optional=True)
    log_in(page, "tiepnhan")
    page.goto("/dossiers/receive/")
    page.fill("#procedure-q", "the chap")
    page.get_by_label(re.compile("Đăng ký thế chấp quyền sử dụng đất")).check()
    declaration = page.locator("#fee-declaration")
    expect(declaration).to_be_visible()
    page.get_by_label("Phí cấp bản sao — số lượng (bản)").fill("2")
    page.get_by_label(re.compile("Thuộc diện miễn, giảm: Vay vốn")).check()
    page.get_by_label("Đã xem giấy tờ chứng minh diện miễn, giảm").check()
    page.fill("#id_id_number", KNOWN_ID)
    page.click("#registry-lookup")
    expect(page.locator("#id_name")).to_have_value("Nguyễn Văn An")
    page.fill("#id_phone", "0912345678")
    page.set_input_files("#doc-1", files=[{"name": "phieu.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.set_input_files("#doc-2", files=[{"name": "hop-dong.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    check_page(page)
    screenshot("fees-declared")
    page.click("#submit-dossier")
    code = page.locator("#received-code").inner_text().strip()
    assert Invoice.objects.get(dossier__code=code).amount == 40_000  # two copies; the registration fee exempted
