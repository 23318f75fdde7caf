"""Live inboxes: which channels a dossier's change reaches, who may follow which, and the stream."""

from functools import partial

import pytest

from motcua.core import events
from motcua.core.errors import PermissionDenied
from motcua.core.events.hub import Hub
from motcua.core.events.listeners import LocalTransport
from motcua.core.models import LiveEvent
from motcua.dossiers import live, policies
from motcua.dossiers.models import Dossier

from .conftest import act, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def code(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return submit(client, world.reception).json()["code"]


def channels_of(code):
    return {e.channel for e in LiveEvent.objects.filter(payload__code=code)}


def test_a_counter_intake_reaches_its_branch_its_agencies_and_the_center(world, code):
    # The competent agency's, and the reception step's (the center's own agency).
    assert channels_of(code) == {live.ALL, live.branch_channel(world.branch.pk),
                                 live.agency_channel(world.department.pk), live.agency_channel(world.center_agency.pk)}
    event = LiveEvent.objects.filter(payload__code=code).first()
    assert event.name == "dossier" and event.payload == {"code": code, "action": "submitted", "state": "received",
                                                         "national_status": 2}


def test_an_online_dossier_waiting_for_a_branch_reaches_every_desk(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        code = submit(client, world.citizen, {"procedure": "1.004227", "shown": [4],
                                              "applicant": {"id_number": "001190005678", "name": "B"}}).json()["code"]
    assert Dossier.objects.get(code=code).branch_id is None
    assert live.ONLINE in channels_of(code)
    LiveEvent.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        assert act(client, world.reception, code, "receive").status_code == 200
    assert channels_of(code) == {live.ALL, live.branch_channel(world.branch.pk),
                                 live.agency_channel(world.department.pk), live.agency_channel(world.center_agency.pk)}


def test_the_current_step_and_a_consulted_agency_hear_of_the_dossier(client, world, code,
                                                                      django_capture_on_commit_callbacks):
    assert act(client, world.reception, code, "forward").status_code == 200
    assert act(client, world.officer, code, "take").status_code == 200
    LiveEvent.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        response = act(client, world.officer, code, "consult", {"agency": "so-xd", "question": "Quy hoạch?"})
    assert response.status_code == 200, response.json()
    assert live.agency_channel(world.other_department.pk) in channels_of(code)


def test_an_event_on_several_channels_is_one_statement(world, django_assert_num_queries,
                                                      django_capture_on_commit_callbacks):
    events.get_hub()  # the transport is made before counting
    with django_capture_on_commit_callbacks() as callbacks:
        events.publish_each(["a", "b", "c", "a"], "dossier", {"code": "X"})
    with django_assert_num_queries(1):
        for callback in callbacks:
            callback()
    rows = list(LiveEvent.objects.order_by("id"))
    assert [r.channel for r in rows] == ["a", "b", "c"] and rows[0].id < rows[1].id < rows[2].id
    assert events.get_hub().version("b") in (None, rows[1].id)


@pytest.mark.parametrize("who, expected", [
    ("reception", lambda w: [live.branch_channel(w.branch.pk), live.ONLINE]),
    ("leader", lambda w: [live.branch_channel(w.branch.pk)]),
    ("officer", lambda w: [live.agency_channel(w.department.pk)]),
    ("director", lambda w: [live.ALL]),
    ("admin", lambda w: [live.ALL]),
    ("citizen", lambda w: []),
])
def test_each_role_follows_the_channels_of_what_it_may_list(world, who, expected):
    assert policies.live_channels(getattr(world, who)) == expected(world)


def test_following_checks_every_channel_asked(world):
    mine = live.agency_channel(world.department.pk)
    assert policies.check_follow(world.officer, []) == [mine]
    assert policies.check_follow(world.officer, [mine, mine]) == [mine]
    with pytest.raises(PermissionDenied):
        policies.check_follow(world.officer, [live.agency_channel(world.other_department.pk)])
    with pytest.raises(PermissionDenied):
        policies.check_follow(world.officer, [live.ALL])
    with pytest.raises(PermissionDenied):
        policies.check_follow(world.citizen, [])
    with pytest.raises(policies.UnknownChannel):
        policies.check_follow(world.officer, ["queue:1"])
    with pytest.raises(policies.TooManyChannels):
        policies.check_follow(world.director, [live.ALL] * 11)


@pytest.fixture
def short_streams(monkeypatch):
    monkeypatch.setattr(events, "stream", partial(events.stream, max_seconds=0))


def test_the_events_api_answers_each_refusal_with_its_code(client, world, short_streams):
    assert client.get("/api/dossiers/events").status_code == 401
    client.force_login(world.citizen)
    assert client.get("/api/dossiers/events").json()["code"] == "permission_denied"
    client.force_login(world.officer)
    other = live.agency_channel(world.other_department.pk)
    response = client.get("/api/dossiers/events", {"channel": other})
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    response = client.get("/api/dossiers/events", {"channel": "dossiers:agency:x"})
    assert response.status_code == 404 and response.json()["code"] == "unknown_channel"
    response = client.get("/api/dossiers/events", {"channel": [live.agency_channel(n) for n in range(11)]})
    assert response.status_code == 422 and response.json()["code"] == "too_many_channels"


def test_the_events_api_streams_the_callers_channels_from_their_last_event(client, world, code, short_streams,
                                                                          monkeypatch):
    # This process's own hub: on PostgreSQL the test's rows are never committed, so never notified.
    hub = Hub()
    bus = LocalTransport(hub)
    monkeypatch.setattr(events, "_bus", lambda: (hub, bus))
    first = LiveEvent.objects.filter(payload__code=code).order_by("id").first()
    client.force_login(world.officer)
    response = client.get("/api/dossiers/events", HTTP_LAST_EVENT_ID=str(first.id - 1))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/event-stream")
    body = b"".join(response.streaming_content).decode()
    mine = LiveEvent.objects.get(payload__code=code, channel=live.agency_channel(world.department.pk))
    assert f"id: {mine.id}\nevent: dossier\n" in body and f'"code":"{code}"' in body
    assert body.count("event: dossier") == 1  # not the branch's or the center's copy
    assert "Trần" not in body and "0987654321" not in body


def test_a_stream_of_several_channels_resumes_from_memory_and_from_the_table():
    hub = Hub(ring_size=2)
    hub.mark_ready(0)
    for number, channel in enumerate(["a", "b", "x", "b", "a", "b"], start=1):
        hub.deliver(events.Event(number, channel, "dossier", {"n": number}))
    assert [e.id for e in hub.replay(["a", "b"], 3)] == [4, 5, 6]
    assert hub.replay(["a", "b"], 1) is None  # b's ring starts after 4: the table has the rest
    subscription = hub.subscribe(["a", "b"])
    hub.deliver(events.Event(7, "x", "dossier", {}))
    hub.deliver(events.Event(8, "a", "dossier", {}))
    hub.deliver(events.Event(9, "b", "dossier", {}))
    assert [e.id for e in subscription.take()] == [8, 9]
    hub.unsubscribe(subscription)
    assert hub.subscriber_count() == 0


def test_the_table_backlog_of_several_channels(world):
    ids = [LiveEvent.objects.create(channel=channel, name="dossier", payload={}).pk for channel in ["a", "x", "b"]]
    assert [e.id for e in events.events_after(["a", "b"], 0)] == [ids[0], ids[2]]
    assert [e.id for e in events.events_after(["a", "b"], ids[0])] == [ids[2]]


def test_pages_follow_live_without_polling(client, world, code):
    client.force_login(world.officer)
    page = client.get("/dossiers/").content.decode()
    assert 'data-live-events="/api/dossiers/events"' in page and "data-live-part" in page
    assert "every 30s" not in page and "js/live.js" in page
    part = client.get("/dossiers/", HTTP_HX_REQUEST="true").content.decode()
    assert part.lstrip().startswith('<section id="inbox-rows"') and code in part
    client.force_login(world.leader)
    page = client.get("/dossiers/approvals/").content.decode()
    assert 'id="approval-rows"' in page and 'hx-trigger="live"' in page
    part = client.get("/dossiers/approvals/", HTTP_HX_REQUEST="true").content.decode()
    assert part.lstrip().startswith('<div id="approval-rows"')
