"""Roles: groups with permissions, read once per user object."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group, User

from motcua.core import roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups():
    return roles.sync_roles()


def test_sync_roles_grants_each_role_its_permissions(groups):
    assert set(groups) == set(roles.ROLE_PERMISSIONS)
    assert groups[roles.CENTER_DIRECTOR].permissions.filter(codename="change_procedure").exists()
    assert not groups[roles.CITIZEN].permissions.exists()


def test_roles_are_read_once_per_user_object(groups, django_assert_num_queries):
    user = User.objects.create_user("canbo")
    user.groups.add(groups[roles.RECEPTION_OFFICER])
    with django_assert_num_queries(1):
        assert roles.has_role(user, roles.RECEPTION_OFFICER)
        assert not roles.has_role(user, roles.BRANCH_LEADER)
        assert roles.roles_of(user) == [roles.RECEPTION_OFFICER]


def test_changing_the_groups_forgets_the_cached_roles(groups):
    user = User.objects.create_user("canbo")
    assert roles.roles_of(user) == []
    user.groups.add(groups[roles.BRANCH_LEADER])
    assert roles.roles_of(user) == [roles.BRANCH_LEADER]
    user.groups.clear()
    assert roles.roles_of(user) == []


def test_groups_outside_the_roles_and_anonymous_users_have_no_role(groups):
    user = User.objects.create_user("khach")
    user.groups.add(Group.objects.create(name="newsletter"))
    assert roles.roles_of(user) == [] and roles.roles_of(AnonymousUser()) == []
