"""Roles are Django groups with permissions; this module is their single definition.

Permissions are named as "app_label.codename" strings so that the shared kernel does not import the
apps that own them; `sync_roles` creates the groups and grants whatever permissions exist.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import OuterRef, StringAgg, Subquery, Value
from django.utils.translation import gettext_lazy as _

CITIZEN = "citizen"
RECEPTION_OFFICER = "reception_officer"
FEE_OFFICER = "fee_officer"
AGENCY_OFFICER = "agency_officer"
AGENCY_LEADER = "agency_leader"
BRANCH_LEADER = "branch_leader"
CENTER_DIRECTOR = "center_director"
SYSTEM_ADMIN = "system_admin"

ROLE_LABELS = {
    CITIZEN: _("Công dân"),
    RECEPTION_OFFICER: _("Cán bộ tiếp nhận"),
    FEE_OFFICER: _("Cán bộ thu phí, lệ phí"),
    AGENCY_OFFICER: _("Cán bộ xử lý của cơ quan"),
    AGENCY_LEADER: _("Lãnh đạo cơ quan giải quyết"),
    BRANCH_LEADER: _("Lãnh đạo chi nhánh"),
    CENTER_DIRECTOR: _("Giám đốc trung tâm"),
    SYSTEM_ADMIN: _("Quản trị hệ thống"),
}

_VIEW_ORG = ["org.view_branch", "org.view_servicepoint", "org.view_counter", "org.view_servicegroup",
             "org.view_agency", "org.view_officer", "org.view_administrativeunit", "org.view_center"]
_VIEW_CATALOG = ["catalog.view_procedure", "catalog.view_field", "catalog.view_requireddocument",
                 "catalog.view_fee", "catalog.view_routestep", "catalog.view_handledelsewhere"]
_MANAGE_CATALOG = [f"catalog.{verb}_{model}" for verb in ("add", "change", "delete")
                   for model in ("procedure", "field", "requireddocument", "fee", "routestep", "handledelsewhere")]
_MANAGE_ORG = [f"org.{verb}_{model}" for verb in ("add", "change")
               for model in ("branch", "servicepoint", "counter", "servicegroup", "agency", "officer")]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    CITIZEN: [],
    RECEPTION_OFFICER: _VIEW_ORG + _VIEW_CATALOG,
    FEE_OFFICER: _VIEW_ORG + _VIEW_CATALOG,
    AGENCY_OFFICER: _VIEW_ORG + _VIEW_CATALOG,
    AGENCY_LEADER: _VIEW_ORG + _VIEW_CATALOG,
    BRANCH_LEADER: _VIEW_ORG + _VIEW_CATALOG + ["org.change_counter", "org.change_officer"],
    CENTER_DIRECTOR: _VIEW_ORG + _VIEW_CATALOG + _MANAGE_CATALOG + _MANAGE_ORG,
    SYSTEM_ADMIN: ["*"],
}

STAFF_ROLES = {RECEPTION_OFFICER, FEE_OFFICER, AGENCY_OFFICER, AGENCY_LEADER, BRANCH_LEADER, CENTER_DIRECTOR, SYSTEM_ADMIN}
AGENCY_ROLES = (AGENCY_OFFICER, AGENCY_LEADER)
"""The people of a competent agency: its officers process, its leader signs."""


def _permissions(names: list[str]):
    if names == ["*"]:
        return Permission.objects.all()
    wanted = {tuple(name.split(".", 1)) for name in names}
    perms = Permission.objects.select_related("content_type").filter(
        content_type__app_label__in={app for app, _ in wanted}
    )
    return [p for p in perms if (p.content_type.app_label, p.codename) in wanted]


@transaction.atomic
def sync_roles() -> dict[str, Group]:
    """Create or update one group per role with exactly the role's permissions."""
    groups = {}
    for role, names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set(_permissions(names))
        groups[role] = group
    return groups


_CACHE = "_motcua_roles"


def roles_of(user) -> list[str]:
    """The user's roles, read once per user object (a request's user lives as long as the request).

    Changing the user's groups through `user.groups` forgets the cached value (see `forget_roles`).
    """
    if not user.is_authenticated:
        return []
    cached = getattr(user, _CACHE, None)
    if cached is None:
        cached = sorted(user.groups.filter(name__in=ROLE_PERMISSIONS).values_list("name", flat=True))
        setattr(user, _CACHE, cached)
    return list(cached)


ROLE_NAMES = "_role_names"
"""The annotation `role_names` adds: the user's role names, comma separated (None: no role)."""


def role_names(user_path: str) -> dict:
    """An annotation for a query that reaches a user through `user_path`: the user's role names in one
    subquery, so that the query that finds the user (an API token's) also tells its roles (see
    `remember_roles`). One aggregate subquery, not one EXISTS per role: the ORM compiles it per
    request, and seven subqueries cost more to compile than the query costs to run."""
    names = (Group.objects.filter(user=OuterRef(user_path), name__in=list(ROLE_PERMISSIONS)).order_by()
             .values("user").annotate(names=StringAgg("name", Value(","))).values("names"))
    return {ROLE_NAMES: Subquery(names)}


def remember_roles(user, row) -> None:
    """Keep on `user` the roles read with `role_names` on `row`: `roles_of` then asks nothing."""
    found = set((getattr(row, ROLE_NAMES, None) or "").split(","))
    setattr(user, _CACHE, sorted(role for role in ROLE_PERMISSIONS if role in found))


def forget_roles(sender, instance, **kwargs) -> None:
    """m2m_changed receiver for User.groups: the next `roles_of` reads the groups again."""
    instance.__dict__.pop(_CACHE, None)


def has_role(user, *roles: str) -> bool:
    return bool(set(roles_of(user)) & set(roles))


# --- who is acting ---------------------------------------------------------------------------------

def is_admin(user) -> bool:
    """A system administrator (or Django superuser): may act anywhere, for support."""
    return bool(user is not None and user.is_authenticated
                and (user.is_superuser or has_role(user, SYSTEM_ADMIN)))


# The related name of the officer record (`org.Officer.user`) that `officer_of` reads: queries that load
# a user for a request (an API token's) follow it at once.
OFFICER_RELATION = "officer"


def officer_of(user):
    """The officer record of a signed-in staff member (`org.Officer`), or None."""
    return getattr(user, "officer", None) if user is not None and user.is_authenticated else None
