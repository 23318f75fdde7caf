"""Filing a complaint in the conversation: asked step by step, filed through the complaints service."""

import json

import pytest

from motcua.assistant.models import Exchange
from motcua.complaints.models import Complaint
from motcua.integrations.zalo.fake import OutboxZalo

from .test_zalo import FOLLOWER, send

pytestmark = pytest.mark.django_db
CONTENT = "Quầy 5 chi nhánh Tây Hồ nghỉ sớm. Tôi chờ từ 10 giờ."


def converse(ask, *messages):
    conversation, bodies = None, []
    for message in messages:
        body = ask(message, conversation=conversation).json()
        conversation = body["conversation"]
        bodies.append(body)
    return bodies


def test_a_complaint_is_filed_in_the_conversation_and_routed_like_the_form_s(catalog, ask):
    *_, asked_confirm, filed = converse(ask, "đăng ký kết hôn", "tôi muốn phản ánh", CONTENT, "Lê Thị Mai",
                                        "0912 345 678", "đồng ý")
    complaint = Complaint.objects.get()
    assert (complaint.channel, complaint.about_reference, complaint.name, complaint.phone) == (
        "assistant", "1.000894", "Lê Thị Mai", "0912345678")
    assert complaint.content == CONTENT and complaint.subject == "Quầy 5 chi nhánh Tây Hồ nghỉ sớm"
    from motcua.complaints.services import route

    assert complaint.publish and (complaint.about, complaint.agency) == route("1.000894")[::2]
    assert "0912345678" not in asked_confirm["answer"] and "678" in asked_confirm["answer"]
    assert complaint.code in filed["answer"] and complaint.printed_tracking_key in filed["answer"]
    assert filed["intent"] == "complaint" and filed["links"][0]["url"].startswith("/complaints/track/?code=")


def test_what_is_typed_while_filing_is_never_kept_among_the_questions(catalog, ask):
    converse(ask, "tôi muốn phản ánh", CONTENT, "Lê Thị Mai", "0912345678", "gửi riêng")
    kept = " ".join(Exchange.objects.values_list("question", flat=True))
    assert "Lê Thị Mai" not in kept and "0912345678" not in kept and "Tây Hồ" not in kept
    assert not Complaint.objects.get().publish


def test_a_wrong_phone_number_is_asked_again_and_cancel_files_nothing(catalog, ask):
    *_, wrong, again, cancelled = converse(ask, "tôi muốn khiếu nại", CONTENT, "Lê Thị Mai", "12345", "0912345678",
                                           "hủy")
    assert "Số điện thoại không hợp lệ" in wrong["answer"] and "Xác nhận gửi" in again["answer"]
    assert "Đã hủy" in cancelled["answer"] and Complaint.objects.count() == 0
    after = ask("lệ phí đăng ký kết hôn", conversation=cancelled["conversation"]).json()
    assert after["intent"] == "fees"  # back to answering questions


def test_a_zalo_follower_files_one_through_the_oa(catalog, client, settings):
    settings.MOTCUA_ZALO_OA_SECRET = "oa-secret"
    OutboxZalo.clear()
    for text in ("tôi muốn phản ánh", CONTENT, "Lê Thị Mai", "0912345678", "đồng ý"):
        assert send(client, text).status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.channel == "zalo"
    last = OutboxZalo.messages(FOLLOWER)[-1].text
    assert complaint.code in last and "http://testserver/complaints/track/?code=" in last
    assert FOLLOWER not in json.dumps(list(Complaint.objects.values()), default=str)
