"""The chat widget on every page, its HTMX answer, and the page it falls back to without JavaScript."""

import pytest

pytestmark = pytest.mark.django_db


def test_every_page_offers_the_widget(catalog, client):
    for url in ("/", "/procedures/", "/branches/", "/tracking/"):
        html = client.get(url).content.decode()
        assert 'id="assistant-widget"' in html and 'for="assistant-question"' in html, url


def test_the_widget_appends_the_exchange_and_keeps_the_conversation(catalog, client):
    response = client.post("/assistant/ask/", {"question": "lệ phí đăng ký kết hôn"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "lệ phí đăng ký kết hôn" in html and 'data-intent="fees"' in html
    assert 'href="/procedures/1.000894/"' in html
    assert 'hx-swap-oob="true"' in html
    from motcua.assistant.models import Conversation

    talk = Conversation.objects.get()
    assert talk.channel == "web" and f'value="{talk.public_id}"' in html
    follow = client.post("/assistant/ask/", {"question": "cần giấy tờ gì", "conversation": str(talk.public_id)})
    assert 'data-intent="documents"' in follow.content.decode() and "Tờ khai đăng ký kết hôn" in follow.content.decode()


def test_without_javascript_the_form_posts_to_the_assistant_page(catalog, client):
    response = client.post("/assistant/", {"question": "giờ làm việc"})
    html = response.content.decode()
    assert response.status_code == 200 and "<h1>Trợ lý ảo</h1>" in html and 'data-intent="hours"' in html
    assert 'id="assistant-widget"' not in html  # the page is the assistant: no second one


def test_an_empty_question_shows_the_message_not_an_error_page(catalog, client):
    response = client.post("/assistant/ask/", {"question": " "})
    assert response.status_code == 200 and "Hãy nhập câu hỏi." in response.content.decode()


def test_the_widget_shares_the_api_s_limit_per_client(catalog, client, settings):
    settings.MOTCUA_ASSISTANT_RATE = "1/d"
    assert "data-intent" in client.post("/assistant/ask/", {"question": "khai sinh"}).content.decode()
    response = client.post("/assistant/ask/", {"question": "khai sinh"})
    assert response.status_code == 429 and "Quá nhiều yêu cầu" in response.content.decode()
    assert client.post("/api/assistant/ask", {"question": "khai sinh"}, content_type="application/json").status_code == 429
