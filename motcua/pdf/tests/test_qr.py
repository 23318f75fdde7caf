"""The QR code drawn on each form is the one segno makes for the dossier's tracking URL."""

import pytest
import segno

from motcua.pdf import (
    render_apology_document,
    render_dossier_register_document,
    render_process_control_sheet_document,
    render_receipt_slip_document,
    render_refusal_document,
    render_refusal_letter_document,
    render_stop_notice_document,
    render_supplement_request_document,
)
from motcua.pdf import samples as S

from .support import drawn_modules, expected_modules, render_page

FORMS = [
    (render_receipt_slip_document, S.receipt_slip),
    (render_supplement_request_document, S.supplement_request),
    (render_refusal_document, S.refusal),
    (render_apology_document, S.apology),
    (render_stop_notice_document, S.stop_notice),
    (render_process_control_sheet_document, S.process_control_sheet),
    (render_refusal_letter_document, S.refusal_letter),
]


def segno_matrix(url: str):
    return segno.make(url, error="m", micro=False).matrix


@pytest.mark.parametrize("render, make", FORMS, ids=["01", "02", "03", "04", "05", "06", "refusal"])
def test_the_drawn_qr_code_is_the_tracking_urls(render, make, tmp_path):
    form = make()
    rendered = render(form)
    assert len(rendered.qr_placements) == 1
    placement = rendered.qr_placements[0]
    assert placement.page == 1
    assert placement.url == form.tracking_url
    image = render_page(rendered.content, tmp_path, page=1)
    drawn = drawn_modules(image, placement)
    assert drawn == expected_modules(segno_matrix(form.tracking_url))
    # The comparison can fail: another dossier's code does not match what is printed.
    assert drawn != expected_modules(segno_matrix(form.tracking_url + "0"))


def test_qr_code_sits_top_right_beside_the_title(tmp_path):
    placement = render_receipt_slip_document(S.receipt_slip()).qr_placements[0]
    a4_width, a4_height = 595.27, 841.89
    assert placement.x > a4_width / 2
    assert placement.y > a4_height * 0.6


def test_register_rows_with_a_tracking_url_carry_their_own_qr_code(tmp_path):
    register = S.dossier_register(6)
    rendered = render_dossier_register_document(register)
    with_url = [row for row in register.rows if row.tracking_url]
    assert [p.url for p in rendered.qr_placements] == [row.tracking_url for row in with_url]
    image = render_page(rendered.content, tmp_path, page=1, dpi=300)
    for placement in rendered.qr_placements:
        assert drawn_modules(image, placement) == expected_modules(segno_matrix(placement.url))
