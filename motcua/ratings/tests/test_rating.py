"""Rating a finished ticket through the API: the rules, one rating per ticket, bad input, who may rate."""

import json
import logging

import pytest
from django.test import override_settings

from motcua.core.models import LiveEvent
from motcua.ratings.models import Rating

pytestmark = pytest.mark.django_db


def rate(client, ticket_id, body, raw=False):
    data = body if raw else json.dumps(body)
    return client.post(f"/api/tickets/{ticket_id}/rating", data=data, content_type="application/json")


def test_a_finished_ticket_is_rated_once_and_tied_to_its_counter_and_officer(client, hall):
    ticket = hall.served()
    response = rate(client, ticket.pk, {"token": ticket.token, "score": 5, "comment": "Cán bộ tận tình."})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["ticket"] == ticket.number and body["counter"] == 1
    assert body["score"] == 5 and body["level"] == "Rất hài lòng" and body["satisfied"] is True
    rating = Rating.objects.get()
    assert rating.ticket == ticket and rating.counter == hall.counters[0] and rating.officer == hall.officer
    assert rating.service_point == hall.point and rating.day.isoformat() == "2026-11-23"
    assert rating.comment == "Cán bộ tận tình."


def test_a_second_rating_is_refused_with_409_in_vietnamese(client, hall):
    ticket = hall.served()
    assert rate(client, ticket.pk, {"token": ticket.token, "score": 4}).status_code == 201
    response = rate(client, ticket.pk, {"token": ticket.token, "score": 1})
    assert response.status_code == 409
    assert response.json()["code"] == "already_rated"
    assert "chỉ được đánh giá một lần" in response.json()["message"]
    assert Rating.objects.get().score == 4


@pytest.mark.parametrize(("score", "expected"), [
    (1, 1), ("3", 3), ("Hài lòng", 4), ("rất hài lòng", 5), ("  Rất không hài lòng ", 1), ("Không hài lòng", 2),
    ("Bình thường", 3), ("very_satisfied", 5), ("neutral", 3),
])
def test_the_score_is_a_number_or_the_name_of_a_level(client, hall, score, expected):
    ticket = hall.served()
    response = rate(client, ticket.pk, {"token": ticket.token, "score": score})
    assert response.status_code == 201, response.content
    assert Rating.objects.get().score == expected


@pytest.mark.parametrize("step", ["waiting", "called", "serving", "no_show"])
def test_only_a_finished_ticket_can_be_rated(client, hall, step):
    from motcua.queueing import services as queue
    from motcua.queueing.models import Ticket

    from .conftest import citizen_id

    if step == "waiting":
        ticket = queue.issue_ticket(service_point=hall.point, group=hall.land, national_id=citizen_id(900))
    else:
        ticket = hall.called()
        if step == "serving":
            ticket = queue.start(ticket, user=hall.officer)
        elif step == "no_show":
            ticket = queue.no_show(ticket, user=hall.officer)
    assert Ticket.objects.get(pk=ticket.pk).status == step
    response = rate(client, ticket.pk, {"token": ticket.token, "score": 5})
    assert response.status_code == 409
    assert response.json()["code"] == "ticket_not_finished"
    assert not Rating.objects.exists()


def test_a_ticket_finished_by_calling_the_next_one_can_be_rated(client, hall):

    first = hall.called()
    hall.called()  # "finish and call next" finishes the first
    first.refresh_from_db()
    assert first.status == "done"
    assert rate(client, first.pk, {"token": first.token, "score": 4}).status_code == 201


def test_the_rating_window_closes_30_minutes_after_the_service_by_default(client, hall):
    ticket = hall.served()
    hall.clock.advance(minutes=30)
    other = hall.served(counter=hall.counters[1])
    assert rate(client, ticket.pk, {"token": ticket.token, "score": 5}).status_code == 201
    hall.clock.advance(seconds=30 * 60 + 1)
    response = rate(client, other.pk, {"token": other.token, "score": 5})
    assert response.status_code == 409
    assert response.json()["code"] == "rating_window_closed"
    assert response.json()["details"] == {"window_minutes": 30}
    assert Rating.objects.count() == 1


def test_the_rating_window_is_a_setting(client, hall, settings):
    ticket = hall.served()
    hall.clock.advance(minutes=45)
    with override_settings(MOTCUA={**settings.MOTCUA, "RATING_WINDOW_MINUTES": 60}):
        assert rate(client, ticket.pk, {"token": ticket.token, "score": 3}).status_code == 201
    with override_settings(MOTCUA={**settings.MOTCUA, "RATING_WINDOW_MINUTES": 5}):
        other = hall.served(counter=hall.counters[1])
        hall.clock.advance(minutes=6)
        assert rate(client, other.pk, {"token": other.token, "score": 3}).json()["code"] == "rating_window_closed"


def test_an_unknown_ticket_is_404_json(client, hall):
    response = rate(client, 999999, {"token": "x" * 16, "score": 5})
    assert response.status_code == 404
    assert response.json()["code"] == "ticket_not_found"
    assert response.json()["message"]


