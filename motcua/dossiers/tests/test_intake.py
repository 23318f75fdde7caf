"""Intake: the checklist, identity checks, the registry, uploads, channels; a bad dossier stores nothing."""

import datetime as dt
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.utils import timezone

from motcua.core.errors import ValidationFailed
from motcua.core.models import AuditEntry, DailySequence
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierDocument, DossierStep
from motcua.integrations.population_registry import registry as registry_module
from motcua.integrations.population_registry.fake import StaticRegistry
from motcua.org.models import AdministrativeUnit

from .conftest import KNOWN_ID, OTHER_ID, TAX_CODE, land_files, land_payload, pdf, png_bytes, submit

pytestmark = pytest.mark.django_db


def nothing_stored():
    return not Dossier.objects.exists() and not DossierDocument.objects.exists() and not AuditEntry.objects.exists()


def test_counter_intake_receives_at_once_with_code_step_and_appointment(client, world):
    response = submit(client, world.reception)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert re.fullmatch(r"000\.00\.11\.H26-\d{6}-0001", body["code"])
    assert body["state"] == "received" and body["national_status"] == 2 and body["channel"] == "counter"
    assert body["branch"] == "cn1" and body["competent_agency"] == "so-nn"
    assert body["current_step"]["name"] == "Tiếp nhận" and body["current_step"]["assignee"] == "reception"
    assert body["appointment_at"] is not None
    assert sorted((d["position"], d["source"]) for d in body["documents"]) == [(1, "upload"), (2, "upload"),
                                                                             (4, "shown")]
    assert OTHER_ID not in json.dumps(body)  # the ID number is masked
    assert AuditEntry.objects.filter(action="dossier.submitted").count() == 1


def test_codes_are_sequential_per_agency_and_day(client, world):
    first = submit(client, world.reception).json()["code"]
    second = submit(client, world.reception).json()["code"]
    assert first[:-4] == second[:-4] and int(second[-4:]) == int(first[-4:]) + 1


def test_missing_documents_are_each_named_and_nothing_is_stored(client, world):
    response = submit(client, world.reception, files={})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "dossier_invalid"
    missing = {d["field"]: d["message"] for d in body["details"] if d["code"] == "document_missing"}
    assert set(missing) == {"document.1", "document.2"}
    assert "Hợp đồng thế chấp" in missing["document.2"]
    assert nothing_stored() and not DailySequence.objects.exists()


def test_invalid_id_and_missing_document_reported_together(client, world):
    payload = land_payload(applicant={"kind": "person", "id_number": "12345", "name": "X"})
    response = submit(client, world.reception, payload, files={"document.1": pdf()})
    codes = {d["code"] for d in response.json()["details"]}
    assert response.status_code == 422 and {"national_id_format", "document_missing"} <= codes
    assert nothing_stored()


@pytest.mark.parametrize("id_number", ["099090001234", "0010900012", "00109000123a", "001990001234"])
def test_bad_national_ids_are_refused(client, world, id_number):
    payload = land_payload(applicant={"kind": "person", "id_number": id_number, "name": "X"})
    response = submit(client, world.reception, payload)
    assert response.status_code == 422
    assert any(d["field"] == "applicant.id_number" for d in response.json()["details"])
    assert nothing_stored()


def test_organisation_with_tax_code_and_representative(client, world):
    payload = land_payload(applicant={"kind": "organisation", "id_number": TAX_CODE, "name": "Công ty A"},
                           representative={"name": "Lê Văn C", "id_number": KNOWN_ID})
    response = submit(client, world.reception, payload)
    assert response.status_code == 201, response.json()
    assert response.json()["representative_name"] == "Lê Văn C"


def test_bad_tax_code_and_bad_representative_id(client, world):
    payload = land_payload(applicant={"kind": "organisation", "id_number": "0100109107", "name": "Công ty A"},
                           representative={"name": "Lê Văn C", "id_number": "1"})
    response = submit(client, world.reception, payload)
    fields = {d["field"]: d["code"] for d in response.json()["details"]}
    assert fields == {"applicant.id_number": "tax_code_checksum", "representative.id_number": "national_id_format"}
    assert nothing_stored()


def test_registry_known_applicant_is_prefilled_and_registry_documents_not_demanded(client, world):
    payload = {"procedure": "1.001193", "applicant": {"kind": "person", "id_number": KNOWN_ID}}
    response = submit(client, world.reception, payload, files={"document.1": pdf()})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["applicant_name"] == "Nguyễn Văn An" and body["registry_used"] is True
    assert body["competent_agency"] == "ubnd-ba-dinh"  # the applicant's commune decides
    assert body["code"].startswith("000.30.01.H26-")
    assert {(d["position"], d["source"]) for d in body["documents"]} == {(1, "upload"), (2, "registry")}


