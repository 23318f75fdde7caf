"""A service point with two counters, two officers of its branch, one of another branch, at a fixed time."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User

from motcua.core import roles
from motcua.core.ids import make_national_id
from motcua.org.models import Agency, Officer
from motcua.org.tests.factories import make_branch, make_counter, make_counters, make_hall, make_point
from motcua.queueing import services as queue
from motcua.queueing.models import QueueConfig
from motcua.queueing.tests.conftest import MONDAY_9AM, fake_clock  # noqa: F401  (the queue's fixed clock)

PASSWORD = "Mot-cua-2025!"


def make_user(username: str, role: str | None = None, branch=None, first_name="Hà", last_name="Trần"):
    groups = roles.sync_roles()
    user = User.objects.create_user(username, password=PASSWORD, first_name=first_name, last_name=last_name)
    if role:
        user.groups.add(groups[role])
    if branch is not None:
        Officer.objects.create(user=user, agency=Agency.objects.first(), branch=branch)
    return user


def citizen_id(n: int) -> str:
    return make_national_id(province_code="001", gender="female" if n % 2 else "male", birth_year=1960 + n % 50,
                            sequence=n)


class Hall(SimpleNamespace):
    _n = 0

    def served(self, counter=None, officer=None):
        """A ticket issued, called at `counter` by `officer` and finished, through the queue's services."""
        counter = counter or self.counters[0]
        officer = officer or self.officer
        Hall._n += 1
        queue.issue_ticket(service_point=self.point, group=self.land, national_id=citizen_id(Hall._n))
        ticket = queue.call_next(counter, user=officer)
        return queue.finish(ticket, user=officer)

    def called(self, counter=None):
        Hall._n += 1
        queue.issue_ticket(service_point=self.point, group=self.land, national_id=citizen_id(Hall._n))
        return queue.call_next(counter or self.counters[0], user=self.officer, finish_current=True)


@pytest.fixture
def hall(db, fake_clock):  # noqa: F811  (the imported fixture)
    made = make_hall(groups=("dat-dai",), group_fields={"dat-dai": {"position": 1}})
    center, branch, point, land = made.center, made.branch, made.point, made.group["dat-dai"]
    other_branch = make_branch(center, 2)
    other_point = make_point(other_branch, "cn-2-ba-dinh", name="Điểm Ba Đình", address="Số 2 Ba Đình")
    # The figures span days: the capacity rule (tested by the queue) would stop issuing outside hours.
    QueueConfig.objects.create(service_point=point, enforce_capacity=False)
    counters = make_counters(point, (1, 2), [land])
    other_counter = make_counter(other_point, 1)
    officer = make_user("canbo1", roles.RECEPTION_OFFICER, branch, first_name="Hà", last_name="Trần")
    colleague = make_user("canbo2", roles.RECEPTION_OFFICER, branch, first_name="Minh", last_name="Lê")
    outsider = make_user("canbo3", roles.RECEPTION_OFFICER, other_branch, first_name="Tú", last_name="Phạm")
    director = make_user("giamdoc", roles.CENTER_DIRECTOR, first_name="Lan", last_name="Nguyễn")
    citizen = make_user("congdan", roles.CITIZEN)
    return Hall(center=center, branch=branch, point=point, other_point=other_point, land=land, counters=counters,
                other_counter=other_counter, officer=officer, colleague=colleague, outsider=outsider,
                director=director, citizen=citizen, clock=fake_clock)
