"""Uploaded documents are private: checked by content, stored atomically, opened only by who may see the dossier."""

import io
import os
import re
import time
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from motcua.core import uploads
from motcua.core.models import AuditEntry
from motcua.dossiers import services, tasks
from motcua.dossiers.models import DOCUMENT_FOLDER, Dossier, DossierDocument
from motcua.dossiers.services import intake, national_portal
from motcua.integrations.national_portal import PortalDocument, PortalDossier, set_portal
from motcua.integrations.national_portal.fake import InMemoryNationalPortal

from .conftest import OTHER_ID, PDF, land_files, pdf, png_bytes, submit

pytestmark = pytest.mark.django_db

HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
OPENED = "dossier.document_opened"


def jpeg_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="JPEG")
    return buffer.getvalue()


def files_on_disk(settings) -> list[str]:
    media = Path(settings.MEDIA_ROOT)
    return sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file())


def submitted(client, user, django_capture_on_commit_callbacks, payload=None, files=None) -> dict:
    """Submit through the API and run what waits for the commit (the test's transaction never commits)."""
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, user, payload, files)
    assert response.status_code == 201, response.json()
    return response.json()


def first_upload(body) -> dict:
    return next(d for d in body["documents"] if d["source"] == "upload")


# --- checking by content ------------------------------------------------------------------------------


def test_html_named_pdf_is_refused_naming_the_file_in_vietnamese(client, world):
    files = {
        **land_files(),
        "document.1": SimpleUploadedFile("to-khai.pdf", HTML, content_type="application/pdf"),
    }
    response = submit(client, world.reception, files=files)
    assert response.status_code == 422
    problem = response.json()["details"][0]
    assert (
        problem["code"] == "file_type"
        and problem["file"] == "to-khai.pdf"
        and problem["field"] == "document.1"
    )
    assert problem["message"].startswith("Tệp “to-khai.pdf” không được nhận: nội dung tệp không phải là PDF")
    assert not Dossier.objects.exists() and files_on_disk_empty()


def files_on_disk_empty() -> bool:
    media = Path(default_storage.location)
    return not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_oversize_file_is_refused_with_the_limit(client, world, settings):
    settings.MOTCUA_MAX_UPLOAD_BYTES = 1024
    big = pdf("hop-dong.pdf", b"%PDF-1.4\n" + b"0" * 2000 + b"\n%%EOF")
    response = submit(client, world.reception, files={**land_files(), "document.2": big})
    problem = response.json()["details"][0]
    assert (
        response.status_code == 422
        and problem["code"] == "file_too_large"
        and problem["file"] == "hop-dong.pdf"
    )
    assert (
        "“hop-dong.pdf”" in problem["message"]
        and "lớn hơn dung lượng cho phép (1,0\xa0KB)" in problem["message"]
    )


def test_empty_file_is_refused_naming_it(client, world):
    response = submit(client, world.reception, files={**land_files(), "document.1": pdf("rong.pdf", b"")})
    problem = response.json()["details"][0]
    assert (
        problem["code"] == "file_empty" and problem["message"] == "Tệp “rong.pdf” không được nhận: tệp rỗng."
    )


@pytest.mark.parametrize(
    ("content", "content_type", "extension"),
    [
        (PDF, "application/pdf", "pdf"),
        (png_bytes(), "image/png", "png"),
        (jpeg_bytes(), "image/jpeg", "jpg"),
    ],
)
def test_allowed_types_pass_and_get_a_random_name_from_their_content(
    client, world, django_capture_on_commit_callbacks, content, content_type, extension
):
    # The name says PDF whatever the content: the stored type and extension come from the bytes.
    files = {**land_files(), "document.1": SimpleUploadedFile("Nguyễn Văn An - CCCD.pdf", content)}
    body = submitted(client, world.reception, django_capture_on_commit_callbacks, files=files)
    document = DossierDocument.objects.get(pk=first_upload(body)["id"])
    assert document.content_type == content_type and document.filename == "Nguyễn Văn An - CCCD.pdf"
    assert re.fullmatch(rf"dossiers/\d{{4}}/\d{{2}}/[A-Za-z0-9_-]{{24}}\.{extension}", document.file.name)


