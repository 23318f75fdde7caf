"""Calling order (strict priority and interleaving), lanes, and what the officer does with a called ticket."""

import pytest

from motcua.core.errors import NotAuthenticated, PermissionDenied, ValidationFailed
from motcua.org.models import Counter
from motcua.org.tests.factories import make_counter
from motcua.queueing import selectors, services
from motcua.queueing.models import OrderingPolicy, QueueConfig, Ticket
from motcua.queueing.services import handling
from motcua.queueing.services.calling import CounterNotOpen, TicketStillOpen

from .conftest import citizen_id

_n = iter(range(1, 10_000))


def take(hall, priority="", group=None, lane="in_person", minutes=1):
    hall.clock.advance(minutes=minutes)
    return services.issue_ticket(service_point=hall.point, group=group or hall.land, national_id=citizen_id(next(_n)),
                                 priority=priority, lane=lane)


def calls(hall, counter, n):
    return [services.call_next(counter, user=hall.officer, finish_current=True).number for _ in range(n)]


def queue_of(hall, kinds):
    """'RPPR' -> regular, priority, priority, regular tickets in that order."""
    return [take(hall, priority="elderly" if k == "P" else "") for k in kinds]


def test_strict_priority_serves_every_priority_ticket_first(hall):
    QueueConfig.objects.create(service_point=hall.point, ordering_policy=OrderingPolicy.STRICT)
    queue_of(hall, "RRPPPPPR")
    assert calls(hall, hall.counters[0], 8) == ["B-003", "B-004", "B-005", "B-006", "B-007", "B-001", "B-002",
                                                "B-008"]


def test_interleaving_lets_a_regular_ticket_through_after_n_priority_calls(hall):
    QueueConfig.objects.create(service_point=hall.point, ordering_policy=OrderingPolicy.INTERLEAVE,
                               max_priority_streak=2)
    queue_of(hall, "RRPPPPPR")
    assert calls(hall, hall.counters[0], 8) == ["B-003", "B-004", "B-001", "B-005", "B-006", "B-002", "B-007",
                                                "B-008"]


def test_interleaving_keeps_calling_priority_when_no_regular_ticket_waits(hall):
    QueueConfig.objects.create(service_point=hall.point, max_priority_streak=1)
    queue_of(hall, "PPP")
    assert calls(hall, hall.counters[0], 3) == ["B-001", "B-002", "B-003"]


def test_a_priority_rejected_by_the_officer_no_longer_counts(hall):
    ticket = take(hall, priority="pregnant")
    assert ticket.is_priority
    ticket.priority_confirmed = False
    assert not ticket.is_priority


def plan(counter, **fields):
    """Change a counter's plan (org.Counter) as the organisation file or the admin would."""
    Counter.objects.filter(pk=counter.pk).update(**fields)
    counter.refresh_from_db()
    return counter


def test_counters_call_only_their_groups_and_lanes(hall):
    civil = take(hall, group=hall.civil)
    rep = take(hall, lane="representative")
    person = take(hall)
    plan(hall.counters[2], lanes="in_person")
    assert services.call_next(hall.counters[2], user=hall.officer, finish_current=True) == person  # land only, in person only
    assert services.call_next(hall.counters[2], user=hall.officer, finish_current=True) is None
    assert services.call_next(hall.counters[0], user=hall.officer, finish_current=True) == civil
    assert services.call_next(hall.counters[0], user=hall.officer, finish_current=True) == rep


def test_a_counter_reserved_for_priority_calls_only_priority(hall):
    regular = take(hall)
    elderly = take(hall, priority="merit")
    reserved = plan(hall.counters[1], priority_only=True)
    assert services.call_next(reserved, user=hall.officer, finish_current=True) == elderly
    assert services.call_next(reserved, user=hall.officer, finish_current=True) is None  # a regular number waits, but not for it
    assert Ticket.objects.get(pk=regular.pk).status == Ticket.Status.WAITING


def test_a_priority_counter_serves_regular_numbers_only_when_none_waits_and_the_point_allows(hall):
    QueueConfig.objects.create(service_point=hall.point, priority_counters_serve_regular=True)
    regular = take(hall)
    elderly = take(hall, priority="elderly")
    reserved = plan(hall.counters[1], priority_only=True)
    assert services.call_next(reserved, user=hall.officer, finish_current=True) == elderly  # priority first, though it came later
    assert services.call_next(reserved, user=hall.officer, finish_current=True) == regular  # none waits any more: allowed


