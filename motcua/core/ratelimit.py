"""Rate limits that hold across server processes and cannot be reset by the client.

A limit is a rate such as "30/m" on a (scope, key) pair: the key is usually the client address
(`core.clients.client_address`), a username, a dossier code or a phone number. Hits are counted in
fixed windows in the `RateCounter` table with one atomic upsert, so several workers and several
machines share one count (a counter in each process's memory would multiply every limit by the
number of processes). With `MOTCUA_RATE_LIMIT_BACKEND = "cache"` (set when REDIS_URL is) the
counters live in the shared cache instead, with the cache's atomic increment.

Count a hit before the transaction of the work it guards: a hit counted inside a transaction that
rolls back is forgotten with it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from ninja.throttling import BaseThrottle

from .clients import client_address
from .errors import RateLimited
from .models import RateCounter

_UNITS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str | Rate) -> Rate:
        """ "30/m", "5/10m", "100/d" -> Rate."""
        if isinstance(text, Rate):
            return text
        count, _, period = text.partition("/")
        digits = "".join(ch for ch in period if ch.isdigit())
        unit = period[len(digits):]
        if unit not in _UNITS or not count.isdigit():
            raise ValueError(f"invalid rate {text!r}")
        return cls(int(count), int(digits or 1) * _UNITS[unit])

    def __str__(self) -> str:
        return f"{self.count}/{self.seconds}s"


def _key_hash(scope: str, key: str) -> str:
    secret = settings.SECRET_KEY.encode()
    return hmac.new(secret, f"{scope}\x1f{key}".encode(), hashlib.sha256).hexdigest()


def _window(rate: Rate, now: float) -> int:
    return int(now // rate.seconds) * rate.seconds


def _backend() -> str:
    return getattr(settings, "MOTCUA_RATE_LIMIT_BACKEND", "database")


_UPSERT = (
    "INSERT INTO core_ratecounter (scope, key_hash, window_start, hits, expires_at) "
    "VALUES (%s, %s, %s, 1, %s) "
    "ON CONFLICT (scope, key_hash, window_start) DO UPDATE SET hits = core_ratecounter.hits + 1 "
    "RETURNING hits"
)


def count_hit(scope: str, key: str, rate: str | Rate) -> int:
    """Count one hit of `key` in the current window and return the hits so far in it (this one included)."""
    rate = Rate.parse(rate)
    now = time.time()
    window = _window(rate, now)
    digest = _key_hash(scope, key)
    if _backend() == "cache":
        cache_key = f"rl:{scope}:{digest}:{window}"
        cache.add(cache_key, 0, timeout=rate.seconds + 1)
        try:
            return int(cache.incr(cache_key))
        except ValueError:  # expired between add and incr
            cache.add(cache_key, 1, timeout=rate.seconds + 1)
            return 1
    expires = dt.datetime.fromtimestamp(window + rate.seconds, dt.UTC)
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, [scope[:40], digest, window, expires])
        return int(cursor.fetchone()[0])


def hits(scope: str, key: str, rate: str | Rate) -> int:
    """Hits of `key` in the current window, without counting one."""
    rate = Rate.parse(rate)
    window = _window(rate, time.time())
    digest = _key_hash(scope, key)
    if _backend() == "cache":
        return int(cache.get(f"rl:{scope}:{digest}:{window}", 0))
    row = RateCounter.objects.filter(scope=scope[:40], key_hash=digest, window_start=window).values("hits").first()
    return row["hits"] if row else 0


def allow(scope: str, key: str, rate: str | Rate) -> bool:
    """Count a hit; True while the window's hits stay within the rate."""
    rate = Rate.parse(rate)
    return count_hit(scope, key, rate) <= rate.count


def enforce(scope: str, key: str, rate: str | Rate) -> None:
    """Count a hit, or raise RateLimited (429) when the rate is exceeded."""
    if not allow(scope, key, rate):
        raise RateLimited(details={"scope": scope})


def reset(scope: str, key: str, rate: str | Rate) -> None:
    """Forget the current window's hits of `key` (e.g. after a successful login)."""
    rate = Rate.parse(rate)
    window = _window(rate, time.time())
    digest = _key_hash(scope, key)
    if _backend() == "cache":
        cache.delete(f"rl:{scope}:{digest}:{window}")
        return
    RateCounter.objects.filter(scope=scope[:40], key_hash=digest, window_start=window).delete()


def purge_expired() -> str:
    """Periodic job: drop the counters of windows that have ended."""
    deleted, _ = RateCounter.objects.filter(expires_at__lt=timezone.now()).delete()
    return f"{deleted} expired"


class RequestRateThrottle(BaseThrottle):
    """A Ninja throttle on (scope, key(request)), shared by every process; a request without a key passes.

    `rate` may be a callable (e.g. reading a setting), so that the rate can change without a restart of
    the module that built the throttle (settings overridden in tests, say).
    """

    def __init__(self, rate, scope: str, key):
        self._rate = rate
        self.scope = scope
        self.key = key

    @property
    def rate(self) -> Rate:
        return Rate.parse(self._rate() if callable(self._rate) else self._rate)

    def allow_request(self, request) -> bool:
        key = self.key(request)
        return key is None or allow(self.scope, key, self.rate)

    def wait(self) -> float | None:
        return float(self.rate.seconds)


class ClientRateThrottle(RequestRateThrottle):
    """A Ninja throttle keyed on the trusted client address (`core.clients`), shared by every process."""

    def __init__(self, rate, scope: str):
        super().__init__(rate, scope, client_address)
