"""Every ticket records the estimates it was shown (at issue, at each later display) and its first call."""

from motcua.queueing import estimates, services
from motcua.queueing.models import Ticket, WaitEstimate
from motcua.queueing.services import handling

from .conftest import citizen_id

_n = iter(range(500, 10_000))


def take(hall, group=None):
    hall.clock.advance(minutes=1)
    return services.issue_ticket(
        service_point=hall.point, group=group or hall.land, national_id=citizen_id(next(_n))
    )


def test_issuing_records_the_estimate_given_with_the_naive_one(hall):
    first, second, third = take(hall), take(hall), take(hall)

    record = WaitEstimate.objects.get(ticket=third)
    assert record.moment == WaitEstimate.Moment.ISSUE
    assert record.shown_at == third.issued_at
    assert record.position == 3 and record.minutes == third.estimated_wait_minutes
    # Naive: two tickets ahead × the group's configured average ÷ the three open counters serving it.
    assert record.naive_minutes == round(2 * hall.land.average_service_minutes / 3)
    assert WaitEstimate.objects.filter(ticket__in=[first, second], moment="issue").count() == 2


def test_each_later_display_is_recorded_once_a_minute_at_most(hall, client):
    ticket = take(hall)
    url = f"/api/tickets/by-token/{ticket.token}"
    client.get(url)  # within the minute of the issue: the estimate given at issue, nothing recorded
    assert ticket.wait_estimates.count() == 1

    hall.clock.advance(minutes=2)
    assert client.get(url).status_code == 200
    client.get(url)  # a reload within the minute shows the last estimate, records nothing
    assert list(ticket.wait_estimates.values_list("moment", flat=True).order_by("shown_at")) == [
        "issue",
        "display",
    ]

    hall.clock.advance(minutes=2)
    client.get(f"/queue/tickets/{ticket.token}/")  # the slip page is a display too
    assert ticket.wait_estimates.filter(moment="display").count() == 2


def test_a_display_moves_by_a_bounded_step_from_the_one_before(hall, client):
    ticket = take(hall)
    WaitEstimate.objects.filter(ticket=ticket).update(minutes=60)  # as if a long wait had been promised
    hall.clock.advance(minutes=5)

    body = client.get(f"/api/tickets/by-token/{ticket.token}").json()

    # The estimator now says ~0 (nobody ahead); the citizen was told 60, 5 minutes ago: 55 expected.
    expected = 55
    step = max(estimates.MAX_STEP_MINUTES, estimates.MAX_STEP_SHARE * expected)
    assert body["estimated_wait_minutes"] == expected - int(step)
    assert ticket.wait_estimates.get(moment="display").minutes == body["estimated_wait_minutes"]


def test_a_called_ticket_is_no_longer_recorded(hall, client):
    ticket = take(hall)
    services.call_next(hall.counters[0], user=hall.officer)
    client.get(f"/api/tickets/by-token/{ticket.token}")
    assert not ticket.wait_estimates.filter(moment="display").exists()


def test_the_first_call_ends_the_real_wait_whatever_follows(hall):
    ticket = take(hall)
    hall.clock.advance(minutes=7)
    called = services.call_next(hall.counters[0], user=hall.officer)
    assert called.pk == ticket.pk
    first_call = hall.clock.now()
    ticket.refresh_from_db()
    assert ticket.first_called_at == first_call

    hall.clock.advance(minutes=3)
    handling.transfer(ticket, user=hall.officer, group=hall.civil)  # back to waiting in another group
    hall.clock.advance(minutes=3)
    services.call_next(hall.counters[1], user=hall.officer)
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CALLED and ticket.called_at > first_call
    assert ticket.first_called_at == first_call
