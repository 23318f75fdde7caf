"""Paying fees: an applicant pays online through the fake VNPay gateway; the fee counter collects in cash."""

import datetime as dt
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from playwright.sync_api import Page, expect

from e2e.helpers import assert_no_horizontal_scroll, assert_page_basics

pytestmark = pytest.mark.e2e

PASSWORD = "Mot-cua-2025!"


@pytest.fixture
def fee_world(transactional_db, settings):
    """A branch with a fee counter officer, a land procedure charging 80,000 đ, a dossier received at the counter
    and one filed online by a citizen."""
    from django.contrib.auth.models import User

    from motcua.catalog.models import Fee, FeeExemption, Field, Procedure, RequiredDocument, RouteStep
    from motcua.core import roles
    from motcua.dossiers import services
    from motcua.org.models import AdministrativeUnit, Agency, Branch, Center, Officer, Person

    settings.MOTCUA_FAKE_VNPAY = True
    groups = roles.sync_roles()
    province = AdministrativeUnit.objects.create(level="province", code="01", name="Thành phố Hà Nội")
    center = Center.objects.create(code="hanoi", name="Trung tâm Phục vụ hành chính công Thành phố Hà Nội",
                                   short_name="TTPVHCC Hà Nội", province=province, e_id_suffix="H26",
                                   working_periods=[["08:00", "12:00"], ["13:00", "17:00"]])
    branch = Branch.objects.create(center=center, number=1, code="cn1", name="Chi nhánh số 1")
    center_agency = Agency.objects.create(code="ttpvhcc", name="Trung tâm Phục vụ hành chính công",
                                          short_name="TTPVHCC", kind="center", e_id="000.00.01.H26")
    department = Agency.objects.create(code="so-tp", name="Sở Tư pháp", short_name="Sở TP", kind="department",
                                       e_id="000.00.12.H26")
    field = Field.objects.create(code="chung-thuc", name="Chứng thực")
    procedure = Procedure.objects.create(code="2.001035", name="Chứng thực hợp đồng, giao dịch", field=field,
                                         level="province", agency=department, processing_days=Decimal(1))
    RequiredDocument.objects.create(procedure=procedure, position=1, name="Dự thảo hợp đồng", kind="shown")
    RouteStep.objects.create(procedure=procedure, position=1, name="Tiếp nhận", role="reception", scope="center",
                             hours=2)
    RouteStep.objects.create(procedure=procedure, position=2, name="Chứng thực", role="agency_officer",
                             scope="competent", hours=4)
    fee = Fee.objects.create(procedure=procedure, position=1, name="Phí chứng thực hợp đồng, giao dịch", kind="fee",
                             amount=50_000)
    FeeExemption.objects.create(fee=fee, code="agri-loan", name="Vay vốn phát triển nông nghiệp, nông thôn",
                                evidence="Hợp đồng tín dụng")

    def user(name, role, branch=None, agency=None):
        account = User.objects.create_user(name, password=PASSWORD, first_name=name.title())
        account.groups.add(groups[role])
        if agency is not None:
            Officer.objects.create(user=account, agency=agency, branch=branch)
        return account

    reception = user("tiepnhan", roles.RECEPTION_OFFICER, branch, center_agency)
    user("thuphi", roles.FEE_OFFICER, branch, center_agency)
    user("lanhdao", roles.BRANCH_LEADER, branch, center_agency)
    citizen = user("congdan", roles.CITIZEN)
    Person.objects.create(national_id="001090001234", full_name="Nguyễn Văn An", birth_date=dt.date(1990, 5, 1),
                          gender="male", address="1 Điện Biên Phủ", phone="0912345678", user=citizen)
    applicant = services.ApplicantData(kind="person", id_number="001090001234", name="Nguyễn Văn An")
    at_counter = services.submit_dossier(reception, services.Submission(procedure="2.001035", applicant=applicant,
                                                                        shown=[1]), {})
    online = services.submit_dossier(citizen, services.Submission(procedure="2.001035", applicant=applicant,
                                                                  channel="online", branch="cn1"), {})
    return SimpleNamespace(at_counter=at_counter.code, online=online.code)


def log_in(page: Page, username: str) -> None:
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit], main form input[type=submit]").first.click()
    expect(page).not_to_have_url(re.compile(r"/login/"))


def test_an_applicant_pays_online_through_the_fake_gateway(page: Page, fee_world, screenshot):
    log_in(page, "congdan")
    page.goto(f"/payments/dossiers/{fee_world.online}/")
    assert_page_basics(page)
    expect(page.locator("main")).to_contain_text("50.000 đ")
    assert_no_horizontal_scroll(page)
    screenshot("invoice")
    page.click("#pay-online")
    expect(page).to_have_url(re.compile(r"/fake/vnpay/pay\?"))
    expect(page.locator("#fake-amount")).to_have_text("50.000 đ")
    screenshot("gateway")
    page.check("input[name=outcome][value=success]")
    page.click("#fake-pay")
    expect(page).to_have_url(re.compile(r"/payments/vnpay/return\?"))
    expect(page.locator("#payment-outcome")).to_have_attribute("data-outcome", "paid", timeout=15_000)
    screenshot("paid")
    page.click("text=Phí, lệ phí và biên lai của hồ sơ")
    expect(page.locator("[data-invoice-status]")).to_have_attribute("data-invoice-status", "paid")
    expect(page.locator(".receipt-row")).to_contain_text("0000001")
    page.click("#fees-back")
    expect(page).to_have_url(re.compile(r"/dossiers/mine/"))


