"""Signing in, the staff admin over the catalog and the organisation, and the language switch."""

import re

import pytest
from playwright.sync_api import Page, expect

from e2e.helpers import assert_accessible, assert_no_horizontal_scroll, assert_page_basics

pytestmark = pytest.mark.e2e


def log_in(page: Page, username: str, password: str) -> None:
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def test_wrong_password_shows_a_vietnamese_error(page: Page, staff_user):
    page.goto("/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    log_in(page, staff_user.username, "sai-mat-khau")

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("mật khẩu chính xác")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page).to_have_url(re.compile(r"/login/$"))
    # The name typed is kept, the password is not; both fields point at the error.
    expect(page.get_by_label("Tên đăng nhập")).to_have_value(staff_user.username)
    expect(page.get_by_label("Mật khẩu")).to_have_value("")
    expect(page.get_by_label("Mật khẩu")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("link", name="Quản trị")).to_have_count(0)
    assert_page_basics(page)


def test_staff_logs_in_and_browses_catalog_and_organisation_in_the_admin(
    page: Page, staff_user, catalog, organisation, browser_log, screenshot
):
    # Django's admin pages declare no icon, so the browser asks for /favicon.ico, which the site lacks.
    browser_log.expect(r"404 \(Not Found\) \(\S+/favicon\.ico\)$")
    page.goto("/login/")
    log_in(page, staff_user.username, staff_user.password)

    expect(page).to_have_url(re.compile(r"/$"))
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    expect(nav.get_by_role("button", name=re.compile(r"Đăng xuất \(giamdoc\)"))).to_be_visible()
    expect(page.get_by_text("Giám đốc trung tâm")).to_be_visible()
    assert_no_horizontal_scroll(page)  # the header with every link of a signed-in user
    screenshot("signed-in")
    nav.get_by_role("link", name="Quản trị").click()

    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1)).to_have_text("Quản trị hệ thống một cửa")
    assert_accessible(page)

    # The catalog: the list of procedures, then one procedure with its documents inline.
    page.locator("#content-main").get_by_role("link", name="Thủ tục hành chính", exact=True).click()
    expect(page).to_have_url(re.compile(r"/admin/catalog/procedure/$"))
    results = page.locator("#result_list")
    for code in (catalog.birth, catalog.marriage, catalog.land):
        expect(results).to_contain_text(code)
    results.get_by_role("link", name=catalog.land, exact=True).click()
    expect(page).to_have_url(re.compile(r"/admin/catalog/procedure/\d+/change/$"))
    expect(page.get_by_label("Tên thủ tục")).to_have_value(catalog.land_name)
    documents = page.locator("#documents-group")
    expect(documents.locator("textarea[name$='-name']:not([name*='__prefix__'])")).to_have_count(3)
    expect(documents.locator("textarea[name='documents-1-name']")).to_have_value(
        "Giấy tờ về quyền sử dụng đất"
    )
    expect(page.locator("#fees-group input[name='fees-0-amount']")).to_have_value("1250000")
    expect(page.locator("#route-group input[name$='-name']:not([name*='__prefix__'])")).to_have_count(4)
    screenshot("procedure")  # autocompletes in the form and in a tabular inline, checked by axe-core

    # The organisation: branches, then one branch with its service points inline.
    page.goto("/admin/")
    page.locator("#content-main").get_by_role("link", name="Chi nhánh", exact=True).click()
    expect(page).to_have_url(re.compile(r"/admin/org/branch/$"))
    branches = page.locator("#result_list")
    expect(branches).to_contain_text("Chi nhánh số 1")
    expect(branches).to_contain_text("Chi nhánh số 3 (đã đóng)")  # staff see closed branches too
    assert_accessible(page)
    branches.get_by_role("link", name="1", exact=True).click()
    expect(page.locator("#id_name")).to_have_value("Chi nhánh số 1")
    points = page.locator("#service_points-group")
    expect(points.locator("input[name$='-name']:not([name*='__prefix__'])")).to_have_count(2)
    expect(points.locator("input[name='service_points-0-name']")).to_have_value("Điểm tiếp nhận Ba Đình")


def test_language_switch_changes_html_lang_and_back(page: Page, catalog):
    page.goto("/procedures/")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "vi")
    language = page.get_by_role("combobox", name="Ngôn ngữ")

    language.select_option("en")
    page.get_by_role("button", name="Đổi").click()
    expect(html).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/procedures/$"))  # back on the page the switch was made from
    expect(page.get_by_role("combobox", name=re.compile("Ngôn ngữ|Language"))).to_have_value("en")

    page.get_by_role("combobox", name=re.compile("Ngôn ngữ|Language")).select_option("vi")
    page.locator("form.lang button[type=submit]").click()
    expect(html).to_have_attribute("lang", "vi")
    expect(page.get_by_role("combobox", name="Ngôn ngữ")).to_have_value("vi")
