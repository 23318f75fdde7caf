"""POST /api/assistant/ask: anonymous, no CSRF token, limited per client; every fact from our data, linked."""

import pytest

from motcua.assistant.models import Exchange

pytestmark = pytest.mark.django_db


def test_the_answer_has_the_contract_shape_and_the_best_procedure_first(catalog, ask):
    response = ask("con tôi mới sinh thì làm giấy tờ gì")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"answer", "intent", "procedures", "links", "conversation"}
    assert body["intent"] == "documents"
    assert body["procedures"][0]["code"] == "1.001193"
    assert set(body["procedures"][0]) == {"code", "name", "score"}
    assert "Tờ khai đăng ký khai sinh" in body["answer"]
    assert {"title": "Đăng ký khai sinh", "url": "/procedures/1.001193/"} in body["links"]


def test_fees_are_the_catalog_s_amounts_in_dong(catalog, ask):
    body = ask("lệ phí làm khai sinh bao nhiêu").json()
    assert body["intent"] == "fees"
    assert "8.000 đ / bản" in body["answer"] and "Miễn lệ phí" in body["answer"]


def test_a_follow_up_question_is_about_the_procedure_of_the_conversation(catalog, ask):
    first = ask("đăng ký kết hôn").json()
    follow = ask("mất bao lâu", conversation=first["conversation"]).json()
    assert follow["intent"] == "time" and follow["procedures"][0]["code"] == "1.000894"
    assert "1 ngày làm việc" in follow["answer"]


def test_where_to_file_lists_the_center_s_points_with_links(catalog, ask):
    body = ask("đăng ký kết hôn nộp ở đâu").json()
    assert body["intent"] == "where"
    assert "258 Võ Chí Công" in body["answer"]
    assert "/branches/" in [link["url"] for link in body["links"]]


def test_hours_come_from_the_center(catalog, ask):
    body = ask("trung tâm làm việc mấy giờ").json()
    assert body["intent"] == "hours" and "08:00–12:00, 13:00–17:00" in body["answer"]


def test_on_a_day_off_the_hours_answer_says_so_and_names_the_next_working_day(catalog, ask, monkeypatch):
    import datetime as dt

    from motcua.core import clock

    monkeypatch.setattr(clock, "today", lambda: dt.date(2026, 9, 2))  # National Day
    body = ask("hôm nay có làm việc không").json()
    assert body["intent"] == "hours" and "Hôm nay (02/09/2026) Trung tâm nghỉ" in body["answer"]
    assert "ngày làm việc tiếp theo: " in body["answer"]


def test_current_waits_come_from_the_queue(catalog, ask, monkeypatch):
    import datetime as dt
    from zoneinfo import ZoneInfo

    from motcua.core import clock

    monday_9am = dt.datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    monkeypatch.setattr(clock, "now", lambda: monday_9am)
    monkeypatch.setattr(clock, "today", lambda: monday_9am.date())
    body = ask("làm khai sinh hôm nay có đông không").json()
    assert body["intent"] == "waits" and "khoảng 0 phút (0 người đang chờ)" in body["answer"]
    at_night = monday_9am.replace(hour=21)
    monkeypatch.setattr(clock, "now", lambda: at_night)
    body = ask("làm khai sinh hôm nay có đông không").json()
    assert "không có quầy nào đang mở" in body["answer"] and "phút" not in body["answer"]


def test_what_the_center_does_not_receive_is_said_plainly(catalog, ask):
    body = ask("làm hộ chiếu ở đâu").json()
    assert body["intent"] == "elsewhere" and "không tiếp nhận" in body["answer"]
    assert body["procedures"] == []


def test_an_unknown_question_says_so_and_invents_nothing(catalog, ask):
    body = ask("tàu vũ trụ").json()
    assert body["intent"] == "unknown" and body["procedures"] == []
    assert "chưa tìm thấy" in body["answer"] and "đ" not in body["answer"].split()


@pytest.mark.parametrize("body, code", [
    ({"question": "   "}, "question_empty"),
    ({"question": "a" * 501}, "question_too_long"),
    ({"question": "khai sinh", "conversation": "not-a-conversation"}, "conversation_unknown"),
])
def test_bad_input_is_a_clear_error(catalog, client, body, code):
    response = client.post("/api/assistant/ask", body, content_type="application/json")
    assert response.status_code == 422 and response.json()["code"] == code


def test_a_missing_question_or_non_json_body_is_a_422_not_a_500(catalog, client):
    assert client.post("/api/assistant/ask", {}, content_type="application/json").status_code == 422
    assert client.post("/api/assistant/ask", "{", content_type="application/json").status_code in (400, 422)


def test_questions_are_limited_per_client(catalog, ask, settings):
    settings.MOTCUA_ASSISTANT_RATE = "2/d"  # a day: the window never turns during the test
    assert ask("khai sinh").status_code == 200
    assert ask("khai sinh").status_code == 200
    assert ask("khai sinh").status_code == 429
    assert ask("khai sinh", REMOTE_ADDR="203.0.113.9").status_code == 200


def test_the_question_is_kept_with_personal_numbers_masked(catalog, ask):
    ask("tôi số căn cước 001190012345, điện thoại 0912345678, hồ sơ 000.00.06.H26-251027-0361 mã 7KQ2M-X9FTA")
    kept = Exchange.objects.get().question
    for secret in ("001190012345", "0912345678", "000.00.06.H26-251027-0361", "7KQ2M-X9FTA"):
        assert secret not in kept
    assert "[mã hồ sơ]" in kept and "[mã tra cứu]" in kept and "345" in kept


def test_a_complaint_is_taken_here_or_on_the_form_about_the_procedure_of_the_conversation(catalog, ask):
    first = ask("đăng ký kết hôn").json()
    body = ask("tôi muốn phản ánh cán bộ", conversation=first["conversation"]).json()
    assert body["intent"] == "complaint" and "Hãy viết nội dung" in body["answer"]
    assert {"title": "Gửi theo mẫu (kèm được tệp)", "url": "/complaints/new/?about=1.000894"} in body["links"]
