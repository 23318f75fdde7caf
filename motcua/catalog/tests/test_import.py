from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from motcua.catalog.models import Procedure, RouteStep
from motcua.catalog.services import CatalogImportError, export_catalog, import_catalog

from .conftest import BIRTH, FIELDS, LAND, write_catalog

pytestmark = pytest.mark.django_db


def test_import_creates_procedures_with_documents_fees_and_route(catalog_dir):
    report = import_catalog(catalog_dir)
    assert sorted(report.created) == ["1.001193", "1.004227"]
    birth = Procedure.objects.get(code="1.001193")
    assert birth.competent_by_commune and birth.agency is None and birth.level == "commune"
    assert birth.processing_days == Decimal("1")
    assert [(d.position, d.kind, d.registry_replaces) for d in birth.documents.all()] == [
        (1, "original", False), (2, "shown", True)]
    land = Procedure.objects.get(code="1.004227")
    assert land.agency.code == "so-nong-nghiep" and land.processing_days == Decimal("0.5")
    assert [(f.amount, f.per, f.kind) for f in land.fees.all()] == [(80000, "hồ sơ", "fee")]
    assert [(s.scope, s.agency and s.agency.code, s.hours) for s in land.route.all()] == [
        (RouteStep.Scope.COMPETENT, None, Decimal("3")), (RouteStep.Scope.AGENCY, "trung-tam", Decimal("1"))]


def test_importing_twice_changes_nothing(catalog_dir):
    import_catalog(catalog_dir)
    before = {p.code: (p.updated_at, list(p.documents.values_list("pk", flat=True)))
              for p in Procedure.objects.all()}
    report = import_catalog(catalog_dir)
    assert report.created == [] and report.updated == [] and sorted(report.unchanged) == ["1.001193", "1.004227"]
    after = {p.code: (p.updated_at, list(p.documents.values_list("pk", flat=True))) for p in Procedure.objects.all()}
    assert after == before


def test_an_edit_updates_only_that_procedure(catalog_dir):
    import_catalog(catalog_dir)
    edited = LAND.replace("amount: 80000", "amount: 90000")
    write_catalog(catalog_dir, files={"ho-tich.yaml": BIRTH, "dat-dai.yaml": edited})
    report = import_catalog(catalog_dir)
    assert report.updated == ["1.004227"] and report.unchanged == ["1.001193"]
    assert Procedure.objects.get(code="1.004227").fees.get().amount == 90000


def problems_of(catalog_dir) -> list[str]:
    with pytest.raises(CatalogImportError) as err:
        import_catalog(catalog_dir)
    return [str(p) for p in err.value.problems]


def test_errors_name_file_line_and_field_and_nothing_is_imported(tmp_path, agencies):
    bad = LAND.replace("processing_days: 0.5", "processing_days: -2").replace("kind: fee", "kind: tip")
    root = write_catalog(tmp_path / "c", files={"ho-tich.yaml": BIRTH, "dat-dai.yaml": bad})
    problems = problems_of(root)
    assert len(problems) == 2
    assert problems[0].startswith(f"{root}/procedures/dat-dai.yaml:6: 1.004227.processing_days:")
    assert problems[1].startswith(f"{root}/procedures/dat-dai.yaml:12: 1.004227.fees.0.kind:")
    assert not Procedure.objects.exists()


def test_unknown_references_and_duplicates_are_reported(tmp_path, agencies):
    files = {
        "ho-tich.yaml": BIRTH,
        "dat-dai.yaml": LAND.replace("field: dat-dai", "field: xay-dung").replace("agency: so-nong-nghiep",
                                                                                  "agency: so-khong-co"),
        "copy.yaml": BIRTH,
    }
    problems = problems_of(write_catalog(tmp_path / "c", files=files))
    text = "\n".join(problems)
    assert "1.004227.field: unknown field 'xay-dung'" in text
    assert "1.004227.agency: unknown agency 'so-khong-co'" in text
    assert text.count("duplicate procedure code") == 2


def test_route_longer_than_the_legal_time_is_refused(tmp_path, agencies):
    files = {"ho-tich.yaml": BIRTH.replace("hours: 4", "hours: 7")}
    (problem,) = problems_of(write_catalog(tmp_path / "c", files=files))
    assert "route takes 9 working hours, more than the legal 1 working days" in problem


