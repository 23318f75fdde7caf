"""Catalog search over the real catalog (data/catalog) and a few real national reference entries.

The rule (docs/catalog.md, "Search"): a document shares a word with the query when it holds one of the
query's adjacent pairs of syllables; one shared syllable is not enough ("sinh" of "khai sinh" is not the
"sinh" of "tuyển sinh"). Words typed with diacritics match the marked text first; the diacritic-free form
is a fallback. What the center does not receive (data/catalog/elsewhere.yaml) comes back apart, with where
it is filed instead.
"""

import pytest
from django.conf import settings

from motcua.catalog.models import Field, HandledElsewhere, Procedure
from motcua.catalog.selectors import search_procedures
from motcua.catalog.services import import_catalog
from motcua.core.text import fold, marked_words
from motcua.org.services import load_org_data
from motcua.org.tests.support import rows_kept_for_module

pytestmark = pytest.mark.django_db

# Real reference entries of the National Public Service Portal (names, codes and fields as published).
REFERENCE = [
    ("1.001456", "Cấp hộ chiếu phổ thông ở trong nước (thực hiện tại cấp tỉnh)", "Quản lý xuất nhập cảnh"),
    ("1.004045", "Tuyển sinh vào các trường Công an nhân dân tại Công an cấp tỉnh", "Tổ chức, cán bộ"),
    ("1.004884", "Thủ tục đăng ký lại khai sinh", "Hộ tịch"),
    ("2.001019", "Chứng thực di chúc", "Chứng thực"),
    ("2.001095", "Cấp Giấy chứng nhận an toàn sinh học", "Bảo tồn thiên nhiên và Đa dạng sinh học"),
    ("1.008327", "Khai bổ sung hồ sơ khai thuế", "Thuế"),
]
BIRTH, BIRTH_FOREIGN, BIRTH_COPY = "1.001193", "2.000528", "2.000635"
MARRIAGE, MARRIAGE_FOREIGN = "1.000894", "2.000806"
ENROLMENT, SCHOOL_TRANSFER, MIDWIFE_LICENCE = "3.000182", "2.002481", "1.012265"
CERTIFICATIONS = {"2.000815", "2.000884", "2.001035"}
BUILDING_PERMIT = "1.013225"
DRIVING_LICENCES = {"3.000347", "3.000348"}


@pytest.fixture(scope="module")
def real_catalog(django_db_setup, django_db_blocker):
    with rows_kept_for_module(django_db_blocker):
        with django_db_blocker.unblock():
            load_org_data(settings.DATA_DIR)
            import_catalog(settings.DATA_DIR / "catalog")
            for code, name, field_name in REFERENCE:
                field, _ = Field.objects.get_or_create(code=f"ref-{code}", defaults={"name": field_name})
                Procedure.objects.create(code=code, name=name, status="reference", field=field)
        yield


def codes(page) -> list[str]:
    return [p.code for p in page.items]


def operational(q: str, **filters):
    return search_procedures(q=q, status="operational", limit=100, **filters)


def everything(q: str):
    return search_procedures(q=q, limit=100)


@pytest.mark.parametrize("query", ["khai sinh", "Khai Sinh", "KHAI SINH", "đăng ký khai sinh", "dang ky khai sinh",
                                   "thủ tục đăng ký khai sinh"])
def test_birth_registration_comes_first(real_catalog, query):
    assert codes(operational(query))[0] == BIRTH


def test_khai_sinh_finds_only_what_holds_the_phrase(real_catalog):
    found = codes(everything("khai sinh"))
    assert set(found) == {BIRTH, BIRTH_FOREIGN, BIRTH_COPY, "1.004884"}
    # Not school enrolment nor a pupil's transfer ("sinh" alone), not a tax return ("khai" alone).
    for other in (ENROLMENT, SCHOOL_TRANSFER, MIDWIFE_LICENCE, "1.004045", "2.001095", "1.008327"):
        assert other not in found


def test_tuyen_sinh_finds_enrolment_not_births(real_catalog):
    assert codes(operational("tuyển sinh")) == [ENROLMENT]
    assert set(codes(everything("tuyen sinh"))) == {ENROLMENT, "1.004045"}


@pytest.mark.parametrize("query", ["dang ky ket hon", "đăng ký kết hôn", "ket hon", "kết hôn",
                                   "đăng ky kết hon"])
def test_marriage_registration_with_or_without_diacritics(real_catalog, query):
    found = codes(operational(query))
    assert found[0] == MARRIAGE and set(found) == {MARRIAGE, MARRIAGE_FOREIGN}


def test_a_shared_common_word_does_not_qualify_when_the_phrase_matches(real_catalog):
    # "đăng ký" alone would bring permanent residence, land, companies …: the whole query is matched first.
    found = codes(operational("đăng ký kết hôn"))
    assert "1.004222" not in found and "1.013978" not in found


@pytest.mark.parametrize("query", ["chung thuc", "chứng thực"])
def test_certification(real_catalog, query):
    assert set(codes(operational(query))) == CERTIFICATIONS
    assert set(codes(everything(query))) == CERTIFICATIONS | {"2.001019"}


