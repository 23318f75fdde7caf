"""A citizen keeps a paper in the wallet, sees it expire soon, files a dossier with it in one tap,
repeats that dossier, and follows a life event."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from e2e.helpers import assert_no_horizontal_scroll, assert_page_basics
from e2e.test_online_submission import PDF, citizen, log_in  # noqa: F401

pytestmark = pytest.mark.e2e

EVENT = """\
code: vay-mua-nha
name: Vay tiền mua nhà
description: Thế chấp nhà, đất để vay ngân hàng.
procedures:
  - code: "1.004227"
    note: Khi vay ngân hàng bằng quyền sử dụng đất.
"""


@pytest.fixture
def renewal(citizen, settings, tmp_path):  # noqa: F811
    """The procedure that renews a driving licence, and a renewals file naming it."""
    from motcua.catalog.models import Procedure

    land = Procedure.objects.get(code="1.004227")
    Procedure.objects.create(
        code="3.000347",
        name="Đổi giấy phép lái xe",
        field=land.field,
        level="province",
        agency=land.agency,
        processing_days=Decimal(5),
    )
    path = tmp_path / "renewals.yaml"
    path.write_text('- kind: driving_licence\n  procedure: "3.000347"\n', encoding="utf-8")
    settings.MOTCUA_WALLET_RENEWALS_FILE = path


def test_the_wallet_a_one_tap_filing_and_a_repeat(page: Page, citizen, renewal, screenshot):  # noqa: F811
    log_in(page, citizen.username)
    page.locator("[data-menu=portal-wallet]").click()
    expect(page.locator("h1")).to_have_text("Ví giấy tờ")
    expect(page.locator("#registry")).to_contain_text("Nguyễn Văn An")
    expect(page.locator("#registry")).to_contain_text("********1234")
    expect(page.locator("#no-papers")).to_be_visible()

    expires = dt.date.today() + dt.timedelta(days=20)
    page.select_option("#id_kind", "driving_licence")
    page.fill("#id_title", "Giấy phép lái xe hạng B2")
    page.fill("#id_number", "790123456789")
    page.fill("#id_issuer", "Sở Giao thông vận tải Hà Nội")
    page.fill("#id_expires_on", expires.isoformat())
    page.set_input_files(
        "#id_file", files=[{"name": "gplx.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.click("#add-paper-submit")
    expect(page.locator("#paper-added")).to_be_visible()
    card = page.locator(".paper").first
    expect(card).to_contain_text("Giấy phép lái xe hạng B2")
    expect(card.locator(".paper-number")).to_have_text("********6789")
    expect(page.locator("body")).not_to_contain_text("790123456789")
    expect(page.locator("#expiring")).to_contain_text(f"Hết hạn ngày {expires:%d/%m/%Y} (còn 20 ngày)")
    expect(page.locator("#expiring .renew")).to_have_attribute("href", "/me/wallet/file/?procedure=3.000347")
    assert_page_basics(page)
    assert_no_horizontal_scroll(page)
    screenshot("wallet")

    # One tap: the paper given for the first document instead of an upload.
    page.click("#file-with-wallet")
    page.fill("#procedure-q", "the chap")
    page.click("#procedure-search")
    page.get_by_role("link", name=re.compile("Đăng ký thế chấp quyền sử dụng đất")).click()
    expect(page.locator("#chosen-procedure")).to_contain_text("Đăng ký thế chấp quyền sử dụng đất")
    expect(page.locator("#doc-row-2")).to_contain_text("Không cần nộp: đã khai thác từ CSDL dân cư")
    option = page.locator("#wallet-1 option", has_text="Giấy phép lái xe hạng B2")
    expect(option).to_contain_text("********6789")
    page.select_option("#wallet-1", value=option.get_attribute("value"))
    assert_no_horizontal_scroll(page)
    screenshot("file")
    page.click("#submit-online")
    code = page.locator("#online-code").inner_text().strip()
    assert re.fullmatch(r"000\.00\.12\.H26-\d{6}-\d{4}", code)

    # Repeat: the same procedure, details and documents, ready to file again.
    page.goto(f"/me/repeat/{code}/")
    expect(page.locator("#repeat-of")).to_contain_text(code)
    expect(page.locator("#id_address")).to_have_value("1 Điện Biên Phủ, phường Ba Đình")
    expect(page.locator("#wallet-1 option:checked")).to_contain_text("Giấy phép lái xe hạng B2")
    page.fill("#id_phone", "0987 654 321")
    assert_page_basics(page)
    assert_no_horizontal_scroll(page)
    screenshot("repeat")
    page.click("#submit-online")
    second = page.locator("#online-code").inner_text().strip()
    assert second != code

    from motcua.dossiers.models import Dossier

    assert Dossier.objects.get(code=second).documents.get(position=1).filename == "gplx.pdf"
    page.goto("/me/wallet/")


def test_a_life_event_publicly_and_for_the_citizen(page: Page, citizen, tmp_path, settings, screenshot):  # noqa: F811
    from motcua.portal.services.life_events import load_life_events

    settings.MOTCUA_WALLET_RENEWALS_FILE = tmp_path / "none.yaml"
    (tmp_path / "events").mkdir()
    (tmp_path / "events" / "vay.yaml").write_text(EVENT, encoding="utf-8")
    load_life_events(tmp_path / "events")

    page.goto("/life-events/")
    page.click("#event-vay-mua-nha")
    expect(page.locator("h1")).to_have_text("Vay tiền mua nhà")
    expect(page.locator(".event-steps")).to_contain_text("Đăng ký thế chấp quyền sử dụng đất")
    expect(page.locator(".event-steps")).to_contain_text("Khi vay ngân hàng bằng quyền sử dụng đất.")
    assert_page_basics(page)
    assert_no_horizontal_scroll(page)
    screenshot("public")

    log_in(page, citizen.username)
    page.locator("[data-menu=portal-my-life-events]").click()
    step = page.locator("#my-event-vay-mua-nha")
    expect(step).to_contain_text("Cần làm")
    step.get_by_role("link", name=re.compile("Nộp hồ sơ")).click()
    expect(page.locator("#chosen-procedure")).to_contain_text("1.004227")
    page.goto("/me/life-events/")
    assert_page_basics(page)
    assert_no_horizontal_scroll(page)


def test_a_result_sent_by_post(page: Page, citizen, settings, tmp_path, screenshot):  # noqa: F811
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils import timezone

    from motcua.dossiers import services
    from motcua.dossiers.models import Dossier, State
    from motcua.integrations.postal.fake import LocalPostalService
    from motcua.org.models import Person

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MOTCUA_POSTAL_CALLBACK_SECRET = "e2e-secret"
    LocalPostalService.clear()
    person = Person.objects.get(user=citizen.user)
    sub = services.Submission(
        procedure="1.004227",
        channel="online",
        applicant=services.ApplicantData(
            kind="person",
            id_number=person.national_id,
            name=person.full_name,
            birth_date=person.birth_date,
            gender=person.gender,
            address=person.address,
        ),
    )
    pdf = {"name": "phieu.pdf", "content_type": "application/pdf"}
    from django.core.files.uploadedfile import SimpleUploadedFile

    dossier = services.submit_dossier(
        citizen.user, sub, {1: [SimpleUploadedFile(pdf["name"], PDF, pdf["content_type"])]}
    )
    name = default_storage.save("results/2026/12/ket-qua.pdf", ContentFile(PDF))
    Dossier.objects.filter(pk=dossier.pk).update(
        state=State.RESULT_READY, result_file=name, received_at=timezone.now(), result_ready_at=timezone.now()
    )

    log_in(page, citizen.username)
    page.goto("/me/wallet/")
    page.locator(".post-result").click()
    expect(page.locator("h1")).to_have_text("Nhận kết quả qua bưu chính")
    expect(page.locator("main")).to_contain_text("Cước bưu chính: 22.000 đ, trả cho bưu tá khi nhận kết quả.")
    expect(page.locator("#id_address")).to_have_value("1 Điện Biên Phủ, phường Ba Đình")
    page.fill("#id_phone", "0912 345 678")
    assert_page_basics(page)
    assert_no_horizontal_scroll(page)
    screenshot("form")
    page.click("#request-post")
    expect(page.locator("#delivery-status")).to_have_text("Bưu chính đã nhận yêu cầu")
    tracking = LocalPostalService.orders[dossier.code][1].tracking_number
    expect(page.locator("#delivery-title")).to_contain_text(tracking)
    LocalPostalService().advance(
        tracking, "delivering", secret="e2e-secret", note="Bưu tá Phạm Văn Nam đang giao"
    )
    page.reload()
    expect(page.locator("#delivery-status")).to_have_text("Đang giao")
    expect(page.locator("#delivery-events")).to_contain_text("Bưu tá Phạm Văn Nam đang giao")
    assert_no_horizontal_scroll(page)
