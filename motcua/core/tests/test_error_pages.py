"""Error pages as a deployment serves them (DEBUG off): the site's layout, Vietnamese by default,
English on request, no debug information, and JSON {code, message, details} under /api/."""

import json

import pytest
from django.db import OperationalError, connection
from django.test import Client, RequestFactory
from django.utils import translation

from motcua.core import error_pages

pytestmark = [pytest.mark.django_db, pytest.mark.urls("motcua.core.tests.error_urls")]

DEBUG_MARKERS = ("URLconf", "fake/population-registry", "Traceback", "RuntimeError", "079123456789", "internal reason",
                 "DEBUG = True", "Django")
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def _production_like(settings):
    settings.DEBUG = False


@pytest.fixture
def visitor():
    """A client that gets the error page instead of the exception, as a visitor does."""
    return Client(raise_request_exception=False)


def english(text: str) -> str:
    with translation.override("en"):
        return translation.gettext(text)


def assert_site_page(response, status: int, title: str, lang: str = "vi") -> None:
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    text = response.text
    assert f'<html lang="{lang}">' in text
    assert 'class="site-header"' in text and 'class="site-footer"' in text, "the site's layout (base.html)"
    assert f"<h1>{title}</h1>" in text
    for marker in DEBUG_MARKERS:
        assert marker not in text, f"{marker!r} must not appear on an error page"


def assert_api_error(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert set(body) == {"code", "message", "details"} and body["code"] == code and body["message"]
    assert "079123456789" not in response.text and "Traceback" not in response.text
    return body


# --- 404 -------------------------------------------------------------------------------------------


def test_unknown_page_is_the_sites_404_in_vietnamese(visitor):
    response = visitor.get("/khong-co-trang-nay/")
    assert_site_page(response, 404, "Không tìm thấy trang")
    assert "Mã lỗi: 404" in response.text


def test_404_in_english_by_accept_language_and_by_language_cookie(visitor):
    assert_site_page(visitor.get("/no-such-page/", **ENGLISH), 404, english("Không tìm thấy trang"), lang="en")
    visitor.cookies["django_language"] = "en"
    assert_site_page(visitor.get("/no-such-page/"), 404, english("Không tìm thấy trang"), lang="en")


def test_unknown_api_address_answers_json_404(visitor):
    body = assert_api_error(visitor.get("/api/khong-co/"), 404, "not_found")
    assert body["message"] == "Không tìm thấy."
    english_body = assert_api_error(visitor.get("/api/khong-co/", **ENGLISH), 404, "not_found")
    assert english_body["message"] == english("Không tìm thấy.")


# --- 403 -------------------------------------------------------------------------------------------


def test_permission_denied_is_the_sites_403(visitor):
    assert_site_page(visitor.get("/test-errors/forbidden/"), 403, "Không có quyền truy cập")
    assert_site_page(visitor.get("/test-errors/forbidden/", **ENGLISH), 403, english("Không có quyền truy cập"),
                     lang="en")


def test_permission_denied_under_api_answers_json_403(visitor):
    assert_api_error(visitor.get("/api/test-errors/forbidden/"), 403, "permission_denied")


def test_a_form_posted_without_its_csrf_token_gets_the_sites_403(settings):
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post("/login/", {"username": "x", "password": "y"})
    assert_site_page(response, 403, "Biểu mẫu đã hết hạn")
    response = csrf_client.post("/login/", {"username": "x", "password": "y"}, **ENGLISH)
    assert_site_page(response, 403, english("Biểu mẫu đã hết hạn"), lang="en")
    assert "CSRF verification failed" not in response.text


# --- 400 -------------------------------------------------------------------------------------------


def test_suspicious_request_is_the_sites_400(visitor):
    assert_site_page(visitor.get("/test-errors/suspicious/"), 400, "Yêu cầu không hợp lệ")
    assert_site_page(visitor.get("/test-errors/suspicious/", **ENGLISH), 400, english("Yêu cầu không hợp lệ"),
                     lang="en")


def test_unknown_host_header_is_the_sites_400(visitor):
    assert_site_page(visitor.get("/", HTTP_HOST="evil.example.org"), 400, "Yêu cầu không hợp lệ")


def test_suspicious_request_under_api_answers_json_400(visitor):
    assert_api_error(visitor.get("/api/test-errors/suspicious/"), 400, "bad_request")


# --- 500 -------------------------------------------------------------------------------------------


def test_crash_is_the_sites_500_without_details(visitor):
    assert_site_page(visitor.get("/test-errors/crash/"), 500, "Hệ thống đang gặp sự cố")
    assert_site_page(visitor.get("/test-errors/crash/", **ENGLISH), 500, english("Hệ thống đang gặp sự cố"),
                     lang="en")


def test_500_page_renders_while_the_database_is_down(visitor):
    attempts = []

    def database_down(execute, sql, params, many, context):
        attempts.append(sql)
        raise OperationalError("connection refused")

    with connection.execute_wrapper(database_down):
        response = visitor.get("/test-errors/query/")
    assert_site_page(response, 500, "Hệ thống đang gặp sự cố")
    assert attempts == ["SELECT 1"], "rendering the 500 page must not query the database"
    assert 'name="csrfmiddlewaretoken"' in response.text, "the language form still works"


def test_crash_under_api_answers_json_500(visitor):
    body = assert_api_error(visitor.get("/api/test-errors/crash/"), 500, "server_error")
    assert body["message"].startswith("Hệ thống đang gặp sự cố")


def test_crash_in_a_ninja_endpoint_answers_json_500(visitor, monkeypatch):
    from motcua.catalog import selectors

    def broken(*args, **kwargs):
        raise RuntimeError("a bug with a secret inside: 079123456789")

    monkeypatch.setattr(selectors, "search_procedures", broken)
    assert_api_error(visitor.get("/api/procedures"), 500, "server_error")


def test_project_urls_name_the_error_handlers():
    import motcua.urls

    assert motcua.urls.handler404 == "motcua.core.error_pages.page_not_found"
    assert motcua.urls.handler500 == "motcua.core.error_pages.server_error"
    assert motcua.urls.handler403 == "motcua.core.error_pages.permission_denied"
    assert motcua.urls.handler400 == "motcua.core.error_pages.bad_request"
    assert error_pages.is_api_request(RequestFactory().get("/api/x"))
    assert not error_pages.is_api_request(RequestFactory().get("/apis/"))


@pytest.mark.django_db
def test_the_upload_folder_is_never_served(client, settings, tmp_path):
    """An uploaded document is not reachable by its path, in development mode either."""
    folder = tmp_path / "dossiers" / "2026" / "12"
    folder.mkdir(parents=True)
    (folder / "giay-khai-sinh.pdf").write_bytes(b"%PDF-1.4 personal")
    settings.MEDIA_ROOT = tmp_path
    assert client.get("/dossiers/2026/12/giay-khai-sinh.pdf").status_code == 404