def test_building_permit(real_catalog):
    found = codes(operational("giay phep xay dung"))
    assert found[0] == BUILDING_PERMIT
    assert not DRIVING_LICENCES & set(found) and "1.014199" not in found  # other permits share only "giấy phép"
    assert codes(operational("giấy phép xây dựng"))[0] == BUILDING_PERMIT


def test_extra_words_around_the_phrase_still_find_it(real_catalog):
    assert codes(operational("lam giay khai sinh"))[0] == BIRTH
    assert codes(operational("xin cấp lại giấy phép lái xe"))[0] == "3.000348"


def test_reordered_words_are_found_when_no_pair_matches(real_catalog):
    assert codes(operational("hôn kết"))[0] == MARRIAGE


def test_marked_words_come_before_their_diacritic_free_twins(real_catalog):
    # "hồ sơ" folds to "ho so": "hộ" (household, civil status) must not bring it; "ho" typed bare may.
    marked = codes(everything("hộ"))
    assert "1.008327" not in marked and "1.001612" in marked
    for procedure in Procedure.objects.filter(code__in=marked).select_related("field", "agency"):
        text = " ".join(filter(None, [procedure.name, procedure.field and procedure.field.name,
                                      procedure.agency and procedure.agency.name, procedure.result]))
        assert "hộ" in marked_words(text), procedure.code
    assert "1.008327" in codes(everything("ho"))


def test_wrong_or_missing_marks_fall_back_to_the_diacritic_free_phrase(real_catalog):
    assert codes(operational("khai sính"))[0] == BIRTH
    assert codes(everything("hồ chiếu")) == ["1.001456"]


def test_every_result_holds_a_pair_of_the_query(real_catalog):
    for query in ("khai sinh", "dang ky ket hon", "giay phep xay dung", "cap the can cuoc"):
        pairs = set(zip(fold(query).split(), fold(query).split()[1:], strict=False))
        for procedure in Procedure.objects.filter(code__in=codes(everything(query))):
            words = fold(procedure.name + " " + procedure.result).split()
            names = set(zip(words, words[1:], strict=False)) | {
                (a.strip(",.()"), b.strip(",.()")) for a, b in zip(words, words[1:], strict=False)}
            assert pairs & names, (query, procedure.code)


def test_exact_code(real_catalog):
    assert codes(operational("1.014199")) == ["1.014199"]
    assert codes(operational(" 1.001193 ")) == [BIRTH]


def test_an_unknown_word_gives_an_empty_page_that_says_which_word(real_catalog):
    page = operational("thuế xyzzy")
    assert page.count == 0 and page.items == [] and page.elsewhere == []
    assert "“xyzzy”" in page.message and "“thuế”" not in page.message


def test_known_words_that_match_nothing_together_say_so(real_catalog):
    page = operational("khai sinh", field="dat-dai")
    assert page.count == 0 and "Không có thủ tục nào khớp với “khai sinh”" in page.message


def test_filters_apply_before_the_stages(real_catalog):
    # In the land field nothing holds "kết hôn": the words of the query are then matched one by one.
    assert codes(operational("đăng ký", field="dat-dai"))
    assert all(p.field.code == "dat-dai" for p in operational("đăng ký", field="dat-dai").items)


def test_pages_of_a_search_add_up_to_its_count(real_catalog):
    first = search_procedures(q="dang ky", limit=5)
    rest = search_procedures(q="dang ky", offset=5, limit=100)
    assert first.count == rest.count == len(first.items) + len(rest.items) > 5
    assert not set(codes(first)) & set(codes(rest))


@pytest.mark.parametrize("query", ["hộ chiếu", "ho chieu", "HỘ CHIẾU", "cấp lại hộ chiếu", "làm passport"])
def test_passports_are_not_received_here_and_search_says_where(real_catalog, query):
    page = operational(query)
    assert page.count == 0 and page.items == [] and page.message == ""
    assert [e.code for e in page.elsewhere] == ["ho-chieu"]
    entry = page.elsewhere[0]
    assert "Quản lý xuất nhập cảnh" in entry.where and "Công an thành phố Hà Nội" in entry.where
    assert entry.online_url.startswith("https://dichvucong.gov.vn")


def test_a_reference_entry_still_shows_beside_the_notice(real_catalog):
    page = everything("hộ chiếu")
    assert codes(page) == ["1.001456"] and [e.code for e in page.elsewhere] == ["ho-chieu"]
    assert [e.code for e in everything("1.001456").elsewhere] == ["ho-chieu"]
    # The rest of the query does not bring what only shares it: "cấp lại" of a driving licence.
    assert codes(everything("cấp lại hộ chiếu")) == ["1.001456"]


@pytest.mark.parametrize("query", ["hộ", "chiếu", "hộ tịch", "khai sinh", "1.001193"])
def test_the_notice_needs_its_whole_phrase(real_catalog, query):
    assert operational(query).elsewhere == []


def test_the_notice_is_data(real_catalog):
    HandledElsewhere.objects.create(code="thi-thuc", name="Cấp thị thực", aliases=["thị thực", "visa"],
                                    where="Cục Quản lý xuất nhập cảnh")
    assert [e.code for e in operational("xin visa").elsewhere] == ["thi-thuc"]
