"""The result signed by the competent agency's head and sealed at approval, forms 02–05, the citizen's
download, and batch signing by the branch leader (partial failures reported)."""

import shutil
import subprocess

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua import pdf
from motcua.core import roles
from motcua.core.errors import PermissionDenied
from motcua.dossiers.models import Dossier, State
from motcua.dossiers.tests.conftest import _user, act, submit
from motcua.dossiers.tests.test_slips import keep
from motcua.org.models import Officer
from motcua.pdf import samples
from motcua.signing import services, verification
from motcua.signing.models import SignedDocument, SigningBatchItem

pytestmark = pytest.mark.django_db


def result_pdf(name="ket-qua.pdf"):
    """A real PDF standing for the result (the agency's decision)."""
    return SimpleUploadedFile(name, pdf.render_apology(samples.apology()), content_type="application/pdf")


@pytest.fixture
def people(world):
    """Certificates for the desk, the department's officer, its head and the branch leader; the seals."""
    groups = roles.sync_roles()
    head = _user("head", roles.AGENCY_LEADER, agency=world.department, groups=groups)
    other_head = _user("head2", roles.AGENCY_LEADER, agency=world.other_department, groups=groups)
    for user in (world.reception, world.officer, world.leader, head, other_head, world.other_reception):
        services.issue_certificate(officer=Officer.objects.get(user=user))
    services.issue_certificate(branch=world.branch)
    services.issue_certificate(agency=world.department)
    world.head, world.other_head = head, other_head
    return world


def awaiting_approval(client, world, *, result=True) -> Dossier:
    code = submit(client, world.reception).json()["code"]
    assert act(client, world.reception, code, "forward").status_code == 200
    assert act(client, world.officer, code, "take").status_code == 200
    if result:
        assert act(client, world.officer, code, "propose_approval").status_code == 200
        assert act(client, world.officer, code, "attach_result", files={"result": result_pdf()}).status_code == 200
    else:
        assert act(client, world.officer, code, "propose_approval").status_code == 200
    return Dossier.objects.get(code=code)


def stored(document: SignedDocument) -> bytes:
    with default_storage.open(document.file, "rb") as handle:
        return handle.read()


