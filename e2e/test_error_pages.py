"""The 404 page in a browser: the site's layout at desktop and phone size, accessibility basics."""

import re

import pytest
from playwright.sync_api import Page, expect

from e2e.helpers import PHONE, assert_no_horizontal_scroll, assert_page_basics, assert_skip_link_works

pytestmark = pytest.mark.e2e


def test_unknown_address_shows_the_sites_404_page(page: Page, browser_log, settings):
    settings.DEBUG = False
    browser_log.expect(r"404 \(Not Found\)")
    response = page.goto("/khong-co-trang-nay/")
    assert response is not None and response.status == 404
    expect(page).to_have_title("Không tìm thấy trang · motcua")
    expect(page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy trang")
    expect(page.locator("body")).not_to_contain_text("URLconf")
    assert_page_basics(page)
    assert_no_horizontal_scroll(page)
    assert_skip_link_works(page)
    page.set_viewport_size(PHONE)
    expect(page.get_by_role("link", name="Về trang chủ")).to_be_visible()
    page.get_by_role("link", name="Tìm thủ tục hành chính").click()
    expect(page).to_have_url(re.compile(r"/procedures/$"))
    page.go_back()
