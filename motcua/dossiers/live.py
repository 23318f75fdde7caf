"""What dossiers publish for live inboxes: the code and state only, never personal data."""

from motcua.core import events

from .models import Dossier
from .states import national_status


def branch_channel(branch_id: int) -> str:
    return f"dossiers:branch:{branch_id}"


def agency_channel(agency_id: int) -> str:
    return f"dossiers:agency:{agency_id}"


def publish_change(dossier: Dossier, action: str) -> None:
    """Tell the inboxes that may show this dossier that it changed (after commit)."""
    payload = {"code": dossier.code, "action": action, "state": dossier.state,
               "national_status": national_status(dossier.state)}
    channels = {agency_channel(dossier.competent_agency_id)}
    if dossier.branch_id:
        channels.add(branch_channel(dossier.branch_id))
    step = dossier.current_step
    if step is not None:
        channels.add(agency_channel(step.agency_id))
    for channel in sorted(channels):
        events.publish(channel, "dossier", payload)
