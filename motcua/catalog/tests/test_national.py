"""Tests for the National Public Service Portal parser (pure Python: no Django, no database).

The fixture `fixtures/national_sample.jsonl` holds real records copied from
`shared/reference/national-catalog.jsonl.gz`, chosen for their awkward shapes.  Only the keys the
parser does not read (`raw_text`, `trinh_tu_thuc_hien`, `yeu_cau_dieu_kien`) were dropped to keep
the file small; every other value is unchanged.  Expected values below were checked by hand
against the flattened source text.
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import os
import subprocess
import sys
import time
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.catalog.national import (
    ParsedChannel,
    ParsedDocument,
    ParsedFee,
    ParsedProcedure,
    iter_records,
    normalize_text,
    parse_amount,
    parse_channels,
    parse_documents,
    parse_levels,
    parse_record,
    parse_time,
)

FIXTURE = Path(__file__).parent / "fixtures" / "national_sample.jsonl"
CATALOG = Path(__file__).parents[4] / "shared/reference/national-catalog.jsonl.gz"

HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"
DOC_HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"


@pytest.fixture(scope="module")
def sample() -> dict[str, dict]:
    return {record["ma_thu_tuc"]: record for record in iter_records(FIXTURE)}


@pytest.fixture(scope="module")
def parsed(sample) -> dict[str, ParsedProcedure]:
    return {code: parse_record(record) for code, record in sample.items()}


def has_problem(procedure: ParsedProcedure, text: str) -> bool:
    return any(text in problem for problem in procedure.problems)


def record(**fields: str) -> dict:
    """A minimal synthetic record; only for shapes the real data does not contain."""
    base = {
        "ma_thu_tuc": "9.999999",
        "ten_thu_tuc": "Thủ tục thử",
        "_ministry_folder": "bo-tu-phap",
        "detail_url": "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/x",
        "cap_thuc_hien": "Cấp xã",
        "linh_vuc": "Hộ tịch",
        "cach_thuc_thuc_hien": f"{HEADER}Trực tiếp5 Ngày làm việcMiễn phí",
        "thanh_phan_ho_so": f"--{DOC_HEADER}Tờ khai1 bản chính",
        "can_cu_phap_ly": "Tên văn bản pháp lýMã văn bảnLuật Hộ tịch60/2014/QH13",
        "ket_qua_xu_ly": "Trích lụcMã: KQ.G14.000001Từ khóaKhông có thông tin",
    }
    base.update(fields)
    return base


# --------------------------------------------------------------------------- fixture sanity


def test_fixture_is_small_and_real(sample):
    assert FIXTURE.stat().st_size < 200_000
    assert len(sample) >= 25
    for code, raw in sample.items():
        assert raw["detail_url"].startswith("https://dichvucong.gov.vn/")
        assert code


# --------------------------------------------------------------------------- table tests

D = Decimal

# code -> (levels, shortest working days, [(channel, days, fee amounts)], [(originals, copies) of the
# first documents], number of documents)
EXPECTED = {
    "1.000178": (("central",), D(60), [("post", D(60), []), ("direct", D(60), [])], [(1, 0)] * 8, 8),
    "2.002192": (
        ("province",),
        None,
        [("online", None, [0]), ("post", None, [0]), ("direct", None, [0])],
        [(0, 1), (1, 0), (0, 1), (0, 1), (0, 1), (0, 1), (None, None), (0, 1)],
        8,
    ),
    "6.003636": (
        ("province",),
        None,
        [("direct", None, [0]), ("online", None, [0]), ("post", None, [0])],
        [(1, 0)] * 3,
        3,
    ),
    "3.000141": ((), None, [("online", None, [0])], [(1, 1)], 1),
    "1.007857": (
        ("commune",),
        None,
        [("online", None, [None]), ("direct", None, [0])],
        [(None, None)] * 4,
        16,
    ),
    "2.002009": (
        ("central", "province"),
        None,
        [("online", None, [None]), ("post", None, [None]), ("direct", None, [None])],
        [(1, 0), (0, 1), (1, 0), (0, 1)],
        22,
    ),
    "1.000771": (
        ("central",),
        D(5),
        [("online", D(5), [None]), ("post", D(5), [None]), ("direct", D(5), [None])],
        [(1, 0), (None, None), (1, 0), (1, 0)],
        4,
    ),
    "3.000340": (
        ("central",),
        None,
        [("online", None, [None]), ("post", None, [None]), ("direct", None, [None])],
        [(1, 0), (1, 0), (1, 0), (0, 5), (0, 5)],
        5,
    ),
    "1.011325": (
        ("province",),
        D(5),
        [("online", D(5), [2_000_000]), ("post", D(5), [2_000_000]), ("direct", D(5), [2_000_000])],
        [(None, None), (0, 1), (1, 0), (0, 1)],
        8,
    ),
    "1.004002": (
        ("province", "commune"),
        D(2),
        [("online", D(2), [70_000]), ("post", D(2), [70_000]), ("direct", D(2), [70_000])],
        [(1, 1), (1, 1), (1, 0), (1, 1)],
        4,
    ),
    "1.013097": (
        (),
        D("1.5"),
        [("online", D("1.5"), [40_000]), ("post", D("1.5"), [40_000]), ("direct", D("1.5"), [40_000])],
        [(None, None), (1, 0), (1, 0), (None, None)],
        8,
    ),
    "1.001010": (
        ("province",),
        None,
        [("direct", None, [None])],
        [(1, 0), (0, 1), (1, 0), (1, 0), (1, 0), (1, 0)],
        6,
    ),
    "1.007689": (
        ("province", "commune"),
        None,
        [("online", None, [0]), ("post", None, [0]), ("direct", None, [0])],
        [(1, 1), (1, 0)],
        2,
    ),
    "1.009825": (
        ("central", "province", "commune"),
        None,
        [("direct", None, []), ("online", None, []), ("post", None, [])],
        [(1, 0)],
        1,
    ),
    "1.014059": (
        ("commune",),
        D(7),
        [("direct", D(7), []), ("online", D(7), [])],
        [(None, None), (1, 0), (1, 0), (1, 0)],
        4,
    ),
    "1.000096": (("commune",), None, [("online", None, [0]), ("direct", None, [0])], [(1, 0), (0, 1)], 2),
    "1.001280": (
        ("province",),
        D(3),
        [("online", D(3), [50_000]), ("direct", D(3), [None])],
        [(0, 1), (1, 1), (0, 1), (1, 0), (2, 0)],
        5,
    ),
    "1.007664": (
        ("central", "commune"),
        None,
        [("online", None, [0]), ("direct", None, [0])],
        [(0, 1), (0, 1), (0, 1), (1, 0), (0, 1), (1, 0)],
        6,
    ),
    "2.002338": (
        ("province",),
        D(5),
        [("online", D(5), [0]), ("post", D(5), [0]), ("direct", D(5), [0])],
        [],
        0,
    ),
    "3.000364": (
        ("province",),
        D(15),
        [("online", D(15), [0]), ("post", D(15), [0]), ("direct", D(15), [0])],
        [],
        0,
    ),
    "1.009537": (
        ("central",),
        None,
        [("online", None, [None]), ("post", None, [None]), ("direct", None, [None])],
        [(None, None)],
        1,
    ),
    "1.000025": (("central", "province"), None, [("direct", None, [0])], [(1, 0)] * 5, 13),
    "1.009539": (
        ("central",),
        D(7),
        [("online", D(7), [0]), ("post", D(7), [0]), ("direct", D(7), [0])],
        [(None, None)],
        1,
    ),
    "1.004089": (("province",), None, [("direct", None, [])], [(1, 0)] * 4, 4),
    "3.000444": (
        ("province",),
        D(10),
        [("online", D(10), [0]), ("post", D(10), [0]), ("direct", D(10), [0])],
        [(1, 0), (1, 0)],
        2,
    ),
    "1.003406": (
        ("central",),
        D(3),
        [("online", D(3), [1_500_000]), ("post", D(3), [1_500_000]), ("direct", D(3), [1_500_000])],
        [(1, 0), (0, 1)],
        2,
    ),
    "1.000232": (
        ("central",),
        None,
        [("direct", None, []), ("post", None, []), ("online", None, [])],
        [(1, 0)],
        1,
    ),
    "1.115126": (
        ("central",),
        D(3),
        [("direct", D(3), []), ("post", D(3), []), ("post", None, [])],
        [(1, 0)] * 4,
        6,
    ),
    "3.000349": (("central",), D(5), [("direct", D(5), [None])], [(0, 1), (1, 0), (0, 1), (1, 0)], 4),
    "1.010095": (("central",), D(3), [("post", D(3), [None]), ("direct", D(3), [None])], [(1, 0), (1, 0)], 2),
}


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_real_record_table(parsed, code):
    levels, days, channels, first_counts, document_count = EXPECTED[code]
    procedure = parsed[code]
    assert procedure.code == code
    assert procedure.levels == levels
    assert procedure.level == (levels[0] if levels else None)
    assert procedure.processing_days == days
    assert [
        (c.channel, c.processing_days, [f.amount for f in c.fees]) for c in procedure.channels
    ] == channels
    assert len(procedure.documents) == document_count
    counts = [(d.original_count, d.copy_count) for d in procedure.documents]
    assert counts[: len(first_counts)] == first_counts


def test_complaint_procedure_in_full(parsed):
    """1.000178: a central-level complaint procedure, every field hand-checked."""
    p = parsed["1.000178"]
    assert p.name.startswith("Giải quyết khiếu nại về quyết định hành chính, hành vi hành chính")
    assert p.ministry == "Bộ Công an"
    assert p.source_url == "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bf7-4fc1-768b-9ba3-94be4bca58ee"
    assert p.field_name == "Khiếu nại, tố cáo"
    assert p.competent_agency == "Bộ Công an"
    assert p.implementing_agency == "Thanh tra Bộ"
    assert p.channels[0] == ParsedChannel(
        channel="post",
        processing_days=Decimal(60),
        processing_text="60 Ngày làm việc",
        fees=(),
        description=p.channels[0].description,
    )
    assert p.channels[0].description.startswith("Thời hạn giải quyết khiếu nại lần đầu không quá 30 ngày")
    assert p.documents[0] == ParsedDocument("Tài liệu, chứng cứ do các bên cung cấp", 1, 0)
    assert p.documents[-1] == ParsedDocument("Đơn khiếu nại hoặc bản ghi nội dung khiếu nại", 1, 0)
    assert p.result == "Quyết định giải quyết khiếu nại lần 1, lần 2"
    assert p.legal_basis is not None
    assert p.legal_basis.startswith("Hướng dẫn xử lý khiếu nại, kiến nghị, phản ánh")
    assert "02/2011/QH13" in p.legal_basis
    assert p.problems == ("fee: not stated",)


def test_clean_record_has_no_problems(parsed):
    p = parsed["1.004002"]
    assert p.problems == ()
    assert p.channels[0].fees == (ParsedFee("70,000 VNĐ (70.000 đồng/Giấy chứng nhận)", 70_000),)
    assert p.documents[2].name == "Đơn đề nghị đăng ký lại phương tiện thủy nội địa theo quy địnhMauon.docx"


def test_fee_description_keeps_cell_and_note(parsed):
    fee = parsed["1.011325"].channels[0].fees[0]
    assert fee.amount == 2_000_000
    assert fee.description.startswith("2,000,000 Việt Nam Đồng (Phí kiểm tra và cấp giấy chứng nhận đơn hàng")


def test_unbalanced_fee_note_runs_to_end_of_row(parsed):
    channel = parsed["1.003406"].channels[0]
    assert channel.fees[0].description.startswith("1,500,000 VNĐ (đồng/lần(Lệ phí đăng ký các quyền tàu bay")
    assert channel.description == ""


def test_thirteen_rows_keep_the_shortest_working_time(parsed):
    p = parsed["3.000242"]
    assert len(p.channels) == 13
    assert p.processing_days == Decimal(3)
    assert {c.processing_text for c in p.channels if c.processing_days is None} == {
        "15 Ngày",
        "1 Giờ",
        "20 Ngày",
    }


def test_document_counts_quoted_inside_names_are_not_cells(parsed):
    # "…trị giá thấp: 01 bản chính1 bản chính": the first count is part of the name.
    assert parsed["1.000096"].documents[0] == ParsedDocument(
        "Tờ khai hàng hóa xuất khẩu trị giá thấp: 01 bản chính", 1, 0
    )
    # "…1 bản chính,1 bản sao01 bản sao giấy khai sinh…": the next name starts with digits.
    names = [d.name for d in parsed["1.001280"].documents]
    assert any(name.startswith("01 bản sao giấy khai sinh") for name in names)
    # "…: 01 bản chính; c) Thông báo…": a count followed by punctuation stays in the name.
    assert len(parsed["3.000141"].documents) == 1


def test_several_document_tables(parsed):
    names = [d.name for d in parsed["1.007664"].documents]
    assert names[-1] == "Hồ sơ hải quan theo quy định của pháp luật hải quan."
    assert not any("Tên giấy tờ" in name for name in names)


def test_result_codes_of_other_shapes(parsed):
    assert parsed["1.004089"].result == "Quyết định hành chính"  # "Mã: 000.00.00.G11-KQ1711"
    assert parsed["3.000444"].result == (  # "Mã: adjfsbj"
        "Quyết định công nhận hoàn thành tập sự hành nghề công chứng hoặc văn bản từ chối có nêu rõ lý do."
    )
    assert parsed["3.000242"].result == "Văn bản trả lời; Văn bản đồng ý cho phép sử dụng thẻ ABTC"


def test_free_text_time_cells(parsed):
    assert parsed["1.007689"].channels[0].processing_text == "Không phải trả kết quả cho người nộp thuế"
    assert parsed["1.009825"].channels[0].processing_text == "Không"
    assert parsed["1.009825"].channels[0].description == "Tại Trung tâm phục vụ hành chính công cấp tỉnh, xã"


# --------------------------------------------------------------------------- one test per problem kind

REAL_PROBLEMS = [
    ("2.002192", "processing time: no unit in '1'"),
    ("6.003636", "processing time: calendar days, not working days: '15 Ngày'"),
    ("3.000141", "processing time: clock hours, not working hours: '8 Giờ'"),
    ("1.001010", "processing time: months, not working days: '6 Tháng'"),
    ("1.000232", "processing time: not stated"),
    ("1.007689", "processing time: not a number: 'Không phải trả kết quả cho người nộp thuế'"),
    ("1.007857", "processing time and fee run together: '220 VNĐ'"),
    ("2.002009", "processing time and fee run together: '1100 VNĐ'"),
    ("1.000178", "fee: not stated"),
    ("1.000771", "fee: amount not in đồng: '10 USD'"),
    ("1.001010", "fee: amount not in đồng: '100 USD'"),
    ("3.000340", "fee: 'Miễn phí' with a note that does not confirm it: 'Cho một loại hình sản phẩm"),
    ("1.010095", "fee: 'Miễn phí' with a note that does not confirm it: 'Áp dụng mức thu"),
    ("3.000349", "fee: the amount cell '135 VNĐ' disagrees with the note: 'Lệ phí cấp giấy phép lái xe"),
    ("1.001280", "fee: the amount cell '50,000 Việt Nam Đồng' disagrees with the note: '25.000.000đ"),
    ("1.014059", "document count: digits run into the name: "),
    ("1.007857", "document count: zero originals and zero copies for 'Giấy phép xuất khẩu"),
    ("1.009537", "document count: not stated for 'Tài liệu chứng minh công ty chứng khoán"),
    ("3.000364", "documents: none listed"),
    ("2.002338", "documents: no document table in 'phải được kê khai"),
    ("3.000141", "level: no mapping for 'Cơ quan khác'"),
    ("1.009539", "result: no result code in 'hợp đồng đã ký với khách hàng."),
    ("1.115126", "result: unreadable code in 'Mã:Cơ quan đăng ký kinh doanh"),
    ("1.004045", "legal basis: not stated"),
]


@pytest.mark.parametrize(("code", "problem"), REAL_PROBLEMS)
def test_problem_kinds_on_real_records(parsed, code, problem):
    assert has_problem(parsed[code], problem), parsed[code].problems


def test_run_together_leaves_both_time_and_fee_empty(parsed):
    online = parsed["1.007857"].channels[0]
    assert online.processing_days is None
    assert online.processing_text == "220 VNĐ"
    assert online.fees == (ParsedFee("220 VNĐ (lệ phí hải quan 20.000 đồng/ tờ khai hải quan.)", None),)


def test_digits_run_into_name_keep_the_digits_in_the_name(parsed):
    document = parsed["1.014059"].documents[0]
    assert document.original_count is None and document.copy_count is None
    assert document.name.endswith("ngày 25/6/20241")


def test_district_level_is_mapped_to_commune_with_a_note():
    p = parse_record(record(cap_thuc_hien="Cấp Huyện, Cấp Tỉnh"))
    assert p.levels == ("commune", "province")
    assert p.level == "commune"
    assert has_problem(p, "district level was abolished on 1 July 2025")


def test_level_words():
    assert parse_levels("Cấp Bộ, Cấp Trung ương, Cấp tỉnh, Cấp Xã") == (
        ("central", "province", "commune"),
        (),
    )
    assert parse_levels("") == ((), ("level: not stated",))
    assert parse_levels("Cấp thôn")[1] == ("level: no mapping for 'Cấp thôn'",)


def test_synthetic_problem_kinds():
    assert has_problem(parse_record(record(ma_thu_tuc="")), "code: missing")
    assert has_problem(parse_record(record(ten_thu_tuc=" ")), "name: missing")
    assert has_problem(parse_record(record(detail_url="")), "source URL: missing")
    assert has_problem(parse_record(record(linh_vuc="Không có thông tin")), "field: not stated")
    assert has_problem(parse_record(record(_ministry_folder="bo-y-te")), "ministry: unknown folder 'bo-y-te'")
    assert has_problem(parse_record(record(ket_qua_xu_ly="")), "result: not stated")
    assert has_problem(parse_record(record(cach_thuc_thuc_hien=HEADER)), "channels: not stated")
    assert has_problem(
        parse_record(record(cach_thuc_thuc_hien="Nộp tại bộ phận một cửa")),
        "channels: none found in 'Nộp tại bộ phận một cửa'",
    )
    p = parse_record(
        record(cach_thuc_thuc_hien=f"{HEADER}Ghi chú trước bảngTrực tiếp5 Ngày làm việcMiễn phí")
    )
    assert has_problem(p, "channels: unrecognised text before the first channel: 'Ghi chú trước bảng'")
    assert p.processing_days == Decimal(5)
    p = parse_record(record(thanh_phan_ho_so=f"--{DOC_HEADER}****1 bản chính"))
    assert has_problem(p, "document count without a name: '1 bản chính'")
    p = parse_record(record(thanh_phan_ho_so=f"--{DOC_HEADER}Tờ khaiBản chính: 1, Bản sao: 123456"))
    assert has_problem(p, "document count: implausible count")
    p = parse_record(record(cach_thuc_thuc_hien=f"{HEADER}Trực tiếp5 Ngày làm việc"))
    assert has_problem(p, "fee: not stated")
    p = parse_record(record(cach_thuc_thuc_hien=f"{HEADER}Trực tiếp5 Ngày làm việcTheo quy định"))
    assert has_problem(p, "fee: no amount in 'Theo quy định'")


def test_record_without_problems_is_possible():
    p = parse_record(record())
    assert p.problems == ()
    assert p.ministry == "Bộ Tư pháp"
    assert p.documents == (ParsedDocument("Tờ khai", 1, 0),)
    assert p.result == "Trích lục"
    assert p.legal_basis == "Luật Hộ tịch60/2014/QH13"


# --------------------------------------------------------------------------- building blocks


@pytest.mark.parametrize(
    ("text", "days", "problem"),
    [
        ("15 Ngày làm việc", Decimal(15), None),
        ("15 ngày làm việc", Decimal(15), None),
        ("1.5 Ngày làm việc", Decimal("1.5"), None),
        ("1,5 ngày làm việc", Decimal("1.5"), None),
        ("4 giờ làm việc", Decimal("0.5"), None),
        ("12 Giờ làm việc", Decimal("1.5"), None),
        ("15 Ngày", None, "processing time: calendar days, not working days: '15 Ngày'"),
        ("15 ngày", None, "processing time: calendar days, not working days: '15 ngày'"),
        ("24 Giờ", None, "processing time: clock hours, not working hours: '24 Giờ'"),
        ("3 Tháng", None, "processing time: months, not working days: '3 Tháng'"),
        ("2 tuần", None, "processing time: weeks, not working days: '2 tuần'"),
        ("1", None, "processing time: no unit in '1'"),
        ("Không có thông tin", None, "processing time: not stated"),
        ("", None, "processing time: not stated"),
        ("Không quy định", None, "processing time: not a number: 'Không quy định'"),
    ],
)
def test_parse_time(text, days, problem):
    assert parse_time(text) == (days, (problem,) if problem else ())


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("100.000 đồng", 100_000),
        ("50.000đ", 50_000),
        ("Lệ phí: 20.000 đồng/bản", 20_000),
        ("2,000,000 Việt Nam Đồng", 2_000_000),
        ("70,000 VNĐ", 70_000),
        ("150000 đồng", 150_000),
        ("1,5 triệu đồng", 1_500_000),
        ("Miễn phí", 0),
        ("miễn lệ phí", 0),
        ("Không", 0),
        ("Không thu phí.", 0),
    ],
)
def test_parse_amount(text, amount):
    assert parse_amount(text) == (amount, ())


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("10 USD", "fee: amount not in đồng: '10 USD'"),
        (
            "Theo quy định của Hội đồng nhân dân tỉnh",
            "fee: no amount in 'Theo quy định của Hội đồng nhân dân tỉnh'",
        ),
        ("12.5 đồng", "fee: no amount in '12.5 đồng'"),
        (
            "Cấp mới 40.000 đồng; cấp lại 20.000 đồng",
            "fee: several amounts in 'Cấp mới 40.000 đồng; cấp lại 20.000 đồng'",
        ),
        ("Không có thông tin", "fee: not stated"),
        ("", "fee: not stated"),
    ],
)
def test_parse_amount_problems(text, problem):
    assert parse_amount(text) == (None, (problem,))


def test_worded_document_counts():
    documents, problems = parse_documents(
        f"{DOC_HEADER}Đơn đề nghịBản chính: 1 Bản sao: 0Giấy phépBản chính: 0, Bản sao: 2"
    )
    assert documents == (ParsedDocument("Đơn đề nghị", 1, 0), ParsedDocument("Giấy phép", 0, 2))
    assert problems == ()


def test_channel_name_inside_a_description_is_not_a_row():
    channels, problems = parse_channels(
        f"{HEADER}Trực tiếp5 Ngày làm việcMiễn phíNộp qua Trực tuyếnXem hướng dẫn"
    )
    assert len(channels) == 1
    assert channels[0].description == "Nộp qua Trực tuyếnXem hướng dẫn"
    assert problems == ()


def test_list_label_after_free_is_description_not_note():
    channels, _ = parse_channels(f"{HEADER}Trực tiếp5 Ngày làm việcMiễn phí(a) Đối với cá nhân")
    assert channels[0].fees == (ParsedFee("Miễn phí", 0),)
    assert channels[0].description == "(a) Đối với cá nhân"


def test_free_with_a_confirming_note_is_zero():
    channels, problems = parse_channels(f"{HEADER}Trực tiếp5 Ngày làm việcMiễn phí(Không quy định.)")
    assert channels[0].fees == (ParsedFee("Miễn phí (Không quy định.)", 0),)
    assert problems == ()


def test_normalisation_to_nfc_and_single_spaces():
    decomposed = unicodedata.normalize("NFD", "Cấp  tỉnh\n")
    assert normalize_text(decomposed) == "Cấp tỉnh"
    assert normalize_text("a\u200bb\u00a0 c") == "ab c"
    p = parse_record(record(cap_thuc_hien=decomposed, linh_vuc=unicodedata.normalize("NFD", " Hộ   tịch ")))
    assert p.levels == ("province",)
    assert p.field_name == "Hộ tịch"
    assert unicodedata.is_normalized("NFC", p.field_name)


def test_module_does_not_import_django():
    code = "import sys, motcua.catalog.national; print('django' in sys.modules)"
    root = Path(__file__).parents[3]
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


def test_results_are_frozen(parsed):
    with pytest.raises(dataclasses.FrozenInstanceError):
        parsed["1.000178"].code = "x"  # type: ignore[misc]


def test_iter_records_reads_plain_and_gzip(tmp_path):
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()[:3]
    plain = tmp_path / "a.jsonl"
    plain.write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    packed = tmp_path / "a.jsonl.gz"
    with gzip.open(packed, "wt", encoding="utf-8") as handle:
        handle.write("\n".join(lines))
    expected = [json.loads(line) for line in lines]
    assert list(iter_records(plain)) == expected
    assert list(iter_records(str(packed))) == expected


# --------------------------------------------------------------------------- robustness

FIELDS = [
    "ma_thu_tuc",
    "ten_thu_tuc",
    "_ministry_folder",
    "detail_url",
    "cap_thuc_hien",
    "linh_vuc",
    "co_quan_co_tham_quyen",
    "co_quan_thuc_hien",
    "cach_thuc_thuc_hien",
    "thanh_phan_ho_so",
    "can_cu_phap_ly",
    "ket_qua_xu_ly",
]
FRAGMENTS = [
    HEADER,
    DOC_HEADER,
    "Trực tiếp",
    "Trực tuyến",
    "Dịch vụ bưu chính",
    "Ngày làm việc",
    "Ngày",
    "Giờ",
    "Tháng",
    "Miễn phí",
    "Không có thông tin",
    "Không",
    "VNĐ",
    "Việt Nam Đồng",
    "USD",
    " bản chính",
    ",1 bản sao",
    "Bản chính: ",
    "Bản sao: ",
    "Mã: ",
    "KQ.G01.000001",
    "Từ khóa",
    "(",
    ")",
    "--",
    "Cấp huyện",
    "Cấp tỉnh",
    ", ",
    "1",
    "20",
    "1.5",
    "100,000",
    "9" * 40,
    "đồng",
    "/lần",
    "\u0301",
    " ",
    "\n",
]
texty = st.one_of(
    st.text(max_size=80),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=25).map("".join),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(st.sampled_from(FIELDS), st.one_of(texty, st.none(), st.integers()), max_size=len(FIELDS))
)
def test_parse_record_never_raises(fields):
    p = parse_record(fields)
    assert isinstance(p, ParsedProcedure)
    assert all(isinstance(problem, str) and problem for problem in p.problems)
    assert len(set(p.problems)) == len(p.problems)
    assert p.level in {None, "central", "province", "commune"}
    for channel in p.channels:
        assert channel.channel in {"direct", "online", "post"}
        assert channel.processing_days is None or channel.processing_days >= 0
        assert all(fee.amount is None or fee.amount >= 0 for fee in channel.fees)
    if p.processing_days is not None:
        assert p.processing_days == min(
            c.processing_days for c in p.channels if c.processing_days is not None
        )


@settings(max_examples=200, deadline=None)
@given(texty)
def test_parsers_never_raise_on_any_cell(text):
    parse_time(text)
    parse_amount(text)
    parse_levels(text)
    parse_channels(text)
    parse_documents(text)


# --------------------------------------------------------------------------- the whole catalog


def test_whole_catalog(capsys):
    if not CATALOG.exists():
        pytest.skip(f"national catalog not found at {CATALOG}")
    started = time.perf_counter()
    procedures = [parse_record(raw) for raw in iter_records(CATALOG)]
    elapsed = time.perf_counter() - started
    assert len(procedures) == 2642
    assert all(p.code for p in procedures)
    assert len({p.code for p in procedures}) == len(procedures)

    def share(predicate) -> float:
        return sum(1 for p in procedures if predicate(p)) / len(procedures)

    shares = {
        "processing days": share(lambda p: p.processing_days is not None),
        "fee amount": share(lambda p: any(f.amount is not None for c in p.channels for f in c.fees)),
        "documents": share(lambda p: bool(p.documents)),
        "all document counts": share(
            lambda p: bool(p.documents) and all(d.original_count is not None for d in p.documents)
        ),
        "level": share(lambda p: p.level is not None),
        "field": share(lambda p: p.field_name is not None),
        "result": share(lambda p: p.result is not None),
        "no problems": share(lambda p: not p.problems),
    }
    with capsys.disabled():
        print(f"\nnational catalog: {len(procedures)} records parsed in {elapsed:.2f} s")
        for name, value in shares.items():
            print(f"  {name:>20}: {value:6.1%}")
    # Floors well under the measured values, so that a regression in the parser shows up.
    assert shares["processing days"] > 0.5
    assert shares["fee amount"] > 0.65
    assert shares["documents"] > 0.95
    assert shares["level"] > 0.95
    assert shares["field"] > 0.99
