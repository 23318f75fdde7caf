"""The client address limits are keyed on, and limits that hold whatever headers the client sends."""

import datetime as dt
import threading

import pytest
from django.test import RequestFactory, override_settings
from django.utils import timezone

from motcua.core import ratelimit
from motcua.core.clients import client_address
from motcua.core.errors import RateLimited
from motcua.core.models import RateCounter

rf = RequestFactory()


def request_from(peer: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return rf.get("/", **extra)


# --- client_address -------------------------------------------------------------------------------

def test_without_trusted_proxies_the_header_is_ignored():
    assert client_address(request_from("198.51.100.7", "203.0.113.1")) == "198.51.100.7"


@override_settings(MOTCUA_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_a_header_from_an_untrusted_peer_is_ignored():
    assert client_address(request_from("198.51.100.7", "203.0.113.1")) == "198.51.100.7"


@override_settings(MOTCUA_TRUSTED_PROXIES=["10.0.0.1"])
def test_behind_a_trusted_proxy_the_last_hop_it_appended_is_the_client():
    assert client_address(request_from("10.0.0.1", "203.0.113.1")) == "203.0.113.1"


@override_settings(MOTCUA_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_hops_written_by_the_client_before_the_proxies_are_not_believed():
    # The client sent "X-Forwarded-For: 1.2.3.4"; the load balancer and the proxy appended the real hops.
    request = request_from("10.0.0.2", "1.2.3.4, 203.0.113.9, 10.0.0.5")
    assert client_address(request) == "203.0.113.9"


@override_settings(MOTCUA_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_garbage_in_the_header_falls_back_to_the_last_trusted_hop():
    assert client_address(request_from("10.0.0.2", "not-an-address")) == "10.0.0.2"
    assert client_address(request_from("10.0.0.2", "")) == "10.0.0.2"


@override_settings(MOTCUA_TRUSTED_PROXIES=["::1", "127.0.0.1"])
def test_ipv6_and_ports_are_understood():
    assert client_address(request_from("::1", "[2001:db8::5]:443")) == "2001:db8::5"
    assert client_address(request_from("127.0.0.1", "203.0.113.4:5555")) == "203.0.113.4"


# --- rates ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "count", "seconds"), [("30/m", 30, 60), ("5/10m", 5, 600), ("100/d", 100, 86400),
                                                        ("3/s", 3, 1), ("20/hour", 20, 3600)])
def test_rates_parse(text, count, seconds):
    assert ratelimit.Rate.parse(text) == ratelimit.Rate(count, seconds)


@pytest.mark.parametrize("text", ["", "x/m", "3/fortnight", "3"])
def test_bad_rates_are_refused(text):
    with pytest.raises(ValueError):
        ratelimit.Rate.parse(text)


@pytest.mark.django_db
def test_a_limit_refuses_past_its_count_and_keys_are_separate():
    assert [ratelimit.allow("t", "a", "3/h") for _ in range(4)] == [True, True, True, False]
    assert ratelimit.allow("t", "b", "3/h")
    assert ratelimit.allow("other", "a", "3/h")
    with pytest.raises(RateLimited) as caught:
        ratelimit.enforce("t", "a", "3/h")
    assert caught.value.status == 429 and caught.value.code == "rate_limited"
    assert ratelimit.hits("t", "a", "3/h") == 5


@pytest.mark.django_db
def test_reset_forgets_the_window():
    for _ in range(3):
        ratelimit.allow("t", "a", "3/h")
    ratelimit.reset("t", "a", "3/h")
    assert ratelimit.allow("t", "a", "3/h")


@pytest.mark.django_db
def test_keys_are_not_stored_in_clear():
    ratelimit.allow("sms", "0912345678", "3/h")
    stored = RateCounter.objects.get()
    assert "0912345678" not in stored.key_hash and len(stored.key_hash) == 64


@pytest.mark.django_db
def test_expired_windows_are_purged(monkeypatch):
    ratelimit.allow("t", "a", "3/s")
    monkeypatch.setattr(ratelimit.time, "time", lambda: 10**10)
    ratelimit.allow("t", "a", "3/h")
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime.fromtimestamp(10**10 - 1, dt.UTC))
    assert ratelimit.purge_expired() == "1 expired"
    assert RateCounter.objects.count() == 1


@pytest.mark.django_db
@override_settings(MOTCUA_RATE_LIMIT_BACKEND="cache")
def test_the_cache_backend_counts_the_same():
    assert [ratelimit.allow("t", "a", "2/h") for _ in range(3)] == [True, True, False]
    ratelimit.reset("t", "a", "2/h")
    assert ratelimit.hits("t", "a", "2/h") == 0


@pytest.mark.django_db(transaction=True)
def test_parallel_hits_are_all_counted():
    """16 threads hitting one key at once (a real race on PostgreSQL): all 16 counted, exactly 5 allowed."""
    results: list[bool] = []
    barrier = threading.Barrier(16)

    def hit():
        from django.db import connections

        barrier.wait()
        try:
            results.append(ratelimit.allow("race", "k", "5/h"))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=hit) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(True) == 5 and len(results) == 16
    assert ratelimit.hits("race", "k", "5/h") == 16
