"""Write use cases of the queue, one module per use case."""

from ..policies import can_operate, ensure_can_operate
from .calling import CounterNotFound, CounterNotOpen, call_next
from .counters import close, pause, resume
from .handling import ACTIONS, confirm, finish, no_show, recall, start, transfer
from .issuing import CapacityReached, TicketLimitReached, issue_ticket

__all__ = [
    "ACTIONS", "CapacityReached", "CounterNotFound", "CounterNotOpen", "TicketLimitReached", "call_next", "can_operate", "close",
    "confirm", "ensure_can_operate", "finish", "issue_ticket", "no_show", "pause", "recall",
    "resume", "start", "transfer",
]
