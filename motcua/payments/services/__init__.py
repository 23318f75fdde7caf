"""Every write on fees, payments and receipts is one function here (split by use case)."""

from .counter import record_counter_payment
from .invoices import apply_exemptions, open_invoice
from .online import IpnResult, handle_gateway_notification, start_online_payment
from .receipts import cancel_receipt, replace_receipt

__all__ = ["IpnResult", "apply_exemptions", "cancel_receipt", "handle_gateway_notification", "open_invoice",
           "record_counter_payment", "replace_receipt", "start_online_payment"]
