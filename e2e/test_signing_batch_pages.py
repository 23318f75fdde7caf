"""Batch signing by the branch leader (progress, one dossier failing with its reason), and the citizen
downloading the sealed result from the tracking page."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections
from playwright.sync_api import Page, expect

from e2e.helpers import assert_no_horizontal_scroll, assert_page_basics
from motcua.dossiers.tests.conftest import _media, world  # noqa: F401 - the dossiers' fixtures

pytestmark = pytest.mark.e2e


def in_thread(work, *args):
    """Signing runs pyHanko's own event loop; Playwright's runs in this thread."""
    def run():
        try:
            return work(*args)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result()


@pytest.fixture
def approvals(transactional_db, world, settings, tmp_path):  # noqa: F811
    """Two dossiers waiting for the leader: one whose result the head signed, one without a result."""
    settings.MOTCUA_SIGNING_DIR = str(tmp_path / "signing")
    settings.MOTCUA_SIGNING_TRUST_ROOTS = []
    settings.MOTCUA_SIGNING_CRLS = []
    from django.test import Client

    from motcua.signing import signers
    from motcua.signing.tests import test_results

    signers._loaded.clear()

    def prepare():
        people = test_results.people.__wrapped__(world)
        client = Client()
        good = test_results.awaiting_approval(client, people)
        from motcua.signing import services

        services.sign_result(people.head, good)
        missing = test_results.awaiting_approval(client, people, result=False)
        return people, good, missing

    return in_thread(prepare)


def log_in(page: Page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-" + username)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


def test_the_leader_signs_a_batch_with_progress_and_the_citizen_downloads_the_result(
        page: Page, approvals, screenshot, tmp_path):
    people, good, missing = approvals
    log_in(page, "leader")
    page.goto("/dossiers/approvals/")
    page.get_by_role("link", name="Ký số theo lô").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ký số theo lô")
    page.get_by_label(good.code).check()
    page.get_by_label(missing.code).check()
    assert_page_basics(page)
    assert_no_horizontal_scroll(page)
    screenshot("choose")
    page.get_by_role("button", name="Ký các hồ sơ đã chọn").click()

    status = page.locator("#batch-status")
    expect(status).to_have_text("Đang ký: 0/2 hồ sơ.")
    expect(page.locator("#batch-bar")).to_have_attribute("max", "2")
    screenshot("waiting")
    from django_tasks_db.models import DBTaskResult

    from motcua.signing.tasks import run_signing_batch

    queued = DBTaskResult.objects.get(task_path="motcua.signing.tasks.run_signing_batch")
    in_thread(run_signing_batch.call, *queued.args_kwargs["args"])  # what the db_worker does
    expect(status).to_have_text("Đã xong: 1 hồ sơ đã ký, 1 hồ sơ không ký được.")
    expect(page.locator(f"[id='item-{good.code}']")).to_contain_text("Đã ký")
    expect(page.locator(f"[id='item-{missing.code}']")).to_contain_text("Hồ sơ chưa đính kèm kết quả.")
    assert_no_horizontal_scroll(page)
    screenshot("done")

    from motcua.dossiers import services as dossier_services
    from motcua.dossiers.models import Dossier

    in_thread(dossier_services.mark_ready, people.officer, good.code)
    dossier = Dossier.objects.get(pk=good.pk)
    page.context.clear_cookies()
    page.goto(dossier.tracking_path())
    link = page.get_by_role("link", name="Tải kết quả điện tử (đã ký số)")
    expect(link).to_be_visible()
    with page.expect_download() as info:
        link.click()
    saved = tmp_path / "ket-qua.pdf"
    info.value.save_as(saved)
    from motcua.signing import verification

    report = in_thread(verification.verify_pdf, saved.read_bytes())
    assert report.valid and len(report.signatures) == 2
    assert_no_horizontal_scroll(page)
