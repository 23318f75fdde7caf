"""The local fake postal service: orders and their events in memory of this process (tests, the demo).

`advance(tracking_number, status)` moves a parcel on, as the postman would, and returns the signed
callback the real service would post (body and signature), for tests and the demo to deliver.
"""

from __future__ import annotations

import datetime as dt
import json
import threading

from django.utils import timezone

from .protocol import (
    FINAL,
    STATUSES,
    OrderReceipt,
    PickupOrder,
    PostalUnavailable,
    StatusEvent,
    sign_callback,
)

BASE_FEE = 22_000  # đồng: a letter-size public-service parcel in the same province
PER_EXTRA_100G = 3_000


class LocalPostalService:
    orders: dict[str, tuple[PickupOrder, OrderReceipt]] = {}
    events: dict[str, list[StatusEvent]] = {}
    _lock = threading.Lock()
    _counter = 0

    def __init__(self, *, failing: bool = False):
        self.failing = failing

    def quote(self, order: PickupOrder) -> int:
        if self.failing:
            raise PostalUnavailable("postal service offline (fake)")
        extra = max(0, (order.weight_grams - 1) // 100)
        return BASE_FEE + PER_EXTRA_100G * extra

    def create_order(self, order: PickupOrder) -> OrderReceipt:
        fee = self.quote(order)
        if not order.reference or not order.receiver_address.strip() or not order.receiver_name.strip():
            raise PostalUnavailable("order refused: reference, receiver name and address are required")
        with self._lock:
            if order.reference in self.orders:
                return self.orders[order.reference][1]
            type(self)._counter += 1
            receipt = OrderReceipt(tracking_number=f"EP{type(self)._counter:09d}VN", fee=fee)
            self.orders[order.reference] = (order, receipt)
            self.events[receipt.tracking_number] = [
                StatusEvent(receipt.tracking_number, "accepted", timezone.now())
            ]
        return receipt

    def track(self, tracking_number: str) -> list[StatusEvent]:
        if self.failing:
            raise PostalUnavailable("postal service offline (fake)")
        with self._lock:
            return list(self.events.get(tracking_number, []))

    def advance(
        self, tracking_number: str, status: str, *, secret: str, at: dt.datetime | None = None, note: str = ""
    ) -> tuple[bytes, str]:
        if status not in STATUSES:
            raise ValueError(status)
        with self._lock:
            history = self.events.setdefault(tracking_number, [])
            if history and history[-1].status in FINAL:
                raise ValueError("the parcel is already delivered or returned")
            event = StatusEvent(tracking_number, status, at or timezone.now(), note)
            history.append(event)
        body = json.dumps(event.to_json(), ensure_ascii=False).encode()
        return body, sign_callback(body, secret)

    @classmethod
    def clear(cls) -> None:
        with cls._lock:
            cls.orders.clear()
            cls.events.clear()
