"""The in-memory side of the event bus: one hub per process fans each event out to its subscribers.

The hub knows nothing of databases or brokers: a listener (see `listeners`) hands it the events it
receives, and every open stream holds one `Subscription`. Delivery never blocks the listener: each
subscription has a bounded queue, and a subscriber that falls behind is marked `overflowed` (its
stream then ends and the browser reconnects with Last-Event-ID, which the replay buffer fills).
"""

import asyncio
import threading
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

RING_SIZE = 200  # events kept per channel for Last-Event-ID resume (older ones: the table)
QUEUE_SIZE = 100  # events waiting for one subscriber before it is dropped


def channel_set(channels: str | Iterable[str]) -> frozenset[str]:
    return frozenset((channels,) if isinstance(channels, str) else channels)


@dataclass(frozen=True, slots=True)
class Event:
    id: int
    channel: str
    name: str
    payload: dict[str, Any] = field(default_factory=dict)


class Subscription:
    """One stream's mailbox (of one channel or several): filled from any thread, read by a thread or
    by an asyncio task."""

    def __init__(self, channels: str | Iterable[str], *, limit: int = QUEUE_SIZE,
                 loop: asyncio.AbstractEventLoop | None = None):
        self.channels = channel_set(channels)
        self.limit = limit
        self.overflowed = False
        self.closed = False
        self._items: deque[Event] = deque()
        self._lock = threading.Lock()
        self._loop = loop
        self._async_flag = asyncio.Event() if loop is not None else None
        self._flag = threading.Event()

    def offer(self, event: Event) -> bool:
        """Queue `event` without blocking; False when this subscription should be dropped."""
        with self._lock:
            if len(self._items) >= self.limit:
                self.overflowed = True
            else:
                self._items.append(event)
        return self._wake()

    def _wake(self) -> bool:
        if self._loop is None:
            self._flag.set()
            return not self.overflowed
        try:
            self._loop.call_soon_threadsafe(self._async_flag.set)  # type: ignore[union-attr]
        except RuntimeError:  # its loop is gone: nobody reads this any more
            self.closed = True
        return not (self.overflowed or self.closed)

    def take(self) -> list[Event]:
        with self._lock:
            items = list(self._items)
            self._items.clear()
        return items

    def wait(self, timeout: float) -> bool:
        """(Threads) Wait until something was offered or `timeout` passed."""
        woke = self._flag.wait(timeout)
        self._flag.clear()
        return woke

    async def await_(self, timeout: float) -> bool:
        """(asyncio) Wait until something was offered or `timeout` passed, holding no thread."""
        assert self._async_flag is not None
        try:
            await asyncio.wait_for(self._async_flag.wait(), timeout)
        except TimeoutError:
            return False
        finally:
            self._async_flag.clear()
        return True


class Hub:
    """Subscribers per channel, and the last `ring_size` events of each channel for resume."""

    def __init__(self, *, ring_size: int = RING_SIZE, queue_size: int = QUEUE_SIZE):
        self.ring_size = ring_size
        self.queue_size = queue_size
        self._lock = threading.Lock()
        self._subscribers: dict[str, set[Subscription]] = {}
        self._rings: dict[str, deque[Event]] = {}
        self._floors: dict[str, int] = {}  # the ring of a channel holds every event after this id
        self.start_id: int | None = None  # every event after it passed through this hub
        self.latest_id = 0
        self._seen: dict[str, int] = {}  # the newest event id of each channel known to this process

    @property
    def ready(self) -> bool:
        return self.start_id is not None

    def mark_ready(self, start_id: int) -> None:
        """The listener is receiving: events after `start_id` will all be delivered."""
        with self._lock:
            if self.start_id is None:
                self.start_id = start_id
            self.latest_id = max(self.latest_id, start_id)

    def subscribe(self, channels: str | Iterable[str], *,
                  loop: asyncio.AbstractEventLoop | None = None) -> Subscription:
        """A mailbox for the events of `channels` (one name or several: a staff inbox follows a few)."""
        subscription = Subscription(channels, limit=self.queue_size, loop=loop)
        with self._lock:
            for channel in subscription.channels:
                self._subscribers.setdefault(channel, set()).add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        with self._lock:
            for channel in subscription.channels:
                subscribers = self._subscribers.get(channel)
                if subscribers is not None:
                    subscribers.discard(subscription)
                    if not subscribers:
                        del self._subscribers[channel]

    def subscriber_count(self, channel: str | None = None) -> int:
        with self._lock:
            if channel is not None:
                return len(self._subscribers.get(channel, ()))
            return sum(len(s) for s in self._subscribers.values())

    def deliver(self, event: Event) -> None:
        """Remember `event` and offer it to every subscriber of its channel (never blocks)."""
        with self._lock:
            ring = self._rings.get(event.channel)
            if ring is None:
                ring = self._rings[event.channel] = deque()
                self._floors[event.channel] = self.start_id or 0
            if len(ring) >= self.ring_size:
                self._floors[event.channel] = ring.popleft().id
            ring.append(event)
            self.latest_id = max(self.latest_id, event.id)
            self._seen[event.channel] = max(self._seen.get(event.channel, 0), event.id)
            subscribers = list(self._subscribers.get(event.channel, ()))
        dropped = [s for s in subscribers if not s.offer(event)]
        for subscription in dropped:
            self.unsubscribe(subscription)

    def note(self, channel: str, event_id: int) -> None:
        """This process published `event_id` on `channel`: its version moves now, before the event comes back."""
        with self._lock:
            self._seen[channel] = max(self._seen.get(channel, 0), event_id)

    def version(self, channel: str) -> int | None:
        """The newest event id of `channel` this process knows; None until the listener receives.

        Two equal versions of a ready hub mean that no event of the channel came in between.
        """
        with self._lock:
            return None if self.start_id is None else self._seen.get(channel, 0)

    def replay(self, channels: str | Iterable[str], after: int) -> list[Event] | None:
        """The events of `channels` after id `after` from memory, in id order; None when memory does
        not reach back for one of them."""
        with self._lock:
            if self.start_id is None:
                return None
            found: list[Event] = []
            for channel in channel_set(channels):
                if after < self._floors.get(channel, self.start_id):
                    return None
                found += [e for e in self._rings.get(channel, ()) if e.id > after]
        return sorted(found, key=lambda e: e.id)
