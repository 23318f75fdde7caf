from pathlib import Path

import pytest

from motcua.catalog.models import Procedure
from motcua.catalog.selectors import search_procedures
from motcua.catalog.services import import_catalog, import_national

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).parent / "fixtures" / "national_sample.jsonl"


def test_national_records_become_searchable_reference_entries():
    report = import_national(SAMPLE)
    assert len(report.created) == 32
    entry = Procedure.objects.get(code="3.000349")
    assert entry.status == "reference" and entry.field.name == "Sát hạch, cấp giấy phép lái xe"
    assert entry.source_url.startswith("https://dichvucong.gov.vn/")
    assert entry.ministry and entry.documents.exists()
    assert search_procedures(q="doi giay phep lai xe quan su").items[0].code == "3.000349"


def test_what_could_not_be_parsed_is_recorded_not_guessed():
    report = import_national(SAMPLE)
    with_problems = Procedure.objects.exclude(import_problems=[])
    assert with_problems.count() == report.with_problems > 0
    # an entry whose processing time could not be read keeps no number but says why
    unknown_time = Procedure.objects.filter(processing_days__isnull=True)
    assert unknown_time.exists()
    for entry in unknown_time:
        assert any("time" in problem or "days" in problem for problem in entry.import_problems), entry.code


def test_reimporting_changes_nothing():
    import_national(SAMPLE)
    stamps = dict(Procedure.objects.values_list("code", "updated_at"))
    report = import_national(SAMPLE)
    assert report.created == [] and report.updated == [] and len(report.unchanged) == 32
    assert report.fields_written == 0
    assert dict(Procedure.objects.values_list("code", "updated_at")) == stamps


def test_operational_procedures_are_left_alone(catalog_dir):
    import_catalog(catalog_dir)
    sample = SAMPLE.read_text(encoding="utf-8").replace('"ma_thu_tuc": "3.000349"', '"ma_thu_tuc": "1.001193"')
    path = catalog_dir / "sample.jsonl"
    path.write_text(sample, encoding="utf-8")
    report = import_national(path)
    assert report.kept_operational == ["1.001193"]
    birth = Procedure.objects.get(code="1.001193")
    assert birth.status == "operational" and birth.name == "Thủ tục đăng ký khai sinh"