def test_allowed_types_are_a_setting(client, world, settings):
    settings.MOTCUA_UPLOAD_ALLOWED_TYPES = ["application/pdf"]
    response = submit(client, world.reception)  # document 2 is a PNG
    problem = response.json()["details"][0]
    assert response.status_code == 422 and problem["code"] == "file_type" and problem["file"] == "hd.png"
    assert "không phải là PDF (" in problem["message"]


def test_the_settings_are_read_from_the_environment(monkeypatch):
    import importlib

    import motcua.settings as project_settings

    monkeypatch.setenv("MOTCUA_UPLOAD_ALLOWED_TYPES", "application/pdf, image/png")
    monkeypatch.setenv("MOTCUA_MAX_UPLOAD_BYTES", "2048")
    try:
        fresh = importlib.reload(project_settings)
        assert fresh.MOTCUA_UPLOAD_ALLOWED_TYPES == ["application/pdf", "image/png"]
        assert fresh.MOTCUA_MAX_UPLOAD_BYTES == 2048
    finally:
        monkeypatch.delenv("MOTCUA_UPLOAD_ALLOWED_TYPES")
        monkeypatch.delenv("MOTCUA_MAX_UPLOAD_BYTES")
        importlib.reload(project_settings)


def test_the_reception_page_names_the_refused_file(client, world):
    from .test_pages import reception_post

    client.force_login(world.reception)
    bad = SimpleUploadedFile("hop-dong.pdf", HTML)
    response = client.post("/dossiers/receive/", reception_post(**{"document.2": bad}))
    assert response.status_code == 422
    assert "Tệp “hop-dong.pdf” không được nhận" in response.content.decode()


def test_result_file_is_checked_by_content_too(client, world, django_capture_on_commit_callbacks):
    from .conftest import act

    code = submitted(client, world.reception, django_capture_on_commit_callbacks)["code"]
    Dossier.objects.filter(code=code).update(state="approved")
    response = act(
        client, world.officer, code, "attach_result", files={"result": SimpleUploadedFile("kq.pdf", HTML)}
    )
    assert response.status_code == 422 and response.json()["details"][0]["file"] == "kq.pdf"


# --- opening a document -------------------------------------------------------------------------------


@pytest.fixture
def land_dossier(client, world, django_capture_on_commit_callbacks):
    files = {**land_files(), "document.1": pdf("Tờ khai thế chấp.pdf")}
    body = submitted(client, world.reception, django_capture_on_commit_callbacks, files=files)
    client.logout()
    return body


def page_url(body, document=None) -> str:
    return f"/dossiers/{body['code']}/documents/{(document or first_upload(body))['id']}/"


def test_anonymous_cannot_open_a_document(client, land_dossier):
    response = client.get(page_url(land_dossier))
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert client.get(first_upload(land_dossier)["url"]).status_code == 401
    assert not AuditEntry.objects.filter(action=OPENED).exists()


@pytest.mark.parametrize("who", ["other_officer", "other_reception", "citizen", "commune_officer"])
def test_unrelated_users_cannot_open_a_document(client, world, land_dossier, who):
    client.force_login(getattr(world, who))
    assert client.get(page_url(land_dossier)).status_code == 404
    api = client.get(first_upload(land_dossier)["url"])
    assert api.status_code == 404 and api.json()["code"] == "not_found"
    assert not AuditEntry.objects.filter(action=OPENED).exists()


