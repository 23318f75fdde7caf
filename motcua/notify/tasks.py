"""Notify's periodic job (settings.MOTCUA_PERIODIC_JOBS, docs/scheduler.md)."""

from __future__ import annotations

from .services import run


def deliver() -> dict[str, int]:
    """Plan the deliveries of new events, then send those that are due (retries included); counts only."""
    return run()
