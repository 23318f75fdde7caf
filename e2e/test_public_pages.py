"""The public pages: home, the procedure catalog (live search), a procedure, the branches, tracking, booking."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from e2e.helpers import assert_no_horizontal_scroll, assert_page_basics, assert_skip_link_works

pytestmark = pytest.mark.e2e

NO_MATCH = "Không tìm thấy thủ tục phù hợp"


def query_of(page: Page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def result_links(page: Page):
    return page.locator("#results .result-list a")


def record_htmx_requests(page: Page) -> list[str]:
    """URLs of the requests HTMX sends (they carry the HX-Request header)."""
    urls: list[str] = []
    page.on("request", lambda r: urls.append(r.url) if r.headers.get("hx-request") == "true" else None)
    return urls


def test_home_has_title_and_its_search_opens_the_catalog_with_the_query(page: Page, catalog):
    page.goto("/")
    expect(page).to_have_title("Trung tâm Phục vụ hành chính công · motcua")
    expect(page.get_by_role("heading", level=1)).to_have_text("Trung tâm Phục vụ hành chính công")
    assert_page_basics(page)

    page.get_by_role("searchbox", name="Tìm thủ tục hành chính").fill("khai sinh")
    page.get_by_role("button", name="Tìm", exact=True).click()

    expect(page).to_have_url(re.compile(r"/procedures/\?q=khai\+sinh$"))
    expect(page.get_by_role("searchbox", name=re.compile("Tìm theo tên"))).to_have_value("khai sinh")
    expect(result_links(page)).to_have_text([catalog.birth_name])


@pytest.mark.parametrize("typed", ["khai sinh", "dang ky khai sinh"])
def test_catalog_live_search_ignores_diacritics(page: Page, catalog, typed):
    page.goto("/procedures/")
    expect(result_links(page)).to_have_count(3)
    page.evaluate("window.loadedOnce = true")
    htmx_requests = record_htmx_requests(page)

    page.get_by_role("searchbox", name=re.compile("Tìm theo tên")).press_sequentially(typed, delay=15)

    # The URL is pushed once the last request's results are in (HTMX queues the keystrokes' requests).
    expect(page).to_have_url(re.compile(r"\?q=" + typed.replace(" ", "(%20|\\+)") + "&"))
    assert query_of(page)["q"] == typed
    expect(result_links(page).first).to_have_text(catalog.birth_name)
    assert any(parse_qs(urlsplit(url).query).get("q") == [typed] for url in htmx_requests)
    assert page.evaluate("window.loadedOnce") is True, "the results must be swapped in, not reloaded"
    if typed == "khai sinh":
        expect(result_links(page)).to_have_text([catalog.birth_name])
        expect(page.locator("#results")).to_contain_text("1 thủ tục")


def test_catalog_filters_by_field_and_level(page: Page, catalog):
    page.goto("/procedures/")
    page.evaluate("window.loadedOnce = true")
    field = page.get_by_role("combobox", name="Lĩnh vực")
    level = page.get_by_role("combobox", name="Cấp thực hiện")

    field.select_option(label="Đất đai")
    expect(page).to_have_url(re.compile(r"field=dat-dai"))
    expect(result_links(page)).to_have_text([catalog.land_name])

    field.select_option(label="Tất cả")
    level.select_option(label="Cấp xã")
    expect(page).to_have_url(re.compile(r"field=&level=commune&"))
    expect(result_links(page)).to_have_text([catalog.marriage_name, catalog.birth_name])

    field.select_option(label="Hộ tịch")
    level.select_option(label="Cấp tỉnh")
    expect(page).to_have_url(re.compile(r"field=ho-tich&level=province&"))
    expect(page.locator("#results")).to_contain_text(NO_MATCH)
    assert page.evaluate("window.loadedOnce") is True

    # The pushed URL is a real address: loading it directly gives the same filtered page.
    page.reload()
    expect(field).to_have_value("ho-tich")
    expect(level).to_have_value("province")
    expect(page.locator("#results")).to_contain_text(NO_MATCH)


def test_catalog_says_so_when_nothing_matches(page: Page, catalog):
    page.goto("/procedures/")
    page.get_by_role("searchbox", name=re.compile("Tìm theo tên")).press_sequentially(
        "xuất nhập cảnh", delay=10
    )
    expect(page.locator("#results")).to_contain_text(
        "Danh mục không có thủ tục nào chứa từ “xuất”, “nhập”, “cảnh”"
    )
    expect(page.locator("#results")).to_contain_text("0 thủ tục")
    expect(result_links(page)).to_have_count(0)


@pytest.mark.parametrize("typed", ["ho chieu", "hộ chiếu"])
def test_catalog_search_says_passports_are_not_received_here_and_where(page: Page, catalog, screenshot, typed):
    page.goto("/procedures/")
    page.evaluate("window.loadedOnce = true")
    page.get_by_role("searchbox", name=re.compile("Tìm theo tên")).press_sequentially(typed, delay=15)

    notice = page.get_by_role("note")
    expect(notice).to_contain_text("Thủ tục này không tiếp nhận tại Trung tâm: Cấp, cấp lại hộ chiếu phổ thông")
    expect(notice).to_contain_text("Nộp tại: Phòng Quản lý xuất nhập cảnh, Công an thành phố Hà Nội")
    expect(notice.get_by_role("link", name="https://dichvucong.gov.vn/")).to_be_visible()
    expect(page.locator("#results")).to_contain_text("0 thủ tục")
    expect(page.locator("#results")).not_to_contain_text(NO_MATCH)
    expect(result_links(page)).to_have_count(0)
    assert page.evaluate("window.loadedOnce") is True
    assert_no_horizontal_scroll(page)
    screenshot("notice")

    # "khai sinh" is received here: no notice, only the procedure.
    search = page.get_by_role("searchbox", name=re.compile("Tìm theo tên"))
    search.fill("khai sinh")
    expect(result_links(page)).to_have_text([catalog.birth_name])
    expect(page.get_by_role("note")).to_have_count(0)


def test_catalog_can_be_used_with_the_keyboard_only(page: Page, catalog, screenshot):
    page.goto("/procedures/")
    assert_skip_link_works(page)  # Tab, Enter: focus is now on <main>

    page.keyboard.press("Tab")
    search = page.get_by_role("searchbox", name=re.compile("Tìm theo tên"))
    expect(search).to_be_focused()
    page.keyboard.type("khai sinh", delay=15)
    first_result = result_links(page).first
    expect(first_result).to_have_text(catalog.birth_name)
    expect(result_links(page)).to_have_count(1)

    for _ in range(6):  # past the three filters
        page.keyboard.press("Tab")
        if first_result.evaluate("el => el === document.activeElement"):
            break
    expect(first_result).to_be_focused()
    screenshot("result-focused")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(rf"/procedures/{re.escape(catalog.birth)}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(catalog.birth_name)


def test_procedure_detail_shows_documents_fee_time_and_route(page: Page, catalog):
    page.goto(f"/procedures/{catalog.land}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(catalog.land_name)
    expect(page).to_have_title(f"{catalog.land_name} · motcua")
    assert_page_basics(page)

    def fact(term: str):
        return page.locator(f"dl.facts dt:text-is('{term}') + dd")

    expect(fact("Mã thủ tục")).to_have_text(catalog.land)
    expect(fact("Lĩnh vực")).to_have_text("Đất đai")
    expect(fact("Cấp thực hiện")).to_have_text("Cấp tỉnh")
    expect(fact("Cơ quan có thẩm quyền")).to_have_text("Sở Nông nghiệp và Môi trường")
    expect(fact("Thời hạn giải quyết")).to_have_text("15 ngày làm việc")

    documents = page.get_by_role("table", name="Thành phần hồ sơ")
    rows = documents.locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("Đơn đăng ký đất đai, tài sản gắn liền với đất")
    expect(rows.nth(1)).to_contain_text("Giấy tờ về quyền sử dụng đất")
    expect(rows.nth(1)).to_contain_text("Bản sao chứng thực")
    expect(rows.nth(2)).to_contain_text("Tùy trường hợp")

    fees = page.get_by_role("table", name="Phí, lệ phí")
    fee = fees.locator("tbody tr").first
    expect(fee.locator("td").nth(0)).to_contain_text("Phí thẩm định hồ sơ cấp Giấy chứng nhận")
    assert fee.locator("td").nth(1).inner_text() == "1.250.000 đ"
    expect(fee.locator("td").nth(2)).to_have_text("Hộ nghèo")

    route = page.get_by_role("list", name="Quy trình xử lý nội bộ").get_by_role("listitem")
    expect(route).to_have_count(4)
    expect(route.nth(0)).to_contain_text("Tiếp nhận hồ sơ")
    expect(route.nth(1)).to_contain_text("Thẩm định hồ sơ")
    expect(route.nth(1)).to_contain_text("Sở NN&MT")
    expect(route.nth(1)).to_contain_text("80 giờ làm việc")
    expect(route.nth(3)).to_contain_text("Trả kết quả")

    # A free procedure says so, and a document the population registry replaces is marked.
    page.get_by_role("link", name=re.compile("Danh mục thủ tục")).click()
    result_links(page).filter(has_text=catalog.birth_name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(catalog.birth_name)
    expect(page.get_by_text("Không thu phí, lệ phí.")).to_be_visible()
    expect(page.get_by_role("table", name="Thành phần hồ sơ")).to_contain_text(
        "Không cần nộp nếu CSDL dân cư đã có"
    )
    expect(fact("Cơ quan có thẩm quyền")).to_have_text("UBND xã, phường nơi người nộp cư trú")


def test_unknown_procedure_shows_a_not_found_page(page: Page, catalog, browser_log):
    browser_log.expect(r"status of 404")
    response = page.goto("/procedures/9.999999/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    body = page.locator("body").inner_text()
    assert "Traceback" not in body and "Page not found" not in body, (
        "a production error page, not a debug one"
    )


def test_branch_list_shows_open_branches_with_their_service_points(page: Page, organisation):
    page.goto("/branches/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Chi nhánh và điểm tiếp nhận")
    expect(page.get_by_role("heading", level=2)).to_have_text(["Chi nhánh số 1", "Chi nhánh số 2"])
    expect(page.get_by_text("đã đóng")).to_have_count(0)

    first = page.get_by_role("region", name="Chi nhánh số 1")
    expect(first).to_contain_text("Điểm tiếp nhận Hoàn Kiếm")
    expect(first).to_contain_text("Số 1 phố Tràng Tiền, phường Hoàn Kiếm")
    expect(first).to_contain_text("3 quầy")
    expect(first).to_contain_text("Điểm tiếp nhận Ba Đình")
    expect(first).to_contain_text("1 quầy")
    second = page.get_by_role("region", name="Chi nhánh số 2")
    expect(second).to_contain_text("Điểm tiếp nhận Cầu Giấy")
    expect(second).to_contain_text("2 quầy")
    expect(second).not_to_contain_text("Hoàn Kiếm")


PAGES = {
    "home": "/",
    "catalog": "/procedures/",
    "catalog-search": "/procedures/?q=dang+ky",
    "catalog-elsewhere": "/procedures/?q=h%E1%BB%99+chi%E1%BA%BFu",
    "detail": "/procedures/1.012345/",
    "branches": "/branches/",
    "login": "/login/",
    "tracking": "/tracking/",
    "booking": "/queue/book/",
    "transparency": "/transparency/",
    "complaints": "/complaints/",
    "complaint-new": "/complaints/new/",
    "assistant": "/assistant/",
    "verify": "/verify/",
}


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_page_meets_accessibility_basics(page: Page, catalog, organisation, path):
    """Skip link first in the tab order, <html lang>, one h1, labelled controls, no sideways scroll on a phone."""
    page.goto(path)
    assert_skip_link_works(page)
    assert_page_basics(page)
    assert_no_horizontal_scroll(page)
