import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from motcua.catalog.models import Field, Procedure
from motcua.catalog.selectors import search_procedures
from motcua.catalog.services import import_catalog

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(catalog_dir):
    import_catalog(catalog_dir)
    other = Field.objects.create(code="tu-phap", name="Tư pháp")
    Procedure.objects.create(code="2.000635", name="Cấp bản sao trích lục hộ tịch", status="reference", field=other,
                             level="province", agency_text="Sở Tư pháp", import_problems=["fees: not parsed"])
    Procedure.objects.create(code="1.000894", name="Thủ tục đăng ký kết hôn", status="reference", field=other,
                             level="commune")


def codes(page):
    return [p.code for p in page.items]


@pytest.mark.parametrize("query", ["khai sinh", "dang ky khai sinh", "lam giay khai sinh", "ĐĂNG KÝ KHAI SINH",
                                   "Khai Sinh"])
def test_search_ignores_diacritics_and_case(catalog, query):
    assert codes(search_procedures(q=query))[0] == "1.001193"


def test_search_ranks_the_closest_name_first(catalog):
    assert codes(search_procedures(q="dang ky ket hon"))[0] == "1.000894"
    assert codes(search_procedures(q="the chap")) == ["1.004227"]


def test_search_by_exact_code(catalog):
    assert codes(search_procedures(q="1.004227")) == ["1.004227"]


def test_search_with_no_match_is_empty(catalog):
    page = search_procedures(q="tàu vũ trụ")
    assert page.count == 0 and page.items == []


def test_filters_combine_with_search(catalog):
    assert codes(search_procedures(level="commune", status="operational")) == ["1.001193"]
    assert codes(search_procedures(q="dang ky", field="dat-dai")) == ["1.004227"]
    assert codes(search_procedures(agency="commune")) == ["1.001193"]
    assert codes(search_procedures(agency="so-nong-nghiep")) == ["1.004227"]
    assert set(codes(search_procedures(status="reference"))) == {"2.000635", "1.000894"}


def test_index_follows_catalog_changes(catalog):
    assert "9.999999" not in codes(search_procedures(q="ho chieu"))
    Procedure.objects.create(code="9.999999", name="Cấp hộ chiếu phổ thông", status="reference")
    assert codes(search_procedures(q="ho chieu"))[0] == "9.999999"
    passport = Procedure.objects.get(code="9.999999")
    passport.name = "Cấp thị thực"
    passport.save()
    assert "9.999999" not in codes(search_procedures(q="ho chieu"))


