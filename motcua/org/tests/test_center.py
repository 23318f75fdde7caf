"""The Hanoi center: service groups, 12 branches, their service points and counters (data/org/center.yaml)."""

from collections import Counter as Tally
from datetime import time

import pytest
import yaml
from django.conf import settings

from motcua.org.models import Branch, Center, Counter, ServiceGroup, ServicePoint
from motcua.org.services import CenterInvalid, load_center

from .support import dump_tables

pytestmark = pytest.mark.django_db
CENTER = settings.DATA_DIR / "org" / "center.yaml"


def kinds(**filters):
    return Tally(Counter.objects.filter(is_active=True, **filters).values_list("kind", flat=True))


def edited_copy(tmp_path, edit):
    data = yaml.safe_load(CENTER.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "center.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def point_of(data, code):
    return next(p for b in data["branches"] for p in b["service_points"] if p["code"] == code)


def test_the_center_as_described(org_data):
    center = Center.objects.get(code="hanoi")
    assert center.name == "Trung tâm Phục vụ hành chính công thành phố Hà Nội"
    assert center.motto == "Hành chính thông minh – Tận tâm phục vụ"
    assert (center.province.code, center.e_id_suffix) == ("01", "H26")
    assert center.working_periods == [["08:00", "12:00"], ["13:00", "17:00"]]
    assert (center.cutoff_time, center.resume_mode) == (time(15, 0), "restart")


def test_service_groups_cover_every_field_of_the_catalog(org_data):
    groups = ServiceGroup.objects.filter(center__code="hanoi")
    assert list(groups.values_list("letter", flat=True)) == list("ABCDEFG")
    assert all(g.average_service_minutes > 0 for g in groups)
    fields = yaml.safe_load((settings.DATA_DIR / "catalog" / "fields.yaml").read_text(encoding="utf-8"))
    assert {f["service_group"] for f in fields} <= set(groups.values_list("code", flat=True))


def test_twelve_branches_with_the_sourced_addresses(org_data):
    assert Branch.objects.filter(center__code="hanoi", is_active=True).count() == 12
    assert list(Branch.objects.values_list("number", flat=True)) == list(range(1, 13))
    expected = {"cn01-tay-ho": ("258 Võ Chí Công", "00103"), "cn02-cau-giay": ("85 Dịch Vọng Hậu", "00166"),
                "cn03-dong-da": ("61 Hoàng Cầu", "00235"), "cn03-hoan-kiem": ("126 Hàng Trống", "00070"),
                "cn03-ba-dinh": ("25 Liễu Giai", "00008"), "cn04-hai-ba-trung": ("52 Lê Đại Hành", "00256")}
    for code, (street, commune) in expected.items():
        point = ServicePoint.objects.get(code=code)
        assert point.address.startswith(street) and point.commune.code == commune
    assert ServicePoint.objects.filter(branch__code="cn03").count() == 3


def test_counters_follow_the_articles(org_data):
    assert Counter.objects.filter(is_active=True).count() >= 57
    cau_giay = kinds(service_point__code="cn02-cau-giay", priority_only=False)
    assert (cau_giay["reception"], cau_giay["consultation"], cau_giay["digitisation"]) == (25, 9, 3)
    assert Counter.objects.filter(service_point__code="cn03-dong-da").count() == 11
    dong_da = Counter.objects.filter(service_point__code="cn03-dong-da")
    # One intake counter reserved for the elderly and người có công; counter 3 for authorised representatives.
    assert list(dong_da.filter(priority_only=True).values_list("number", "kind")) == [(9, "reception")]
    assert list(dong_da.exclude(lanes="all").values_list("number", "lanes")) == [(3, "representative")]


def test_every_point_is_placed_and_serves_every_group(org_data):
    groups = set(ServiceGroup.objects.values_list("code", flat=True))
    for point in ServicePoint.objects.select_related("commune__parent").prefetch_related("counters__service_groups"):
        assert point.commune.is_current and point.commune.parent.code == "01"
        assert 20.5 < point.latitude < 21.4 and 105.2 < point.longitude < 106.1
        served = {g.code for c in point.counters.all() if c.kind == "reception" and not c.priority_only
                  for g in c.service_groups.all()}
        assert served == groups, point.code  # any branch, any procedure, at a regular intake counter
        counter_kinds = {c.kind for c in point.counters.all()}
        assert "result" in counter_kinds and "priority" not in counter_kinds
        if point.counters.count() >= 8:
            assert "fee" in counter_kinds and any(c.priority_only for c in point.counters.all()), point.code
        assert all(c.service_groups.exists() for c in point.counters.all())


def test_loading_the_center_again_changes_nothing(org_data):
    before = dump_tables("org")
    report = load_center(CENTER)
    assert not report.changed
    assert report.counts["branches"] == 12 and report.counts["counters"] >= 57
    assert dump_tables("org") == before


def test_places_removed_from_the_file_are_deactivated_then_restored(org_data, tmp_path):
    def remove(data):
        point_of(data, "cn03-dong-da")["counters"].pop()  # counter 11
        data["branches"][11]["service_points"].pop()  # Thường Tín

    report = load_center(edited_copy(tmp_path, remove))
    assert report.deactivated["counters"] == 1 and report.deactivated["service_points"] == 1
    assert not Counter.objects.get(service_point__code="cn03-dong-da", number=11).is_active
    assert not ServicePoint.objects.get(code="cn12-thuong-tin").is_active
    assert Counter.objects.get(service_point__code="cn12-thuong-tin", number=1).is_active  # its point is inactive
    report = load_center(CENTER)
    assert report.updated["counters"] == 1 and report.updated["service_points"] == 1
    assert ServicePoint.objects.get(code="cn12-thuong-tin").is_active


def test_group_letters_can_be_swapped(org_data, tmp_path):
    def swap(data):
        groups = data["service_groups"]
        groups[0]["letter"], groups[1]["letter"] = groups[1]["letter"], groups[0]["letter"]

    load_center(edited_copy(tmp_path, swap))
    assert ServiceGroup.objects.get(code="tu-phap").letter == "B"
    assert ServiceGroup.objects.get(code="dat-dai").letter == "A"


def test_problems_name_file_entry_field_and_line(org_data, tmp_path):
    def spoil(data):
        dong_da = point_of(data, "cn03-dong-da")
        dong_da["commune"] = "99999"
        dong_da["counters"][0]["groups"] = ["dat-dai", "hai-quan"]
        dong_da["counters"][2]["agency"] = "so-khong-co"
        dong_da["counters"][3]["number"] = 1  # already in 1-2
        data["service_groups"][1]["letter"] = "A"

    path = edited_copy(tmp_path, spoil)
    text = path.read_text(encoding="utf-8")
    before = dump_tables("org")
    with pytest.raises(CenterInvalid) as caught:
        load_center(path)
    where = "branches[cn03].service_points[cn03-dong-da]"
    found = {(p.entry, p.field) for p in caught.value.problems}
    assert found == {(where, "commune"), (f"{where}.counters[1-2]", "groups"), (f"{where}.counters[4-5]", "agency"),
                     (f"{where}.counters[1]", "number"), ("service_groups[dat-dai]", "letter")}
    lines = text.splitlines()
    for problem in caught.value.problems:
        assert problem.file == str(path)
        assert lines[problem.line - 1].strip().lstrip("- ").startswith(f"{problem.field}:")
    assert caught.value.code == "center_invalid"
    assert dump_tables("org") == before


def test_schema_problems_are_located_too(org_data, tmp_path):
    path = tmp_path / "center.yaml"
    text = CENTER.read_text(encoding="utf-8")
    path.write_text(text.replace('cutoff_time: "15:00"', "cutoff_time: 15:00")
                    .replace("{number: 10, kind: fee, groups: all}", "{number: 10, kind: cashier, groups: all}")
                    .replace('commune: "00070"', "commune: 00070"), encoding="utf-8")
    with pytest.raises(CenterInvalid) as caught:
        load_center(path)
    problems = {(p.entry, p.field): p for p in caught.value.problems}
    cutoff = problems[("hanoi", "cutoff_time")]
    assert "quotes" in cutoff.message and cutoff.line == text.splitlines().index('cutoff_time: "15:00"') + 1
    assert ("branches[cn03].service_points[cn03-dong-da].counters[10]", "kind") in problems
    assert "quoted" in problems[("branches[cn03].service_points[cn03-hoan-kiem]", "commune")].message
    assert len(problems) == 3


def test_a_missing_or_malformed_file_is_refused(org_data, tmp_path):
    with pytest.raises(CenterInvalid, match="Tệp dữ liệu"):
        load_center(tmp_path / "absent.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("code: hanoi\nbranches: [\n", encoding="utf-8")
    with pytest.raises(CenterInvalid) as caught:
        load_center(broken)
    assert caught.value.problems[0].message.startswith("YAML")


def test_counters_planned_hours_are_loaded(org_data):
    tay_ho = Counter.objects.filter(service_point__code="cn01-tay-ho")
    assert tay_ho.get(number=5).planned_periods == [["08:00", "12:00"]]  # a morning-only land counter
    assert tay_ho.get(number=4).planned_periods == []  # the center's hours
    assert Counter.objects.get(service_point__code="cn02-cau-giay", number=25).planned_periods == [
        ["08:00", "11:00"], ["13:00", "17:00"]]


def test_planned_hours_must_be_in_order_and_within_the_centers_hours(org_data, tmp_path):
    def disorder(data):
        counters = point_of(data, "cn03-dong-da")["counters"]
        counters[3]["planned_periods"] = [["09:00", "11:00"], ["10:00", "12:00"]]  # overlapping
        counters[4]["planned_periods"] = [["14:00", "13:00"]]  # backwards

    def outside(data):
        counters = point_of(data, "cn03-dong-da")["counters"]
        counters[1]["planned_periods"] = [["07:00", "12:00"]]  # before the center opens
        counters[2]["planned_periods"] = [["11:00", "14:00"]]  # over lunch

    where = "branches[cn03].service_points[cn03-dong-da].counters"
    before = dump_tables("org")
    for spoil, numbers in ((disorder, ["6", "7"]), (outside, ["3", "4-5"])):
        path = edited_copy(tmp_path, spoil)
        with pytest.raises(CenterInvalid) as caught:
            load_center(path)
        found = {(p.entry, p.field) for p in caught.value.problems}
        assert found == {(f"{where}[{n}]", "planned_periods") for n in numbers}
        lines = path.read_text(encoding="utf-8").splitlines()
        for problem in caught.value.problems:
            assert problem.line and "planned_periods" in lines[problem.line - 1], problem
    assert dump_tables("org") == before


def test_a_slip_prefix_is_capitals_and_digits(org_data, tmp_path):
    path = edited_copy(tmp_path, lambda data: data.update(slip_prefix="đn-1"))
    with pytest.raises(CenterInvalid) as caught:
        load_center(path)
    assert [(p.entry, p.field) for p in caught.value.problems] == [("hanoi", "slip_prefix")]
    assert Center.objects.get(code="hanoi").slip_prefix == ""
    load_center(edited_copy(tmp_path, lambda data: data.update(slip_prefix="HN2")))
    assert Center.objects.get(code="hanoi").slip_prefix == "HN2"
