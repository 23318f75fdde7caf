"""Bad input gets a 4xx at the edge (core.request_guard): NUL characters, over-deep JSON, over-large bodies,
and searches with no searchable term."""

import json

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from motcua.core.request_guard import check_json, json_depth_exceeds
from motcua.dossiers.tests.conftest import _media, land_payload, world  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

BIG = 3 * 1024 * 1024  # over Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MiB)


def assert_api_error(response, status, code):
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert body["code"] == code
    assert body["message"]
    assert "details" in body


# --- NUL characters -------------------------------------------------------------------------------------

NUL_API_GETS = [
    "/api/tracking/%00",
    "/api/tracking/ABC%00DEF",
    "/api/procedures?q=%00",
    "/api/procedures?q=khai%00sinh",
    "/api/procedures?field=%00",
    "/api/procedures/1.00%00",
    "/api/dossiers/%00",
    "/api/dossiers?q=%00",
    "/api/dossiers/H26.1%00/slips/01.pdf",
    "/api/tickets/by-token/%00",
    "/api/bookings/%00",
    "/api/branches/%00",
]

NUL_PAGES = [
    "/procedures/?q=%00",
    "/procedures/1.004227%00/",
    "/tracking/%00/",
    "/tracking/?code=%00",
    "/dossiers/%00/",
    "/dossiers/receive/procedures/?q=%00",
    "/queue/tickets/%00/",
    "/queue/book/%00/",
]


@pytest.mark.parametrize("url", NUL_API_GETS)
def test_nul_in_api_path_or_query_is_a_400(client, world, url):
    assert_api_error(client.get(url), 400, "invalid_character")


@pytest.mark.parametrize("url", NUL_PAGES)
def test_nul_in_page_path_or_query_is_a_400_page(client, world, url):
    client.force_login(world.reception)
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("body", [
    b'{"username": "reception\x00", "password": "x"}',          # literal NUL
    b'{"username": "reception\\u0000", "password": "x"}',       # escaped NUL
    b'{"username": "reception", "password": "x\\\\\\u0000"}',  # an escaped backslash, then an escaped NUL
], ids=["literal", "escaped", "after-backslash"])
def test_nul_in_token_login_body_is_a_400(client, world, body):
    response = client.post("/api/auth/token", body, content_type="application/json")
    assert_api_error(response, 400, "invalid_character")


def test_escaped_backslash_before_u0000_is_text_not_nul(client, world):
    # "\\u0000" in JSON is a backslash followed by the six characters u0000: no NUL, normal handling.
    body = b'{"username": "reception\\\\u0000", "password": "x"}'
    assert_api_error(client.post("/api/auth/token", body, content_type="application/json"), 401,
                     "invalid_credentials")


def test_nul_in_booking_body_is_a_400(client, world):
    body = {"service_point": 1, "group": "dat-dai\u0000", "date": "2026-11-23", "time": "09:00"}
    assert_api_error(client.post("/api/bookings", json.dumps(body), content_type="application/json"), 400,
                     "invalid_character")


def test_nul_in_api_body_without_json_content_type_is_a_400(client, world):
    body = b'{"username": "reception\\u0000", "password": "x"}'
    assert_api_error(client.post("/api/auth/token", body, content_type="text/plain"), 400, "invalid_character")


def test_nul_in_intake_json_field_is_a_400(client, world):
    client.force_login(world.reception)
    payload = land_payload()
    payload["applicant"]["name"] = "Trần\u0000Bình"
    response = client.post("/api/dossiers", {"data": json.dumps(payload)})  # multipart, like the intake form
    assert_api_error(response, 400, "invalid_character")


def test_nul_in_multipart_text_field_is_a_400(client, world):
    client.force_login(world.reception)
    response = client.post("/api/dossiers", {"data": "x\x00", "document.1": SimpleUploadedFile("a.pdf", b"%PDF")})
    assert_api_error(response, 400, "invalid_character")


