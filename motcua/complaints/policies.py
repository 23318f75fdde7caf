"""Who may do what with a complaint: the single source for services, pages and API.

A complaint routed to an agency is answered by that agency's officers and approved by its leader; one
routed to a branch by the branch's officers and its leader; one routed to neither (about the center
itself, an officer, a counter) by the center's officers and approved by its director. The center's
director may approve any answer.
"""

from django.db.models import Q

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


def seen_by(user) -> Q:
    """`can(user, "view", …)` as a condition on complaints (the staff inbox reads with it; a test checks
    that they agree): the director sees every complaint, staff those `handles` gives them."""
    if user is None or not user.is_authenticated:
        return Q(pk__in=[])
    if roles.has_role(user, roles.CENTER_DIRECTOR):
        return Q()
    officer = _officer(user)
    if officer is None:
        return Q(pk__in=[])
    condition = Q(agency_id=officer.agency_id)
    if officer.branch_id:
        condition |= Q(agency__isnull=True, branch_id=officer.branch_id)
    if officer.agency.kind == "center":
        condition |= Q(agency__isnull=True, branch__isnull=True)
    return condition


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
