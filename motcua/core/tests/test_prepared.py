"""Prepared queries: the same statement and the same rows as the queryset they are compiled from."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motcua.core.prepared import PreparedQuery

pytestmark = pytest.mark.django_db

PERMISSION = PreparedQuery(lambda pk: Permission.objects.select_related("content_type").filter(pk=pk)[:1], pk=int)
JOINED = PreparedQuery(
    lambda name, before: User.objects.filter(first_name=name, date_joined__lt=before).order_by("pk"),
    name=str, before=dt.datetime,
)


def test_the_same_statement_and_the_same_objects_as_the_queryset():
    for permission in Permission.objects.order_by("?")[:5]:
        with CaptureQueriesContext(connection) as plain:
            expected = PERMISSION.queryset(pk=permission.pk).first()
        with CaptureQueriesContext(connection) as prepared:
            got = PERMISSION.first(pk=permission.pk)
        assert [q["sql"] for q in prepared.captured_queries] == [q["sql"] for q in plain.captured_queries]
        assert got == expected and got.codename == expected.codename
        with CaptureQueriesContext(connection) as related:
            assert got.content_type == expected.content_type and got.content_type.model == expected.content_type.model
        assert related.captured_queries == [], "select_related objects come with the row"


def test_each_call_uses_its_own_values_strings_and_datetimes_included():
    now = timezone.now()
    for n in range(3):
        User.objects.create(username=f"alpha-{n}", first_name="alpha", date_joined=now - dt.timedelta(days=10 - n))
    User.objects.create(username="beta-0", first_name="beta", date_joined=now - dt.timedelta(days=10))
    assert [u.username for u in JOINED.all(name="alpha", before=now - dt.timedelta(days=8, hours=12))] == [
        "alpha-0", "alpha-1"]
    assert [u.username for u in JOINED.all(name="beta", before=now)] == ["beta-0"]
    assert JOINED.all(name="alpha", before=now - dt.timedelta(days=30)) == []
    assert JOINED.first(name="nobody", before=now) is None


def test_an_id_beyond_32_bits_is_answered_as_the_queryset_answers():
    # Django answers an id its column cannot hold with no row (and here no query); so does the prepared one.
    for pk in (2**31, 2**70, -(2**64)):
        with CaptureQueriesContext(connection) as plain:
            expected = list(PERMISSION.queryset(pk=pk))
        with CaptureQueriesContext(connection) as prepared:
            assert PERMISSION.all(pk=pk) == expected == []
        assert len(prepared.captured_queries) == len(plain.captured_queries)


def test_wrong_values_are_refused_before_any_query():
    with pytest.raises(TypeError):
        PERMISSION.first(pk="1")
    with pytest.raises(TypeError):
        PERMISSION.first(pk=True)
    with pytest.raises(TypeError):
        PERMISSION.first()
    with pytest.raises(ValueError, match="aware"):
        JOINED.all(name="a", before=dt.datetime(2026, 1, 1))


def test_a_query_whose_sql_depends_on_its_values_is_refused():
    transformed = PreparedQuery(lambda name: User.objects.filter(username__startswith=name), name=str)
    with pytest.raises(ValueError, match="does not reach"):
        transformed.all(name="a")  # the parameter is "a%", not the value
    with pytest.raises(TypeError):
        PreparedQuery(lambda when: Permission.objects.filter(pk=1), when=float).all(when=1.0)


def test_values_rows_and_dates_come_out_as_the_querysets_own():
    from django.db.models import Count

    per_name = PreparedQuery(
        lambda day: (User.objects.filter(date_joined__date=day).values("first_name")
                     .annotate(n=Count("id")).order_by("first_name")),
        day=dt.date,
    )
    today = timezone.localdate()
    noon = timezone.make_aware(dt.datetime.combine(today, dt.time(12)))
    for n, name in enumerate(["an", "an", "binh"]):
        User.objects.create(username=f"u{n}", first_name=name, date_joined=noon)
    User.objects.create(username="old", first_name="an", date_joined=noon - dt.timedelta(days=3))
    expected = list(per_name.queryset(day=today))
    assert per_name.all(day=today) == expected == [{"first_name": "an", "n": 2}, {"first_name": "binh", "n": 1}]
    assert per_name.all(day=today - dt.timedelta(days=3)) == [{"first_name": "an", "n": 1}]
    with pytest.raises(TypeError):
        per_name.all(day=noon)  # a datetime is not a day


@pytest.mark.django_db(transaction=True)
def test_a_locking_query_runs_in_a_transaction_only_as_djangos_own():
    from django.db import transaction
    from django.db.transaction import TransactionManagementError

    locking = PreparedQuery(lambda pk: Permission.objects.select_for_update(of=("self",)).filter(pk=pk), pk=int)
    some = Permission.objects.order_by("pk").first()
    with transaction.atomic(), CaptureQueriesContext(connection) as prepared:
        assert locking.all(pk=some.pk) == [some]
    with transaction.atomic(), CaptureQueriesContext(connection) as plain:
        assert list(locking.queryset(pk=some.pk)) == [some]
    assert [q["sql"] for q in prepared.captured_queries] == [q["sql"] for q in plain.captured_queries]
    if connection.features.has_select_for_update:
        assert any("FOR UPDATE" in q["sql"] for q in prepared.captured_queries)
        with pytest.raises(TransactionManagementError):
            locking.all(pk=some.pk)
        with pytest.raises(TransactionManagementError):
            list(locking.queryset(pk=some.pk))
