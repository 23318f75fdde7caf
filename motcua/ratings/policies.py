"""Who may do what with satisfaction ratings: the single source for the ratings' pages and API.

Actions on a service point (`can(user, action, service_point)`):
- `view_figures`: the point's satisfaction figures and comments — the staff of the point's branch, the
  center's director and administrators;
- `open_tablet`: open a counter's rating tablet as its officer (the queue's `operate` rule) rather than
  as a paired tablet.
Rating itself needs no account: the citizen's ticket carries a one-time token (`services.rate_ticket`).
"""

from motcua.core import roles
from motcua.queueing.policies import can_operate

ACTIONS = ("view_figures", "open_tablet")


def can(user, action: str, service_point) -> bool:
    """Whether `user` may do `action` at `service_point`."""
    if action not in ACTIONS:
        raise ValueError(f"unknown ratings action {action!r}")
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if action == "open_tablet":
        return can_operate(user, service_point)
    if roles.is_admin(user) or roles.has_role(user, roles.CENTER_DIRECTOR):
        return True
    officer = roles.officer_of(user)
    return (officer is not None and officer.branch_id == service_point.branch_id
            and roles.has_role(user, *roles.STAFF_ROLES))
