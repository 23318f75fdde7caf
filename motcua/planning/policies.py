"""Who may do what in planning: the single source for its services, pages and API.

Actions on a service point (`can(user, action, service_point)`):
- `plan_staffing`: see the staffing planner of the point and save its plan for a day — the leaders of
  the point's branch. Administrators may too, for support.
"""

from django.utils.translation import gettext_lazy as _

from motcua.core import roles
from motcua.core.errors import NotAuthenticated, PermissionDenied

ACTIONS = ("plan_staffing",)


def can(user, action: str, service_point) -> bool:
    """Whether `user` may do `action` at `service_point`."""
    if action not in ACTIONS:
        raise ValueError(f"unknown planning action {action!r}")
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if roles.is_admin(user):
        return True
    officer = roles.officer_of(user)
    return (
        officer is not None
        and officer.branch_id == service_point.branch_id
        and roles.has_role(user, roles.BRANCH_LEADER)
    )


def check(user, action: str, service_point) -> None:
    """Raise unless `user` may do `action` at `service_point`."""
    if user is None or not user.is_authenticated:
        raise NotAuthenticated()
    if not can(user, action, service_point):
        raise PermissionDenied(
            _("Chỉ lãnh đạo chi nhánh của điểm tiếp nhận này được lập kế hoạch bố trí quầy."),
            code="not_branch_leader",
        )


def leads_any_branch(user) -> bool:
    """Whether the planner belongs in `user`'s menu: a service point they may plan exists."""
    from motcua.org.models import ServicePoint

    if user is None or not user.is_authenticated:
        return False
    points = ServicePoint.objects.filter(is_active=True)
    if roles.is_admin(user):
        return points.exists()
    officer = roles.officer_of(user)
    return (
        officer is not None
        and officer.branch_id is not None
        and roles.has_role(user, roles.BRANCH_LEADER)
        and points.filter(branch_id=officer.branch_id).exists()
    )
