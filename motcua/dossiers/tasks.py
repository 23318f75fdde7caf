"""Background work on dossiers, run by the scheduler (`motcua scheduler`, see docs/scheduler.md).

Each function is a periodic job named in settings.MOTCUA_PERIODIC_JOBS by its dotted path. It takes no
argument, is safe to run twice or concurrently with itself (idempotent), and returns counts for the
scheduler's log line, never names or numbers of people.
"""

from __future__ import annotations

from motcua.core import uploads

from .services import deadlines, national_portal, notifications, outcome


def flag_deadlines() -> dict[str, int]:
    """Warn the inboxes once about each step or appointment that is near its deadline or past it."""
    return deadlines.flag_deadlines()


def stop_expired_supplements() -> int:
    """Close the dossiers whose supplement did not come within MOTCUA_SUPPLEMENT_EXPIRY_DAYS working days."""
    return len(outcome.stop_expired_supplements())


def send_citizen_sms() -> dict[str, int]:
    """Text citizens about their dossiers (received, supplement, apology, result, refusal)."""
    return notifications.send_citizen_sms()


def push_national_statuses() -> dict[str, int]:
    """Report every status change to the national portal (retried until accepted)."""
    return national_portal.push_status_changes()


def pull_national_dossiers() -> dict[str, int]:
    """Take in the dossiers filed on the national portal (they wait as *new* for reception)."""
    return national_portal.pull_new_dossiers()


def remove_orphan_files() -> dict[str, int]:
    """Delete uploaded files no dossier names (interrupted intakes), once older than a day."""
    return uploads.remove_orphan_files()
