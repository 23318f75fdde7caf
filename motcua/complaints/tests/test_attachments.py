"""Files sent with a complaint: checked by content, kept privately, opened only by the staff handling it."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.complaints.models import MAX_ATTACHMENTS, Complaint, ComplaintAttachment
from motcua.core import uploads
from motcua.core.errors import ValidationFailed
from motcua.core.models import AuditEntry
from motcua.dossiers.tests.conftest import PDF, pdf, png_bytes

from .conftest import file

pytestmark = pytest.mark.django_db

FORM = {"subject": "Quầy 3 đông", "content": "Chờ quá lâu.", "name": "Trần Văn Bình", "phone": "0987654321",
        "about": "1.004227", "publish": "on"}


def png(name="anh.png"):
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def test_files_sent_on_the_web_form_are_kept_with_the_complaint(world, at, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/complaints/new/", {**FORM, "files": [pdf("bien-nhan.pdf"), png()]})
    assert response.status_code == 201
    complaint = Complaint.objects.get()
    kept = list(complaint.attachments.order_by("position"))
    assert [(a.position, a.filename, a.content_type) for a in kept] == [
        (1, "bien-nhan.pdf", "application/pdf"), (2, "anh.png", "image/png")]
    assert Path(kept[0].file.path).read_bytes() == PDF
    assert "bien-nhan" not in kept[0].file.name  # stored under a random name


def test_a_file_that_is_not_what_it_claims_refuses_the_whole_complaint(world, at, client):
    fake = SimpleUploadedFile("anh.png", b"<html><script>x</script></html>", content_type="image/png")
    response = client.post("/complaints/new/", {**FORM, "files": [pdf(), fake]})
    html = response.content.decode()
    assert response.status_code == 422 and "anh.png" in html and "Quầy 3 đông" in html
    assert Complaint.objects.count() == 0 and ComplaintAttachment.objects.count() == 0


def test_no_more_than_the_limit_of_files(world, at):
    with pytest.raises(ValidationFailed) as refused:
        file(files=[pdf(f"{i}.pdf") for i in range(MAX_ATTACHMENTS + 1)])
    assert refused.value.code == "too_many_files" and Complaint.objects.count() == 0


def test_only_the_staff_handling_it_open_an_attachment_and_each_opening_is_audited(
        world, at, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = file(files=[pdf("giay-hen.pdf")])
    attachment = complaint.attachments.get()
    url = f"/complaints/inbox/{complaint.code}/files/{attachment.pk}/"
    client.force_login(world.other_officer)
    assert client.get(url).status_code == 404
    client.force_login(world.officer)
    page = client.get(f"/complaints/inbox/{complaint.code}/").content.decode()
    assert url in page and "giay-hen.pdf" in page
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Cache-Control"] == "private, no-store"
    opened = AuditEntry.objects.filter(action="complaint.attachment_opened", object_id=complaint.code)
    assert opened.count() == 1 and "giay-hen" not in str(opened.get().data)
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_attachments_are_never_published(world, at, client, department_leader, django_capture_on_commit_callbacks):
    from motcua.complaints import services

    with django_capture_on_commit_callbacks(execute=True):
        complaint = file(files=[pdf("giay-hen.pdf")])
    services.answer_complaint(world.officer, complaint, "Đã xử lý.")
    services.approve_answer(department_leader, complaint)
    page = client.get(f"/complaints/{complaint.code}/").content.decode()
    assert "giay-hen" not in page and "/files/" not in page


def test_the_orphan_sweep_keeps_attachments_and_removes_unnamed_files(world, at, settings,
                                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = file(files=[pdf()])
    kept = Path(complaint.attachments.get().file.path)
    stray = kept.parent / "stray.pdf"
    stray.write_bytes(PDF)
    later = (dt.datetime.now() + dt.timedelta(days=2)).timestamp()
    counts = uploads.remove_orphan_files(now=later)
    assert kept.exists() and not stray.exists() and counts["removed"] == 1