def test_nul_in_login_form_is_a_400_page(client, world):
    response = client.post("/login/", {"username": "reception\x00", "password": "x"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_nul_in_uploaded_file_content_is_not_refused_here(client, world):
    # Files are binary: a NUL inside one is normal (uploads are checked by their own rules).
    client.force_login(world.reception)
    response = client.post("/api/dossiers", {"data": json.dumps(land_payload()),
                                             "document.1": SimpleUploadedFile("a.pdf", b"%PDF-1.4\x00\x00")})
    assert response.status_code != 400 or response.json()["code"] != "invalid_character"


# --- Deep JSON ------------------------------------------------------------------------------------------

def test_json_nested_10000_levels_is_a_400(client, world):
    body = "[" * 10_000 + "]" * 10_000
    assert_api_error(client.post("/api/auth/token", body, content_type="application/json"), 400, "json_too_deep")


def test_deep_json_in_intake_form_field_is_a_400(client, world):
    client.force_login(world.reception)
    response = client.post("/api/dossiers", {"data": '{"a":' * 10_000 + "1" + "}" * 10_000})
    assert_api_error(response, 400, "json_too_deep")


@override_settings(MOTCUA_MAX_JSON_DEPTH=5)
def test_depth_limit_is_a_setting(client, world):
    shallow = json.dumps({"username": [[["x"]]], "password": "x"})
    deep = json.dumps({"username": [[[[["x"]]]]], "password": "x"})
    assert client.post("/api/auth/token", shallow, content_type="application/json").status_code == 422
    assert_api_error(client.post("/api/auth/token", deep, content_type="application/json"), 400, "json_too_deep")


def test_depth_scan_ignores_brackets_inside_strings():
    text = json.dumps({"note": "[" * 500 + "{" * 500, "list": [1, [2, [3]]]}).encode()
    assert not json_depth_exceeds(text, 4)  # {"list": [1, [2, [3]]]}: four levels
    assert json_depth_exceeds(text, 3)
    escaped_quote = b'{"a": "\\"[[[[[[[[[[", "b": [[1]]}'
    assert not json_depth_exceeds(escaped_quote, 3)


def test_depth_scan_needs_no_recursion():
    check_json(b"[" * 60 + b"]" * 60)  # within the default limit
    assert json_depth_exceeds(b"[" * 1_000_000, 64)  # unbalanced, huge: still no RecursionError


# --- Body size: 413 -------------------------------------------------------------------------------------

def test_json_body_over_the_limit_is_a_413(client, world):
    body = json.dumps({"username": "a" * BIG, "password": "x"})
    assert_api_error(client.post("/api/auth/token", body, content_type="application/json"), 413,
                     "request_too_large")


def test_form_body_over_the_limit_is_a_413_page(client, world):
    response = client.post("/login/", {"username": "a" * BIG, "password": "x"})
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")


def test_content_length_is_checked_before_the_body_is_read(client, world):
    response = client.generic("POST", "/api/bookings", b"{}", content_type="application/json",
                              CONTENT_LENGTH=str(10 * 1024 * 1024))
    assert_api_error(response, 413, "request_too_large")


def test_invalid_content_length_is_a_400(client, world):
    response = client.generic("POST", "/api/bookings", b"{}", content_type="application/json",
                              CONTENT_LENGTH="lots")
    assert_api_error(response, 400, "invalid_content_length")


@override_settings(MOTCUA_MAX_REQUEST_BYTES=4096)
def test_multipart_upload_over_the_total_cap_is_a_413(client, world):
    client.force_login(world.reception)
    files = {f"document.{i}": SimpleUploadedFile(f"{i}.pdf", b"%PDF" + b"x" * 2000) for i in (1, 2, 3)}
    response = client.post("/api/dossiers", {"data": json.dumps(land_payload()), **files})
    assert_api_error(response, 413, "request_too_large")


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=4096, MOTCUA_MAX_REQUEST_BYTES=1024 * 1024)
def test_files_of_a_multipart_upload_count_against_the_total_cap_not_the_json_limit(client, world):
    client.force_login(world.reception)
    files = {f"document.{i}": SimpleUploadedFile(f"{i}.pdf", b"%PDF" + b"x" * 8000) for i in (1, 2)}
    response = client.post("/api/dossiers", {"data": json.dumps(land_payload()), **files})
    assert response.status_code != 413, response.content[:300]


@override_settings(MIDDLEWARE=[m for m in settings.MIDDLEWARE if not m.endswith("RequestGuardMiddleware")])
def test_api_answers_413_when_a_view_reads_a_too_large_body(client, world):
    # Without the edge check (or without a Content-Length to check), Django raises RequestDataTooBig
    # when the API reads the body: that is a 413 too, not a 500.
    body = json.dumps({"username": "a" * BIG, "password": "x"})
    assert_api_error(client.post("/api/auth/token", body, content_type="application/json"), 413,
                     "request_too_large")


# --- Search with no searchable term ---------------------------------------------------------------------

@pytest.mark.parametrize("q", ["!!!", "😀😀", "...", "—", "%", "?&*"])
def test_api_search_of_only_punctuation_or_emoji_is_empty_with_a_message(client, world, q):
    response = client.get("/api/procedures", {"q": q})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 0 and body["items"] == []
    assert body["message"]


def test_api_search_with_terms_has_no_message(client, world):
    body = client.get("/api/procedures", {"q": "khai sinh"}).json()
    assert body["count"] >= 1 and body["message"] is None


@pytest.mark.parametrize("q", ["!!!", "😀", "()"])
def test_catalog_page_search_of_only_punctuation_is_empty_with_a_message(client, world, q):
    response = client.get("/procedures/", {"q": q})
    assert response.status_code == 200
    assert "không có chữ hoặc số" in response.content.decode()


def test_reception_procedure_search_of_only_punctuation_is_not_a_500(client, world):
    client.force_login(world.reception)
    assert client.get("/dossiers/receive/procedures/", {"q": "!!!"}).status_code == 200
    client.force_login(world.citizen)
    assert client.get("/dossiers/online/", {"q": "😀"}).status_code == 200
