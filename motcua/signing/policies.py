"""Who may sign what.

An officer signs a dossier's document only where the dossier is theirs to act on: the branch that
received it (its desk and leaders) or its competent agency. Anyone else — an officer of another
branch or agency, a citizen, nobody — cannot, even holding a valid certificate.
"""

from __future__ import annotations

SIGN = "sign"


def _officer(user):
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.officer
    except Exception:  # noqa: BLE001 - RelatedObjectDoesNotExist: not an officer
        return None


def can(user, action: str, obj=None) -> bool:
    """`sign` a dossier (obj): its branch's officers or its competent agency's officers."""
    if action != SIGN or obj is None:
        return False
    officer = _officer(user)
    if officer is None:
        return False
    in_branch = obj.branch_id is not None and officer.branch_id == obj.branch_id
    in_agency = officer.agency_id == obj.competent_agency_id
    return in_branch or in_agency
