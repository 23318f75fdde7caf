"""The assistant on Zalo OA: signed events in, the same answers out through the OA (the fake)."""

import json

import pytest

from motcua.assistant.models import Conversation
from motcua.integrations.zalo import set_zalo, signature
from motcua.integrations.zalo.fake import OutboxZalo

pytestmark = pytest.mark.django_db
FOLLOWER = "2512523625412515"
SECRET = "oa-secret"


@pytest.fixture(autouse=True)
def _oa(settings):
    settings.MOTCUA_ZALO_OA_SECRET = SECRET
    OutboxZalo.clear()
    set_zalo(None)
    yield
    OutboxZalo.clear()


def send(client, text, *, name="user_send_text", secret=SECRET):
    body = json.dumps({"app_id": "app-1", "event_name": name, "timestamp": "1765000000000",
                       "sender": {"id": FOLLOWER}, "recipient": {"id": "oa-1"},
                       "message": {"text": text, "msg_id": "m-1"}}, ensure_ascii=False)
    return client.post("/zalo/webhook", body, content_type="application/json",
                       headers={"X-ZEvent-Signature": signature("app-1", body, "1765000000000", secret)})


def test_a_follower_s_question_is_answered_through_the_oa_with_absolute_links(catalog, client):
    assert send(client, "mat bang lai xe thi lam sao").status_code == 200
    [sent] = OutboxZalo.messages(FOLLOWER)
    assert "Cấp lại giấy phép lái xe" in sent.text
    assert "http://testserver/procedures/3.000348/" in sent.text
    assert Conversation.objects.get().channel == "zalo"


def test_the_follower_s_next_question_follows_on_and_their_id_is_not_stored(catalog, client):
    send(client, "đăng ký kết hôn")
    send(client, "lệ phí bao nhiêu")
    assert Conversation.objects.count() == 1
    assert "Phí, lệ phí của thủ tục Đăng ký kết hôn" in OutboxZalo.messages(FOLLOWER)[-1].text
    stored = json.dumps(list(Conversation.objects.values()) , default=str)
    assert FOLLOWER not in stored


def test_an_unsigned_or_wrongly_signed_event_is_refused_and_not_answered(catalog, client):
    assert send(client, "khai sinh", secret="wrong").status_code == 403
    assert client.post("/zalo/webhook", "{}", content_type="application/json").status_code == 403
    assert OutboxZalo.messages() == [] and Conversation.objects.count() == 0


def test_other_events_are_acknowledged_without_an_answer(catalog, client):
    assert send(client, "", name="follow").status_code == 200
    assert OutboxZalo.messages() == []