def test_a_refused_payment_can_be_tried_again(page: Page, fee_world):
    log_in(page, "congdan")
    page.goto(f"/payments/dossiers/{fee_world.online}/")
    page.click("#pay-online")
    page.check("input[name=outcome][value=refuse]")
    page.click("#fake-pay")
    expect(page.locator("#payment-outcome")).to_have_attribute("data-outcome", "cancelled")
    page.goto(f"/payments/dossiers/{fee_world.online}/")
    expect(page.locator("#pay-online")).to_be_visible()


def test_a_late_ipn_sent_twice_confirms_once(page: Page, fee_world):
    from motcua.payments.models import Receipt

    log_in(page, "congdan")
    page.goto(f"/payments/dossiers/{fee_world.online}/")
    page.click("#pay-online")
    page.check("input[name=late]")
    page.check("input[name=twice]")
    page.click("#fake-pay")
    expect(page.locator("#payment-outcome")).to_have_attribute("data-outcome", "waiting")
    expect(page.locator("#payment-outcome")).to_have_attribute("data-outcome", "paid", timeout=20_000)
    assert Receipt.objects.filter(payment__invoice__dossier__code=fee_world.online).count() == 1


def test_the_fee_counter_collects_cash_and_prints_the_receipt(page: Page, fee_world, screenshot):
    log_in(page, "thuphi")
    page.goto("/payments/counter/")
    assert_page_basics(page)
    card = page.locator(f"[data-invoice$='{fee_world.at_counter}/1']")
    expect(card).to_contain_text("50.000 đ")
    expect(card.locator("img")).to_have_attribute("alt", "Mã VietQR chuyển khoản 50.000 đ")
    assert_no_horizontal_scroll(page)
    screenshot("open")
    other = page.locator(f"[data-invoice$='{fee_world.online}/1']")
    other.locator("summary").click()
    other.get_by_label("Người nộp thuộc diện này").check()
    other.get_by_role("button", name="Tính lại số phải nộp").click()
    expect(page.locator(".message.error")).to_contain_text("cần giấy tờ chứng minh: Hợp đồng tín dụng")
    screenshot("exemption-refused")
    card.locator("select").select_option("cash")
    card.get_by_role("button", name="Thu tiền và phát hành biên lai").click()
    expect(page.locator(".message")).to_contain_text("Biên lai số 0000001")
    expect(page.locator("#collected")).to_contain_text(fee_world.at_counter)
    expect(page.locator("#collected-total")).to_have_text("50.000 đ")
    response = page.request.get(page.locator("#collected a", has_text="80 mm").get_attribute("href"))
    assert response.ok and response.body().startswith(b"%PDF")


def test_the_branch_leader_reconciles_and_signs_the_day(page: Page, fee_world, screenshot):
    from django.contrib.auth.models import User

    from motcua.payments.models import Invoice
    from motcua.payments.services import record_counter_payment

    invoice = Invoice.objects.get(dossier__code=fee_world.at_counter)
    record_counter_payment(User.objects.get(username="thuphi"), invoice.reference, method="cash", amount=50_000)
    log_in(page, "lanhdao")
    page.goto("/payments/reconciliation/")
    assert_page_basics(page)
    expect(page.locator("#reconciliation")).to_contain_text("thuphi")
    expect(page.locator("#reconciliation-total")).to_have_text("50.000 đ")
    expect(page.locator("#no-differences")).to_be_visible()
    page.click("#check-gateway")
    expect(page.locator("#gateway-agrees")).to_be_visible()
    assert_no_horizontal_scroll(page)
    screenshot("day")
    page.click("#sign-off")
    expect(page.locator("#signed")).to_contain_text("Lanhdao")


def test_a_refund_is_asked_for_at_the_fee_counter_and_approved_by_the_leader(page: Page, fee_world, screenshot,
                                                                              browser_log):
    from django.contrib.auth.models import User

    browser_log.expect(r"status of 422 .*/payments/refunds/")  # the too large amount, refused on purpose
    from motcua.payments.models import Invoice
    from motcua.payments.services import record_counter_payment

    invoice = Invoice.objects.get(dossier__code=fee_world.at_counter)
    receipt = record_counter_payment(User.objects.get(username="thuphi"), invoice.reference, method="cash",
                                     amount=50_000)
    log_in(page, "thuphi")
    page.goto("/payments/refunds/")
    assert_page_basics(page)
    page.fill("#refund-number", str(receipt.number))
    page.fill("#refund-amount", "60000")
    page.fill("#refund-reason", "Thu thừa")
    page.click("#refund-submit")
    expect(page.locator(".message").first).to_contain_text("không quá số còn lại")
    expect(page.locator("#refund-reason")).to_have_value("Thu thừa")
    page.fill("#refund-amount", "20000")
    page.click("#refund-submit")
    expect(page.locator("#refunds-waiting")).to_contain_text("20.000 đ")
    assert_no_horizontal_scroll(page)
    screenshot("asked")
    log_in(page, "lanhdao")
    page.goto("/payments/refunds/")
    page.locator("#refunds-waiting button").first.click()
    expect(page.locator("#refunds-approved")).to_contain_text("Thu thừa")
    expect(page.locator("#no-waiting")).to_be_visible()
    screenshot("approved")
