"""What dossiers publish for live inboxes: the code and state only, never personal data.

A dossier's change goes to the channels of the inboxes that may show it, as `selectors.visible_dossiers`
draws them: its branch's (the desk, the branch's leaders), its competent agency's and its current
step's agency's (and, when it asks or answers, the consulted agency's), the online channel while an
online dossier waits for a branch to receive it, and the center's (the director). Who may follow
which channel is `policies.live_channels`.
"""

from motcua.core import events

from .models import Consultation, Dossier, State
from .states import national_status

ALL = "dossiers:all"
ONLINE = "dossiers:online"
_KINDS = ("branch", "agency")


def branch_channel(branch_id: int) -> str:
    return f"dossiers:branch:{branch_id}"


def agency_channel(agency_id: int) -> str:
    return f"dossiers:agency:{agency_id}"


def is_channel(name: str) -> bool:
    """A well-formed dossier channel name (which does not say that anyone may follow it)."""
    if name in (ALL, ONLINE):
        return True
    prefix, _sep, number = name.rpartition(":")
    return prefix in (f"dossiers:{kind}" for kind in _KINDS) and number.isdigit() and len(number) <= 12


def channels_of(dossier: Dossier, *, consulted: tuple[int, ...] = ()) -> list[str]:
    """Every channel whose inboxes may show `dossier` now."""
    channels = {ALL, agency_channel(dossier.competent_agency_id)}
    if dossier.branch_id:
        channels.add(branch_channel(dossier.branch_id))
    elif dossier.state == State.NEW:
        channels.add(ONLINE)
    step = dossier.current_step
    if step is not None:
        channels.add(agency_channel(step.agency_id))
    channels.update(agency_channel(agency_id) for agency_id in consulted)
    return sorted(channels)


def publish_change(dossier: Dossier, action: str) -> None:
    """Tell the inboxes that may show this dossier that it changed (after commit, one statement)."""
    payload = {"code": dossier.code, "action": action, "state": dossier.state,
               "national_status": national_status(dossier.state)}
    consulted: tuple[int, ...] = ()
    if action in ("consult", "answer_consultation"):
        consulted = tuple(Consultation.objects.filter(dossier=dossier).values_list("agency_id", flat=True))
    events.publish_each(channels_of(dossier, consulted=consulted), "dossier", payload)


def publish_deadline(dossier: Dossier, payload: dict) -> None:
    """A deadline of the dossier became near or passed (the scheduler's flags)."""
    events.publish_each(channels_of(dossier), "deadline", payload)
