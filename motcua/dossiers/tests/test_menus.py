"""Each role's menu shows its own pages, and each page it links to opens for that role (core.menus)."""

import re

import pytest

from motcua.core.menus import menu_for
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, State

from .conftest import OTHER_ID, pdf


def keys(user) -> list[str]:
    return [item.key for item in menu_for(user)]


@pytest.mark.parametrize(("user", "expected"), [
    ("reception", ["dossier-inbox", "dossier-receive"]),
    ("officer", ["dossier-inbox"]),
    ("leader", ["dossier-inbox", "dossier-approvals"]),
    ("director", ["dossier-inbox", "dossier-approvals"]),
    ("citizen", ["dossier-online", "portal-me"]),
])
def test_each_role_sees_its_own_dossier_pages(world, user, expected):
    assert [k for k in keys(getattr(world, user)) if k.startswith(("dossier-", "portal-me"))] == expected


def test_anonymous_visitors_have_no_menu_and_the_header_shows_it(client, world):
    assert menu_for(None) == []
    client.force_login(world.officer)
    header = client.get("/").content.decode()
    assert 'data-menu="dossier-inbox"' in header and 'data-menu="dossier-receive"' not in header


@pytest.mark.parametrize("user", ["reception", "officer", "leader", "director", "citizen", "admin"])
def test_every_page_in_a_menu_opens_for_its_user(client, world, user):
    client.force_login(getattr(world, user))
    for item in menu_for(getattr(world, user)):
        assert client.get(item.url).status_code == 200, item.key


def test_the_director_sees_every_branchs_approvals_read_only(client, world):
    sub = services.Submission(procedure="1.004227", applicant=services.ApplicantData(
        kind="person", id_number=OTHER_ID, name="Trần Thị Bình", phone="0987654321"), shown=[4])
    dossier = services.submit_dossier(world.reception, sub, {1: [pdf()], 2: [pdf()]})
    services.forward(world.reception, dossier.code)
    services.take(world.officer, dossier.code)
    services.propose_approval(world.officer, dossier.code)
    client.force_login(world.director)
    page = client.get("/dossiers/approvals/").content.decode()
    assert dossier.code in page and 'id="read-only"' in page and 'id="approve-form"' not in page
    assert world.branch.name in page
    refused = client.post("/dossiers/approvals/", {"code": [dossier.code]})
    assert refused.status_code == 403
    assert Dossier.objects.get(pk=dossier.pk).state == State.AWAITING_APPROVAL
    client.force_login(world.leader)
    assert re.search(r'id="approve-form"', client.get("/dossiers/approvals/").content.decode())
