"""VNPay 2.1.0: the payment URL with signed `vnp_*` parameters, and reading its IPN and return.

Signature (VNPay's merchant integration guide, version 2.1.0): the `vnp_*` parameters except
`vnp_SecureHash` / `vnp_SecureHashType`, sorted by name, each `name=value` with the value URL-encoded
(form encoding, spaces as `+`), joined with `&`; HMAC-SHA512 with the merchant's hash secret, in hex.
Amounts are in đồng ×100. The IPN is answered `{"RspCode", "Message"}` with the codes of `IpnAnswer`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
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


# --- querydr: the gateway's own record of one transaction (VNPay merchant web API, version 2.1.0) ---------
# Request and response are JSON; each is signed with HMAC-SHA512 over its fields joined with "|", in the
# order below. The query answers 00 when found (the transaction's own status is vnp_TransactionStatus),
# 91 when the gateway has no such transaction, 97 for a bad signature.
QUERY_REQUEST_FIELDS = ("vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TxnRef",
                        "vnp_TransactionDate", "vnp_CreateDate", "vnp_IpAddr", "vnp_OrderInfo")
QUERY_RESPONSE_FIELDS = ("vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode",
                         "vnp_TxnRef", "vnp_Amount", "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo",
                         "vnp_TransactionType", "vnp_TransactionStatus", "vnp_OrderInfo", "vnp_PromotionCode",
                         "vnp_PromotionAmount")
QUERY_FOUND = "00"
QUERY_NOT_FOUND = "91"
QUERY_BAD_SIGNATURE = "97"


def sign_fields(body: Mapping[str, object], names: tuple[str, ...], secret: str) -> str:
    data = "|".join(str(body.get(name, "") or "") for name in names)
    return hmac.new(secret.encode(), data.encode(), hashlib.sha512).hexdigest()


def fields_signed(body: Mapping[str, object], names: tuple[str, ...], secret: str) -> bool:
    given = str(body.get("vnp_SecureHash", "")).lower()
    return bool(given) and hmac.compare_digest(given, sign_fields(body, names, secret))


class GatewayUnavailable(Exception):
    """The gateway's API did not answer (network, timeout, an answer that is not JSON)."""


Poster = Callable[[str, dict], dict]


def http_post_json(url: str, body: dict) -> dict:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",  # noqa: S310 (configured)
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (our own configured URL)
            return json.loads(response.read().decode())
    except (OSError, ValueError) as exc:
        raise GatewayUnavailable(str(exc)) from None


@dataclass(frozen=True)
class VnpayGateway:
    """The adapter: `payment_url` for the browser, `read` for the IPN and the return."""

    url: str
    tmn_code: str
    hash_secret: str
    name: str = "vnpay"
    locale: str = "vn"
    api_url: str = ""  # the merchant web API (querydr)
    post: Poster = field(default=http_post_json, compare=False, repr=False)

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

    def query(self, reference: str, created_at, *, now, client_ip: str = "127.0.0.1") -> Notification | None:
        """The gateway's record of the payment `reference` made at `created_at`: None when it has none.

        GatewayUnavailable when the API does not answer or answers unsigned; InvalidSignature when the
        answer's signature is wrong."""
        if not self.api_url:
            raise GatewayUnavailable("no api url")
        body = {"vnp_RequestId": secrets.token_hex(16), "vnp_Version": VERSION, "vnp_Command": "querydr",
                "vnp_TmnCode": self.tmn_code, "vnp_TxnRef": reference, "vnp_OrderInfo": f"Truy van {reference}",
                "vnp_TransactionDate": vnp_time(created_at), "vnp_CreateDate": vnp_time(now),
                "vnp_IpAddr": client_ip}
        body["vnp_SecureHash"] = sign_fields(body, QUERY_REQUEST_FIELDS, self.hash_secret)
        answer = self.post(self.api_url, body)
        if not isinstance(answer, dict) or not fields_signed(answer, QUERY_RESPONSE_FIELDS, self.hash_secret):
            raise InvalidSignature()
        code = str(answer.get("vnp_ResponseCode", ""))
        if code == QUERY_NOT_FOUND:
            return None
        if code != QUERY_FOUND or str(answer.get("vnp_TxnRef")) != reference:
            raise GatewayUnavailable(f"query answered {code[:4]}")
        try:
            raw_amount = int(str(answer["vnp_Amount"]))
        except (KeyError, ValueError):
            raise MalformedNotification("amount") from None
        if raw_amount < 0 or raw_amount % 100:
            raise MalformedNotification("amount")
        status = str(answer.get("vnp_TransactionStatus", ""))
        return Notification(reference=reference, amount=raw_amount // 100, succeeded=status == SUCCESS,
                            response_code=status[:10], transaction_no=str(answer.get("vnp_TransactionNo", ""))[:40],
                            bank_code=str(answer.get("vnp_BankCode", ""))[:20])