def test_unquoted_code_and_yaml_syntax_errors_are_explained(tmp_path, agencies):
    (problem,) = problems_of(write_catalog(tmp_path / "a", files={"x.yaml": BIRTH.replace('"1.001193"', "1.10")}))
    assert ".code" in problem and "quoted" in problem
    root = write_catalog(tmp_path / "b", files={"x.yaml": "- code: [unclosed\n"})
    with pytest.raises(ValueError, match=r"x.yaml:\d+: YAML syntax"):
        import_catalog(root)


def test_missing_keys_and_unknown_keys_are_errors(tmp_path, agencies):
    text = BIRTH.replace("  level: commune\n", "").replace("  result: Giấy khai sinh\n", "  reslt: Giấy khai sinh\n")
    problems = problems_of(write_catalog(tmp_path / "c", files={"x.yaml": text}))
    assert any(p.endswith("1.001193.level: Field required") for p in problems)
    assert any("1.001193.reslt: Extra inputs are not permitted" in p for p in problems)


def test_commune_agency_only_for_commune_level(tmp_path, agencies):
    text = BIRTH.replace("level: commune", "level: province")
    (problem,) = problems_of(write_catalog(tmp_path / "c", files={"x.yaml": text}))
    assert "'commune' is only valid for commune-level procedures" in problem


def test_export_then_import_round_trips(catalog_dir, tmp_path):
    import_catalog(catalog_dir)
    out = tmp_path / "exported"
    assert export_catalog(out) == 2
    exported = yaml.safe_load((out / "procedures" / "dat-dai.yaml").read_text(encoding="utf-8"))
    assert exported[0]["processing_days"] == 0.5 and exported[0]["agency"] == "so-nong-nghiep"
    by_code = sorted(yaml.safe_load(FIELDS), key=lambda f: f["code"])
    assert yaml.safe_load((out / "fields.yaml").read_text(encoding="utf-8")) == by_code
    report = import_catalog(out)
    assert report.created == [] and report.updated == []


def test_the_shipped_catalog_imports_cleanly(db):
    """data/catalog is the source of truth: it must always validate against the organisation data."""
    from motcua.org.services import load_agencies

    load_agencies(Path(settings.DATA_DIR) / "org" / "agencies.yaml")
    report = import_catalog(Path(settings.DATA_DIR) / "catalog")
    assert len(report.created) >= 40
    fields = set(Procedure.objects.values_list("field__service_group", flat=True))
    assert len(fields) >= 6


def test_filing_branches_go_with_anywhere_false_and_round_trip(tmp_path, agencies):
    bound = BIRTH.replace("  level: commune\n", "  level: commune\n  anywhere: false\n  branches: [4, 1]\n")
    root = write_catalog(tmp_path / "c", files={"ho-tich.yaml": bound})
    import_catalog(root)
    assert Procedure.objects.get(code="1.001193").filing_branches == [1, 4]
    out = tmp_path / "exported"
    export_catalog(out)
    assert import_catalog(out).updated == []
    loose = BIRTH.replace("  level: commune\n", "  level: commune\n  branches: [1]\n")
    (problem,) = problems_of(write_catalog(tmp_path / "d", files={"ho-tich.yaml": loose}))
    assert "set anywhere: false with it" in problem


ELSEWHERE = """\
- code: ho-chieu
  name: Cấp hộ chiếu phổ thông
  aliases: [hộ chiếu]
  where: Phòng Quản lý xuất nhập cảnh, Công an thành phố Hà Nội
  source: https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bf7-5fda-7370-bc07-6f1fd02ffcc4
"""


def test_what_the_center_does_not_receive_is_loaded_with_the_catalog(catalog_dir):
    from motcua.catalog.models import HandledElsewhere

    (catalog_dir / "elsewhere.yaml").write_text(ELSEWHERE, encoding="utf-8")
    report = import_catalog(catalog_dir)
    assert report.elsewhere_written == 1 and "1 mục không tiếp nhận tại Trung tâm" in str(report)
    entry = HandledElsewhere.objects.get()
    assert entry.aliases == ["hộ chiếu"] and entry.source_url.startswith("https://dichvucong.gov.vn/")
    assert import_catalog(catalog_dir).elsewhere_written == 0
    (catalog_dir / "elsewhere.yaml").write_text(ELSEWHERE.replace("Cấp hộ chiếu", "Cấp, cấp lại hộ chiếu"),
                                                encoding="utf-8")
    assert import_catalog(catalog_dir).elsewhere_written == 1
    assert HandledElsewhere.objects.get().name == "Cấp, cấp lại hộ chiếu phổ thông"
    (catalog_dir / "elsewhere.yaml").write_text("[]\n", encoding="utf-8")
    assert import_catalog(catalog_dir).elsewhere_written == 1 and not HandledElsewhere.objects.exists()


