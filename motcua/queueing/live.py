"""What the queue publishes for live pages (display boards, consoles): numbers only, never personal data."""

from motcua.core import events


def channel(service_point_id: int) -> str:
    return f"queue:{service_point_id}"


def publish_call(ticket, *, recall: bool = False) -> None:
    events.publish(channel(ticket.service_point_id), "call", {
        "ticket": ticket.number, "counter": ticket.counter.number if ticket.counter else None,
        "group": ticket.group.letter if ticket.group_id else None, "recall": recall,
    })


def publish_change(service_point_id: int, what: str, **numbers) -> None:
    """A change that alters the board (issued, finished, no-show, transfer, counter paused …)."""
    events.publish(channel(service_point_id), "change", {"what": what, **numbers})
