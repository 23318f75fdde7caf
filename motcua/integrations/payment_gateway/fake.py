"""A fake VNPay: checks an order's signature, lets the payer choose the outcome, signs the answer and
sends the IPN (at once, late or twice) before sending the browser back, as VNPay does.

It keeps its own record of what it was asked and what it sent (`FakeVnpay.sent`), knows no app, and
signs with the same secret as the adapter, so the adapter cannot tell it from the real gateway.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from .protocol import InvalidSignature
from .vnpay import (
    CUSTOMER_CANCELLED,
    QUERY_BAD_SIGNATURE,
    QUERY_FOUND,
    QUERY_NOT_FOUND,
    QUERY_REQUEST_FIELDS,
    QUERY_RESPONSE_FIELDS,
    SUCCESS,
    TIMED_OUT,
    fields_signed,
    sign,
    sign_fields,
    signature_valid,
    vnp_time,
)

OUTCOMES = {"success": (SUCCESS, SUCCESS), "refuse": (CUSTOMER_CANCELLED, "02"), "timeout": (TIMED_OUT, "02")}
RETURNED_FIELDS = ("vnp_TmnCode", "vnp_Amount", "vnp_TxnRef", "vnp_OrderInfo")

Transport = Callable[[str], None]
# The fake's own record of every transaction it decided, by merchant reference (what querydr reads).
LEDGER: dict[str, dict[str, str]] = {}
_ledger_lock = threading.Lock()


def http_get(url: str) -> None:
    """Send one IPN as VNPay does: an HTTP GET; the answer is the merchant's business."""
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (our own configured URL)
        response.read()


@dataclass
class FakeVnpay:
    tmn_code: str
    hash_secret: str
    transport: Transport = http_get
    sent: list[dict[str, str]] = field(default_factory=list)
    _numbers: list[int] = field(default_factory=lambda: [14000000])

    def check_order(self, params: Mapping[str, str]) -> dict[str, str]:
        """The order as the merchant signed it; InvalidSignature when it was not (or not for this merchant)."""
        if not signature_valid(params, self.hash_secret) or params.get("vnp_TmnCode") != self.tmn_code:
            raise InvalidSignature()
        return {k: str(v) for k, v in params.items() if k.startswith("vnp_")}

    def answer(self, order: Mapping[str, str], outcome: str, now: dt.datetime) -> dict[str, str]:
        """The signed parameters of the IPN and of the return for the payer's choice."""
        code, status = OUTCOMES[outcome]
        self._numbers[0] += 1
        params = {key: order[key] for key in RETURNED_FIELDS if key in order}
        params.update({"vnp_ResponseCode": code, "vnp_TransactionStatus": status, "vnp_BankCode": "NCB",
                       "vnp_CardType": "ATM", "vnp_PayDate": vnp_time(now),
                       "vnp_TransactionNo": str(self._numbers[0]) if outcome == "success" else "0"})
        if outcome == "success":
            params["vnp_BankTranNo"] = f"VNP{self._numbers[0]}"
        params["vnp_SecureHash"] = sign(params, self.hash_secret)
        with _ledger_lock:
            LEDGER[params["vnp_TxnRef"]] = dict(params)
        return params

    def query(self, body: Mapping[str, object]) -> dict[str, str]:
        """Answer a querydr request as VNPay's merchant API does: the signed record of one transaction."""
        answer = {"vnp_ResponseId": f"{self._numbers[0]:x}", "vnp_Command": "querydr", "vnp_TmnCode": self.tmn_code,
                  "vnp_TxnRef": str(body.get("vnp_TxnRef", ""))}
        record = LEDGER.get(answer["vnp_TxnRef"])
        if not fields_signed(body, QUERY_REQUEST_FIELDS, self.hash_secret) or body.get("vnp_TmnCode") != self.tmn_code:
            answer.update(vnp_ResponseCode=QUERY_BAD_SIGNATURE, vnp_Message="Invalid Checksum")
        elif record is None:
            answer.update(vnp_ResponseCode=QUERY_NOT_FOUND, vnp_Message="Transaction not found")
        else:
            answer.update(
                vnp_ResponseCode=QUERY_FOUND, vnp_Message="QueryDR Success", vnp_Amount=record["vnp_Amount"],
                vnp_BankCode=record.get("vnp_BankCode", ""), vnp_PayDate=record.get("vnp_PayDate", ""),
                vnp_TransactionNo=record.get("vnp_TransactionNo", ""), vnp_TransactionType="01",
                vnp_TransactionStatus=record.get("vnp_TransactionStatus", ""),
                vnp_OrderInfo=record.get("vnp_OrderInfo", ""), vnp_PromotionCode="", vnp_PromotionAmount="")
        answer["vnp_SecureHash"] = sign_fields(answer, QUERY_RESPONSE_FIELDS, self.hash_secret)
        return answer

    def notify(self, ipn_url: str, params: Mapping[str, str], *, times: int = 1, delay: float = 0,
               background: bool = False) -> None:
        """Send the IPN `times` times, after `delay` seconds; in a thread of its own when late or `background`
        (the page's own request must not wait for it: under ASGI the IPN may need the same worker thread)."""
        url = f"{ipn_url}{'&' if '?' in ipn_url else '?'}{urllib.parse.urlencode(params)}"

        def send() -> None:
            if delay:
                time.sleep(delay)
            for _n in range(times):
                self.sent.append(dict(params))
                try:
                    self.transport(url)
                except OSError:
                    pass  # VNPay retries later; the fake only tells the payer's page

        if delay or background:
            threading.Thread(target=send, daemon=True).start()
        else:
            send()