def test_registry_unknown_applicant_must_bring_the_document_and_commune(client, world):
    payload = {"procedure": "1.001193", "applicant": {"kind": "person", "id_number": OTHER_ID, "name": "B"}}
    response = submit(client, world.reception, payload, files={"document.1": pdf()})
    codes = {d["code"] for d in response.json()["details"]}
    assert response.status_code == 422 and codes == {"document_missing", "commune_required"}
    assert nothing_stored()


def test_registry_outage_falls_back_to_paper(client, world):
    registry_module.set_registry(StaticRegistry(unavailable=True))
    payload = {"procedure": "1.001193", "applicant": {"kind": "person", "id_number": KNOWN_ID, "name": "An",
                                                      "commune": "00004"}}
    response = submit(client, world.reception, payload, files={"document.1": pdf()})
    assert response.status_code == 422
    assert [d["field"] for d in response.json()["details"]] == ["document.2"]


@pytest.mark.parametrize(("content", "code"), [
    (b"GIF89a....", "file_type"),
    (b"", "file_empty"),
    (b"%PDF-1.4 truncated", "file_unreadable"),
    (b"\x89PNG\r\n\x1a\n garbage", "file_unreadable"),
])
def test_uploads_are_checked(client, world, content, code):
    files = land_files()
    files["document.1"] = SimpleUploadedFile("x.pdf", content)
    response = submit(client, world.reception, files=files)
    assert response.status_code == 422
    assert [d["code"] for d in response.json()["details"]] == [code]
    assert nothing_stored()


def test_upload_size_limit_is_a_setting(client, world, settings):
    settings.MOTCUA_MAX_UPLOAD_BYTES = 100
    files = land_files()
    files["document.1"] = pdf(content=b"%PDF-1.4\n" + b"0" * 200 + b"\n%%EOF")
    response = submit(client, world.reception, files=files)
    assert [d["code"] for d in response.json()["details"]] == ["file_too_large"]


def test_unknown_document_position_and_file_field(client, world):
    files = {**land_files(), "document.9": pdf()}
    assert submit(client, world.reception, files=files).json()["details"][0]["code"] == "unknown_document"
    files = {**land_files(), "other": pdf()}
    assert submit(client, world.reception, files=files).json()["details"][0]["code"] == "unknown_file_field"
    assert nothing_stored()


@pytest.mark.parametrize(("data", "field"), [
    ({"applicant": {"kind": "person", "id_number": OTHER_ID}}, "procedure"),
    ({"procedure": "1.004227"}, "applicant"),
    ({"procedure": "1.004227", "applicant": {"kind": "robot", "id_number": "1"}}, "applicant.kind"),
    ({"procedure": "1.004227", "applicant": {"id_number": OTHER_ID}, "surprise": 1}, "surprise"),
    ({"procedure": "1.004227", "applicant": {"id_number": OTHER_ID}, "sets": 0}, "sets"),
])
def test_malformed_payloads_name_the_field(client, world, data, field):
    client.force_login(world.reception)
    response = client.post("/api/dossiers", {"data": json.dumps(data)})
    assert response.status_code == 422
    assert field in [d["field"] for d in response.json()["details"]]
    assert nothing_stored()


def test_unreadable_json_and_unknown_procedure(client, world):
    client.force_login(world.reception)
    assert client.post("/api/dossiers", "{oops", content_type="application/json").json()["code"] == "invalid_json"
    assert client.post("/api/dossiers", "[1]", content_type="application/json").json()["code"] == "invalid_json"
    response = submit(client, world.reception, land_payload(procedure="9.999"))
    assert [d["code"] for d in response.json()["details"]] == ["unknown_procedure"]
    assert nothing_stored()


def test_anonymous_cannot_submit(client, world):
    response = client.post("/api/dossiers", {"data": json.dumps(land_payload())})
    assert response.status_code == 401
    assert nothing_stored()


def test_citizen_submits_online_and_sees_only_their_own(client, world):
    response = submit(client, world.citizen, land_payload(branch="cn1"))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "new" and body["national_status"] == 1 and body["current_step"] is None
    assert client.get(f"/api/dossiers/{body['code']}").status_code == 200
    assert [d["code"] for d in client.get("/api/dossiers").json()] == [body["code"]]
    other = submit(client, world.reception).json()["code"]
    client.force_login(world.citizen)
    assert client.get(f"/api/dossiers/{other}").status_code == 404


