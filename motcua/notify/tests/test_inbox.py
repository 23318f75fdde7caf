"""The citizen's inbox /me/notifications/ and /api/me/notifications: their own messages only, each with the
delivery status of its other channels; the choice of channels per kind."""

import pytest

from motcua.notify import tasks
from motcua.notify.models import Channel, Delivery, Preference, Status

from .test_delivery import PHONE, online_dossier

pytestmark = pytest.mark.django_db


def test_the_inbox_shows_the_person_s_messages_with_each_channel_s_status(client, world, texts):
    dossier = online_dossier(world)
    tasks.deliver()
    Delivery.objects.filter(channel=Channel.SMS).update(status=Status.DELIVERED)
    client.force_login(world.citizen)
    page = client.get("/me/notifications/").content.decode()
    assert f"Hồ sơ {dossier.code} đã được tiếp nhận" in page
    assert "Tin nhắn SMS: Đã nhận" in page and "Mới" in page
    assert PHONE not in page
    assert Delivery.objects.get(channel=Channel.PORTAL).read_at is not None
    assert "Mới" not in client.get("/me/notifications/").content.decode()  # read now


def test_nobody_else_sees_them_and_the_page_needs_a_login(client, world, texts):
    online_dossier(world)
    tasks.deliver()
    assert client.get("/me/notifications/").status_code == 302
    client.force_login(world.reception)
    page = client.get("/me/notifications/").content.decode()
    assert 'id="no-notifications"' in page
    assert client.get("/api/me/notifications").json() == []


def test_the_form_stores_the_channels_per_kind(client, world):
    client.force_login(world.citizen)
    response = client.post("/me/notifications/", {"channels-dossier": ["email", "zalo"], "language": "en"})
    assert response.status_code == 302
    preference = Preference.objects.get(user=world.citizen)
    assert preference.channels == {"dossier": ["zalo", "email"], "payment": [], "complaint": [], "reminder": []}
    assert preference.language == "en"
    page = client.get(response["Location"]).content.decode()
    assert 'id="saved"' in page
    bad = client.post("/me/notifications/", {"channels-dossier": ["fax"], "language": "vi"})
    assert bad.status_code == 422 and "Kênh nhận thông báo không hợp lệ." in bad.content.decode()


def test_the_api_lists_messages_and_sets_preferences(client, world, texts):
    online_dossier(world)
    tasks.deliver()
    assert client.get("/api/me/notifications").status_code == 401
    client.force_login(world.citizen)
    [item] = client.get("/api/me/notifications").json()
    assert item["template"] == "dossier_received" and item["object_type"] == "dossier"
    assert [(c["channel"], c["status"]) for c in item["channels"]] == [("sms", "sent")]
    assert client.get("/api/me/notification-preferences").json() == {
        "channels": {"dossier": ["sms"], "payment": ["sms"], "complaint": ["sms"], "reminder": ["sms"]},
        "language": "vi"}
    response = client.put("/api/me/notification-preferences", {"channels": {"payment": ["email"]}, "language": "vi"},
                          content_type="application/json")
    assert response.status_code == 200 and response.json()["channels"] == {
        "dossier": ["sms"], "payment": ["email"], "complaint": ["sms"], "reminder": ["sms"]}
    bad = client.put("/api/me/notification-preferences", {"channels": {"dossier": ["fax"]}},
                     content_type="application/json")
    assert bad.status_code == 422 and bad.json()["code"] == "channel_unknown"
