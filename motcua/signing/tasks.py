"""Background signing: the scheduler's periodic jobs (settings.MOTCUA_PERIODIC_JOBS) and the batches,
run by a `db_worker` (django.tasks with the database backend)."""

from __future__ import annotations

from django.tasks import task

from . import services


def sign_intake_slips() -> dict[str, int]:
    """Sign slip 01 of each dossier received since the last run (outbox consumer `signing_intake_slips`)."""
    return services.sign_intake_slips()


def sign_outcome_documents() -> dict[str, int]:
    """Sign forms 02, 03 and 05 as they are issued and seal results approved one by one."""
    return services.sign_outcome_documents()


@task
def run_signing_batch(batch_id: int) -> dict[str, int]:
    """One batch of `services.start_batch`, dossier by dossier (progress on its items)."""
    return services.run_batch(batch_id)