def test_citizen_may_not_use_the_counter_channel(client, world):
    assert submit(client, world.citizen, land_payload(channel="counter")).status_code == 403
    assert submit(client, world.citizen, land_payload(channel="national_portal")).status_code == 403
    assert nothing_stored()


def test_online_dossier_is_received_by_a_reception_officer(client, world):
    code = submit(client, world.citizen, land_payload()).json()["code"]
    client.force_login(world.reception)
    assert code in [d["code"] for d in client.get("/api/dossiers").json()]
    response = client.post(f"/api/dossiers/{code}/actions/receive", {}, content_type="application/json")
    body = response.json()
    assert response.status_code == 200 and body["state"] == "received" and body["branch"] == "cn1"
    assert DossierStep.objects.filter(dossier__code=code, finished_at__isnull=True).count() == 1


def test_online_dossier_refused_at_intake(client, world):
    code = submit(client, world.citizen, land_payload()).json()["code"]
    client.force_login(world.reception)
    url = f"/api/dossiers/{code}/actions/refuse_intake"
    assert client.post(url, {}, content_type="application/json").json()["code"] == "reason_required"
    body = client.post(url, {"reason": "Không thuộc thẩm quyền"}, content_type="application/json").json()
    assert body["state"] == "not_received" and body["national_status"] == 3


def test_national_portal_channel_needs_an_integration_account(client, world):
    response = submit(client, world.admin, land_payload(channel="national_portal", branch="cn2"))
    assert response.status_code == 201
    assert response.json()["state"] == "new" and response.json()["channel"] == "national_portal"


def test_post_channel_is_received_at_the_branch(client, world):
    files = {"document.1": pdf(), "document.2": SimpleUploadedFile("a.png", png_bytes())}
    response = submit(client, world.reception, land_payload(channel="post"), files)
    assert response.status_code == 201 and response.json()["channel"] == "post"


def test_bearer_token_submission(client, world):
    from motcua.core import tokens

    issued = tokens.issue_token(RequestFactory().post("/api/auth/token"), username="reception", password="pw-reception")
    data = {"data": json.dumps(land_payload()), **land_files()}
    response = client.post("/api/dossiers", data, headers={"Authorization": f"Bearer {issued.token}"})
    assert response.status_code == 201
    assert client.post("/api/dossiers", data, headers={"Authorization": "Bearer wrong"}).status_code == 401


def test_json_submission_without_files(client, world):
    client.force_login(world.reception)
    payload = {"procedure": "1.001193", "applicant": {"kind": "person", "id_number": KNOWN_ID}}
    response = client.post("/api/dossiers", payload, content_type="application/json")
    assert response.status_code == 422  # the declaration form (document 1) is still required
    assert [d["field"] for d in response.json()["details"]] == ["document.1"]
    assert nothing_stored()


# --- where it is received and returned --------------------------------------------------------------

@pytest.fixture
def points(world):
    from motcua.org.models import ServicePoint

    make = ServicePoint.objects.create
    return {
        "a": make(branch=world.branch, code="cn1-a", name="Điểm A", address="1 Phố A"),
        "b": make(branch=world.branch, code="cn1-b", name="Điểm B", address="2 Phố B"),
        "other": make(branch=world.other_branch, code="cn2-a", name="Điểm C", address="3 Phố C"),
    }


def test_the_dossier_records_the_service_point_that_received_it(client, world, points):
    body = submit(client, world.reception, land_payload(service_point="cn1-b")).json()
    assert body["service_point"] == "cn1-b"
    default = submit(client, world.reception, land_payload()).json()  # none named: the branch's first
    assert default["service_point"] == "cn1-a"


@pytest.mark.parametrize("code,problem", [("cn2-a", "service_point_not_in_branch"),
                                          ("nowhere", "unknown_service_point")])
def test_a_service_point_of_another_branch_is_refused(client, world, points, code, problem):
    response = submit(client, world.reception, land_payload(service_point=code))
    assert response.status_code == 422
    assert [(d["field"], d["code"]) for d in response.json()["details"]] == [("service_point", problem)]
    assert nothing_stored()


