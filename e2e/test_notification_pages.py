"""A citizen reads their notifications with each channel's delivery status, and chooses their channels."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from e2e.helpers import assert_no_horizontal_scroll, assert_page_basics

pytestmark = pytest.mark.e2e

PASSWORD = "Mot-cua-2025!"
CODE = "000.00.12.H26-261207-0003"


@pytest.fixture
def citizen_with_messages(transactional_db):
    from django.contrib.auth.models import User

    from motcua.core import roles
    from motcua.notify import messages
    from motcua.notify.models import Delivery

    account = User.objects.create_user("congdan", password=PASSWORD, first_name="An", last_name="Nguyễn")
    account.groups.add(roles.sync_roles()[roles.CITIZEN])
    now = timezone.now()
    rows = [("dossier_received", {"code": CODE, "due": "17:00 10/12/2026"}, [("sms", "delivered"), ("email", "sent")],
             now - dt.timedelta(days=2)),
            ("dossier_supplement", {"code": CODE, "days": "15"}, [("zalo", "failed"), ("sms", "delivered")],
             now - dt.timedelta(days=1)),
            ("dossier_ready", {"code": CODE}, [("sms", "queued")], now)]
    for i, (template, params, channels, moment) in enumerate(rows):
        subject, text = messages.render(template, params, "vi")
        common = {"event_key": f"outbox:{i}", "topic": "dossier.x", "kind": "dossier", "template": template,
                  "user": account, "recipient": f"dossier:{CODE}/applicant", "object_type": "dossier",
                  "object_id": CODE, "subject": subject, "text": text, "params": params}
        portal = Delivery.objects.create(dedupe_key=f"outbox:{i}:portal", channel="portal", status="delivered",
                                         delivered_at=moment, **common)
        for channel, status in channels:
            Delivery.objects.create(dedupe_key=f"outbox:{i}:{channel}", channel=channel, status=status,
                                    address="0912345678", next_attempt_at=moment, last_error="user_blocked"
                                    if status == "failed" else "", delivered_at=moment if status == "delivered"
                                    else None, **common)
        Delivery.objects.filter(event_key=f"outbox:{i}").update(created_at=moment)
        if i == 0:
            Delivery.objects.filter(pk=portal.pk).update(read_at=now)
    return account


def log_in(page: Page, username: str) -> None:
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit], main form input[type=submit]").first.click()
    expect(page).not_to_have_url(re.compile(r"/login/"))


def test_the_citizen_reads_notifications_and_chooses_channels(page: Page, citizen_with_messages, screenshot):
    log_in(page, "congdan")
    page.goto("/me/notifications/")
    items = page.locator("#notifications > li")
    expect(items).to_have_count(3)
    expect(items.first).to_contain_text(f"Hồ sơ {CODE} đã có kết quả")
    expect(items.first).to_contain_text("Tin nhắn SMS: Chờ gửi")
    expect(items.nth(1)).to_contain_text("Zalo: Không đến được")
    expect(items.nth(2)).to_contain_text("Thư điện tử: Đã gửi")
    expect(page.locator("#notifications .unread")).to_have_count(2)
    expect(page.locator("main")).not_to_contain_text("0912345678")
    assert_page_basics(page)
    assert_no_horizontal_scroll(page)
    screenshot("inbox")

    page.get_by_role("group", name="Tình trạng hồ sơ").get_by_label("Thư điện tử").check()
    page.get_by_role("group", name="Phí, lệ phí và biên lai").get_by_label("Tin nhắn SMS").uncheck()
    page.get_by_role("group", name="Phí, lệ phí và biên lai").get_by_label("Zalo").check()
    page.select_option("#language", "en")
    page.click("#save-preferences")
    expect(page.locator("#saved")).to_be_visible()
    expect(page.locator("#notifications .unread")).to_have_count(0)  # read by now
    dossier_group = page.get_by_role("group", name="Tình trạng hồ sơ")
    expect(dossier_group.get_by_label("Thư điện tử")).to_be_checked()
    expect(dossier_group.get_by_label("Tin nhắn SMS")).to_be_checked()
    expect(page.get_by_role("group", name="Phí, lệ phí và biên lai").get_by_label("Tin nhắn SMS")).not_to_be_checked()
    expect(page.locator("#language")).to_have_value("en")
    assert_page_basics(page)
    screenshot("saved")

    from motcua.notify.models import Preference

    preference = Preference.objects.get(user=citizen_with_messages)
    assert preference.channels == {"dossier": ["sms", "email"], "payment": ["zalo"], "complaint": ["sms"],
                                   "reminder": ["sms"]}
    assert preference.language == "en"
