"""Who may do what with fees, payments and receipts; the single source for services, pages and API.

- `view` / `pay_online` an invoice: whoever may see its dossier (the applicant who filed it online,
  its handlers), and the branch's fee-collection officers and leader.
- `collect` at the counter, `exempt` (apply an exemption with its evidence): the fee-collection officer
  of the invoice's branch.
- `cancel_receipt` (cancel or replace, with a reason), `request_refund`: the branch's fee-collection
  officer or leader; `approve_refund`, `sign_off` the day: the branch leader.
Administrators may do everything.
"""

from __future__ import annotations

from motcua.core import roles
from motcua.core.errors import DomainError, NotFound, PermissionDenied
from motcua.dossiers.selectors import visible_dossiers
from motcua.org.models import Branch

from .models import Invoice

ACTIONS = ("view", "pay_online", "collect", "exempt", "cancel_receipt", "request_refund", "approve_refund",
           "sign_off", "check_gateway")


def _in_branch(user, branch_id: int | None, *role_names: str) -> bool:
    officer = roles.officer_of(user)
    return (officer is not None and branch_id is not None and officer.branch_id == branch_id
            and roles.has_role(user, *role_names))


def _sees_dossier(user, invoice: Invoice) -> bool:
    return visible_dossiers(user).filter(pk=invoice.dossier_id).exists()


def check(user, action: str, obj: Invoice | Branch | None) -> None:
    """Raise PermissionDenied (NotFound for an invoice the user may not even see) unless allowed."""
    if action not in ACTIONS:
        raise NotFound(code="unknown_action")
    if user is None or not user.is_authenticated:
        raise PermissionDenied()
    if roles.is_admin(user):
        return
    branch_id = obj.pk if isinstance(obj, Branch) else (obj.branch_id if obj is not None else None)
    fee_staff = _in_branch(user, branch_id, roles.FEE_OFFICER, roles.BRANCH_LEADER)
    if action in ("view", "pay_online"):
        assert isinstance(obj, Invoice)
        if fee_staff or _sees_dossier(user, obj):
            return
        raise NotFound()
    allowed = {
        "collect": _in_branch(user, branch_id, roles.FEE_OFFICER),
        "exempt": _in_branch(user, branch_id, roles.FEE_OFFICER),
        "cancel_receipt": fee_staff,
        "request_refund": fee_staff,
        "approve_refund": _in_branch(user, branch_id, roles.BRANCH_LEADER),
        "sign_off": _in_branch(user, branch_id, roles.BRANCH_LEADER),
        "check_gateway": fee_staff,
    }[action]
    if not allowed:
        raise PermissionDenied()


def can(user, action: str, obj: Invoice | Branch | None) -> bool:
    try:
        check(user, action, obj)
    except DomainError:
        return False
    return True


def fee_branch_of(user) -> Branch | None:
    """The branch whose fee counter this user works at (fee-collection officers and branch leaders)."""
    officer = roles.officer_of(user)
    if officer is None or not officer.branch_id or not roles.has_role(user, roles.FEE_OFFICER, roles.BRANCH_LEADER):
        return None
    return officer.branch
