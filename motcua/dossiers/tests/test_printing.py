"""The printing service: who may print a dossier's form or the register, and what each print records."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from motcua import pdf
from motcua.core.errors import NotFound, PermissionDenied
from motcua.core.models import AuditEntry
from motcua.dossiers import policies, slips
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import printing

from .conftest import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(client, world) -> Dossier:
    response = submit(client, world.reception)
    assert response.status_code == 201
    return Dossier.objects.get(code=response.json()["code"])


def printed():
    return list(AuditEntry.objects.filter(action=printing.PRINTED).order_by("seq"))


def test_printing_a_slip_returns_the_pdf_and_records_who_printed_which_form(world, dossier):
    content = printing.print_slip(world.officer, dossier.code, "06")
    assert content.startswith(b"%PDF")
    [entry] = printed()
    assert (entry.actor, entry.object_type, entry.object_id) == (world.officer, "dossier", dossier.code)
    assert (entry.from_state, entry.to_state) == (dossier.state, dossier.state)
    assert entry.data == {"form": "06", "version": dossier.version}


def test_who_may_not_see_the_dossier_may_not_print_it_and_leaves_no_trace(world, dossier):
    with pytest.raises(NotFound) as unknown:
        printing.print_slip(world.reception, "000.00.11.H26-261123-9999", "01")
    for user in (world.other_reception, world.other_officer, world.citizen, AnonymousUser(), None):
        assert not policies.may_print(user, dossier)
        with pytest.raises(NotFound) as refused:
            printing.print_slip(user, dossier.code, "01")
        assert (refused.value.code, refused.value.message) == (unknown.value.code, unknown.value.message)
    assert printed() == []


def test_every_one_who_may_see_the_dossier_may_print_it(world, dossier):
    for user in (world.reception, world.leader, world.officer, world.director, world.admin):
        assert policies.may_print(user, dossier)
        printing.print_slip(user, dossier.code, "01")
    assert [e.actor for e in printed()] == [world.reception, world.leader, world.officer, world.director,
                                           world.admin]


def test_an_unknown_form_or_one_the_state_has_not_is_not_printed(world, dossier):
    with pytest.raises(NotFound) as unknown:
        printing.print_slip(world.reception, dossier.code, "07")
    assert unknown.value.code == "unknown_form"
    with pytest.raises(slips.FormNotApplicable):
        printing.print_slip(world.reception, dossier.code, "02")  # no supplement was requested
    assert printed() == []


def test_the_register_is_for_staff(world, dossier):
    today = timezone.localdate().isoformat()
    for user in (world.citizen, AnonymousUser(), None):
        assert not policies.may_see_register(user)
        with pytest.raises(PermissionDenied):
            printing.register_form(user, start=today, end=today)
    for user in (world.reception, world.officer, world.leader, world.director, world.admin):
        assert policies.may_see_register(user)
    register = printing.register_form(world.reception, start=today, end=today)
    assert isinstance(register, pdf.DossierRegister)
    assert [row.dossier_code for row in register.rows] == [dossier.code]
    assert register.issuer.department == world.branch.name  # the desk's own branch heads its register
