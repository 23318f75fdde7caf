"""Who may operate the queue of a service point: reception officers of its branch (and administrators)."""

from django.utils.translation import gettext_lazy as _

from motcua.core import roles
from motcua.core.errors import NotAuthenticated, PermissionDenied

OPERATOR_ROLES = (roles.RECEPTION_OFFICER, roles.BRANCH_LEADER)


def can_operate(user, service_point) -> bool:
    """Whether `user` operates counters at `service_point` (remembered on the user object of a request)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    known = user.__dict__.setdefault("_queue_operates", {})
    if service_point.branch_id not in known:
        known[service_point.branch_id] = _can_operate(user, service_point.branch_id)
    return known[service_point.branch_id]


def _can_operate(user, branch_id: int) -> bool:
    if user.is_superuser or roles.has_role(user, roles.SYSTEM_ADMIN):
        return True
    officer = getattr(user, "officer", None)
    return officer is not None and officer.branch_id == branch_id and roles.has_role(user, *OPERATOR_ROLES)


def ensure_can_operate(user, service_point) -> None:
    """Raise unless `user` operates counters at `service_point`."""
    if user is None or not user.is_authenticated:
        raise NotAuthenticated()
    if not can_operate(user, service_point):
        raise PermissionDenied(_("Chỉ cán bộ tiếp nhận của chi nhánh này được thao tác tại quầy."),
                               code="not_branch_officer")
