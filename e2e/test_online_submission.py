"""A citizen files a dossier online with a PDF, gets its code, and finds it in "my dossiers"."""

import datetime as dt
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from playwright.sync_api import Page, expect

from e2e.helpers import assert_no_horizontal_scroll, assert_page_basics

pytestmark = pytest.mark.e2e

PASSWORD = "Mot-cua-2025!"
CITIZEN_ID = "001090001234"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def citizen(transactional_db):
    """A land procedure (one upload, one paper the registry replaces) and a citizen known to the registry."""
    from django.contrib.auth.models import User

    from motcua.catalog.models import Field, Procedure, RequiredDocument, RouteStep
    from motcua.core import roles
    from motcua.org.models import AdministrativeUnit, Agency, Center, Person

    groups = roles.sync_roles()
    province = AdministrativeUnit.objects.create(level="province", code="01", name="Thành phố Hà Nội")
    commune = AdministrativeUnit.objects.create(level="commune", code="00004", name="Phường Ba Đình",
                                                parent=province)
    Center.objects.create(code="hanoi", name="Trung tâm Phục vụ hành chính công Thành phố Hà Nội",
                          short_name="TTPVHCC Hà Nội", province=province, e_id_suffix="H26",
                          working_periods=[["08:00", "12:00"], ["13:00", "17:00"]])
    Agency.objects.create(code="ttpvhcc", name="Trung tâm Phục vụ hành chính công", short_name="TTPVHCC",
                          kind="center", e_id="000.00.01.H26")
    department = Agency.objects.create(code="so-nnmt", name="Sở Nông nghiệp và Môi trường", short_name="Sở NN&MT",
                                       kind="department", e_id="000.00.12.H26")
    field = Field.objects.create(code="dat-dai", name="Đất đai")
    land = Procedure.objects.create(code="1.004227", name="Đăng ký thế chấp quyền sử dụng đất", field=field,
                                    level="province", agency=department, processing_days=Decimal(3))
    RequiredDocument.objects.create(procedure=land, position=1, name="Phiếu yêu cầu đăng ký thế chấp")
    RequiredDocument.objects.create(procedure=land, position=2, name="Giấy xác nhận cư trú", registry_replaces=True)
    RequiredDocument.objects.create(procedure=land, position=3, name="Giấy ủy quyền", optional=True)
    for position, name, role, scope in [(1, "Tiếp nhận hồ sơ", "reception", "center"),
                                        (2, "Thẩm định hồ sơ", "agency_officer", "competent")]:
        RouteStep.objects.create(procedure=land, position=position, name=name, role=role, scope=scope, hours=8)
    account = User.objects.create_user("congdan", password=PASSWORD, first_name="An", last_name="Nguyễn")
    account.groups.add(groups[roles.CITIZEN])
    Person.objects.create(national_id=CITIZEN_ID, full_name="Nguyễn Văn An", birth_date=dt.date(1990, 5, 1),
                          gender="male", commune=commune, address="1 Điện Biên Phủ, phường Ba Đình",
                          phone="0912345678", user=account)
    return SimpleNamespace(user=account, username="congdan")


def log_in(page: Page, username: str) -> None:
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit], main form input[type=submit]").first.click()
    expect(page).not_to_have_url(re.compile(r"/login/"))


def test_a_citizen_files_a_dossier_online(page: Page, citizen, screenshot, browser_log):
    browser_log.expect(r"status of 422")
    log_in(page, citizen.username)
    page.goto("/dossiers/online/")
    assert_page_basics(page)
    page.fill("#procedure-q", "the chap")
    page.click("#procedure-search")
    page.get_by_role("link", name=re.compile("Đăng ký thế chấp quyền sử dụng đất")).click()
    expect(page.locator("#chosen-procedure")).to_contain_text("1.004227")
    expect(page.locator("#applicant-id")).to_have_value(CITIZEN_ID)
    expect(page.locator("#id_name")).to_have_value("Nguyễn Văn An")
    expect(page.locator("#checklist")).to_contain_text("Không cần nộp: đã khai thác từ CSDL dân cư")
    assert_page_basics(page)
    assert_no_horizontal_scroll(page)
    screenshot("form")

    # Without the required document: listed, nothing stored.
    page.click("#submit-online")
    expect(page.locator("#problems")).to_contain_text("Thiếu thành phần hồ sơ: Phiếu yêu cầu đăng ký thế chấp")
    screenshot("problems")

    page.set_input_files("#doc-1", files=[{"name": "phieu.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.click("#submit-online")
    code = page.locator("#online-code").inner_text().strip()
    assert re.fullmatch(r"000\.00\.12\.H26-\d{6}-\d{4}", code)
    key = page.locator("#online-key").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{5}-[0-9A-Z]{5}", key)
    expect(page.locator("#track-link")).to_have_attribute("href", f"/tracking/{code}/?key={key}")
    assert_page_basics(page)
    assert_no_horizontal_scroll(page)
    screenshot("done")

    page.click("#mine-link")
    expect(page.locator("#my-dossiers")).to_contain_text(code)
    expect(page.locator("#my-dossiers")).to_contain_text("Đăng ký thế chấp quyền sử dụng đất")
    assert_page_basics(page)
    assert_no_horizontal_scroll(page)


def test_staff_cannot_open_the_citizen_page(page: Page, citizen, transactional_db, browser_log):
    from django.contrib.auth.models import User

    from motcua.core import roles

    staff = User.objects.create_user("tiepnhan", password=PASSWORD)
    staff.groups.add(roles.sync_roles()[roles.RECEPTION_OFFICER])
    browser_log.expect(r"status of 403")
    log_in(page, "tiepnhan")
    response = page.goto("/dossiers/online/")
    assert response is not None and response.status == 403
