"""One masking rule for pages and logs, and the filter that keeps personal numbers out of every log line."""

import logging
import sys

import pytest
from django.http import HttpResponse
from django.template import Context, Template
from django.test import RequestFactory
from django.utils.log import log_response

from motcua.core.ids import NationalId
from motcua.core.privacy import MaskingFilter, mask, mask_phone, mask_text

ID = "001190012345"


def test_mask_keeps_the_last_digits_only():
    assert mask(ID) == "********2345"
    assert mask_phone("0912345678") == "*******678"
    assert mask("") == "" and mask(None) == ""
    assert NationalId(ID, "", "", 0).masked == mask(ID)


@pytest.mark.parametrize("text", [
    f"id {ID} x", "phone 0912 345 678.", "+84912345678", "cmnd=123456789&x", "0912.345.678", "84-912-345-678",
    f"GET /dossiers/receive/?national_id={ID}", f"national_id_{ID}",
])
def test_mask_text_finds_id_and_phone_numbers(text):
    masked = mask_text(text)
    digits = "".join(ch for ch in masked if ch.isdigit())
    assert "*" in masked and len(digits) <= 3


@pytest.mark.parametrize("text", [
    "000.00.12.H26-261206-0001", "2026-12-06 10:50:29,823", "203.0.113.7", "B-027 at counter 12",
    "request_id=a3f0912345678bcd", "took 1234.5 ms",
])
def test_mask_text_leaves_codes_times_and_addresses_alone(text):
    assert mask_text(text) == text


def test_the_template_filter_is_the_same_rule():
    page = Template("{{ id|mask }} {{ phone|mask:'phone' }}").render(Context({"id": ID, "phone": "0912345678"}))
    assert page == f"{mask(ID)} {mask_phone('0912345678')}"


def test_the_filter_masks_message_arguments_extras_and_exceptions():
    try:
        raise ValueError(f"duplicate id_number {ID}")
    except ValueError:
        exc_info = sys.exc_info()
    item = logging.makeLogRecord({"msg": "booking for %s", "args": ("0912345678",), "phone": "0987654321",
                                  "exc_info": exc_info})
    assert MaskingFilter().filter(item)
    text = logging.Formatter().format(item)
    assert "0912345678" not in text and ID not in text and "*******678" in text
    assert item.phone == "*******321"


def test_a_server_error_line_names_the_path_never_the_query_string(written_logs):
    request = RequestFactory().get("/dossiers/receive/", {"national_id": ID, "phone": "0912345678"})
    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        log_response("Internal Server Error: %s", request.get_full_path(), response=HttpResponse(status=500),
                     request=request, exception=exc)
    text = written_logs.getvalue()
    assert "Internal Server Error" in text and "/dossiers/receive/" in text
    assert ID not in text and "0912345678" not in text


def test_the_json_lines_of_production_are_masked_too(written_logs):
    logging.getLogger("motcua.test").warning("citizen %s", ID, extra={"phone": "0912345678"})
    text = written_logs.getvalue()
    assert '"level": "WARNING"' in text and '"phone": "*******678"' in text
    assert ID not in text and "0912345678" not in text


def test_uvicorn_lines_go_through_the_masking_handler(written_logs):
    logging.getLogger("uvicorn.error").info("client %s disconnected", "0912345678")
    text = written_logs.getvalue()
    assert "disconnected" in text and "0912345678" not in text