@pytest.mark.parametrize("kind", ["fee", "result", "consultation", "digitisation"])
def test_other_counters_call_only_the_numbers_sent_to_them(hall, kind):
    desk = make_counter(hall.point, 18, [hall.land, hall.civil], kind=kind)
    intake = take(hall)
    assert services.call_next(desk, user=hall.officer, finish_current=True) is None  # fee counter 18 called an intake ticket
    assert services.call_next(hall.counters[0], user=hall.officer, finish_current=True) == intake
    sent = services.transfer(Ticket.objects.get(pk=intake.pk), user=hall.officer, counter=desk)
    assert services.call_next(desk, user=hall.officer, finish_current=True) == sent


def test_capacity_slots_and_waits_count_only_the_regular_intake_counters_of_a_group(hall):
    from motcua.queueing.services.booking import slot_capacity

    slot = (hall.clock.now().replace(hour=10), hall.clock.now().replace(hour=10, minute=30))
    before = (selectors.group_status(hall.point, hall.land).open_counters, slot_capacity(hall.point, hall.land, *slot),
              selectors.capacity(hall.point, hall.land).counter_minutes_left)
    for number, kind, reserved in ((18, "fee", False), (19, "result", False), (20, "reception", True)):
        make_counter(hall.point, number, [hall.land, hall.civil], kind=kind, priority_only=reserved)
    after = (selectors.group_status(hall.point, hall.land).open_counters, slot_capacity(hall.point, hall.land, *slot),
             selectors.capacity(hall.point, hall.land).counter_minutes_left)
    assert before == after and before[0] == 3 and before[1] == 7  # 3 counters × 30 min ÷ 12 min


def test_the_api_lists_each_counter_with_the_id_call_next_needs(client, hall):
    plan(hall.counters[1], priority_only=True)
    make_counter(hall.point, 18, kind="fee")
    listed = client.get(f"/api/service-points/{hall.point.pk}/counters").json()
    assert [(c["number"], c["kind"], c["priority_only"], c["status"]) for c in listed] == [
        (1, "reception", False, "open"), (2, "reception", True, "open"), (3, "reception", False, "open"),
        (18, "fee", False, "open")]
    assert listed[0]["id"] == hall.counters[0].pk and listed[2]["service_groups"] == ["dat-dai"]


def test_call_next_never_closes_the_open_ticket_silently(hall):
    first, second = take(hall), take(hall)
    counter = hall.counters[0]
    assert services.call_next(counter, user=hall.officer) == first
    hall.clock.advance(minutes=1)
    services.start(Ticket.objects.get(pk=first.pk), user=hall.officer)
    with pytest.raises(TicketStillOpen) as refused:
        services.call_next(counter, user=hall.officer)
    assert refused.value.status == 409 and refused.value.details["ticket"] == first.number
    assert Ticket.objects.get(pk=first.pk).status == Ticket.Status.SERVING
    assert Ticket.objects.get(pk=second.pk).status == Ticket.Status.WAITING  # nothing was called either
    hall.clock.advance(minutes=9)
    assert services.call_next(counter, user=hall.officer, finish_current=True) == second
    first.refresh_from_db()
    assert first.status == Ticket.Status.DONE and first.service_seconds == 540
    assert first.counter == counter and first.served_by == hall.officer


def test_empty_queue_gives_none(hall):
    assert services.call_next(hall.counters[0], user=hall.officer, finish_current=True) is None


def test_only_officers_of_the_branch_call(hall, django_user_model):
    take(hall)
    with pytest.raises(PermissionDenied):
        services.call_next(hall.counters[0], user=hall.outsider)
    with pytest.raises(NotAuthenticated):
        services.call_next(hall.counters[0], user=None)
    assert Ticket.objects.get().status == Ticket.Status.WAITING


def test_a_paused_counter_does_not_call_until_resumed(hall):
    take(hall)
    counter = hall.counters[0]
    services.pause(counter, user=hall.officer)
    with pytest.raises(CounterNotOpen):
        services.call_next(counter, user=hall.officer, finish_current=True)
    services.resume(counter, user=hall.officer)
    assert services.call_next(counter, user=hall.officer, finish_current=True).number == "B-001"


