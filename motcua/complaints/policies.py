"""Who may do what with a complaint: the single source for services, pages and API.

A complaint routed to an agency is answered by that agency's officers and approved by its leader; one
routed to a branch by the branch's officers and its leader; one routed to neither (about the center
itself, an officer, a counter) by the center's officers and approved by its director. The center's
director may approve any answer.
"""

from motcua.core import roles

ACTIONS = ("view", "answer", "approve")


def _officer(user):
    return roles.officer_of(user)


def handles(user, complaint) -> bool:
    """The user is staff of the agency or branch the complaint is routed to (or of the center)."""
    officer = _officer(user)
    if officer is None:
        return roles.has_role(user, roles.CENTER_DIRECTOR)
    if complaint.agency_id is not None:
        return officer.agency_id == complaint.agency_id
    if complaint.branch_id is not None:
        return officer.branch_id == complaint.branch_id
    return officer.agency.kind == "center"


def is_head(user, complaint) -> bool:
    """The head who approves: the agency's leader, the branch's leader, or the center's director."""
    if roles.has_role(user, roles.CENTER_DIRECTOR):
        return True
    officer = _officer(user)
    if officer is None:
        return False
    if complaint.agency_id is not None:
        return roles.has_role(user, roles.AGENCY_LEADER) and officer.agency_id == complaint.agency_id
    if complaint.branch_id is not None:
        return roles.has_role(user, roles.BRANCH_LEADER) and officer.branch_id == complaint.branch_id
    return False


def can(user, action: str, complaint) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if action == "view":
        return handles(user, complaint) or is_head(user, complaint)
    if action == "answer":
        return complaint.status != "closed" and handles(user, complaint)
    if action == "approve":
        return complaint.status == "answered" and is_head(user, complaint)
    return False