def test_a_bad_elsewhere_entry_is_reported_with_its_line_and_nothing_is_imported(catalog_dir):
    bad = ELSEWHERE.replace("aliases: [hộ chiếu]", "aliases: ['--']").replace("source: https", "source: ftp")
    (catalog_dir / "elsewhere.yaml").write_text(bad + bad.replace("Cấp hộ", "Cấp lại hộ"), encoding="utf-8")
    problems = problems_of(catalog_dir)
    assert any(p.endswith("elsewhere.yaml:3: ho-chieu.aliases: Value error, each alias must hold at least one word")
               for p in problems), problems
    assert any("elsewhere.yaml:5: ho-chieu.source" in p for p in problems), problems
    assert not Procedure.objects.exists()
    (catalog_dir / "elsewhere.yaml").write_text(ELSEWHERE + ELSEWHERE, encoding="utf-8")
    assert any(p.endswith("elsewhere.yaml:6: ho-chieu.code: duplicate code") for p in problems_of(catalog_dir))


def test_export_writes_elsewhere_back_and_import_of_it_changes_nothing(catalog_dir, tmp_path):
    (catalog_dir / "elsewhere.yaml").write_text(ELSEWHERE, encoding="utf-8")
    import_catalog(catalog_dir)
    out = tmp_path / "out"
    export_catalog(out)
    assert yaml.safe_load((out / "elsewhere.yaml").read_text(encoding="utf-8"))[0]["aliases"] == ["hộ chiếu"]
    report = import_catalog(out)
    assert report.elsewhere_written == 0 and report.created == report.updated == []


def test_the_real_catalog_lists_passports_as_not_received_here(agencies):
    from motcua.catalog.schema import ElsewhereSpec, load_yaml, validate_items

    path = Path(settings.DATA_DIR) / "catalog" / "elsewhere.yaml"
    specs, problems = validate_items(load_yaml(path), ElsewhereSpec, str(path))
    assert problems == []
    passport = next(spec for spec, _ in specs if spec.code == "ho-chieu")
    assert "hộ chiếu" in passport.aliases and "1.001456" in passport.procedure_codes


COPY_RULES = LAND.replace("""      amount: 80000
      per: hồ sơ
""", """      amount: 2000
      per: trang
      basis: per_unit
      tiers: [[3, 1000]]
      cap: 200000
      council_set: true
      exempt:
        - code: merit
          name: Người có công với cách mạng
          evidence: Giấy chứng nhận người có công
""").replace("  online_level: partial\n", "  online_level: partial\n  pay_before_processing: true\n")


def test_fee_rules_and_channel_rules_are_catalog_data_and_round_trip(tmp_path, agencies):
    from motcua.catalog.fees import FeeFacts
    from motcua.catalog.selectors import assess_fees

    root = write_catalog(tmp_path / "c", files={"dat-dai.yaml": COPY_RULES})
    (root / "fee-channel-rules.yaml").write_text(
        "- code: hn-nq77\n  name: NQ 77/2025\n  channels: [online]\n  valid_from: 2026-01-01\n", encoding="utf-8")
    import_catalog(root)
    land = Procedure.objects.get(code="1.004227")
    assert land.pay_before_processing
    fee = land.fees.get()
    assert (fee.basis, fee.tiers, fee.cap, fee.council_set) == ("per_unit", [[3, 1000]], 200000, True)
    assert [(e.code, e.percent) for e in fee.exemption_rules.all()] == [("merit", 100)]
    import datetime as dt
    assert assess_fees(land, FeeFacts(channel="counter", units={1: 4})).total == 6000
    assert assess_fees(land, FeeFacts(channel="online", on=dt.date(2026, 2, 1), units={1: 4})).total == 0
    out = tmp_path / "exported"
    export_catalog(out)
    report = import_catalog(out)
    assert report.created == [] and report.updated == []


def test_a_percent_fee_without_its_rate_is_refused(tmp_path, agencies):
    text = LAND.replace("      per: hồ sơ\n", "      per: hồ sơ\n      basis: percent\n")
    (problem,) = problems_of(write_catalog(tmp_path / "c", files={"dat-dai.yaml": text}))
    assert "rate" in problem