def test_no_show_recall_and_wrong_status(hall):
    ticket = take(hall)
    counter = hall.counters[0]
    called = services.call_next(counter, user=hall.officer, finish_current=True)
    assert services.recall(called, user=hall.officer).call_count == 2
    gone = services.no_show(called, user=hall.officer)
    assert gone.status == Ticket.Status.NO_SHOW and gone.finished_at
    with pytest.raises(handling.WrongStatus) as error:
        services.start(ticket, user=hall.officer)
    assert error.value.status == 409
    assert services.call_next(counter, user=hall.officer, finish_current=True) is None  # a no-show is not called again


def test_transfer_to_another_group_keeps_the_number_and_the_place(hall):
    first = take(hall)
    take(hall, group=hall.civil)
    called = services.call_next(hall.counters[0], user=hall.officer, finish_current=True)
    assert called == first
    moved = services.transfer(called, user=hall.officer, group=hall.civil)
    assert moved.status == Ticket.Status.WAITING and moved.number == "B-001" and moved.group == hall.civil
    assert services.call_next(hall.counters[1], user=hall.officer, finish_current=True) == first  # queued before A-001


def test_transfer_to_a_counter_reaches_only_that_counter(hall):
    take(hall)
    called = services.call_next(hall.counters[0], user=hall.officer, finish_current=True)
    services.transfer(called, user=hall.officer, counter=hall.counters[2])
    assert services.call_next(hall.counters[1], user=hall.officer, finish_current=True) is None
    assert services.call_next(hall.counters[2], user=hall.officer, finish_current=True) == called


def test_transfer_needs_a_target(hall):
    take(hall)
    called = services.call_next(hall.counters[0], user=hall.officer, finish_current=True)
    with pytest.raises(ValidationFailed):
        services.transfer(called, user=hall.officer)
    with pytest.raises(ValidationFailed):
        services.transfer(called, user=hall.officer, counter=hall.counters[0])


def test_the_officer_confirms_identity_and_priority_and_refuses_another_holder(hall):
    take(hall, priority="elderly")
    take(hall)
    first = services.call_next(hall.counters[0], user=hall.officer, finish_current=True)
    confirmed = services.confirm(first, user=hall.officer, identity_matches=True, priority_confirmed=True)
    assert confirmed.identity_confirmed_at and confirmed.priority_confirmed is True
    second = services.call_next(hall.counters[0], user=hall.officer, finish_current=True)
    refused = services.confirm(second, user=hall.officer, identity_matches=False)
    assert refused.status == Ticket.Status.REFUSED


def test_waiting_list_and_board_show_numbers(hall):
    take(hall)
    take(hall, priority="disability")
    assert [t.number for t in selectors.waiting_list(hall.counters[0])] == ["B-002", "B-001"]
    services.call_next(hall.counters[0], user=hall.officer, finish_current=True)
    board = selectors.board(hall.point)
    assert board["counters"][0] == {"number": 1, "status": "open", "ticket": "B-002", "serving": False}
    assert board["latest_calls"][0]["ticket"] == "B-002"
    assert {g["letter"]: g["waiting"] for g in board["groups"]} == {"A": 0, "B": 1}
    assert citizen_id(1)[:6] not in repr(board)


def test_refusals_transfers_no_shows_and_pauses_are_audited_without_the_id(hall):
    from motcua.core.models import AuditEntry

    take(hall)
    take(hall)
    first = services.call_next(hall.counters[0], user=hall.officer, finish_current=True)
    services.confirm(first, user=hall.officer, identity_matches=False)
    second = services.call_next(hall.counters[0], user=hall.officer, finish_current=True)
    services.no_show(second, user=hall.officer)
    services.pause(hall.counters[0], user=hall.officer)
    actions = list(AuditEntry.objects.values_list("action", "to_state"))
    assert actions == [("ticket.refused", "refused"), ("ticket.no_show", "no_show"), ("counter.paused", "paused")]
    assert all(AuditEntry.objects.filter(actor=hall.officer).values_list("actor", flat=True))
    assert citizen_id(1)[-6:] not in repr(list(AuditEntry.objects.values_list("data", flat=True)))