def test_an_online_dossier_gets_the_receiving_branchs_service_point(client, world, points):
    code = submit(client, world.citizen, land_payload()).json()["code"]
    assert Dossier.objects.get(code=code).service_point is None
    client.force_login(world.reception)
    body = client.post(f"/api/dossiers/{code}/actions/receive", {}, content_type="application/json").json()
    assert body["service_point"] == "cn1-a"


# --- procedures tied to a place (not phi địa giới) ---------------------------------------------------

def test_a_procedure_listing_its_branches_is_refused_elsewhere(client, world):
    world.land.anywhere, world.land.filing_branches = False, [2, 4]
    world.land.save()
    response = submit(client, world.reception)  # branch 1
    assert response.status_code == 422
    assert [(d["field"], d["code"]) for d in response.json()["details"]] == [("branch", "not_filed_here")]
    assert "chi nhánh số 2, 4" in response.json()["details"][0]["message"]
    assert nothing_stored()
    assert submit(client, world.other_reception).status_code == 201  # branch 2


def test_a_local_procedure_is_taken_only_where_a_service_point_lies_in_the_applicants_commune(client, world,
                                                                                              points):
    world.land.anywhere = False
    world.land.save()
    applicant = {"kind": "person", "id_number": OTHER_ID, "name": "Trần Thị Bình", "commune": world.commune.code}
    response = submit(client, world.reception, land_payload(applicant=applicant))
    assert [d["code"] for d in response.json()["details"]] == ["not_filed_here"]
    points["b"].commune = world.commune  # branch 1 now has a service point in Ba Đình
    points["b"].save()
    assert submit(client, world.reception, land_payload(applicant=applicant)).status_code == 201


def test_an_online_dossier_for_a_place_bound_procedure_is_checked_by_the_receiving_branch(client, world):
    world.land.anywhere, world.land.filing_branches = False, [2]
    world.land.save()
    code = submit(client, world.citizen, land_payload()).json()["code"]  # no branch yet: accepted
    client.force_login(world.reception)
    response = client.post(f"/api/dossiers/{code}/actions/receive", {}, content_type="application/json")
    assert response.status_code == 422 and response.json()["code"] == "not_filed_here"
    assert Dossier.objects.get(code=code).state == "new"
    client.force_login(world.other_reception)
    assert client.post(f"/api/dossiers/{code}/actions/receive", {}, content_type="application/json").json()[
        "state"] == "received"


# --- the applicant's details: one rule each, in the service (API, counter page and online filing) ----

def problem_codes(response) -> dict[str, str]:
    return {d["field"]: d["code"] for d in response.json()["details"]}


def applicant(**fields):
    return {"kind": "person", "id_number": OTHER_ID, "name": "Trần Thị Bình", **fields}


@pytest.mark.parametrize(("written", "stored"), [("+84 987 654 321", "0987654321"), ("0987.654.321", "0987654321"),
                                                 ("024 3825 1234", "02438251234")])
def test_phone_numbers_are_stored_in_their_national_form(client, world, written, stored):
    payload = land_payload(applicant=applicant(phone=written),
                           representative={"name": "Lê Văn C", "id_number": KNOWN_ID, "phone": "84 912 345 678"})
    response = submit(client, world.reception, payload)
    assert response.status_code == 201, response.json()
    dossier = Dossier.objects.get()
    assert (dossier.applicant_phone, dossier.representative_phone) == (stored, "0912345678")


def test_bad_phone_numbers_are_refused_for_the_applicant_and_the_representative(client, world):
    payload = land_payload(applicant=applicant(phone="12345"),
                           representative={"name": "Lê Văn C", "id_number": KNOWN_ID, "phone": "0241234567"})
    response = submit(client, world.reception, payload)
    assert response.status_code == 422
    codes = problem_codes(response)
    assert codes["applicant.phone"] == "phone_format" and codes["representative.phone"] == "phone_format"
    assert nothing_stored()


@pytest.mark.parametrize(("birth_date", "code"), [("2999-01-01", "birth_date_future"),
                                                  ("1880-01-01", "birth_date_too_old")])
def test_a_persons_birth_date_is_neither_in_the_future_nor_absurdly_old(client, world, birth_date, code):
    response = submit(client, world.reception, land_payload(applicant=applicant(birth_date=birth_date)))
    assert response.status_code == 422 and problem_codes(response)["applicant.birth_date"] == code
    assert nothing_stored()


