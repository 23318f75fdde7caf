"""VNPay 2.1.0: the payment URL with signed `vnp_*` parameters, and reading its IPN and return.

Signature (VNPay's merchant integration guide, version 2.1.0): the `vnp_*` parameters except
`vnp_SecureHash` / `vnp_SecureHashType`, sorted by name, each `name=value` with the value URL-encoded
(form encoding, spaces as `+`), joined with `&`; HMAC-SHA512 with the merchant's hash secret, in hex.
Amounts are in đồng ×100. The IPN is answered `{"RspCode", "Message"}` with the codes of `IpnAnswer`.
"""

from __future__ import annotations

import hashlib
import hmac
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from .protocol import InvalidSignature, MalformedNotification, Notification, Order

VERSION = "2.1.0"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
SUCCESS = "00"
# Response codes the fake gateway sends and the pages explain (VNPay's table, abridged).
CUSTOMER_CANCELLED = "24"
TIMED_OUT = "11"
HASH_FIELDS_EXCLUDED = frozenset({"vnp_SecureHash", "vnp_SecureHashType"})


class IpnAnswer(StrEnum):
    CONFIRMED = "00"
    ORDER_NOT_FOUND = "01"
    ALREADY_CONFIRMED = "02"
    INVALID_AMOUNT = "04"
    INVALID_SIGNATURE = "97"
    OTHER = "99"


IPN_MESSAGES = {
    IpnAnswer.CONFIRMED: "Confirm Success",
    IpnAnswer.ORDER_NOT_FOUND: "Order not found",
    IpnAnswer.ALREADY_CONFIRMED: "Order already confirmed",
    IpnAnswer.INVALID_AMOUNT: "invalid amount",
    IpnAnswer.INVALID_SIGNATURE: "Invalid Signature",
    IpnAnswer.OTHER: "Unknow error",  # sic: VNPay's own wording
}


def ipn_body(answer: IpnAnswer) -> dict[str, str]:
    return {"RspCode": answer.value, "Message": IPN_MESSAGES[answer]}


def hash_data(params: Mapping[str, str]) -> str:
    """The signed text: sorted `vnp_*` parameters, URL-encoded values, joined with `&`."""
    items = sorted((k, v) for k, v in params.items() if k.startswith("vnp_") and k not in HASH_FIELDS_EXCLUDED)
    return "&".join(f"{k}={urllib.parse.quote_plus(str(v))}" for k, v in items)


def sign(params: Mapping[str, str], secret: str) -> str:
    return hmac.new(secret.encode(), hash_data(params).encode(), hashlib.sha512).hexdigest()


def signature_valid(params: Mapping[str, str], secret: str) -> bool:
    given = str(params.get("vnp_SecureHash", "")).lower()
    return bool(given) and hmac.compare_digest(given, sign(params, secret))


def signed_query(params: Mapping[str, str], secret: str) -> str:
    query = hash_data(params)
    return f"{query}&vnp_SecureHash={sign(params, secret)}"


def vnp_time(moment) -> str:
    return moment.astimezone(VIETNAM).strftime("%Y%m%d%H%M%S")


@dataclass(frozen=True)
class VnpayGateway:
    """The adapter: `payment_url` for the browser, `read` for the IPN and the return."""

    url: str
    tmn_code: str
    hash_secret: str
    name: str = "vnpay"
    locale: str = "vn"

    def order_params(self, order: Order) -> dict[str, str]:
        return {
            "vnp_Version": VERSION, "vnp_Command": "pay", "vnp_TmnCode": self.tmn_code,
            "vnp_Amount": str(order.amount * 100), "vnp_CurrCode": "VND", "vnp_TxnRef": order.reference,
            "vnp_OrderInfo": order.description, "vnp_OrderType": "other", "vnp_Locale": self.locale,
            "vnp_ReturnUrl": order.return_url, "vnp_IpAddr": order.client_ip or "127.0.0.1",
            "vnp_CreateDate": vnp_time(order.created_at), "vnp_ExpireDate": vnp_time(order.expires_at),
        }

    def payment_url(self, order: Order) -> str:
        return f"{self.url}?{signed_query(self.order_params(order), self.hash_secret)}"

    def read(self, params: Mapping[str, str]) -> Notification:
        if not signature_valid(params, self.hash_secret):
            raise InvalidSignature()
        try:
            raw_amount = int(params["vnp_Amount"])
            reference = params["vnp_TxnRef"]
            code = params["vnp_ResponseCode"]
        except (KeyError, TypeError, ValueError) as exc:
            raise MalformedNotification(str(exc)) from None
        if raw_amount < 0 or raw_amount % 100:
            raise MalformedNotification("amount")
        status = params.get("vnp_TransactionStatus", code)
        return Notification(reference=reference, amount=raw_amount // 100,
                            succeeded=code == SUCCESS and status == SUCCESS, response_code=code,
                            transaction_no=str(params.get("vnp_TransactionNo", ""))[:40],
                            bank_code=str(params.get("vnp_BankCode", ""))[:20])
