"""Who may sign what.

An officer signs a dossier's document only where the dossier is theirs to act on: the branch that
received it (its desk and leaders) or its competent agency. Anyone else — an officer of another
branch or agency, a citizen, nobody — cannot, even holding a valid certificate.
"""

from __future__ import annotations

SIGN = "sign"
SIGN_AS_HEAD = "sign_as_head"  # the result, form 04, the refusal letter: the competent agency's head


def _officer(user):
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.officer
    except Exception:  # noqa: BLE001 - RelatedObjectDoesNotExist: not an officer
        return None


def is_head_of(officer, agency_id) -> bool:
    """The agency's head: its leader (role agency_leader) or the officer bearing the head's title."""
    from motcua.core import roles
    from motcua.dossiers.slip_selectors import HEAD_TITLES

    if officer.agency_id != agency_id:
        return False
    return roles.has_role(officer.user, roles.AGENCY_LEADER) or officer.title.strip().lower().startswith(HEAD_TITLES)


def can(user, action: str, obj=None) -> bool:
    """`sign` a dossier (obj): its branch's officers or its competent agency's officers;
    `sign_as_head`: the competent agency's head only."""
    if action not in (SIGN, SIGN_AS_HEAD) or obj is None:
        return False
    officer = _officer(user)
    if officer is None:
        return False
    if action == SIGN_AS_HEAD:
        return is_head_of(officer, obj.competent_agency_id)
    in_branch = obj.branch_id is not None and officer.branch_id == obj.branch_id
    in_agency = officer.agency_id == obj.competent_agency_id
    return in_branch or in_agency
