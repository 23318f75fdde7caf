"""Domain events inside one transaction: an app says what happened, the apps above it react.

`dispatch(name, **facts)` calls every handler subscribed to `name`, at once and in the caller's
transaction, so that what they write commits or rolls back with the change (an invoice opened when a
dossier is received). It is how a lower app reaches a higher one without importing it (ARCHITECTURE.md:
"through domain events where the call would point upward"). Handlers subscribe in their app's
`AppConfig.ready`. For work that may wait or fail on its own, use the outbox instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Handler = Callable[..., None]
_handlers: dict[str, list[Handler]] = {}


def subscribe(name: str, handler: Handler) -> None:
    """Call `handler(**facts)` on each `dispatch(name, ...)`; subscribing twice is one subscription."""
    handlers = _handlers.setdefault(name, [])
    if handler not in handlers:
        handlers.append(handler)


def dispatch(name: str, **facts: Any) -> None:
    """Run the handlers of `name` in order of subscription; an exception rolls back the caller's change."""
    for handler in list(_handlers.get(name, ())):
        handler(**facts)
