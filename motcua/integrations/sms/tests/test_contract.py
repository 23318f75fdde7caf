"""One contract, two implementations: the in-process outbox, and the HTTP client against the fake endpoint."""

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from motcua.core.privacy import mask_phone
from motcua.integrations.sms import SmsSender, SmsUnavailable, get_sms, set_sms
from motcua.integrations.sms.client import HttpSmsGateway
from motcua.integrations.sms.fake import OutboxSms

PHONE = "0912345678"
TEXT = "Hồ sơ 000.00.11.H26-261123-0007 đã có kết quả."
URL = "/fake/sms/messages"
pytestmark = pytest.mark.urls("motcua.integrations.sms.tests.urls")


@pytest.fixture(autouse=True)
def _clean():
    OutboxSms.clear()
    set_sms(None)
    yield
    set_sms(None)
    OutboxSms.clear()


@pytest.fixture
def http_fake(settings, live_server):
    settings.MOTCUA_FAKE_SMS_GATEWAY = True
    return HttpSmsGateway(f"{live_server.url}/fake/sms", sender="MOTCUA")


def check_contract(sender: SmsSender):
    assert isinstance(sender, SmsSender)
    message_id = sender.send(PHONE, TEXT)
    assert [(m.phone, m.text) for m in OutboxSms.messages(PHONE)] == [(PHONE, TEXT)]
    assert message_id and OutboxSms.messages(PHONE)[0].message_id == message_id  # what delivery reports name
    with pytest.raises(ValueError):
        sender.send("", TEXT)


def test_in_process_outbox_honours_the_contract():
    check_contract(OutboxSms())


@pytest.mark.django_db(transaction=True)
def test_http_client_against_the_fake_endpoint_honours_the_contract(http_fake):
    check_contract(http_fake)


@pytest.mark.django_db(transaction=True)
def test_fake_endpoint_checks_the_token_when_one_is_set(http_fake, settings):
    settings.MOTCUA_SMS_GATEWAY_TOKEN = "shared-secret"
    with pytest.raises(SmsUnavailable):
        http_fake.send(PHONE, TEXT)
    HttpSmsGateway(http_fake.base_url, token="shared-secret").send(PHONE, TEXT)
    assert len(OutboxSms.messages(PHONE)) == 1


def test_outage_of_the_fake_is_reported():
    with pytest.raises(SmsUnavailable):
        OutboxSms(failing=True).send(PHONE, TEXT)


def test_fake_endpoint_is_closed_unless_enabled_and_always_in_production(client, settings):
    body = {"to": PHONE, "text": TEXT}
    settings.DEBUG = False
    settings.MOTCUA_FAKE_SMS_GATEWAY = False
    assert client.post(URL, body, content_type="application/json").status_code == 404
    settings.MOTCUA_FAKE_SMS_GATEWAY = True
    assert client.post(URL, body, content_type="application/json").status_code == 202
    settings.PRODUCTION = True
    assert client.post(URL, body, content_type="application/json").status_code == 404


def test_fake_endpoint_rejects_bad_requests(client, settings):
    settings.MOTCUA_FAKE_SMS_GATEWAY = True
    assert client.post(URL, "nope", content_type="application/json").status_code == 400
    assert client.post(URL, {"to": PHONE}, content_type="application/json").status_code == 400
    assert client.get(URL).status_code == 405


def test_get_sms_follows_the_setting(settings):
    settings.MOTCUA_SMS_GATEWAY_URL = None
    assert isinstance(get_sms(), OutboxSms)
    settings.MOTCUA_SMS_GATEWAY_URL = "https://sms.example/api"
    gateway = get_sms()
    assert isinstance(gateway, HttpSmsGateway) and gateway.base_url == "https://sms.example/api"


class _Scripted(BaseHTTPRequestHandler):
    status = 500
    seen: list = []

    def do_POST(self):  # noqa: N802 - http.server's naming
        self.seen.append(json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0)))))
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps({"error": "bad number", "to": PHONE}).encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def scripted_server():
    server = HTTPServer(("127.0.0.1", 0), _Scripted)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


@pytest.mark.parametrize("status", [400, 401, 500, 503])
def test_http_client_reports_refusals_without_the_number(scripted_server, status):
    _Scripted.status = status
    client = HttpSmsGateway(f"http://127.0.0.1:{scripted_server.server_port}")
    with pytest.raises(SmsUnavailable) as error:
        client.send(PHONE, TEXT)
    assert PHONE not in str(error.value) and error.value.__cause__ is None
    assert _Scripted.seen[-1] == {"to": PHONE, "text": TEXT}


def test_http_client_accepts_any_2xx(scripted_server):
    _Scripted.status = 201
    HttpSmsGateway(f"http://127.0.0.1:{scripted_server.server_port}").send(PHONE, TEXT)


def test_http_client_reports_unavailable_when_unreachable():
    with pytest.raises(SmsUnavailable):
        HttpSmsGateway("http://127.0.0.1:9", timeout=0.5).send(PHONE, TEXT)


def test_http_client_refuses_other_schemes():
    with pytest.raises(ValueError):
        HttpSmsGateway("file:///etc/passwd")


def test_the_fake_logs_only_the_masked_number(caplog):
    with caplog.at_level(logging.INFO):
        OutboxSms().send(PHONE, TEXT)
    assert PHONE not in caplog.text and mask_phone(PHONE) in caplog.text


def test_the_file_outbox_is_shared_by_processes(tmp_path, settings):
    """The demo's workers share one outbox file: a message sent by one is read by another."""
    from motcua.integrations.sms.fake import OutboxMessage

    settings.MOTCUA_SMS_OUTBOX_FILE = str(tmp_path / "sms.jsonl")
    OutboxSms().send("0912345678", "Ma xac nhan 123456")
    OutboxSms.outbox.clear()  # another process has none of this one's memory
    assert [m.text for m in OutboxSms.messages("0912345678")] == ["Ma xac nhan 123456"]
    assert isinstance(OutboxSms.messages()[0], OutboxMessage)
    OutboxSms.clear()
    assert OutboxSms.messages() == []


def test_delivery_reports_are_signed_and_parsed():
    from motcua.integrations.sms.reports import parse_report, report_body, signature, verify_signature

    body = report_body("gw-1", "failed", "x" * 300)
    assert verify_signature(signature(body, "s3cret"), body, "s3cret")
    assert not verify_signature(signature(body, "s3cret"), body, "other") and not verify_signature("", body, "s3cret")
    assert not verify_signature(signature(body, ""), body, "")
    report = parse_report(body)
    assert report is not None and report.message_id == "gw-1" and report.status == "failed" and len(report.error) == 100
    for bad in (b"[]", b"nope", report_body("", "delivered"), report_body("gw-1", "sent")):
        assert parse_report(bad) is None
