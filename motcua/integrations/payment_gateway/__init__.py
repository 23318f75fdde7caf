"""Online payment gateways: the protocol, the VNPay 2.1.0 adapter, a local fake VNPay, VietQR payloads.

`get_gateway()` gives the VNPay adapter configured by `MOTCUA_VNPAY_URL`, `MOTCUA_VNPAY_TMN_CODE` and
`MOTCUA_VNPAY_HASH_SECRET` (docs/payments.md). The fake (`fake.py`, pages under /fake/vnpay/) speaks
the same protocol with the same secret, so pointing `MOTCUA_VNPAY_URL` at it is all the demo needs.
"""

from django.conf import settings

from .protocol import InvalidSignature, MalformedNotification, Notification, Order, PaymentGateway
from .vnpay import VnpayGateway


def get_gateway() -> VnpayGateway:
    return VnpayGateway(url=settings.MOTCUA_VNPAY_URL, tmn_code=settings.MOTCUA_VNPAY_TMN_CODE,
                        hash_secret=settings.MOTCUA_VNPAY_HASH_SECRET)


__all__ = ["InvalidSignature", "MalformedNotification", "Notification", "Order", "PaymentGateway", "VnpayGateway",
           "get_gateway"]
