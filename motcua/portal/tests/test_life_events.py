"""Life events: data a province edits, checked against the catalog, shown publicly and per citizen."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from motcua.dossiers.models import Dossier, State
from motcua.portal.models import LifeEvent
from motcua.portal.services.life_events import LifeEventsInvalid, load_life_events

from .conftest import PDF, pdf
from .test_wallet import land_submission

pytestmark = pytest.mark.django_db

EVENT = """\
code: mua-nha
name: Mua nhà
position: 1
description: Từ thế chấp đến khai sinh.
procedures:
  - code: "1.004227"
    note: Khi vay ngân hàng.
  - code: "1.001193"
"""


@pytest.fixture(autouse=True)
def _no_renewals(settings, tmp_path):
    """The wallet's renewals file names procedures of the shipped catalog, not of this small one."""
    settings.MOTCUA_WALLET_RENEWALS_FILE = tmp_path / "none.yaml"


def write(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(exist_ok=True)
    (directory / name).write_text(text, encoding="utf-8")
    return directory


def test_events_load_with_their_procedures_in_order(world, tmp_path):
    report = load_life_events(write(tmp_path / "ev", "a.yaml", EVENT))
    assert (report.events, report.steps) == (1, 2)
    event = LifeEvent.objects.get(code="mua-nha")
    assert [(s.position, s.procedure.code, s.note) for s in event.steps.all()] == [
        (1, "1.004227", "Khi vay ngân hàng."),
        (2, "1.001193", ""),
    ]


def test_an_unknown_procedure_code_is_refused_with_its_line_and_nothing_is_written(world, tmp_path):
    directory = write(tmp_path / "ev", "a.yaml", EVENT.replace('"1.001193"', '"9.999999"'))
    write(directory, "b.yaml", "code: mua-nha\nname: ''\nprocedures: []\n")
    with pytest.raises(LifeEventsInvalid) as refused:
        load_life_events(directory)
    text = [str(p) for p in refused.value.problems]
    assert any("a.yaml:8" in line and "'9.999999' is not in the catalog" in line for line in text), text
    assert any("b.yaml" in line and "already used" in line for line in text)
    assert any("b.yaml" in line and "name is required" in line for line in text)
    assert not LifeEvent.objects.exists()
    with pytest.raises(CommandError):
        call_command("load_life_events", str(directory))


def test_loading_again_replaces_the_events(world, tmp_path):
    load_life_events(write(tmp_path / "one", "a.yaml", EVENT))
    load_life_events(
        write(tmp_path / "two", "b.yaml", EVENT.replace("mua-nha", "ket-hon").replace("Mua nhà", "Kết hôn"))
    )
    assert list(LifeEvent.objects.values_list("code", flat=True)) == ["ket-hon"]


def test_the_shipped_life_events_name_only_procedures_of_the_shipped_catalog(settings):
    from motcua.catalog.services import import_catalog
    from motcua.org.services import load_org_data

    settings.MOTCUA_WALLET_RENEWALS_FILE = settings.DATA_DIR / "wallet" / "renewals.yaml"
    for _report in load_org_data(settings.DATA_DIR):
        pass
    import_catalog(settings.DATA_DIR / "catalog")
    report = load_life_events(settings.DATA_DIR / "life_events", check_only=True)
    assert report.events >= 8
    load_life_events(settings.DATA_DIR / "life_events")
    assert {
        "sinh-con",
        "ket-hon",
        "chuyen-noi-o",
        "mua-nha-dat",
        "khoi-nghiep",
        "du-14-tuoi",
        "nghi-huu",
        "nguoi-than-qua-doi",
    } <= set(LifeEvent.objects.values_list("code", flat=True))


def test_the_public_pages_list_the_events_and_their_procedures(client, world, tmp_path):
    load_life_events(write(tmp_path / "ev", "a.yaml", EVENT))
    listing = client.get("/life-events/")
    assert listing.status_code == 200 and "Mua nhà" in listing.content.decode()
    detail = client.get("/life-events/mua-nha/")
    body = detail.content.decode()
    assert (
        detail.status_code == 200
        and "Đăng ký thế chấp quyền sử dụng đất" in body
        and "Khi vay ngân hàng." in body
    )
    assert client.get("/life-events/khong-co/").status_code == 404


def test_the_citizen_sees_what_is_done_in_progress_and_next(client, world, citizen, tmp_path):
    from motcua.portal.services import wallet

    load_life_events(write(tmp_path / "ev", "a.yaml", EVENT))
    dossier = wallet.dossier_services.submit_dossier(
        citizen, land_submission(citizen), {1: [pdf()], 2: [pdf()]}
    )
    client.force_login(citizen)
    body = client.get("/me/life-events/").content.decode()
    assert "Đang giải quyết" in body and dossier.code in body and "Cần làm" in body
    name = default_storage.save("results/x.pdf", ContentFile(PDF))
    Dossier.objects.filter(pk=dossier.pk).update(
        state=State.RESULT_READY, result_file=name, received_at=dossier.submitted_at
    )
    body = client.get("/me/life-events/").content.decode()
    assert "Đã có kết quả" in body and f"/me/repeat/{dossier.code}/" in body
    assert "/me/wallet/file/?procedure=1.001193" in body
    client.force_login(world.director)
    assert client.get("/me/life-events/").status_code == 403
