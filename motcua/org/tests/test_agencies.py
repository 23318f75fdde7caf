"""Agencies: the file's departments and one People's Committee per current Hanoi commune."""

import re

import pytest
import yaml
from django.conf import settings

from motcua.org.models import AdministrativeUnit, Agency
from motcua.org.services import AgenciesInvalid, commune_e_id, load_agencies

from .support import dump_tables

pytestmark = pytest.mark.django_db
AGENCIES = settings.DATA_DIR / "org" / "agencies.yaml"
E_ID = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.H26$")


def write(tmp_path, entries, name="agencies.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    return path


def test_every_agency_of_the_file_is_loaded(org_data):
    listed = yaml.safe_load(AGENCIES.read_text(encoding="utf-8"))
    for entry in listed:
        agency = Agency.objects.get(code=entry["code"])
        assert (agency.name, agency.short_name, agency.kind, agency.e_id) == (
            entry["name"], entry["short_name"], entry["kind"], entry["e_id"])
    assert Agency.objects.filter(kind="center").exists()


def test_each_current_hanoi_commune_has_its_peoples_committee(org_data):
    communes = AdministrativeUnit.objects.filter(level="commune", is_current=True, parent__code="01")
    committees = Agency.objects.filter(kind="commune", commune__in=communes)
    assert committees.count() == 126
    ba_dinh = Agency.objects.get(code="ubnd-00004")
    assert ba_dinh.name == "Ủy ban nhân dân phường Ba Đình"
    assert ba_dinh.short_name == "UBND phường Ba Đình"
    assert ba_dinh.commune.name == "Phường Ba Đình"
    assert Agency.objects.get(code="ubnd-10489").name == "Ủy ban nhân dân xã Hương Sơn"
    e_ids = list(committees.values_list("e_id", flat=True))
    assert all(E_ID.match(e) for e in e_ids) and len(set(e_ids)) == 126
    assert set(e_ids).isdisjoint(Agency.objects.exclude(kind="commune").values_list("e_id", flat=True))
    assert commune_e_id("00004", "H26") == "000.04.99.H26" == ba_dinh.e_id


def test_loading_agencies_again_changes_nothing(org_data):
    before = dump_tables("org")
    report = load_agencies(AGENCIES)
    assert not report.changed and report.counts["commune_committees"] == 126
    assert dump_tables("org") == before


def test_an_official_commune_e_id_listed_in_the_file_replaces_the_generated_one(org_data, tmp_path):
    path = write(tmp_path, [
        {"code": "so-tu-phap", "name": "Sở Tư pháp thành phố Hà Nội", "short_name": "Sở Tư pháp",
         "kind": "department", "e_id": "000.00.02.H26"},
        {"code": "ubnd-00004", "name": "Ủy ban nhân dân phường Ba Đình", "short_name": "UBND phường Ba Đình",
         "kind": "commune", "e_id": "000.00.90.H26"},
    ])
    report = load_agencies(path)
    ba_dinh = Agency.objects.get(code="ubnd-00004")
    assert ba_dinh.e_id == "000.00.90.H26" and ba_dinh.commune.code == "00004"
    assert report.updated["commune_committees"] == 1 and not report.created.total()
    assert Agency.objects.filter(kind="commune").count() == 126


def test_problems_name_file_entry_and_field(org_data, tmp_path):
    path = write(tmp_path, [
        {"code": "so-a", "name": "Sở A", "short_name": "A", "kind": "ministry", "e_id": "000.00.50.H26"},
        {"code": "so-b", "name": "Sở B", "short_name": "B", "kind": "department", "e_id": "00.00.51.H26"},
        {"code": "so-c", "name": "Sở C", "short_name": "C", "kind": "department", "e_id": "000.00.52.H26"},
        {"code": "so-c", "name": "Sở C", "short_name": "C", "kind": "department", "e_id": "000.00.52.H26"},
        {"code": "so-e", "name": "Sở E", "short_name": "E", "kind": "department", "e_id": "000.04.99.H26"},
        {"code": "so-d", "name": "Sở D", "kind": "department", "e_id": "000.00.53.H26"},
    ])
    before = Agency.objects.count()
    with pytest.raises(AgenciesInvalid) as caught:
        load_agencies(path)
    found = {(p.entry, p.field) for p in caught.value.problems}
    assert {("so-a", "kind"), ("so-b", "e_id"), ("so-c", "code"), ("so-d", "short_name")} <= found
    clash = next(p for p in caught.value.problems if p.entry == "so-e")  # Ba Đình's generated e-ID
    lines = path.read_text(encoding="utf-8").splitlines()
    assert clash.field == "e_id" and "ubnd-00004" in clash.message
    assert lines[clash.line - 1].strip() == "e_id: 000.04.99.H26"
    assert all(p.file == str(path) for p in caught.value.problems)
    assert lines[next(p for p in caught.value.problems if p.entry == "so-a").line - 1].strip() == "kind: ministry"
    assert Agency.objects.count() == before


def test_a_file_that_is_not_a_list_or_is_missing_is_refused(org_data, tmp_path):
    with pytest.raises(AgenciesInvalid):
        load_agencies(write(tmp_path, {"code": "x"}))
    with pytest.raises(AgenciesInvalid) as caught:
        load_agencies(tmp_path / "absent.yaml")
    assert caught.value.problems[0].message == "file not found"
