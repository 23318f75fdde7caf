"""Text messages (SMS) to citizens: protocol, HTTP client of a generic JSON gateway, and a local fake.

`get_sms()` returns the HTTP client when `MOTCUA_SMS_GATEWAY_URL` is set, the in-process fake otherwise.
"""

from .gateway import get_sms, set_sms
from .protocol import SmsSender, SmsUnavailable

__all__ = ["SmsSender", "SmsUnavailable", "get_sms", "set_sms"]
