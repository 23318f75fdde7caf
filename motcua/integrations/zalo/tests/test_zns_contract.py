"""ZNS template messages: the in-process fake and the HTTP client against the fake API (real HTTP, Zalo's
headers), the access token refreshed once when it expired, refusals as ZaloUnavailable."""

import threading

import pytest

from motcua.integrations.zalo import ZaloUnavailable, verify_signature
from motcua.integrations.zalo.fake import OutboxZalo, delivery_event, serve_open_api
from motcua.integrations.zalo.webhook import parse_delivery, signature
from motcua.integrations.zalo.zns import HttpZaloZns, Tokens, international

PHONE = "0987654321"
DATA = {"code": "000.00.11.H26-261207-0001", "due": "17:00 10/12/2026"}


@pytest.fixture(autouse=True)
def _clean():
    OutboxZalo.clear()
    yield
    OutboxZalo.clear()


@pytest.fixture
def server(settings):
    settings.MOTCUA_ZALO_ACCESS_TOKEN = "zns-token"
    settings.MOTCUA_ZALO_APP_SECRET = "app-secret"
    settings.MOTCUA_ZALO_REFRESH_TOKEN = "refresh-1"
    server = serve_open_api()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def check_contract(sender):
    msg_id = sender.send_template(PHONE, "ZNS-1", DATA, "notify-7")
    [sent] = OutboxZalo.template_messages(PHONE)
    assert msg_id and sent.message_id == msg_id
    assert (sent.phone, sent.template_id, sent.template_data, sent.tracking_id) == ("84987654321", "ZNS-1", DATA,
                                                                                    "notify-7")
    with pytest.raises(ValueError):
        sender.send_template("", "ZNS-1", DATA, "x")


def test_international_form():
    assert international("0987654321") == "84987654321" and international("84987654321") == "84987654321"


def test_in_process_fake_honours_the_contract():
    check_contract(OutboxZalo())


def test_http_client_against_the_fake_honours_the_contract(server):
    check_contract(HttpZaloZns(server, tokens=Tokens("zns-token")))


def test_an_expired_token_is_refreshed_once_and_the_new_pair_kept(server):
    kept = []
    client = HttpZaloZns(server, tokens=Tokens("expired", "refresh-1"), oauth_url=server, app_id="app",
                         secret_key="app-secret", on_refresh=kept.append)
    assert client.send_template(PHONE, "ZNS-1", DATA, "t")
    assert len(kept) == 1 and kept[0].access_token != "expired" and kept[0].refresh_token != "refresh-1"
    assert client.send_template(PHONE, "ZNS-1", DATA, "t2")  # the new token works, no second refresh
    assert len(kept) == 1 and len(OutboxZalo.template_messages(PHONE)) == 2


def test_a_refused_refresh_or_message_is_unavailable(server):
    bad_secret = HttpZaloZns(server, tokens=Tokens("expired", "refresh-1"), oauth_url=server, secret_key="wrong")
    with pytest.raises(ZaloUnavailable, match="refresh"):
        bad_secret.send_template(PHONE, "ZNS-1", DATA, "t")
    client = HttpZaloZns(server, tokens=Tokens("zns-token"))
    with pytest.raises(ZaloUnavailable, match="-108"):
        client.send_template("12345", "ZNS-1", DATA, "t")
    with pytest.raises(ZaloUnavailable, match="unreachable"):
        HttpZaloZns("http://127.0.0.1:9", tokens=Tokens("zns-token"), timeout=1).send_template(PHONE, "Z", DATA, "t")
    assert OutboxZalo.template_messages() == []


def test_the_delivery_event_is_signed_like_every_webhook_event():
    body = delivery_event("msg-1", "notify-7", app_id="app")
    import json

    event = json.loads(body)
    header = signature("app", body, event["timestamp"], "oa-secret")
    assert verify_signature(header, body, "oa-secret") and not verify_signature(header, body, "other")
    assert parse_delivery(body) == "msg-1"
    assert parse_delivery(b'{"event_name": "user_send_text"}') is None and parse_delivery(b"nope") is None