def test_the_head_signs_the_result_and_the_seal_is_added_at_approval(client, people):
    dossier = awaiting_approval(client, people)
    client.force_login(people.head)
    response = client.post(f"/api/dossiers/{dossier.code}/signatures", {"form": "result"},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["sealed"] is False and response.json()["version"] == 1
    assert act(client, people.leader, dossier.code, "approve").status_code == 200
    assert services.sign_outcome_documents()["done"] >= 1
    latest = SignedDocument.objects.filter(dossier=dossier, form="result").order_by("-version").first()
    assert latest.version == 2 and latest.seal.branch == people.branch and latest.signed_by == people.leader
    content = stored(latest)
    keep("signed-result.pdf", content)
    report = verification.verify_pdf(content)
    assert report.valid and [s.signer for s in report.signatures] == ["head", people.branch.name]
    # The consumer runs again: no second seal.
    services.sign_outcome_documents()
    assert SignedDocument.objects.filter(dossier=dossier, form="result").count() == 2
    client.force_login(people.officer)
    assert client.get(f"/api/dossiers/{dossier.code}/result.pdf").content == content


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils not installed")
def test_pdfsig_reports_both_signatures_of_the_sealed_result_valid(client, people, tmp_path):
    dossier = awaiting_approval(client, people)
    assert act(client, people.leader, dossier.code, "approve").status_code == 200
    document = services.sign_result(people.head, Dossier.objects.get(code=dossier.code))
    assert document.seal is not None  # approved already: sealed at once
    path = tmp_path / "result.pdf"
    path.write_bytes(stored(document))
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    assert out.count("Signature Validation: Signature is Valid.") == 2, out


def test_only_the_competent_agencys_head_signs_the_result(client, people):
    dossier = awaiting_approval(client, people)
    for outsider in (people.other_head, people.officer, people.leader, people.reception):
        with pytest.raises(PermissionDenied):
            services.sign_result(outsider, dossier)
    client.force_login(people.other_head)
    response = client.post(f"/api/dossiers/{dossier.code}/signatures", {"form": "result"},
                           content_type="application/json")
    assert response.status_code in (403, 404)
    assert not SignedDocument.objects.filter(dossier=dossier).exclude(form="01").exists()


def test_an_officer_of_another_branch_cannot_sign_a_form(client, people):
    dossier = awaiting_approval(client, people)
    with pytest.raises(PermissionDenied):
        services.sign_slip(people.other_reception, dossier, "01")


def test_a_result_that_is_not_a_pdf_is_refused_with_its_reason(client, people):
    dossier = awaiting_approval(client, people, result=False)
    from motcua.dossiers.tests.conftest import png_bytes
    assert act(client, people.officer, dossier.code, "attach_result",
               files={"result": SimpleUploadedFile("kq.png", png_bytes(), content_type="image/png")}).status_code == 200
    client.force_login(people.head)
    response = client.post(f"/api/dossiers/{dossier.code}/signatures", {"form": "result"},
                           content_type="application/json")
    assert response.status_code == 422 and response.json()["code"] == "result_not_pdf"


def test_the_supplement_request_is_signed_by_the_officer_who_asked(client, people):
    code = submit(client, people.reception).json()["code"]
    assert act(client, people.reception, code, "forward").status_code == 200
    assert act(client, people.officer, code, "take").status_code == 200
    body = {"items": [{"name": "Hợp đồng thế chấp", "reason": "Thiếu chữ ký"}]}
    assert act(client, people.officer, code, "request_supplement", body).status_code == 200
    services.sign_outcome_documents()
    document = SignedDocument.objects.get(dossier__code=code, form="02")
    assert document.signed_by == people.officer
    client.force_login(people.officer)
    served = client.get(f"/api/dossiers/{code}/slips/02.pdf").content
    assert served == stored(document)
    keep("signed-02.pdf", served)
    report = verification.verify_pdf(served)
    assert report.valid and report.signatures[0].signer == "officer"


def test_the_citizen_downloads_the_sealed_result_with_the_tracking_key(client, people):
    dossier = awaiting_approval(client, people)
    services.sign_result(people.head, dossier)
    assert act(client, people.leader, dossier.code, "approve").status_code == 200
    services.sign_outcome_documents()
    url = reverse("signing:result-download", args=[dossier.code])
    dossier.refresh_from_db()
    client.logout()
    assert client.get(url, {"key": dossier.tracking_key}).status_code == 404  # not released yet
    assert act(client, people.officer, dossier.code, "mark_ready").status_code == 200
    client.logout()
    assert client.get(url, {"key": "WRONG-KEY"}).status_code == 404
    response = client.get(url, {"key": dossier.printed_tracking_key})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert verification.verify_pdf(response.content).valid
    page = client.get(dossier.tracking_path())
    assert url in page.content.decode()


def test_a_batch_approves_and_seals_and_reports_the_one_that_fails(client, people):
    good = awaiting_approval(client, people)
    services.sign_result(people.head, good)
    unsigned = awaiting_approval(client, people)
    missing = awaiting_approval(client, people, result=False)
    batch = services.start_batch(people.leader, [good.code, unsigned.code, missing.code])
    assert services.run_batch(batch.pk) == {"signed": 1, "failed": 2}
    items = {i.dossier.code: i for i in batch.items.select_related("dossier")}
    assert items[good.code].status == SigningBatchItem.Status.SIGNED and items[good.code].document.seal is not None
    assert items[unsigned.code].reason_code == "result_not_signed"
    assert items[missing.code].reason_code == "result_missing"
    states = dict(Dossier.objects.values_list("code", "state"))
    assert states[good.code] == State.APPROVED
    assert states[unsigned.code] == states[missing.code] == State.AWAITING_APPROVAL
    batch.refresh_from_db()
    assert batch.status == "done"
    # Running it again signs nothing twice.
    assert services.run_batch(batch.pk) == {"signed": 0, "failed": 0}
    assert SignedDocument.objects.filter(dossier=good, form="result", seal__isnull=False).count() == 1


def test_only_a_branch_leader_starts_a_batch(people):
    with pytest.raises(PermissionDenied):
        services.start_batch(people.head, [])


def test_the_batch_page_queues_the_batch_and_a_db_worker_runs_it(client, people, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    from motcua.signing.tasks import run_signing_batch

    good = awaiting_approval(client, people)
    services.sign_result(people.head, good)
    missing = awaiting_approval(client, people, result=False)
    client.force_login(people.leader)
    page = client.get(reverse("signing:batch"))
    assert page.status_code == 200 and good.code in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("signing:batch"), {"scope": "today"})
    assert response.status_code == 302
    detail = response["Location"]
    assert "hx-trigger" in client.get(detail).content.decode()  # still polling: nothing ran yet
    queued = DBTaskResult.objects.get(task_path="motcua.signing.tasks.run_signing_batch")
    run_signing_batch.call(*queued.args_kwargs["args"])  # what the db_worker does with it
    body = client.get(detail, headers={"HX-Request": "true"}).content.decode()
    assert Dossier.objects.get(pk=good.pk).state == State.APPROVED
    batch_id = int(detail.rstrip("/").rsplit("/", 1)[1])
    answer = client.get(f"/api/signing/batches/{batch_id}").json()
    assert answer["signed"] == 1 and answer["failed"] == 1
    assert {i["code"]: i["reason_code"] for i in answer["items"]}[missing.code] == "result_missing"
    assert "hx-trigger" not in body and "result_missing" not in body and "Hồ sơ chưa đính kèm kết quả." in body


def test_the_batch_page_is_the_branch_leaders(client, people):
    client.force_login(people.head)
    assert client.get(reverse("signing:batch")).status_code == 403
    client.force_login(people.leader)
    response = client.post(reverse("signing:batch"), {"code": ["NO-SUCH"]})
    assert response.status_code == 422 and "Chưa chọn hồ sơ nào" in response.content.decode()
    client.force_login(people.reception)
    assert client.post("/api/signing/batches", {"codes": []}, content_type="application/json").status_code == 403
