"""One contract, two implementations: the in-process fake, and the HTTP client against the fake endpoint."""

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from motcua.integrations.national_portal import (
    NationalPortal,
    PortalDocument,
    PortalDossier,
    PortalUnavailable,
    get_portal,
    set_portal,
)
from motcua.integrations.national_portal.client import HttpNationalPortal
from motcua.integrations.national_portal.fake import InMemoryNationalPortal, PushedStatus

ICT = dt.timezone(dt.timedelta(hours=7))
AT = dt.datetime(2026, 11, 23, 9, 30, tzinfo=ICT)
FILED = PortalDossier(reference="G22.99-261123-0001", procedure="1.004227",
                      applicant={"kind": "person", "id_number": "001190005678", "name": "Trần Thị Bình",
                                 "phone": "0987654321"},
                      submitted_at=AT, branch="cn1",
                      documents=(PortalDocument(1, "phieu.pdf", b"%PDF-1.4\n%%EOF\n"),))
pytestmark = pytest.mark.urls("motcua.integrations.national_portal.tests.urls")


@pytest.fixture(autouse=True)
def _clean():
    InMemoryNationalPortal.clear()
    set_portal(None)
    yield
    set_portal(None)
    InMemoryNationalPortal.clear()


@pytest.fixture
def http_fake(settings, live_server):
    settings.MOTCUA_FAKE_NATIONAL_PORTAL = True
    return HttpNationalPortal(f"{live_server.url}/fake/national-portal")


def check_contract(portal: NationalPortal):
    assert isinstance(portal, NationalPortal)
    portal.push_status("000.00.11.H26-261123-0007", 2, AT, appointment_at=AT + dt.timedelta(days=3))
    portal.push_status("000.00.11.H26-261123-0007", 4, AT + dt.timedelta(hours=1))
    assert [(s.status, s.at) for s in InMemoryNationalPortal.statuses] == [(2, AT), (4, AT + dt.timedelta(hours=1))]
    assert InMemoryNationalPortal.statuses[0].appointment_at == AT + dt.timedelta(days=3)
    InMemoryNationalPortal.file(FILED)
    assert portal.fetch_new_dossiers() == [FILED]
    portal.acknowledge(FILED.reference, "000.00.11.H26-261123-0008")
    assert portal.fetch_new_dossiers() == []
    assert InMemoryNationalPortal.acknowledged == {FILED.reference: "000.00.11.H26-261123-0008"}


def test_in_process_fake_honours_the_contract():
    check_contract(InMemoryNationalPortal())


@pytest.mark.django_db(transaction=True)
def test_http_client_against_the_fake_endpoint_honours_the_contract(http_fake):
    check_contract(http_fake)


@pytest.mark.django_db(transaction=True)
def test_fake_endpoint_checks_the_token_when_one_is_set(http_fake, settings):
    settings.MOTCUA_NATIONAL_PORTAL_TOKEN = "shared-secret"
    with pytest.raises(PortalUnavailable):
        http_fake.fetch_new_dossiers()
    assert HttpNationalPortal(http_fake.base_url, token="shared-secret").fetch_new_dossiers() == []


def test_statuses_outside_one_to_ten_are_refused():
    with pytest.raises(ValueError):
        InMemoryNationalPortal().push_status("X", 11, AT)
    with pytest.raises(ValueError):
        HttpNationalPortal("http://127.0.0.1:9").push_status("X", 0, AT)


def test_fake_endpoint_is_closed_unless_enabled_and_always_in_production(client, settings):
    settings.DEBUG = False
    settings.MOTCUA_FAKE_NATIONAL_PORTAL = False
    assert client.get("/fake/national-portal/dossiers/new").status_code == 404
    settings.MOTCUA_FAKE_NATIONAL_PORTAL = True
    assert client.get("/fake/national-portal/dossiers/new").status_code == 200
    settings.PRODUCTION = True
    assert client.get("/fake/national-portal/dossiers/new").status_code == 404


def test_fake_endpoint_rejects_bad_requests(client, settings):
    settings.MOTCUA_FAKE_NATIONAL_PORTAL = True
    url = "/fake/national-portal/statuses"
    assert client.post(url, "nope", content_type="application/json").status_code == 400
    assert client.post(url, {"dossier_code": "X", "status": 99, "at": AT.isoformat()},
                       content_type="application/json").status_code == 400
    assert client.post("/fake/national-portal/dossiers/R/ack", {}, content_type="application/json").status_code == 400
    assert client.get(url).status_code == 405


def test_get_portal_follows_the_setting(settings):
    settings.MOTCUA_NATIONAL_PORTAL_URL = None
    assert isinstance(get_portal(), InMemoryNationalPortal)
    settings.MOTCUA_NATIONAL_PORTAL_URL = "https://dichvucong.example/api"
    portal = get_portal()
    assert isinstance(portal, HttpNationalPortal) and portal.base_url == "https://dichvucong.example/api"


def test_pushed_status_record_is_comparable():
    assert PushedStatus("X", 2, AT, None) == PushedStatus("X", 2, AT, None)


class _Scripted(BaseHTTPRequestHandler):
    status = 500
    body = b"{}"

    def _answer(self):
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(self.body)

    def do_GET(self):  # noqa: N802 - http.server's naming
        self._answer()

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self._answer()

    def log_message(self, *args):
        pass


@pytest.fixture
def scripted_server():
    server = HTTPServer(("127.0.0.1", 0), _Scripted)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


@pytest.mark.parametrize(("status", "body"), [
    (500, b"{}"), (200, b"not json"), (200, b"[1]"), (200, b'{"dossiers": {}}'),
    (200, json.dumps({"dossiers": [{"reference": "R"}]}).encode()),
    (200, json.dumps({"dossiers": [{**FILED.to_json(), "submitted_at": "2026-11-23T09:30:00"}]}).encode()),
    (200, json.dumps({"dossiers": [{**FILED.to_json(), "documents": [
        {"position": 1, "filename": "a.pdf", "content_base64": "!!"}]}]}).encode()),
])
def test_http_client_reports_unavailable_on_bad_answers(scripted_server, status, body):
    _Scripted.status, _Scripted.body = status, body
    with pytest.raises(PortalUnavailable):
        HttpNationalPortal(f"http://127.0.0.1:{scripted_server.server_port}").fetch_new_dossiers()


def test_http_client_reports_refused_pushes(scripted_server):
    _Scripted.status, _Scripted.body = 503, b""
    with pytest.raises(PortalUnavailable):
        HttpNationalPortal(f"http://127.0.0.1:{scripted_server.server_port}").push_status("X", 2, AT)


def test_http_client_reports_unavailable_when_unreachable():
    with pytest.raises(PortalUnavailable):
        HttpNationalPortal("http://127.0.0.1:9", timeout=0.5).fetch_new_dossiers()


def test_http_client_refuses_other_schemes():
    with pytest.raises(ValueError):
        HttpNationalPortal("file:///etc/passwd")
