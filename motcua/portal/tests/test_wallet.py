"""The document wallet: a citizen's own papers and results, nobody else's, shared into a new dossier."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.core.errors import NotFound, PermissionDenied, ValidationFailed
from motcua.core.models import AuditEntry
from motcua.dossiers.forms import OnlineSubmissionForm
from motcua.dossiers.models import Dossier, State
from motcua.org.models import Person
from motcua.portal import policies
from motcua.portal.models import WalletDocument, WalletShare
from motcua.portal.services import wallet

from .conftest import KNOWN_ID, PDF, pdf, png_bytes

pytestmark = pytest.mark.django_db

LICENCE = wallet.PaperData(
    kind="driving_licence",
    title="Giấy phép lái xe hạng B",
    number="790123456789",
    issuer="Sở Xây dựng Hà Nội",
    issued_on=dt.date(2020, 1, 10),
    expires_on=dt.date(2030, 1, 10),
)


def add_licence(user, content=PDF):
    return wallet.add_paper(user, LICENCE, pdf("gplx.pdf", content))


def land_submission(user, **fields):
    form = OnlineSubmissionForm({"procedure": "1.004227", "name": "Nguyễn Văn An", **fields})
    assert form.is_valid()
    return form.submission(Person.objects.get(user=user))


def test_a_citizen_keeps_a_paper_with_its_metadata_and_file(citizen):
    paper = add_licence(citizen)
    assert (paper.kind, paper.number, paper.expires_on, paper.source) == (
        "driving_licence",
        "790123456789",
        dt.date(2030, 1, 10),
        "upload",
    )
    assert paper.person.national_id == KNOWN_ID and paper.content_type == "application/pdf"
    opened = wallet.open_paper(citizen, paper.pk)
    assert opened.handle.read() == PDF
    entry = AuditEntry.objects.filter(action=wallet.OPENED).get()
    assert entry.object_id == str(paper.pk) and "790123456789" not in str(entry.data)


def test_a_paper_is_checked_like_any_upload(citizen):
    with pytest.raises(ValidationFailed) as refused:
        wallet.add_paper(citizen, LICENCE, SimpleUploadedFile("gplx.pdf", b"MZ not a pdf"))
    assert refused.value.code == "file_type"
    with pytest.raises(ValidationFailed) as bad_dates:
        wallet.add_paper(
            citizen,
            wallet.PaperData(
                kind="passport",
                title="Hộ chiếu",
                issued_on=dt.date(2024, 1, 1),
                expires_on=dt.date(2023, 1, 1),
            ),
            pdf(),
        )
    assert {p["code"] for p in bad_dates.value.details} == {"expires_before_issue"}
    assert not WalletDocument.objects.exists()


def test_nobody_else_reaches_a_citizens_wallet(world, citizen, other_citizen):
    paper = add_licence(citizen)
    with pytest.raises(NotFound):
        wallet.open_paper(other_citizen, paper.pk)
    with pytest.raises(NotFound):
        wallet.remove_paper(other_citizen, paper.pk)
    for staff in (world.director, world.admin, world.reception, world.officer):
        assert not policies.can(staff, policies.OPEN, paper)
        with pytest.raises(PermissionDenied):
            wallet.open_paper(staff, paper.pk)
        with pytest.raises(PermissionDenied):
            wallet.wallet_of(staff)
    assert wallet.wallet_of(other_citizen) == []
    assert not AuditEntry.objects.filter(action=wallet.OPENED).exists()


def test_the_wallet_pages_answer_only_the_owner(client, world, citizen, other_citizen):
    paper = add_licence(citizen)
    client.force_login(citizen)
    page = client.get("/me/wallet/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "********6789" in body and "790123456789" not in body
    assert "Nguyễn Văn An" in body  # the registry's record, shown as held
    assert client.get(f"/me/wallet/{paper.pk}/file/").status_code == 200
    client.force_login(other_citizen)
    assert client.get(f"/me/wallet/{paper.pk}/file/").status_code == 404
    assert client.post(f"/me/wallet/{paper.pk}/remove/").status_code == 404
    assert "Giấy phép lái xe hạng B" not in client.get("/me/wallet/").content.decode()
    client.force_login(world.director)
    assert client.get("/me/wallet/").status_code == 403
    assert client.get(f"/me/wallet/{paper.pk}/file/").status_code == 403
    assert WalletDocument.objects.filter(pk=paper.pk).exists()


def test_adding_and_removing_through_the_page(client, citizen, django_capture_on_commit_callbacks):
    client.force_login(citizen)
    refused = client.post(
        "/me/wallet/add/",
        {"kind": "passport", "title": "Hộ chiếu", "file": SimpleUploadedFile("a.pdf", b"not a pdf")},
    )
    assert refused.status_code == 422 and not WalletDocument.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            "/me/wallet/add/",
            {
                "kind": "passport",
                "title": "Hộ chiếu",
                "number": "C1234567",
                "expires_on": "2031-05-02",
                "file": pdf(),
            },
        )
    assert done.status_code == 302
    paper = WalletDocument.objects.get()
    assert paper.expires_on == dt.date(2031, 5, 2)
    name = paper.file.name
    assert default_storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/me/wallet/{paper.pk}/remove/").status_code == 302
    assert not WalletDocument.objects.exists() and not default_storage.exists(name)


def _dossier_with_result(world, citizen, state=State.RESULT_READY):
    dossier = wallet.dossier_services.submit_dossier(
        citizen, land_submission(citizen), {1: [pdf("phieu.pdf")], 2: [pdf("hd.pdf")]}
    )
    name = default_storage.save("results/2026/12/ket-qua.pdf", ContentFile(PDF))
    Dossier.objects.filter(pk=dossier.pk).update(
        state=state, result_file=name, received_at=dossier.submitted_at, result_ready_at=dossier.submitted_at
    )
    return Dossier.objects.get(pk=dossier.pk)


def test_results_enter_the_wallet_once_with_their_signature_record(world, citizen):
    from motcua.signing.models import Certificate, SignedDocument

    dossier = _dossier_with_result(world, citizen)
    certificate = Certificate.objects.create(
        kind="seal",
        agency=world.department,
        subject="Sở NN&MT",
        issuer="CA",
        serial="ab12",
        not_before=dossier.submitted_at,
        not_after=dossier.submitted_at + dt.timedelta(days=365),
        certificate_pem="-",
        key_file="k.p12",
    )
    signed_name = default_storage.save("signed/x/result-v1.pdf", ContentFile(PDF + b"%signed"))
    import hashlib

    SignedDocument.objects.create(
        dossier=dossier,
        form="result",
        version=1,
        file=signed_name,
        sha256=hashlib.sha256(PDF + b"%signed").hexdigest(),
        size=10,
        certificate=certificate,
        signed_at=dossier.submitted_at,
    )
    papers = wallet.wallet_of(citizen)
    assert len(papers) == 1 and wallet.wallet_of(citizen)[0].pk == papers[0].pk
    result = papers[0]
    assert (result.source, result.dossier_id, result.number) == ("result", dossier.pk, dossier.code)
    assert result.signed_document is not None
    assert wallet.open_paper(citizen, result.pk).handle.read() == PDF + b"%signed"
    with pytest.raises(PermissionDenied):
        wallet.remove_paper(citizen, result.pk)


def test_an_open_dossier_brings_no_result(world, citizen):
    _dossier_with_result(world, citizen, state=State.PROCESSING)
    assert wallet.wallet_of(citizen) == []


def test_a_paper_is_shared_into_a_new_dossier_with_one_tap(world, citizen):
    paper = wallet.add_paper(
        citizen,
        wallet.PaperData(kind="other", title="Hợp đồng thế chấp"),
        SimpleUploadedFile("hd.png", png_bytes()),
    )
    dossier = wallet.file_with_wallet(
        citizen, land_submission(citizen), {1: [pdf("phieu.pdf")]}, {2: [f"w:{paper.pk}"]}
    )
    document = dossier.documents.get(position=2)
    assert document.sha256 == paper.sha256 and document.content_type == "image/png"
    share = WalletShare.objects.get()
    assert (share.document_id, share.dossier_id, share.position) == (paper.pk, dossier.pk, 2)
    entry = AuditEntry.objects.filter(action=wallet.SHARED).get()
    assert entry.data["dossier"] == dossier.code


def test_another_citizens_paper_cannot_be_shared(world, citizen, other_citizen):
    paper = add_licence(other_citizen)
    with pytest.raises(NotFound):
        wallet.file_with_wallet(citizen, land_submission(citizen), {1: [pdf()]}, {2: [f"w:{paper.pk}"]})
    assert not Dossier.objects.exists() and not WalletShare.objects.exists()


def test_a_missing_document_is_still_refused_with_every_problem(world, citizen):
    with pytest.raises(ValidationFailed) as refused:
        wallet.file_with_wallet(citizen, land_submission(citizen), {}, {})
    assert {p["field"] for p in refused.value.details} >= {"document.1", "document.2"}
    assert not Dossier.objects.exists()


def test_filing_through_the_page_with_a_wallet_paper(client, world, citizen):
    paper = add_licence(citizen)
    client.force_login(citizen)
    form = client.get("/me/wallet/file/?procedure=1.004227")
    assert form.status_code == 200 and f'value="w:{paper.pk}"' in form.content.decode()
    done = client.post(
        "/me/wallet/file/",
        {
            "procedure": "1.004227",
            "name": "Nguyễn Văn An",
            "document.1": pdf("phieu.pdf"),
            "wallet.2": f"w:{paper.pk}",
        },
    )
    assert done.status_code == 302, done.content.decode()[:2000]
    assert Dossier.objects.get().documents.filter(position=2, sha256=paper.sha256).exists()


def test_one_tap_repeat_prefills_the_earlier_dossier(client, world, citizen, other_citizen):
    paper = wallet.add_paper(citizen, wallet.PaperData(kind="other", title="Hợp đồng"), pdf("hd.pdf"))
    first = wallet.file_with_wallet(
        citizen,
        land_submission(citizen, phone="0912 345 678", address="5 Hàng Bài"),
        {1: [pdf("phieu.pdf")]},
        {2: [f"w:{paper.pk}"]},
    )
    repeat = wallet.repeat_of(citizen, first.code)
    upload = first.documents.get(position=1)
    assert repeat.picks == {2: [f"w:{paper.pk}"], 1: [f"d:{upload.pk}"]}
    assert repeat.initial["address"] == "5 Hàng Bài" and repeat.initial["procedure"] == "1.004227"
    client.force_login(citizen)
    page = client.get(f"/me/repeat/{first.code}/")
    body = page.content.decode()
    assert page.status_code == 200 and "5 Hàng Bài" in body and f'value="d:{upload.pk}" selected' in body
    again = client.post(
        f"/me/repeat/{first.code}/",
        {
            "procedure": "1.004227",
            "name": "Nguyễn Văn An",
            "wallet.1": f"d:{upload.pk}",
            "wallet.2": f"w:{paper.pk}",
        },
    )
    assert again.status_code == 302
    second = Dossier.objects.exclude(pk=first.pk).get()
    assert second.documents.get(position=1).sha256 == upload.sha256
    with pytest.raises(NotFound):
        wallet.repeat_of(other_citizen, first.code)
    client.force_login(other_citizen)
    assert client.get(f"/me/repeat/{first.code}/").status_code == 404
    assert (
        client.post(
            "/me/wallet/file/",
            {
                "procedure": "1.004227",
                "name": "Lê Thị Cúc",
                "document.1": pdf(),
                "wallet.2": f"d:{upload.pk}",
            },
        ).status_code
        == 422
    )


def test_a_deleted_dossier_takes_its_result_out_of_the_wallet(world, citizen):
    """As the demo's removal does: the citizen's own papers stay."""
    dossier = _dossier_with_result(world, citizen)
    paper = add_licence(citizen)
    assert len(wallet.wallet_of(citizen)) == 2
    dossier.delete()
    assert [p.pk for p in wallet.wallet_of(citizen)] == [paper.pk]


def test_the_registry_being_down_only_says_so(client, citizen):
    from motcua.integrations.population_registry import registry as registry_module
    from motcua.integrations.population_registry.fake import StaticRegistry

    registry_module.set_registry(StaticRegistry(unavailable=True))
    client.force_login(citizen)
    page = client.get("/me/wallet/")
    assert page.status_code == 200 and "tạm thời không trả lời" in page.content.decode()


def test_the_filing_page_finds_a_procedure_by_name(client, citizen):
    client.force_login(citizen)
    body = client.get("/me/wallet/file/?q=the chap").content.decode()
    assert "/me/wallet/file/?procedure=1.004227" in body and "Đăng ký thế chấp quyền sử dụng đất" in body


def test_the_orphan_sweep_keeps_the_wallets_files_and_removes_strays(
    citizen, django_capture_on_commit_callbacks
):
    import time

    from motcua.core import uploads

    with django_capture_on_commit_callbacks(execute=True):
        paper = add_licence(citizen)
    stray = default_storage.save("wallet/2026/01/stray.pdf", ContentFile(PDF))
    later = time.time() + 3 * 86400
    counts = uploads.remove_orphan_files(now=later)
    assert counts["removed"] == 1
    assert default_storage.exists(paper.file.name) and not default_storage.exists(stray)