def test_a_birth_date_tomorrow_is_in_the_future(world):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    sub = services.Submission(procedure="1.004227", applicant=services.ApplicantData(
        kind="person", id_number=OTHER_ID, name="X", birth_date=tomorrow))
    with pytest.raises(ValidationFailed) as error:
        services.check_submission(world.reception, sub, {})
    assert {"field": "applicant.birth_date", "code": "birth_date_future"} in [
        {"field": p["field"], "code": p["code"]} for p in error.value.details]


@pytest.mark.parametrize(("fields", "field", "code"), [
    ({"birth_date": "1985-03-02"}, "applicant.birth_date", "national_id_year_mismatch"),
    ({"birth_date": "2090-03-02"}, "applicant.birth_date", "birth_date_future"),
    ({"gender": "male"}, "applicant.gender", "national_id_gender_mismatch"),
    ({"gender": "other"}, "applicant.gender", "gender_unknown"),
])
def test_the_birth_date_and_gender_must_agree_with_the_national_id(client, world, fields, field, code):
    # OTHER_ID = 001 1 90 005678: registered in Hà Nội, digit 4 = 1 (a woman born in the 1900s), born in 1990
    response = submit(client, world.reception, land_payload(applicant=applicant(**fields)))
    assert response.status_code == 422 and problem_codes(response)[field] == code
    assert nothing_stored()


def test_a_mismatch_says_which_part_of_the_number_disagrees(client, world):
    response = submit(client, world.reception, land_payload(applicant=applicant(birth_date="1991-03-02",
                                                                                gender="male")))
    messages = {d["field"]: d["message"] for d in response.json()["details"]}
    assert "chữ số thứ 5–6" in messages["applicant.birth_date"] and "1990" in messages["applicant.birth_date"]
    assert "chữ số thứ 4" in messages["applicant.gender"]


def test_a_consistent_person_is_stored_with_the_gender_given_or_read_from_the_number(client, world):
    response = submit(client, world.reception, land_payload(applicant=applicant(birth_date="1990-03-02",
                                                                                gender="female")))
    assert response.status_code == 201, response.json()
    response = submit(client, world.reception, land_payload(applicant=applicant()))
    assert response.status_code == 201, response.json()
    assert list(Dossier.objects.values_list("applicant_gender", flat=True)) == ["female", "female"]


def test_an_organisation_has_no_gender_and_no_birth_date_rules(client, world):
    payload = land_payload(applicant={"kind": "organisation", "id_number": TAX_CODE, "name": "Công ty A",
                                      "gender": "male", "phone": "(024) 3825 1234"})
    response = submit(client, world.reception, payload)
    assert response.status_code == 201, response.json()
    dossier = Dossier.objects.get()
    assert dossier.applicant_gender == "" and dossier.applicant_phone == "02438251234"


def test_the_commune_must_be_a_current_unit_and_a_former_one_names_its_successor(client, world):
    former = AdministrativeUnit.objects.create(level="commune", code="00001", name="Phường Phúc Xá",
                                               is_current=False)
    former.successors.add(world.commune)
    response = submit(client, world.reception, land_payload(applicant=applicant(commune="99999")))
    assert problem_codes(response)["applicant.commune"] == "unknown_commune"
    response = submit(client, world.reception, land_payload(applicant=applicant(commune="00001")))
    problem = next(d for d in response.json()["details"] if d["field"] == "applicant.commune")
    assert problem["code"] == "commune_not_current" and "Phường Ba Đình" in problem["message"]
    assert nothing_stored()
    response = submit(client, world.reception, land_payload(applicant=applicant(commune="00004")))
    assert response.status_code == 201 and Dossier.objects.get().applicant_commune == world.commune


def test_online_filing_gets_the_same_phone_rule(client, world):
    payload = land_payload(channel="online", branch="cn1", applicant={"kind": "person", "id_number": KNOWN_ID,
                                                                      "phone": "0612345678"})
    response = submit(client, world.citizen, payload)
    assert response.status_code == 422 and problem_codes(response)["applicant.phone"] == "phone_format"


def test_the_intake_answer_is_the_dossier_as_read_back(client, world):
    """The 201 answer is built from the rows intake wrote, not read again: it must say what a read says."""
    payload = land_payload()
    payload["applicant"]["id_number"] = KNOWN_ID  # known to the registry: its document is listed too
    created = submit(client, world.reception, payload)
    assert created.status_code == 201, created.content
    read = client.get(f"/api/dossiers/{created.json()['code']}")
    assert created.json() == read.json()
    assert [d["source"] for d in created.json()["documents"]] == ["upload", "upload", "shown"]
    assert created.json()["current_step"]["assignee"] == "reception"
