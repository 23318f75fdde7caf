"""Live staff pages in a browser: the inbox and the approvals list change by themselves, with no polling."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import Page, expect

from e2e.test_dossier_pages import PDF, center, check_page, log_in  # noqa: F401 - `center` is a fixture

pytestmark = pytest.mark.e2e


def counter_dossier(center) -> str:  # noqa: F811 - the fixture's value
    from motcua.dossiers import services

    sub = services.Submission(procedure="1.004227", shown=[4], applicant=services.ApplicantData(
        kind="organisation", id_number="0100109106", name="Công ty TNHH Hoa Sen", phone="024 3825 1234"))
    files = {n: [SimpleUploadedFile(f"{n}.pdf", PDF)] for n in (1, 2)}
    return services.submit_dossier(center.reception, sub, files).code


def awaiting_approval(center) -> str:  # noqa: F811
    from motcua.dossiers import services

    code = counter_dossier(center)
    services.forward(center.reception, code)
    services.take(center.officer, code)  # the review step
    services.forward(center.officer, code)
    services.take(center.officer, code)  # the draft step
    services.propose_approval(center.officer, code)
    return code


def watch_requests(page: Page) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    return seen


def test_the_inbox_shows_a_new_dossier_without_asking_again(page: Page, center, screenshot):  # noqa: F811
    log_in(page, "chuyenvien")
    page.goto("/dossiers/")
    expect(page.locator("#live-status")).to_have_attribute("data-state", "live")
    expect(page.locator("#inbox-rows")).to_contain_text("0 hồ sơ")
    requests = watch_requests(page)
    page.wait_for_timeout(1500)
    assert not [url for url in requests if "/dossiers/" in url], "the inbox asked without a change"

    code = counter_dossier(center)
    from motcua.dossiers import services

    services.forward(center.reception, code)
    expect(page.locator("#inbox-rows")).to_contain_text(code, timeout=10_000)
    expect(page.locator("#inbox-count")).to_contain_text("1 hồ sơ")
    refreshes = [url for url in requests if re.search(r"/dossiers/(\?|$)", url)]
    assert 1 <= len(refreshes) <= 2, refreshes  # one per burst of events, not one per event
    check_page(page)
    screenshot("new-row")


def test_approvals_appear_live_and_a_ticked_box_stays_ticked(page: Page, center, screenshot):  # noqa: F811
    first = awaiting_approval(center)
    log_in(page, "lanhdao")
    page.goto("/dossiers/approvals/")
    expect(page.locator("#live-status")).to_have_attribute("data-state", "live")
    page.get_by_label(re.compile(re.escape(first))).check()
    page.fill("#approve-note", "Đồng ý")

    second = awaiting_approval(center)
    expect(page.locator("#approval-rows")).to_contain_text(second, timeout=10_000)
    expect(page.get_by_label(re.compile(re.escape(first)))).to_be_checked()
    expect(page.get_by_label(re.compile(re.escape(second)))).not_to_be_checked()
    expect(page.locator("#approve-note")).to_have_value("Đồng ý")
    check_page(page)
    screenshot("approvals")
    page.click("#approve-selected")
    expect(page.locator(".message").first).to_contain_text(f"Đã phê duyệt hồ sơ {first}")
    expect(page.locator("#approval-rows")).not_to_contain_text(first)