@pytest.mark.parametrize("who", ["reception", "officer", "leader", "director"])
def test_the_dossiers_officers_open_its_documents_and_each_opening_is_audited(
    client, world, land_dossier, who
):
    user = getattr(world, who)
    client.force_login(user)
    response = client.get(page_url(land_dossier))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff" and "no-store" in response["Cache-Control"]
    # The Vietnamese name survives (RFC 6266 filename*), shown inline.
    assert (
        response["Content-Disposition"]
        == "inline; filename*=utf-8''T%E1%BB%9D%20khai%20th%E1%BA%BF%20ch%E1%BA%A5p.pdf"
    )
    entry = AuditEntry.objects.get(action=OPENED)
    document = first_upload(land_dossier)
    assert entry.actor == user and entry.object_id == land_dossier["code"]
    assert entry.data == {"document": document["id"], "position": 1, "via": "page"}
    api = client.get(document["url"])
    assert api.status_code == 200 and b"".join(api.streaming_content) == PDF
    assert AuditEntry.objects.filter(action=OPENED, data__via="api").count() == 1


def test_the_applicant_opens_their_online_dossiers_documents(
    client, world, django_capture_on_commit_callbacks
):
    payload = {
        "procedure": "1.004227",
        "branch": "cn1",
        "shown": [4],
        "applicant": {"id_number": OTHER_ID, "name": "B"},
    }
    files = {"document.1": pdf("phieu.pdf"), "document.2": SimpleUploadedFile("anh.png", png_bytes())}
    body = submitted(client, world.citizen, django_capture_on_commit_callbacks, payload, files)
    png = next(d for d in body["documents"] if d["filename"] == "anh.png")
    response = client.get(page_url(body, png))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'inline; filename="anh.png"'
    assert AuditEntry.objects.filter(action=OPENED, actor=world.citizen).count() == 1


def test_documents_without_a_file_or_of_another_dossier_are_not_found(
    client, world, land_dossier, django_capture_on_commit_callbacks
):
    other = submitted(client, world.reception, django_capture_on_commit_callbacks)
    shown = next(d for d in land_dossier["documents"] if d["source"] == "shown")
    assert shown["url"] is None
    client.force_login(world.reception)
    assert client.get(page_url(land_dossier, shown)).status_code == 404
    assert client.get(page_url(land_dossier, first_upload(other))).status_code == 404
    assert client.get(f"/dossiers/{land_dossier['code']}/documents/999999/").status_code == 404
    assert client.get(f"/api/dossiers/{land_dossier['code']}/documents/abc").status_code in (404, 422)


def test_a_file_lost_from_disk_is_not_found_not_an_error(client, world, land_dossier):
    document = DossierDocument.objects.get(pk=first_upload(land_dossier)["id"])
    default_storage.delete(document.file.name)
    client.force_login(world.reception)
    assert client.get(page_url(land_dossier)).status_code == 404
    assert client.get(first_upload(land_dossier)["url"]).json()["code"] == "document_file_missing"


def test_a_type_outside_the_safe_list_is_downloaded_never_shown(settings, world, land_dossier, client):
    DossierDocument.objects.filter(pk=first_upload(land_dossier)["id"]).update(content_type="text/html")
    client.force_login(world.reception)
    response = client.get(page_url(land_dossier))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")


def test_the_dossier_page_links_every_uploaded_document(client, world, land_dossier):
    client.force_login(world.officer)
    page = client.get(f"/dossiers/{land_dossier['code']}/").content.decode()
    for document in land_dossier["documents"]:
        link = f'href="{page_url(land_dossier, document)}"'
        assert (link in page) == (document["source"] == "upload")
    assert "Mở Tờ khai thế chấp.pdf" in page


def test_the_upload_folder_is_not_served(client, world, land_dossier):
    document = DossierDocument.objects.get(pk=first_upload(land_dossier)["id"])
    assert client.get("/" + document.file.name).status_code == 404
    assert client.get("/media/" + document.file.name).status_code == 404


def test_every_api_schema_name_is_unique():
    from ninja import Schema

    from motcua.api import api

    api.get_openapi_schema()  # imports every router's schemas

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    names: dict[str, set[str]] = {}
    for cls in subclasses(Schema):
        if cls.__module__.startswith("motcua."):
            names.setdefault(cls.__name__, set()).add(f"{cls.__module__}.{cls.__qualname__}")
    assert {name: where for name, where in names.items() if len(where) > 1} == {}
    documents = api.get_openapi_schema()["components"]["schemas"]["DossierDocumentOut"]
    assert {"id", "url", "filename", "content_type"} <= set(documents["properties"])


