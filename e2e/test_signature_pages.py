"""The public verification page /verify/: a good signed file, then the same file with one byte changed."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import Page, expect

from e2e.helpers import assert_no_horizontal_scroll, assert_page_basics

pytestmark = pytest.mark.e2e


@pytest.fixture
def signed_pdf(organisation, tmp_path, settings):
    """A sample slip 01 signed with a demo certificate of an officer of branch 1."""
    from django.contrib.auth import get_user_model

    from motcua import pdf
    from motcua.org.models import Agency, Officer
    from motcua.pdf import samples
    from motcua.signing import keys, services
    from motcua.signing.signers import Pkcs12Signer, Stamp

    settings.MOTCUA_SIGNING_DIR = str(tmp_path / "signing")
    agency = Agency.objects.create(code="tt", name="Trung tâm", short_name="TT", kind="center", e_id="000.00.01.H26")
    user = get_user_model().objects.create_user("ductm", first_name="Trần Minh Đức")
    officer = Officer.objects.create(user=user, agency=agency, branch=organisation.branches[0],
                                     title="Chuyên viên")
    certificate = services.issue_certificate(officer=officer)
    content = pdf.render_receipt_slip(samples.receipt_slip())
    stamp = Stamp(page=1, box=(330, 60, 530, 125), signer="Trần Minh Đức", title="Chuyên viên",
                  organisation=organisation.branches[0].name, url="http://127.0.0.1/verify/sample/")
    signer = Pkcs12Signer(keys.signing_dir() / certificate.key_file)
    # pyHanko runs its own event loop; Playwright's is running in this thread.
    with ThreadPoolExecutor(1) as pool:
        signed = pool.submit(signer.sign_pdf, content, stamp).result()
    good = tmp_path / "giay-tiep-nhan.pdf"
    good.write_bytes(signed)
    position = signed.index(b"stream", len(signed) // 4) + 20
    changed = bytearray(signed)
    changed[position] ^= 0x01
    bad = tmp_path / "giay-tiep-nhan-da-sua.pdf"
    bad.write_bytes(bytes(changed))
    return good, bad


def test_verify_page_reports_a_good_file_valid_and_a_changed_one_invalid(page: Page, signed_pdf, screenshot):
    good, bad = signed_pdf
    page.goto("/verify/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kiểm tra chữ ký số")
    assert_page_basics(page)
    screenshot("empty")

    page.get_by_label("Tệp PDF đã ký số").set_input_files(str(good))
    page.get_by_role("button", name="Kiểm tra").click()
    result = page.locator("#verify-result")
    expect(result.get_by_role("heading", level=2)).to_contain_text("Chữ ký số hợp lệ")
    expect(result).to_contain_text("Trần Minh Đức")
    expect(result).to_contain_text("Không thay đổi sau khi ký")
    expect(result).to_contain_text("Còn hiệu lực")
    assert_no_horizontal_scroll(page)
    screenshot("valid")

    page.get_by_label("Tệp PDF đã ký số").set_input_files(str(bad))
    page.get_by_role("button", name="Kiểm tra").click()
    expect(result.get_by_role("heading", level=2)).to_contain_text("Chữ ký số không hợp lệ")
    expect(result).to_contain_text("Đã bị thay đổi sau khi ký")
    assert_no_horizontal_scroll(page)
