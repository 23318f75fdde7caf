"""GET /api/insights/service-index: the contract's shape, the scopes each leader may read, bad input."""

import pytest

from motcua.core import roles
from motcua.org.models import Officer

from .factories import at, dossier

URL = "/api/insights/service-index"
NOVEMBER = {"from": "2026-11-01", "to": "2026-11-30"}


def get(client, user, **params):
    if user is not None:
        client.force_login(user)
    return client.get(URL, params)


@pytest.fixture
def agency_leader(world):
    user = world.officer
    user.groups.add(roles.sync_roles()[roles.AGENCY_LEADER])
    return user


def test_the_answer_has_the_contract_shape(client, world):
    dossier(world, received=at(2), due=at(10, 17), result=at(6))
    answer = get(client, world.director, **NOVEMBER)
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) >= {"total", "groups"}
    assert [g["code"] for g in body["groups"]] == ["transparency", "progress", "digitisation", "online",
                                                   "satisfaction"]
    progress = body["groups"][1]
    assert set(progress) >= {"code", "name", "max", "score", "indicators"}
    on_time = progress["indicators"][0]
    assert set(on_time) >= {"code", "name", "max", "score", "value", "numerator", "denominator", "formula"}
    assert (on_time["numerator"], on_time["denominator"], on_time["score"]) == (1, 1, 20.0)
    assert on_time["dossiers_url"].startswith("/insights/service-index/dossiers/?indicator=2.1")
    assert body["total"] == sum(g["score"] or 0 for g in body["groups"])


def test_director_reads_any_branch_and_agency(client, world):
    assert get(client, world.director, branch=world.other_branch.code).status_code == 200
    assert get(client, world.director, agency=world.department.code).status_code == 200


def test_branch_leader_reads_only_their_branch(client, world):
    assert get(client, world.leader, branch=world.branch.code).status_code == 200
    refused = get(client, world.leader, branch=world.other_branch.code)
    assert refused.status_code == 403 and refused.json()["code"] == "not_scope_leader"
    assert get(client, world.leader).status_code == 403  # the city
    assert get(client, world.leader, agency=world.department.code).status_code == 403


def test_agency_leader_reads_only_their_agency(client, world, agency_leader):
    assert get(client, agency_leader, agency=world.department.code).status_code == 200
    assert get(client, agency_leader, agency=world.other_department.code).status_code == 403
    assert get(client, agency_leader, branch=world.branch.code).status_code == 403


@pytest.mark.parametrize("who", ["reception", "officer", "citizen"])
def test_others_are_refused(client, world, who):
    assert get(client, getattr(world, who)).status_code == 403


def test_anonymous_is_asked_to_sign_in(client, world):
    assert get(client, None).status_code == 401


@pytest.mark.parametrize(("params", "status", "code"), [
    ({"from": "01/11/2026"}, 422, "invalid_date"),
    ({"from": "2026-11-30", "to": "2026-11-01"}, 422, "invalid_period"),
    ({"branch": "nope"}, 404, "branch_not_found"),
    ({"agency": "nope"}, 404, "agency_not_found"),
    ({"branch": "cn1", "agency": "so-nn"}, 422, "scope_ambiguous"),
])
def test_bad_input_gets_a_coded_error(client, world, params, status, code):
    answer = get(client, world.director, **params)
    assert answer.status_code == status and answer.json()["code"] == code
    assert answer.json()["message"]


def test_a_branch_leader_without_branch_sees_nothing(client, world):
    Officer.objects.filter(user=world.leader).update(branch=None)
    world.leader.refresh_from_db()
    assert get(client, world.leader, branch=world.branch.code).status_code == 403