# --- atomic storage -----------------------------------------------------------------------------------


def test_after_commit_the_file_is_where_the_row_says_and_nothing_is_pending(
    client, world, land_dossier, settings
):
    names = set(DossierDocument.objects.exclude(file="").values_list("file", flat=True))
    assert len(names) == 2 and set(files_on_disk(settings)) == names


@pytest.mark.django_db(transaction=True)
def test_a_failed_intake_leaves_no_file(world, settings, monkeypatch):
    def fail_after_the_files(*args, **kwargs):
        assert [p for p in files_on_disk(settings) if p.startswith("_pending/")], "files were written"
        raise RuntimeError("crash after the files were written")

    monkeypatch.setattr(intake.numbering, "assign", fail_after_the_files)
    sub = services.Submission(
        procedure="1.004227",
        shown=[4],
        applicant=services.ApplicantData(kind="person", id_number=OTHER_ID, name="B"),
    )
    with pytest.raises(RuntimeError):
        services.submit_dossier(world.reception, sub, {1: [pdf()], 2: [pdf()]})
    assert not Dossier.objects.exists() and not DossierDocument.objects.exists()
    assert files_on_disk(settings) == []


@pytest.mark.django_db(transaction=True)
def test_an_intake_committed_keeps_its_files_in_place(world, settings):
    sub = services.Submission(
        procedure="1.004227",
        shown=[4],
        applicant=services.ApplicantData(kind="person", id_number=OTHER_ID, name="B"),
    )
    dossier = services.submit_dossier(world.reception, sub, {1: [pdf()], 2: [pdf()]})
    names = sorted(dossier.documents.exclude(file="").values_list("file", flat=True))
    assert files_on_disk(settings) == names and all(default_storage.exists(n) for n in names)


@pytest.mark.django_db(transaction=True)
def test_an_outer_block_rolled_back_after_the_intake_removes_its_files(world, settings):
    sub = services.Submission(
        procedure="1.004227",
        shown=[4],
        applicant=services.ApplicantData(kind="person", id_number=OTHER_ID, name="B"),
    )
    with pytest.raises(RuntimeError), uploads.atomic_with_files():
        services.submit_dossier(world.reception, sub, {1: [pdf()], 2: [pdf()]})
        raise RuntimeError("the caller fails after the intake")
    assert not Dossier.objects.exists() and files_on_disk(settings) == []


@pytest.mark.django_db(transaction=True)
def test_a_national_portal_filing_that_fails_after_its_intake_leaves_no_file(world, settings, monkeypatch):
    settings.MOTCUA_NATIONAL_PORTAL_USER = "admin"
    InMemoryNationalPortal.clear()
    InMemoryNationalPortal.file(
        PortalDossier(
            reference="G22-0009",
            procedure="1.004227",
            submitted_at=timezone.now(),
            branch="cn1",
            applicant={"kind": "person", "id_number": OTHER_ID, "name": "Trần Thị Bình"},
            documents=(PortalDocument(1, "1.pdf", PDF), PortalDocument(2, "2.pdf", PDF)),
        )
    )
    set_portal(InMemoryNationalPortal())
    record = national_portal.audit.record_event

    def fail_on_import(actor, action, *args, **kwargs):
        if action == national_portal.IMPORTED:
            raise RuntimeError("database gone")
        return record(actor, action, *args, **kwargs)

    monkeypatch.setattr(national_portal.audit, "record_event", fail_on_import)
    try:
        with pytest.raises(RuntimeError):
            national_portal.pull_new_dossiers()
    finally:
        set_portal(None)
        InMemoryNationalPortal.clear()
    assert not Dossier.objects.exists() and files_on_disk(settings) == []


