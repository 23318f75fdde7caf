"""Online payment gateways: the protocol, the VNPay 2.1.0 adapter, a local fake VNPay, VietQR payloads.

`get_gateway()` gives the VNPay adapter configured by `MOTCUA_VNPAY_URL`, `MOTCUA_VNPAY_TMN_CODE` and
`MOTCUA_VNPAY_HASH_SECRET`, its merchant API (querydr) by `MOTCUA_VNPAY_API_URL` (docs/payments.md). The fake (`fake.py`, pages under /fake/vnpay/) speaks
the same protocol with the same secret, so pointing `MOTCUA_VNPAY_URL` at it is all the demo needs.
"""

from django.conf import settings

from .protocol import InvalidSignature, MalformedNotification, Notification, Order, PaymentGateway
from .vnpay import GatewayUnavailable, VnpayGateway


def _local_fake_post(url: str, body: dict) -> dict:
    """The fake's merchant API called in this process (the demo: no address of our own server is known)."""
    from .views import gateway

    return gateway().query(body)


def get_gateway() -> VnpayGateway:
    api_url = settings.MOTCUA_VNPAY_API_URL
    if not api_url and not settings.PRODUCTION and settings.MOTCUA_FAKE_VNPAY:
        return VnpayGateway(url=settings.MOTCUA_VNPAY_URL, tmn_code=settings.MOTCUA_VNPAY_TMN_CODE,
                            hash_secret=settings.MOTCUA_VNPAY_HASH_SECRET, api_url="local-fake",
                            post=_local_fake_post)
    return VnpayGateway(url=settings.MOTCUA_VNPAY_URL, tmn_code=settings.MOTCUA_VNPAY_TMN_CODE,
                        hash_secret=settings.MOTCUA_VNPAY_HASH_SECRET, api_url=api_url)


__all__ = ["GatewayUnavailable", "InvalidSignature", "MalformedNotification", "Notification", "Order", "PaymentGateway", "VnpayGateway",
           "get_gateway"]
