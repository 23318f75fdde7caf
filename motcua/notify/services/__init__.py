"""Notify's use cases: planning deliveries from the outbox, sending them, the providers' reports,
staff retries and a person's preferences."""

from .callbacks import record_report
from .planning import CONSUMER, channels_for, plan_from_outbox
from .preferences import set_preferences
from .sending import backoff, max_attempts, requeue, run, send_due

__all__ = ["CONSUMER", "backoff", "channels_for", "max_attempts", "plan_from_outbox", "record_report", "requeue",
           "run", "send_due", "set_preferences"]
