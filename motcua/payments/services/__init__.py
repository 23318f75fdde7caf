"""Every write on fees, payments and receipts is one function here (split by use case)."""

from .counter import record_counter_payment
from .gateway_check import check_day_with_gateway, check_pending_payments
from .invoices import apply_exemptions, open_invoice
from .online import IpnResult, handle_gateway_notification, start_online_payment
from .receipts import cancel_receipt, replace_receipt
from .reconciliation import reconcile, sign_off_day
from .refunds import approve_refund, request_refund

__all__ = ["IpnResult", "apply_exemptions", "approve_refund", "cancel_receipt", "check_day_with_gateway",
           "check_pending_payments", "handle_gateway_notification",
           "open_invoice", "reconcile", "record_counter_payment", "replace_receipt", "request_refund", "sign_off_day",
           "start_online_payment"]
