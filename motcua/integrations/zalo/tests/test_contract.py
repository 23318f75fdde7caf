"""One contract, two implementations: the in-process outbox, and the HTTP client against the fake Open API."""

import json
import threading

import pytest

from motcua.integrations.zalo import (
    ZaloSender,
    ZaloUnavailable,
    get_zalo,
    parse_event,
    set_zalo,
    signature,
    verify_signature,
)
from motcua.integrations.zalo.client import HttpZaloOa
from motcua.integrations.zalo.fake import OutboxZalo, serve_open_api

FOLLOWER = "2512523625412515"
TEXT = "Thủ tục phù hợp: Đăng ký khai sinh (mã 1.001193)."
URL = "/fake/zalo/v3.0/oa/message/cs"


@pytest.fixture(autouse=True)
def _clean():
    OutboxZalo.clear()
    set_zalo(None)
    yield
    set_zalo(None)
    OutboxZalo.clear()


@pytest.fixture
def http_fake(settings):
    """The HTTP client against the fake Open API served over real HTTP (headers as Zalo reads them)."""
    settings.MOTCUA_ZALO_ACCESS_TOKEN = "oa-token"
    server = serve_open_api()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield HttpZaloOa(f"http://127.0.0.1:{server.server_port}", access_token="oa-token")
    server.shutdown()
    server.server_close()


def check_contract(sender: ZaloSender):
    assert isinstance(sender, ZaloSender)
    message_id = sender.send_text(FOLLOWER, TEXT)
    assert message_id
    assert [(m.user_id, m.text) for m in OutboxZalo.messages(FOLLOWER)] == [(FOLLOWER, TEXT)]
    with pytest.raises(ValueError):
        sender.send_text("", TEXT)


def test_in_process_outbox_honours_the_contract():
    check_contract(OutboxZalo())


def test_http_client_against_the_fake_open_api_honours_the_contract(http_fake):
    check_contract(http_fake)


def test_a_refusal_is_http_200_with_an_error_and_is_reported(http_fake):
    with pytest.raises(ZaloUnavailable, match="error -216"):
        HttpZaloOa(http_fake.base_url, access_token="wrong").send_text(FOLLOWER, TEXT)
    assert OutboxZalo.messages() == []


def test_an_unreachable_oa_is_reported():
    with pytest.raises(ZaloUnavailable, match="unreachable"):
        HttpZaloOa("http://127.0.0.1:9", access_token="t", timeout=0.5).send_text(FOLLOWER, TEXT)
    with pytest.raises(ZaloUnavailable):
        OutboxZalo(failing=True).send_text(FOLLOWER, TEXT)


def test_the_configured_oa_is_the_http_client_else_the_fake(settings):
    settings.MOTCUA_ZALO_OA_URL = ""
    assert isinstance(get_zalo(), OutboxZalo)
    settings.MOTCUA_ZALO_OA_URL = "https://openapi.zalo.me"
    assert isinstance(get_zalo(), HttpZaloOa)


def test_fake_endpoint_is_closed_unless_enabled_and_always_in_production(client, settings):
    body = {"recipient": {"user_id": FOLLOWER}, "message": {"text": TEXT}}
    settings.MOTCUA_ZALO_ACCESS_TOKEN = "oa-token"
    settings.DEBUG = False
    settings.MOTCUA_FAKE_ZALO_OA = False
    assert client.post(URL, body, content_type="application/json", headers={"access_token": "oa-token"}).status_code == 404
    settings.MOTCUA_FAKE_ZALO_OA = True
    answer = client.post(URL, body, content_type="application/json", headers={"access_token": "oa-token"})
    assert answer.status_code == 200 and answer.json()["error"] == 0
    settings.PRODUCTION = True
    assert client.post(URL, body, content_type="application/json", headers={"access_token": "oa-token"}).status_code == 404


def test_fake_endpoint_refuses_bad_messages_like_zalo(client, settings):
    settings.MOTCUA_FAKE_ZALO_OA = True
    settings.MOTCUA_ZALO_ACCESS_TOKEN = "oa-token"
    headers = {"access_token": "oa-token"}
    for body in ("nope", {"recipient": {}, "message": {"text": TEXT}}, {"recipient": {"user_id": FOLLOWER}},
                 {"recipient": {"user_id": FOLLOWER}, "message": {"text": "x" * 2001}}):
        answer = client.post(URL, body, content_type="application/json", headers=headers)
        assert answer.status_code == 200 and answer.json()["error"] == -201


def event(text="khai sinh", name="user_send_text") -> bytes:
    return json.dumps({"app_id": "app-1", "event_name": name, "timestamp": "1765000000000",
                       "sender": {"id": FOLLOWER}, "recipient": {"id": "oa-1"},
                       "message": {"text": text, "msg_id": "m-1"}}, ensure_ascii=False).encode()


def test_a_signed_event_verifies_and_a_tampered_one_does_not():
    body = event()
    header = signature("app-1", body, "1765000000000", "oa-secret")
    assert header.startswith("mac=") and verify_signature(header, body, "oa-secret")
    assert not verify_signature(header, body.replace(b"khai", b"kh\xc3\xa1i"), "oa-secret")
    assert not verify_signature(header, body, "other-secret")
    assert not verify_signature("", body, "oa-secret") and not verify_signature(header, b"{", "oa-secret")


def test_only_a_follower_s_text_is_an_incoming_text():
    incoming = parse_event(event("làm căn cước"))
    assert incoming is not None and (incoming.user_id, incoming.text, incoming.message_id) == (FOLLOWER, "làm căn cước",
                                                                                               "m-1")
    assert parse_event(event(name="follow")) is None
    assert parse_event(b"[]") is None and parse_event(b"{") is None