def test_api_lists_with_count_and_items(client, catalog):
    response = client.get("/api/procedures", {"q": "khai sinh"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] >= 1
    first = body["items"][0]
    assert first["code"] == "1.001193"
    assert first["agency"] == "commune" and first["field"] == "ho-tich" and first["url"] == "/procedures/1.001193/"


def test_api_paginates(client, catalog):
    page1 = client.get("/api/procedures", {"page_size": 2, "page": 1}).json()
    page2 = client.get("/api/procedures", {"page_size": 2, "page": 2}).json()
    assert page1["count"] == page2["count"] == 4
    assert len(page1["items"]) == len(page2["items"]) == 2
    assert not {i["code"] for i in page1["items"]} & {i["code"] for i in page2["items"]}


@pytest.mark.parametrize("params", [{"page": 0}, {"page_size": 1000}, {"level": "district"}, {"status": "x"},
                                    {"q": "x" * 201}])
def test_api_rejects_bad_parameters_with_a_422(client, catalog, params):
    response = client.get("/api/procedures", params)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_failed" and body["details"][0]["field"] == next(iter(params))


def test_api_detail_has_documents_fees_and_route(client, catalog):
    body = client.get("/api/procedures/1.004227").json()
    assert body["agency"] == "so-nong-nghiep" and body["processing_days"] == "0.50"
    assert body["documents"] == [{"name": "Phiếu yêu cầu đăng ký thế chấp", "kind": "original", "count": 1,
                                  "registry_replaces": False, "optional": False}]
    assert body["fees"][0]["amount"] == 80000 and body["fees"][0]["per"] == "hồ sơ"
    assert [(s["role"], s["scope"], s["agency"]) for s in body["route"]] == [
        ("agency_officer", "competent", None), ("branch_leader", "agency", "trung-tam")]


def test_api_detail_of_a_reference_entry_shows_what_was_not_parsed(client, catalog):
    body = client.get("/api/procedures/2.000635").json()
    assert body["status"] == "reference" and body["import_problems"] == ["fees: not parsed"]
    assert body["agency_name"] == "Sở Tư pháp"


def test_api_unknown_code_is_a_json_404(client, catalog):
    response = client.get("/api/procedures/0.000000")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_procedure_pages_render(client, catalog):
    page = client.get("/procedures/", {"q": "khai sinh"})
    assert page.status_code == 200 and "Thủ tục đăng ký khai sinh" in page.text
    fragment = client.get("/procedures/", {"q": "the chap"}, headers={"HX-Request": "true"})
    assert "Đăng ký thế chấp" in fragment.text and "<html" not in fragment.text
    detail = client.get("/procedures/1.004227/")
    assert "80.000 đ" in detail.text and "Phiếu yêu cầu đăng ký thế chấp" in detail.text
    assert client.get("/procedures/0.000000/").status_code == 404


def test_where_a_procedure_may_be_filed_is_shown(client, catalog):
    assert "Bất kỳ chi nhánh nào của trung tâm" in client.get("/procedures/1.004227/").text
    Procedure.objects.filter(code="1.004227").update(anywhere=False, filing_branches=[1, 4])
    assert "Chỉ tại chi nhánh số 1, 4" in client.get("/procedures/1.004227/").text
    assert client.get("/api/procedures/1.004227").json()["filing_branches"] == [1, 4]


def test_load_catalog_command_reports_problems(tmp_path, agencies, capsys):
    from .conftest import BIRTH, write_catalog

    root = write_catalog(tmp_path / "c", files={"x.yaml": BIRTH.replace("field: ho-tich", "field: none")})
    with pytest.raises(CommandError, match="1 lỗi"):
        call_command("load_catalog", str(root))
    assert "unknown field 'none'" in capsys.readouterr().err


def test_unparsed_source_facts_are_shown_to_catalog_staff_only(client, catalog, django_user_model):
    assert "fees: not parsed" not in client.get("/procedures/2.000635/").text
    client.force_login(django_user_model.objects.create_user("editor", is_staff=True))
    assert "fees: not parsed" in client.get("/procedures/2.000635/").text


PASSPORT = """\
- code: ho-chieu
  name: Cấp hộ chiếu phổ thông
  aliases: [hộ chiếu, passport]
  procedure_codes: ["1.001456"]
  where: Phòng Quản lý xuất nhập cảnh, Công an thành phố Hà Nội
  online_url: https://dichvucong.gov.vn/
  legal_basis: Luật số 49/2019/QH14
  source: https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bf7-5fda-7370-bc07-6f1fd02ffcc4
"""


@pytest.fixture
def with_passports(catalog, catalog_dir):
    (catalog_dir / "elsewhere.yaml").write_text(PASSPORT, encoding="utf-8")
    import_catalog(catalog_dir)


def test_api_says_what_is_not_received_here_and_where(client, with_passports):
    body = client.get("/api/procedures", {"q": "ho chieu"}).json()
    assert body["count"] == 0 and body["items"] == [] and body["message"] is None
    [entry] = body["elsewhere"]
    assert entry["code"] == "ho-chieu" and entry["where"].startswith("Phòng Quản lý xuất nhập cảnh")
    assert entry["online_url"] == "https://dichvucong.gov.vn/" and entry["legal_basis"] == "Luật số 49/2019/QH14"
    assert entry["notice"] == ("Thủ tục này không tiếp nhận tại Trung tâm: Cấp hộ chiếu phổ thông. Nộp tại: "
                               "Phòng Quản lý xuất nhập cảnh, Công an thành phố Hà Nội")


def test_api_search_keeps_its_fields_and_adds_an_empty_elsewhere(client, with_passports):
    body = client.get("/api/procedures", {"q": "khai sinh"}).json()
    assert set(body) == {"count", "items", "message", "elsewhere"}
    assert body["elsewhere"] == [] and body["count"] == len(body["items"]) == 1


def test_api_explains_an_unknown_word(client, catalog):
    body = client.get("/api/procedures", {"q": "xyzzy"}).json()
    assert body["count"] == 0 and "“xyzzy”" in body["message"]


def test_pages_show_the_notice(client, with_passports):
    page = client.get("/procedures/", {"q": "hộ chiếu"})
    assert "Thủ tục này không tiếp nhận tại Trung tâm: Cấp hộ chiếu phổ thông." in page.text
    assert "Nộp tại: Phòng Quản lý xuất nhập cảnh" in page.text
    assert "Không tìm thấy thủ tục phù hợp" not in page.text
    fragment = client.get("/procedures/", {"q": "passport"}, headers={"HX-Request": "true"})
    assert "không tiếp nhận tại Trung tâm" in fragment.text and "<html" not in fragment.text
    assert "không tiếp nhận tại Trung tâm" not in client.get("/procedures/", {"q": "khai sinh"}).text


def test_the_catalog_page_explains_an_unknown_word(client, catalog):
    assert "Danh mục không có thủ tục nào chứa từ “xyzzy”" in client.get("/procedures/", {"q": "xyzzy"}).text