def test_a_rollback_inside_a_savepoint_removes_only_its_own_files(settings):
    checked = uploads.check_upload(pdf())
    with uploads.atomic_with_files():
        kept = uploads.stage(checked, DOCUMENT_FOLDER)
        with pytest.raises(RuntimeError), uploads.atomic_with_files():
            uploads.stage(checked, DOCUMENT_FOLDER)
            raise RuntimeError
    assert files_on_disk(settings) == [uploads.pending_name(kept)]


# --- the orphan job ---------------------------------------------------------------------------------


def _write(settings, name: str, age_hours: float) -> Path:
    path = Path(settings.MEDIA_ROOT) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(PDF)
    moment = time.time() - age_hours * 3600
    os.utime(path, (moment, moment))
    return path


def test_orphan_job_removes_old_unnamed_files_only(client, world, land_dossier, settings):
    named = DossierDocument.objects.exclude(file="").first()
    os.utime(default_storage.path(named.file.name), (time.time() - 3 * 86400,) * 2)
    old_pending = _write(settings, "_pending/dossiers/2026/01/old.pdf", 25)
    young_pending = _write(settings, "_pending/dossiers/2026/01/young.pdf", 2)
    old_orphan = _write(settings, "dossiers/2026/01/orphan.pdf", 30)
    young_orphan = _write(settings, "dossiers/2026/01/fresh.pdf", 1)
    old_result = _write(settings, "results/2026/01/orphan.pdf", 48)
    elsewhere = _write(settings, "forms/keep.pdf", 100)
    assert tasks.remove_orphan_files() == {"moved": 0, "pending_removed": 1, "removed": 2, "held_removed": 0}
    assert not old_pending.exists() and not old_orphan.exists() and not old_result.exists()
    assert young_pending.exists() and young_orphan.exists() and elsewhere.exists()
    assert default_storage.exists(named.file.name)
    assert tasks.remove_orphan_files() == {"moved": 0, "pending_removed": 0, "removed": 0, "held_removed": 0}


def test_orphan_job_finishes_the_move_of_a_committed_file(client, world, settings):
    # The process stopped between the commit and the move: the row names a file still pending.
    response = submit(client, world.reception)  # the test's transaction: the move never runs
    code = response.json()["code"]
    names = list(DossierDocument.objects.exclude(file="").values_list("file", flat=True))
    for name in names:
        path = Path(default_storage.path(uploads.pending_name(name)))
        os.utime(path, (time.time() - 5 * 86400,) * 2)
    assert sorted(files_on_disk(settings)) == sorted(uploads.pending_name(n) for n in names)
    assert tasks.remove_orphan_files() == {"moved": 2, "pending_removed": 0, "removed": 0, "held_removed": 0}
    assert sorted(files_on_disk(settings)) == sorted(names)
    assert Dossier.objects.filter(code=code).exists()


def test_a_committed_file_still_pending_is_served_all_the_same(client, world):
    body = submit(client, world.reception).json()  # the move never runs in the test's transaction
    response = client.get(page_url(body))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF


def test_orphan_job_is_scheduled_and_runs_without_an_upload_folder(settings, tmp_path):
    assert (
        "dossier_orphan_files",
        "motcua.dossiers.tasks.remove_orphan_files",
        3600,
    ) in settings.MOTCUA_PERIODIC_JOBS
    settings.MEDIA_ROOT = tmp_path / "nothing-here"
    assert tasks.remove_orphan_files() == {"moved": 0, "pending_removed": 0, "removed": 0, "held_removed": 0}


def test_the_refusal_is_translated_into_english():
    from django.utils import translation

    with translation.override("en"), pytest.raises(uploads.UploadRefused) as refused:
        uploads.check_upload(SimpleUploadedFile("x.pdf", HTML))
    assert str(refused.value.message) == (
        "File “x.pdf” was not accepted: its content is not PDF, JPEG or PNG "
        "(the type is read from the content, not from the file name)."
    )
