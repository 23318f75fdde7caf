"""What the applicant declares at intake for the fees (copies, exemptions): the invoice, slip 01 and the fee
counter read it; a declaration the procedure's fee rules refuse refuses the intake, with the reason."""

import json

import pytest

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.slips.receipt import _fees_due
from motcua.dossiers.tests.conftest import land_files, land_payload, pdf, submit
from motcua.payments.models import Invoice

pytestmark = pytest.mark.django_db
# The land procedure (conftest `fees`): position 1, 80,000 đ with the exemption "agri-loan" (evidence: the
# credit contract); position 2, 20,000 đ per extra copy, only on request.


def invoice_of(code: str) -> Invoice:
    return Invoice.objects.get(dossier__code=code)


def test_copies_declared_at_the_counter_are_in_the_invoice_and_on_slip_01(client, fees):
    response = submit(client, fees.reception, land_payload(fees={"units": {"2": 3}}))
    assert response.status_code == 201, response.content
    code = response.json()["code"]
    assert invoice_of(code).amount == 80_000 + 3 * 20_000
    dossier = Dossier.objects.get(code=code)
    assert dossier.fee_declaration == {"units": {"2": 3}} and _fees_due(dossier) == 140_000


def test_an_exemption_whose_evidence_the_officer_saw_applies_at_once(client, fees):
    response = submit(client, fees.reception, land_payload(fees={"exemptions": ["agri-loan"], "evidence_seen": True}))
    assert response.status_code == 201
    dossier = Dossier.objects.get(code=response.json()["code"])
    assert dossier.fee_declaration == {"claims": {"agri-loan": True}}
    assert not Invoice.objects.filter(dossier=dossier).exists() and _fees_due(dossier) == 0  # nothing owed


def test_an_exemption_claimed_online_waits_for_the_fee_counter_to_see_the_evidence(client, fees, fee_officer):
    sub = services.Submission(procedure="1.004227", channel="online", branch="cn1", shown=[4],
                              fees=services.FeeDeclaration(exemptions=["agri-loan"], evidence_seen=True),
                              applicant=services.ApplicantData(kind="person", id_number="001190005678", name="B",
                                                               phone="0987654321"))
    dossier = services.submit_dossier(fees.citizen, sub, {1: [pdf()], 2: [pdf()]})
    assert dossier.fee_declaration == {"to_verify": ["agri-loan"]}  # "seen" counts only at a counter
    services.receive_online(fees.reception, dossier.code)
    invoice = invoice_of(dossier.code)
    assert invoice.amount == 80_000 and invoice.claims == {}
    client.force_login(fee_officer)
    page = client.get("/payments/counter/").content.decode()
    assert 'name="claim" value="agri-loan" checked' in page and "chờ xem giấy tờ" in page


@pytest.mark.parametrize(("declared", "code"), [
    ({"units": {"1": 2}}, "fee_position_unknown"),  # position 1 is a fixed fee: nothing to count
    ({"units": {"9": 1}}, "fee_position_unknown"),
    ({"exemptions": ["poor-household"]}, "exemption_unknown"),
])
def test_a_declaration_the_rules_refuse_refuses_the_intake_with_its_reason(client, fees, declared, code):
    response = submit(client, fees.reception, land_payload(fees=declared))
    assert response.status_code == 422
    assert code in [problem["code"] for problem in response.json()["details"]]
    assert not Dossier.objects.exists()


@pytest.mark.parametrize("declared", [{"units": {"2": -1}}, {"units": {"2": 10**9}}, {"copies": {"2": "x"}},
                                      {"exemptions": ["x" * 41]}, {"other": 1}])
def test_malformed_declarations_are_422_never_500(client, fees, declared):
    client.force_login(fees.reception)
    response = client.post("/api/dossiers", {"data": json.dumps(land_payload(fees=declared)), **land_files()})
    assert response.status_code == 422 and not Dossier.objects.exists()


def test_the_counter_form_shows_the_fees_to_declare_and_keeps_them(client, fees):
    from motcua.dossiers.tests.test_pages import reception_post

    client.force_login(fees.reception)
    fragment = client.get("/dossiers/receive/checklist/?procedure=1.004227").content.decode()
    assert 'name="fee_units.2"' in fragment and 'name="fee_claim" value="agri-loan"' in fragment
    assert 'name="fee_units.1"' not in fragment  # a fixed fee has nothing to count
    refused = client.post("/dossiers/receive/", reception_post(**{"fee_units.2": "2", "phone": "12"}))
    assert refused.status_code == 422 and 'name="fee_units.2" value="2"' in refused.content.decode()
    response = client.post("/dossiers/receive/", reception_post(**{"fee_units.2": "2", "fee_claim": "agri-loan",
                                                                   "fee_evidence_seen": "on"}))
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.fee_declaration == {"units": {"2": 2}, "claims": {"agri-loan": True}}
    assert invoice_of(dossier.code).amount == 40_000  # the copies; the registration fee exempted
