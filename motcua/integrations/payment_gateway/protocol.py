"""What every online payment gateway offers the payments app (VNPay today; another is one more class)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol


class InvalidSignature(Exception):
    """The parameters were not signed with the merchant's secret (tampered, or not from the gateway)."""


class MalformedNotification(Exception):
    """Signed, but a required parameter is missing or unreadable."""


@dataclass(frozen=True)
class Order:
    reference: str  # unique per payment attempt (the gateway's transaction reference)
    amount: int  # đồng
    description: str  # no personal data: the dossier code and the invoice
    return_url: str
    client_ip: str
    created_at: dt.datetime
    expires_at: dt.datetime


@dataclass(frozen=True)
class Notification:
    """A verified notification (IPN) or return from the gateway."""

    reference: str
    amount: int  # đồng
    succeeded: bool
    response_code: str
    transaction_no: str = ""
    bank_code: str = ""


class PaymentGateway(Protocol):
    name: str

    def payment_url(self, order: Order) -> str:
        """Where the payer's browser goes to pay, with the order signed."""
        ...

    def read(self, params: Mapping[str, str]) -> Notification:
        """The verified content of an IPN or return; InvalidSignature, MalformedNotification."""
        ...
