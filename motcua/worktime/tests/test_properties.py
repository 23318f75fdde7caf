"""Properties of working-time arithmetic and deadlines that must hold for every input."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.worktime import DEFAULT_OVERRIDES_FILE, Pause, WorkCalendar, load_overrides

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
OVERRIDES = load_overrides(DEFAULT_OVERRIDES_FILE)
CALENDARS = [
    WorkCalendar(overrides=OVERRIDES),
    WorkCalendar(overrides=OVERRIDES, cutoff=time(15)),
    WorkCalendar(overrides=OVERRIDES, last_hour_counts_next_day=True),
    WorkCalendar(periods=((time(7, 30), time(11, 30)), (time(13, 30), time(17))), weekend=frozenset({6})),
]
PROPERTY_SETTINGS = settings(max_examples=150, deadline=None)

# Instants at the edges of periods are where off-by-one mistakes hide, so draw them often.
EDGE_TIMES = [time(0), time(7, 30), time(8), time(11, 30), time(12), time(13), time(13, 30)]
EDGE_TIMES += [time(15), time(16), time(17), time(23, 59)]
calendars = st.sampled_from(CALENDARS)
local_moments = st.builds(
    lambda day, clock: datetime.combine(day, clock, tzinfo=TZ),
    st.dates(min_value=date(2024, 6, 1), max_value=date(2027, 6, 30)),
    st.one_of(st.sampled_from(EDGE_TIMES), st.times()),
)
moments = st.one_of(local_moments, local_moments.map(lambda moment: moment.astimezone(UTC)))
durations = st.one_of(
    st.integers(min_value=0, max_value=70 * 8 * 60).map(lambda minutes: timedelta(minutes=minutes)),
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=70 * 8)),
)
resume_modes = st.sampled_from(["restart", "resume"])


@st.composite
def closed_pauses(draw: st.DrawFn, received: datetime) -> list[Pause]:
    """Up to three pauses in order after `received`, each closed."""
    pauses: list[Pause] = []
    cursor = received
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        start = cursor + timedelta(minutes=draw(st.integers(min_value=0, max_value=20 * 24 * 60)))
        end = start + timedelta(minutes=draw(st.integers(min_value=0, max_value=20 * 24 * 60)))
        pauses.append((start, end))
        cursor = end
    return pauses


@PROPERTY_SETTINGS
@given(calendars, moments, durations)
def test_adding_then_measuring_gives_back_the_duration(
    calendar: WorkCalendar, start: datetime, duration: timedelta
) -> None:
    end = calendar.add_working_time(start, duration)
    assert calendar.working_time_between(start, end) == duration
    assert calendar.is_working_time(end)
    assert end >= start


@PROPERTY_SETTINGS
@given(calendars, moments, moments, moments)
def test_measuring_is_additive_and_antisymmetric(
    calendar: WorkCalendar, first: datetime, second: datetime, third: datetime
) -> None:
    between = calendar.working_time_between
    assert between(first, second) == -between(second, first)
    assert between(first, second) + between(second, third) == between(first, third)


@PROPERTY_SETTINGS
@given(calendars, moments, st.floats(min_value=0, max_value=60, allow_nan=False))
def test_working_days_are_working_day_lengths(calendar: WorkCalendar, start: datetime, count: float) -> None:
    assert calendar.add_working_days(start, count) == calendar.add_working_time(
        start, calendar.day_length * count
    )


@PROPERTY_SETTINGS
@given(calendars, moments)
def test_counting_starts_in_working_time_not_before_receipt_and_is_stable(
    calendar: WorkCalendar, received: datetime
) -> None:
    start = calendar.counting_start(received)
    assert start >= received
    assert calendar.is_working_time(start)
    assert calendar.counting_start(start) == start


@PROPERTY_SETTINGS
@given(calendars, moments, durations, resume_modes, st.data())
def test_due_dates_are_inside_working_time(
    calendar: WorkCalendar, received: datetime, duration: timedelta, mode: str, data: st.DataObject
) -> None:
    pauses = data.draw(closed_pauses(received))
    due = calendar.due_at(received, duration, pauses, mode)  # type: ignore[arg-type]
    assert due is not None
    assert calendar.is_working_time(due)
    assert due >= calendar.counting_start(received)


@PROPERTY_SETTINGS
@given(calendars, moments, moments, durations)
def test_a_later_receipt_never_gives_an_earlier_due_date(
    calendar: WorkCalendar, first: datetime, second: datetime, duration: timedelta
) -> None:
    earlier, later = sorted([first, second])
    assert calendar.counting_start(earlier) <= calendar.counting_start(later)
    due_earlier = calendar.due_at(earlier, duration)
    due_later = calendar.due_at(later, duration)
    assert due_earlier is not None and due_later is not None
    assert due_earlier <= due_later


@PROPERTY_SETTINGS
@given(calendars, moments, durations, resume_modes, st.data())
def test_pauses_never_shorten_a_deadline(
    calendar: WorkCalendar, received: datetime, duration: timedelta, mode: str, data: st.DataObject
) -> None:
    pauses = data.draw(closed_pauses(received))
    without = calendar.due_at(received, duration)
    with_pauses = calendar.due_at(received, duration, pauses, mode)  # type: ignore[arg-type]
    assert without is not None and with_pauses is not None
    assert with_pauses >= without


@PROPERTY_SETTINGS
@given(calendars, moments, durations, st.data())
def test_resuming_is_never_later_than_restarting(
    calendar: WorkCalendar, received: datetime, duration: timedelta, data: st.DataObject
) -> None:
    pauses = data.draw(closed_pauses(received))
    resumed = calendar.due_at(received, duration, pauses, "resume")
    restarted = calendar.due_at(received, duration, pauses, "restart")
    assert resumed is not None and restarted is not None
    assert resumed <= restarted


@PROPERTY_SETTINGS
@given(calendars, moments, durations, resume_modes, st.data())
def test_the_clock_shows_the_full_duration_at_the_deadline(
    calendar: WorkCalendar, received: datetime, duration: timedelta, mode: str, data: st.DataObject
) -> None:
    pauses = data.draw(closed_pauses(received))
    due = calendar.due_at(received, duration, pauses, mode)  # type: ignore[arg-type]
    assert due is not None
    assert calendar.elapsed(received, due, pauses, mode, duration=duration) == duration  # type: ignore[arg-type]


@PROPERTY_SETTINGS
@given(calendars, moments, durations, resume_modes, st.data())
def test_an_open_pause_before_the_deadline_suspends_it(
    calendar: WorkCalendar, received: datetime, duration: timedelta, mode: str, data: st.DataObject
) -> None:
    pauses = data.draw(closed_pauses(received))
    due = calendar.due_at(received, duration, pauses, mode)  # type: ignore[arg-type]
    assert due is not None
    last_end = pauses[-1][1] if pauses else received
    assert last_end is not None
    open_start = min(max(last_end, received), due - timedelta(microseconds=1))
    if open_start < last_end:
        return  # the deadline falls inside the last pause's tail: no room for another pause
    result = calendar.due_at(received, duration, [*pauses, (open_start, None)], mode)  # type: ignore[arg-type]
    assert result is None


@PROPERTY_SETTINGS
@given(calendars, moments, durations)
def test_subtracting_working_time_leaves_exactly_that_much_until_the_end(calendar, end, duration):
    start = calendar.subtract_working_time(end, duration)
    assert start <= end
    assert calendar.working_time_between(start, end) == duration
    # It is the latest such instant: one minute later, less remains.
    assert calendar.working_time_between(start + timedelta(minutes=1), end) < duration or duration == timedelta(0)