def test_a_random_caller_cannot_rate_someone_elses_ticket(client, hall):
    ticket = hall.served()
    mine = hall.served(counter=hall.counters[1])
    for token in ("", "guess", ticket.token[:-1] + ("A" if ticket.token[-1] != "A" else "B"), mine.token):
        response = rate(client, ticket.pk, {"token": token, "score": 1})
        assert response.status_code in (403, 422), token
        if token:
            assert response.json()["code"] == "rating_token_invalid"
    response = rate(client, ticket.pk, {"score": 1})
    assert response.status_code == 422
    assert not Rating.objects.exists()


def test_a_signed_in_officer_still_needs_the_token(client, hall):
    """A session is not a capability: an officer cannot rate their own service."""
    ticket = hall.served()
    client.force_login(hall.officer)
    response = rate(client, ticket.pk, {"token": "not-the-token", "score": 5})
    assert response.status_code == 403
    assert not Rating.objects.exists()


LONG = "x" * 501


@pytest.mark.parametrize(("body", "field"), [
    ({"score": 0}, "score"), ({"score": 6}, "score"), ({"score": -1}, "score"), ({"score": "abc"}, "score"),
    ({"score": "Hài lòng lắm"}, "score"), ({"score": True}, "score"), ({"score": None}, "score"),
    ({"score": 4.5}, "score"), ({"score": [4]}, "score"), ({}, "score"),
    ({"score": 4, "comment": LONG}, "comment"), ({"score": 4, "comment": 12}, "comment"),
    ({"score": 4, "token": ""}, "token"), ({"score": 4, "token": 123}, "token"), ({"score": 4, "token": None}, "token"),
])
def test_bad_input_is_422_naming_the_field_and_writes_nothing(client, hall, body, field):
    ticket = hall.served()
    payload = {"token": ticket.token, **body}
    response = rate(client, ticket.pk, payload)
    assert response.status_code == 422, response.content
    error = response.json()
    assert error["message"]
    fields = {d.get("field") for d in error["details"]} if isinstance(error["details"], list) else {
        error["details"]["field"]}
    assert any(f == field or (f or "").startswith(field) for f in fields), error
    assert not Rating.objects.exists()
    assert not LiveEvent.objects.filter(channel__startswith="feedback:").exists()


@pytest.mark.parametrize("raw", ["", "not json", "[]", '{"token": "a", "score": 5', "null"])
def test_a_body_that_is_not_a_json_object_is_refused(client, hall, raw):
    ticket = hall.served()
    response = rate(client, ticket.pk, raw, raw=True)
    assert response.status_code in (400, 422)
    assert "code" in response.json()
    assert not Rating.objects.exists()


def test_a_non_numeric_ticket_id_is_refused(client, hall):
    assert client.post("/api/tickets/abc/rating", data="{}", content_type="application/json").status_code in (
        404, 422)
    assert not Rating.objects.exists()


def test_a_comment_keeps_text_and_drops_control_characters(client, hall):
    ticket = hall.served()
    response = rate(client, ticket.pk, {"token": ticket.token, "score": 2, "comment": "  Chờ lâu\x07\x1b quá.\n "})
    assert response.status_code == 201
    assert Rating.objects.get().comment == "Chờ lâu quá."


def test_a_comment_with_a_nul_is_refused_at_the_edge(client, hall):
    ticket = hall.served()
    response = rate(client, ticket.pk, {"token": ticket.token, "score": 2, "comment": "Chờ lâu\x00"})
    assert response.status_code == 400 and response.json()["code"] == "invalid_character"
    assert not Rating.objects.exists()


def test_the_answer_and_the_logs_carry_no_personal_data(client, hall, caplog):
    ticket = hall.served()
    caplog.set_level(logging.DEBUG)
    response = rate(client, ticket.pk, {"token": ticket.token, "score": 1,
                                        "comment": "Số CCCD của tôi là 001090001234"})
    assert response.status_code == 201
    text = response.content.decode()
    assert ticket.national_id not in text and "national_id" not in text and ticket.token not in text
    assert ticket.national_id not in caplog.text and "001090001234" not in caplog.text
    assert "CCCD" not in caplog.text


def test_a_rating_is_published_with_counter_and_score_only(client, django_capture_on_commit_callbacks, hall):
    ticket = hall.served()
    with django_capture_on_commit_callbacks(execute=True):
        assert rate(client, ticket.pk, {"token": ticket.token, "score": 4, "comment": "ok"}).status_code == 201
    event = LiveEvent.objects.get(channel=f"feedback:{hall.point.pk}")
    assert event.name == "rating" and event.payload == {"counter": 1, "score": 4}


def test_the_database_refuses_a_second_rating_of_a_ticket(hall):
    from django.db import IntegrityError, transaction

    ticket = hall.served()
    values = {"ticket": ticket, "service_point": hall.point, "counter": hall.counters[0], "day": ticket.day,
              "score": 5}
    Rating.objects.create(**values)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(**values)


def test_the_database_refuses_a_score_outside_1_to_5(hall):
    from django.db import IntegrityError, transaction

    ticket = hall.served()
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(ticket=ticket, service_point=hall.point, counter=hall.counters[0], day=ticket.day,
                              score=6)


def test_the_rating_route_is_not_shadowed_by_another_apps_ticket_route():
    """POST /api/tickets/{id}/rating must reach this app, not a generic /tickets/{id}/{action} route.

    The ratings router has to be mounted before any router with such a catch-all pattern.
    """
    from django.urls import resolve

    assert resolve("/api/tickets/1/rating").route == "api/tickets/<ticket_id>/rating"
