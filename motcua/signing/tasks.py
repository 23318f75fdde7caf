"""Background signing, run by the scheduler (settings.MOTCUA_PERIODIC_JOBS)."""

from __future__ import annotations

from . import services


def sign_intake_slips() -> dict[str, int]:
    """Sign slip 01 of each dossier received since the last run (outbox consumer `signing_intake_slips`)."""
    return services.sign_intake_slips()
