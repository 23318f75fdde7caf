"""A refused submit at the counter keeps the chosen files: held on the server, bound to the officer's session."""

import os
import re
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.core import uploads
from motcua.dossiers import tasks
from motcua.dossiers.held import SESSION_KEY
from motcua.dossiers.models import Dossier

from .conftest import PDF, png_bytes
from .test_pages import reception_post

pytestmark = pytest.mark.django_db


def held_on_disk(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / uploads.HELD
    return sorted(root.iterdir()) if root.is_dir() else []


def refused_with_one_file(client, user) -> tuple[str, str]:
    """Document 1 chosen, document 2 missing: refused; the page lists document 1 as attached."""
    client.force_login(user)
    response = client.post("/dossiers/receive/", reception_post(**{"document.2": None}))
    page = response.content.decode()
    assert response.status_code == 422 and "Thiếu thành phần hồ sơ: Hợp đồng thế chấp" in page
    token = re.search(r'<input type="hidden" name="held\.1" value="([^"]+)"', page).group(1)
    return token, page


def test_a_refused_submit_keeps_the_chosen_file_and_the_next_submit_uses_it(client, world, settings):
    token, page = refused_with_one_file(client, world.reception)
    assert "Đã đính kèm: phieu.pdf" in page and f"/dossiers/receive/held/{token}/remove/" in page
    assert len(held_on_disk(settings)) == 1
    response = client.post("/dossiers/receive/", reception_post(**{
        "document.1": None, "held.1": token, "document.2": SimpleUploadedFile("hd.png", png_bytes())}))
    assert response.status_code == 302, response.content.decode()[:2000]
    dossier = Dossier.objects.get()
    first = dossier.documents.get(position=1)
    assert first.filename == "phieu.pdf" and first.size == len(PDF) and first.content_type == "application/pdf"
    assert held_on_disk(settings) == [] and client.session.get(SESSION_KEY) == {}


def test_a_file_refused_for_its_content_is_named_and_not_held(client, world, settings):
    client.force_login(world.reception)
    bad = SimpleUploadedFile("to-khai.pdf", b"<!doctype html><html></html>")
    response = client.post("/dossiers/receive/", reception_post(**{"document.1": bad}))
    page = response.content.decode()
    assert "Tệp “to-khai.pdf” không được nhận" in page and "Đã đính kèm: to-khai.pdf" not in page
    assert "Đã đính kèm: hd.png" in page and len(held_on_disk(settings)) == 1


def test_another_officers_token_names_nothing(client, world, settings):
    token, _page = refused_with_one_file(client, world.reception)
    other = Client()
    other.force_login(world.other_reception)
    response = other.post("/dossiers/receive/", reception_post(**{"document.1": None, "held.1": token}))
    assert response.status_code == 422
    assert "Thiếu thành phần hồ sơ: Phiếu yêu cầu đăng ký" in response.content.decode()
    assert other.post(f"/dossiers/receive/held/{token}/remove/").status_code == 404
    assert uploads.held_content(token) == PDF and Dossier.objects.count() == 0  # still the first officer's


def test_a_token_is_bound_to_the_session_not_only_to_the_officer(client, world):
    token, _page = refused_with_one_file(client, world.reception)
    second = Client()  # the same officer, another session (another browser)
    second.force_login(world.reception)
    response = second.post("/dossiers/receive/", reception_post(**{"document.1": None, "held.1": token}))
    assert "Thiếu thành phần hồ sơ: Phiếu yêu cầu đăng ký" in response.content.decode()


def test_a_held_file_can_be_removed_from_the_page(client, world, settings):
    token, _page = refused_with_one_file(client, world.reception)
    response = client.post(f"/dossiers/receive/held/{token}/remove/")
    assert response.status_code == 200 and held_on_disk(settings) == []
    response = client.post("/dossiers/receive/", reception_post(**{"document.1": None, "held.1": token}))
    assert "Thiếu thành phần hồ sơ: Phiếu yêu cầu đăng ký" in response.content.decode()
    assert client.post(f"/dossiers/receive/held/{token}/remove/").status_code == 404


def test_the_registry_lookup_keeps_the_held_files_in_the_checklist(client, world):
    token, _page = refused_with_one_file(client, world.reception)
    response = client.post("/dossiers/receive/lookup/", {"procedure": "1.004227", "kind": "person",
                                                          "id_number": "001090001234", "held.1": token})
    assert f'name="held.1" value="{token}"' in response.content.decode()


def test_the_orphan_job_removes_held_files_after_twelve_hours(client, world, settings):
    refused_with_one_file(client, world.reception)
    refused_with_one_file(client, world.reception)
    old, young = held_on_disk(settings)
    os.utime(old, (time.time() - 13 * 3600,) * 2)
    assert tasks.remove_orphan_files()["held_removed"] == 1
    assert held_on_disk(settings) == [young]


def test_a_forged_token_reads_nothing(world):
    assert uploads.held_content("../../settings") is None
    assert uploads.held_content("A" * 32) is None
