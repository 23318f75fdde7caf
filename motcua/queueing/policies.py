"""Who may do what in the queue: the single source for the queue's services, pages and API.

Actions on a service point (`can(user, action, service_point)`):
- `operate`: open, pause and close counters, call, recall, finish and mark no-shows, issue a number at the
  counter, check bookings in — reception officers and leaders of the point's branch;
- `pair_device`, `revoke_device`: pair a kiosk or tablet at the point, or revoke it — the same people.
Administrators may do everything, for support.
"""

from django.utils.translation import gettext_lazy as _

from motcua.core import roles
from motcua.core.errors import NotAuthenticated, PermissionDenied

OPERATOR_ROLES = (roles.RECEPTION_OFFICER, roles.BRANCH_LEADER)
ACTIONS = ("operate", "pair_device", "revoke_device")


def can(user, action: str, service_point) -> bool:
    """Whether `user` may do `action` at `service_point` (remembered per branch on a request's user)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown queue action {action!r}")
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    known = user.__dict__.setdefault("_queue_operates", {})
    if service_point.branch_id not in known:
        known[service_point.branch_id] = _works_at(user, service_point.branch_id)
    return known[service_point.branch_id]


def _works_at(user, branch_id: int) -> bool:
    if roles.is_admin(user):
        return True
    officer = roles.officer_of(user)
    return officer is not None and officer.branch_id == branch_id and roles.has_role(user, *OPERATOR_ROLES)


def check(user, action: str, service_point) -> None:
    """Raise unless `user` may do `action` at `service_point`."""
    if user is None or not user.is_authenticated:
        raise NotAuthenticated()
    if not can(user, action, service_point):
        raise PermissionDenied(_("Chỉ cán bộ tiếp nhận của chi nhánh này được thao tác tại quầy."),
                               code="not_branch_officer")


def can_operate(user, service_point) -> bool:
    """Whether `user` operates counters at `service_point`."""
    return can(user, "operate", service_point)


def ensure_can_operate(user, service_point) -> None:
    """Raise unless `user` operates counters at `service_point`."""
    check(user, "operate", service_point)
