"""The citizen's accounts and dossiers in the browser: VNeID login through the fake provider, sign-up by
a texted code, "Hồ sơ của tôi" without a tracking key, and a supplement answered online."""

import datetime as dt
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from playwright.sync_api import Page, expect

from e2e.helpers import assert_no_horizontal_scroll, assert_page_basics

pytestmark = pytest.mark.e2e

CITIZEN_ID = "001090001234"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def world(transactional_db, settings):
    """A land procedure, a branch with its reception officer, and Nguyễn Văn An's dossier filed at the
    counter, for which the officer asked a supplement."""
    from django.contrib.auth.models import User

    from motcua.catalog.models import Field, Procedure, RequiredDocument, RouteStep
    from motcua.core import roles
    from motcua.dossiers import services
    from motcua.org.models import Agency, Officer, Person
    from motcua.org.tests.factories import make_branch, make_center

    settings.MOTCUA_FAKE_VNEID = True
    settings.MOTCUA_VNEID_ISSUER = ""
    groups = roles.sync_roles()
    center = make_center()
    branch = make_branch(center, 1, phone="024 3821 0000")
    center_agency = Agency.objects.create(
        code="ttpvhcc",
        name="Trung tâm Phục vụ hành chính công",
        short_name="TTPVHCC",
        kind="center",
        e_id="000.00.01.H26",
    )
    department = Agency.objects.create(
        code="so-nnmt",
        name="Sở Nông nghiệp và Môi trường",
        short_name="Sở NN&MT",
        kind="department",
        e_id="000.00.12.H26",
    )
    field = Field.objects.create(code="dat-dai", name="Đất đai")
    land = Procedure.objects.create(
        code="1.004227",
        name="Đăng ký thế chấp quyền sử dụng đất",
        field=field,
        level="province",
        agency=department,
        processing_days=Decimal(3),
    )
    RequiredDocument.objects.create(procedure=land, position=1, name="Phiếu yêu cầu đăng ký thế chấp")
    RequiredDocument.objects.create(procedure=land, position=2, name="Hợp đồng thế chấp")
    for position, name, role, scope in [
        (1, "Tiếp nhận hồ sơ", "reception", "center"),
        (2, "Thẩm định hồ sơ", "agency_officer", "competent"),
    ]:
        RouteStep.objects.create(
            procedure=land, position=position, name=name, role=role, scope=scope, hours=8
        )
    officer = User.objects.create_user("tiepnhan", password="x-Mot-cua-2025", first_name="Lê Thu Hà")
    officer.groups.add(groups[roles.RECEPTION_OFFICER])
    Officer.objects.create(user=officer, agency=center_agency, branch=branch, title="Cán bộ tiếp nhận")
    Person.objects.create(
        national_id=CITIZEN_ID,
        full_name="Nguyễn Văn An",
        birth_date=dt.date(1990, 5, 1),
        gender="male",
        phone="0912345678",
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    def upload(name):
        return SimpleUploadedFile(name, PDF, content_type="application/pdf")

    dossier = services.submit_dossier(
        officer,
        services.Submission(
            procedure="1.004227",
            applicant=services.ApplicantData(kind="person", id_number=CITIZEN_ID, name="Nguyễn Văn An"),
        ),
        {1: [upload("phieu.pdf")], 2: [upload("hop-dong.pdf")]},
    )
    services.request_supplement(
        officer,
        dossier.code,
        items=[
            {"name": "Hợp đồng thế chấp", "reason": "Bản chụp chưa được chứng thực"},
            {"name": "Phiếu yêu cầu đăng ký thế chấp", "reason": "Thiếu chữ ký của bên nhận thế chấp"},
        ],
    )
    return SimpleNamespace(dossier=dossier, code=dossier.code)


def log_in_with_vneid(page: Page, screenshot=None) -> None:
    page.goto("/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    expect(page.get_by_role("heading", name="Công dân có tài khoản định danh điện tử VNeID")).to_be_visible()
    expect(page.get_by_text("Cán bộ, công chức: nhập tên đăng nhập")).to_be_visible()
    if screenshot:
        screenshot("login")
    page.get_by_role("link", name="Đăng nhập bằng VNeID").click()
    expect(page).to_have_url(re.compile(r"/fake-vneid/authorize\?"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập VNeID (giả lập)")
    expect(page.locator("main")).not_to_contain_text(CITIZEN_ID)  # the provider's list masks the numbers
    if screenshot:
        screenshot("provider")
    page.get_by_role("button", name=re.compile("Nguyễn Văn An")).click()
    expect(page).to_have_url(re.compile(r"/me/$"))


def test_vneid_login_round_trip_lands_on_my_dossiers(page: Page, world, screenshot):
    log_in_with_vneid(page, screenshot)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ của tôi")
    table = page.locator("#my-dossiers")
    expect(table).to_contain_text(world.code)  # filed at the counter, no tracking key typed
    expect(table).to_contain_text("Yêu cầu bổ sung")
    expect(page.locator("main")).not_to_contain_text(CITIZEN_ID)
    expect(
        page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Hồ sơ của tôi")
    ).to_be_visible()
    assert_no_horizontal_scroll(page)
    assert_page_basics(page)


def test_supplement_answered_online(page: Page, world, screenshot):
    log_in_with_vneid(page)
    page.get_by_role("link", name=world.code).click()
    expect(page).to_have_url(re.compile(rf"/me/dossiers/{world.code}/$"))
    items = page.locator("#supplement-items")
    expect(items).to_contain_text("Bản chụp chưa được chứng thực")
    expect(items).to_contain_text("Thiếu chữ ký của bên nhận thế chấp")
    expect(page.locator("#supplement-deadline")).to_contain_text(
        re.compile(r"Hạn bổ sung: \d\d:\d\d \d\d/\d\d/\d{4}")
    )
    expect(page.locator("#supplement-contact")).to_contain_text("Lê Thu Hà")
    expect(page.locator("#supplement-contact")).to_contain_text("024 3821 0000")
    screenshot("request")
    page.get_by_label("2. Hợp đồng thế chấp").set_input_files(
        {"name": "hop-dong-chung-thuc.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Gửi giấy tờ bổ sung").click()
    expect(page.get_by_text("Đã gửi giấy tờ bổ sung; hồ sơ tiếp tục được giải quyết.")).to_have_count(1)
    expect(page.locator("#me-state")).not_to_have_text("Yêu cầu bổ sung")
    expect(page.locator("#supply-form")).to_have_count(0)
    expect(page.locator("#me-due")).to_have_text(
        re.compile(r"\d\d:\d\d \d\d/\d\d/\d{4}")
    )  # the clock runs again
    assert_no_horizontal_scroll(page)


def test_sign_up_by_phone_with_a_texted_code(page: Page, world, screenshot, browser_log):
    from motcua.integrations.sms.fake import OutboxSms

    browser_log.expect(r"status of 422 .*/signup/verify/\)$")  # the wrong code, shown in the form

    OutboxSms.clear()
    page.goto("/login/")
    page.get_by_role("link", name="Chưa có tài khoản? Đăng ký bằng số điện thoại").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký tài khoản bằng số điện thoại")
    page.get_by_label("Số điện thoại di động").fill("0987 654 321")
    screenshot("phone")
    page.get_by_role("button", name="Gửi mã xác nhận").click()
    expect(page).to_have_url(re.compile(r"/signup/verify/$"))
    expect(page.get_by_role("status")).to_contain_text("*******321")
    code = re.search(r"\b(\d{6})\b", OutboxSms.outbox[-1].text).group(1)
    page.get_by_label("Mã xác nhận (6 chữ số)").fill("000000" if code != "000000" else "111111")
    page.get_by_label("Họ và tên").fill("Trần Thị Bình")
    page.get_by_label("Số định danh cá nhân (12 chữ số)").fill("001190005678")
    page.get_by_label("Ngày sinh (dd/mm/yyyy)").fill("03/02/1990")
    page.get_by_label("Mật khẩu", exact=True).fill("Mua-xuan-2026!")
    page.get_by_label("Nhập lại mật khẩu").fill("Mua-xuan-2026!")
    page.get_by_role("button", name="Tạo tài khoản").click()
    expect(page.get_by_role("alert")).to_contain_text("còn 4 lần thử")
    screenshot("wrong-code")
    page.get_by_label("Mã xác nhận (6 chữ số)").fill(code)
    page.get_by_label("Mật khẩu", exact=True).fill("Mua-xuan-2026!")
    page.get_by_label("Nhập lại mật khẩu").fill("Mua-xuan-2026!")
    page.get_by_role("button", name="Tạo tài khoản").click()
    expect(page).to_have_url(re.compile(r"/me/$"))
    expect(page.locator("#no-dossiers")).to_be_visible()
    # Logged out, the phone number and the password log in again.
    page.get_by_role("button", name=re.compile("Đăng xuất")).click()
    page.goto("/login/")
    page.get_by_label("Tên đăng nhập hoặc số điện thoại").fill("0987654321")
    page.get_by_label("Mật khẩu").fill("Mua-xuan-2026!")
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(page).to_have_url(re.compile(r"/me/$"))
    assert_page_basics(page)
