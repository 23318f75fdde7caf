"""Administrative units: 34 provinces, Hanoi's 126 communes, the former units and what replaced them."""

import shutil

import pytest
from django.conf import settings

from motcua.core.models import AuditEntry
from motcua.org.models import AdministrativeUnit
from motcua.org.services import UnitsInvalid, load_units

from .support import dump_tables

pytestmark = pytest.mark.django_db
UNITS = settings.DATA_DIR / "units"


def unit(level, code, *, current=True):
    return AdministrativeUnit.objects.get(level=level, code=code, is_current=current)


def successor_names(code):
    return sorted(unit("commune", code, current=False).successors.values_list("name", flat=True))


def test_the_34_provinces_and_hanois_126_communes_are_current(org_data):
    provinces = AdministrativeUnit.objects.filter(level="province", is_current=True)
    assert provinces.count() == 34
    hanoi = provinces.get(code="01")
    assert hanoi.name == "Thành phố Hà Nội" and hanoi.kind == "thành phố trung ương"
    assert provinces.get(code="79").name == "Thành phố Hồ Chí Minh"
    communes = AdministrativeUnit.objects.filter(level="commune", is_current=True)
    assert communes.count() == 126 and communes.filter(parent=hanoi).count() == 126
    assert set(communes.values_list("kind", flat=True)) == {"phường", "xã"}
    assert unit("commune", "00103").name == "Phường Tây Hồ"


def test_former_units_are_kept_with_is_current_false(org_data):
    districts = AdministrativeUnit.objects.filter(level="district")
    assert districts.count() == 30 and not districts.filter(is_current=True).exists()
    assert AdministrativeUnit.objects.filter(level="commune", is_current=False).count() == 526
    ba_dinh = unit("district", "001", current=False)
    assert (ba_dinh.name, ba_dinh.kind, ba_dinh.parent.code) == ("Quận Ba Đình", "quận", "01")
    assert unit("district", "269", current=False).kind == "thị xã"  # "Thị Xã Sơn Tây" in the source
    former = unit("commune", "00008", current=False)
    assert (former.name, former.parent.name, former.kind) == ("Phường Liễu Giai", "Quận Ba Đình", "phường")
    # Old and new units may share a code: Phường Trúc Bạch (old 00004) and Phường Ba Đình (new 00004).
    assert unit("commune", "00004", current=False).name == "Phường Trúc Bạch"
    assert unit("commune", "00004").name == "Phường Ba Đình"


@pytest.mark.parametrize(("old_code", "new_names"), [
    # Rows of hanoi_old_to_new.csv, read by hand.
    ("00008", ["Phường Ngọc Hà"]),                                    # Liễu Giai, merged whole
    ("00070", ["Phường Cửa Nam", "Phường Hoàn Kiếm"]),                # Hàng Trống, split in two
    ("00256", ["Phường Bạch Mai", "Phường Hai Bà Trưng", "Phường Văn Miếu - Quốc Tử Giám"]),  # Lê Đại Hành
    ("00565", ["Xã Bát Tràng", "Xã Gia Lâm"]),                         # Thị trấn Trâu Quỳ
    ("00592", ["Phường Từ Liêm"]),                                    # Cầu Diễn
    ("00553", ["Phường Phúc Lợi", "Xã Gia Lâm", "Xã Phù Đổng"]),       # Cổ Bi
    ("00556", ["Xã Phù Đổng", "Xã Thuận An"]),                         # Đặng Xá (code corrected, SOURCES.md)
])
def test_old_communes_lead_to_their_new_ones(org_data, old_code, new_names):
    assert successor_names(old_code) == new_names


def test_a_new_commune_knows_its_predecessors_and_a_district_its_successors(org_data):
    predecessors = unit("commune", "00008").predecessors.filter(level="commune")
    assert "Phường Liễu Giai" in set(predecessors.values_list("name", flat=True))
    ba_dinh_successors = set(unit("district", "001", current=False).successors.values_list("name", flat=True))
    assert {"Phường Ba Đình", "Phường Ngọc Hà", "Phường Giảng Võ"} <= ba_dinh_successors


def test_loading_units_again_changes_nothing(org_data):
    before, entries = dump_tables("org"), AuditEntry.objects.count()
    report = load_units(UNITS)
    assert not report.changed
    assert report.counts["provinces"] == 34 and report.counts["communes"] == 126
    assert dump_tables("org") == before and AuditEntry.objects.count() == entries


def _units_copy(tmp_path):
    directory = tmp_path / "units"
    shutil.copytree(UNITS, directory)
    return directory


def test_problems_name_file_line_entry_and_field(org_data, tmp_path):
    directory = _units_copy(tmp_path)
    communes = directory / "hanoi_communes.csv"
    communes.write_text(communes.read_text(encoding="utf-8")
                        .replace("00004,Phường Ba Đình,phường,01", "4,Phường Ba Đình,phường,01")
                        .replace("00008,Phường Ngọc Hà,phường,01", "00008,Phường Ngọc Hà,phường,99"),
                        encoding="utf-8")
    before = AdministrativeUnit.objects.count()
    with pytest.raises(UnitsInvalid) as caught:
        load_units(directory)
    problems = {(p.file.rsplit("/", 1)[-1], p.line, p.entry, p.field) for p in caught.value.problems}
    assert ("hanoi_communes.csv", 2, "4", "code") in problems
    assert ("hanoi_communes.csv", 3, "00008", "province_code") in problems
    # the history rows that pointed at the two communes now fail too, naming new_code
    assert any(p[0] == "hanoi_old_to_new.csv" and p[3] == "new_code" for p in problems)
    assert caught.value.code == "units_invalid" and caught.value.status == 422
    assert caught.value.details[0].keys() == {"file", "line", "entry", "field", "message"}
    assert AdministrativeUnit.objects.count() == before


def test_the_source_rows_giving_one_code_two_names_are_refused(org_data, tmp_path):
    directory = _units_copy(tmp_path)
    history = directory / "hanoi_old_to_new.csv"
    history.write_text(history.read_text(encoding="utf-8").replace("00556,Xã Đặng Xá,018,Huyện Gia Lâm,01,Thành phố "
                                                                   "Hà Nội,00562", "00553,Xã Đặng Xá,018,Huyện Gia "
                                                                   "Lâm,01,Thành phố Hà Nội,00562"),
                       encoding="utf-8")
    with pytest.raises(UnitsInvalid) as caught:
        load_units(directory)
    [problem] = caught.value.problems
    assert (problem.entry, problem.field, problem.line) == ("00553", "old_name", 424)
    assert "Xã Cổ Bi" in problem.message


def test_a_missing_file_or_column_is_named(org_data, tmp_path):
    directory = _units_copy(tmp_path)
    (directory / "provinces.csv").write_text("code,label\n01,Hà Nội\n", encoding="utf-8")
    with pytest.raises(UnitsInvalid) as caught:
        load_units(directory)
    first = caught.value.problems[0]
    assert first.file.endswith("provinces.csv") and first.field == "name, type"
    with pytest.raises(UnitsInvalid, match="Tệp dữ liệu") as caught:
        load_units(tmp_path / "nowhere")
    assert caught.value.problems[0].message == "file not found"
