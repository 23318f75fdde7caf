"""Who may read the leaders' figures of which scope: the single source for the insights pages and API.

A scope is the city (the whole center), one branch or one competent agency (`Scope`). The center's
director and administrators read any scope; a branch leader only their own branch; an agency leader
only their own agency; anyone else nothing. The public pages (transparency) need no account and show
no personal data.
"""

from __future__ import annotations

from dataclasses import dataclass

from motcua.core import roles
from motcua.org.models import Agency, Branch

CITY, BRANCH, AGENCY = "city", "branch", "agency"
ACTIONS = ("view_index",)


@dataclass(frozen=True)
class Scope:
    kind: str
    branch: Branch | None = None
    agency: Agency | None = None

    @property
    def label(self) -> str:
        if self.branch is not None:
            return self.branch.name
        if self.agency is not None:
            return self.agency.name
        return ""

    def query(self) -> dict[str, str]:
        """The scope as query parameters (for links that keep it)."""
        if self.branch is not None:
            return {"branch": self.branch.code}
        if self.agency is not None:
            return {"agency": self.agency.code}
        return {}


def can(user, action: str, scope: Scope) -> bool:
    """Whether `user` may do `action` on the figures of `scope`."""
    if action not in ACTIONS:
        raise ValueError(f"unknown insights action {action!r}")
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if roles.is_admin(user) or roles.has_role(user, roles.CENTER_DIRECTOR):
        return True
    officer = roles.officer_of(user)
    if officer is None:
        return False
    if scope.kind == BRANCH and scope.branch is not None and roles.has_role(user, roles.BRANCH_LEADER):
        return officer.branch_id == scope.branch.pk
    if scope.kind == AGENCY and scope.agency is not None and roles.has_role(user, roles.AGENCY_LEADER):
        return officer.agency_id == scope.agency.pk
    return False


def default_scope(user) -> Scope | None:
    """The scope a leader sees first: the city, their branch or their agency; None for anyone else."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if roles.is_admin(user) or roles.has_role(user, roles.CENTER_DIRECTOR):
        return Scope(CITY)
    officer = roles.officer_of(user)
    if officer is None:
        return None
    if roles.has_role(user, roles.BRANCH_LEADER) and officer.branch is not None:
        return Scope(BRANCH, branch=officer.branch)
    if roles.has_role(user, roles.AGENCY_LEADER):
        return Scope(AGENCY, agency=officer.agency)
    return None
