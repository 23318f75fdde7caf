"""Parser for procedures crawled from the National Public Service Portal (dichvucong.gov.vn).

The crawl (``shared/reference/national-catalog.jsonl.gz``) holds one JSON object per
procedure with Vietnamese keys.  The portal's tables were flattened into text without any
separator between cells, e.g. ``"Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến5 Ngày làm
việcMiễn phí…"``.  This module turns one raw record into plain, frozen dataclasses.

It parses what it can and never guesses: every fact it cannot read with certainty is left
empty (``None``) and described by one short English sentence in ``ParsedProcedure.problems``.
In particular:

* a time without a unit (civil-status procedures publish ``"1"``) is not given a unit;
* calendar days, clock hours and months are not converted to working days;
* when a bare time and a fee amount run together (``"120 VNĐ"`` may be 1 day + 20 đồng or
  12 days + 0 đồng) neither is read;
* a "Miễn phí" cell whose note does not confirm it (the portal shows "Miễn phí" when no amount
  was entered), and an amount cell its own note contradicts ("135 VNĐ" / "135.000 đồng/lần"),
  give no amount;
* when the digits of a document name run into its count (``"… ngày 25/6/20241 bản chính"``)
  the count is not read, and "0 bản chính" with no copies is read as "count not stated".

Pure Python: no Django import, so it can be used from scripts and tests alike.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

__all__ = [
    "ParsedChannel",
    "ParsedDocument",
    "ParsedFee",
    "ParsedProcedure",
    "iter_records",
    "normalize_text",
    "parse_amount",
    "parse_channels",
    "parse_documents",
    "parse_legal_basis",
    "parse_levels",
    "parse_record",
    "parse_result",
    "parse_time",
]

HOURS_PER_WORKING_DAY = 8

MINISTRIES = {
    "bo-cong-an": "Bộ Công an",
    "bo-nong-nghiep-mt": "Bộ Nông nghiệp và Môi trường",
    "bo-tai-chinh": "Bộ Tài chính",
    "bo-tu-phap": "Bộ Tư pháp",
    "bo-xay-dung": "Bộ Xây dựng",
    "ngan-hang-nha-nuoc": "Ngân hàng Nhà nước Việt Nam",
    "toa-an-nhan-dan": "Tòa án nhân dân tối cao",
}


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class ParsedDocument:
    name: str
    original_count: int | None
    copy_count: int | None


@dataclass(frozen=True)
class ParsedFee:
    description: str
    amount: int | None  # integer đồng; None when the amount could not be read


@dataclass(frozen=True)
class ParsedChannel:
    channel: str  # "direct" | "online" | "post"
    processing_days: Decimal | None  # working days; None unless stated in working days/hours
    processing_text: str  # the time cell as published, e.g. "15 Ngày làm việc"
    fees: tuple[ParsedFee, ...]
    description: str = ""  # the free-text "Mô tả" cell


@dataclass(frozen=True)
class ParsedProcedure:
    code: str
    name: str
    ministry: str
    source_url: str
    level: str | None  # the first of `levels`
    levels: tuple[str, ...]  # "central" | "province" | "commune", in source order
    field_name: str | None
    competent_agency: str | None
    implementing_agency: str | None
    processing_days: Decimal | None  # shortest working-day time across channels
    channels: tuple[ParsedChannel, ...]
    documents: tuple[ParsedDocument, ...]
    legal_basis: str | None
    result: str | None
    problems: tuple[str, ...]


# --------------------------------------------------------------------------- text helpers

_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"\s+")
NO_INFO = "Không có thông tin"


def normalize_text(value: object) -> str:
    """NFC, invisible characters removed, whitespace collapsed, stripped. Non-strings -> ''/str()."""
    if value is None:
        return ""
    if not isinstance(value, str):
        value = str(value)
    value = _INVISIBLE.sub("", unicodedata.normalize("NFC", value))
    return _SPACES.sub(" ", value).strip()


def _snippet(text: str, limit: int = 60) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _optional(text: str) -> str | None:
    """None for an empty or 'no information' value."""
    if not text or text.casefold() in {NO_INFO.casefold(), "--", "-"}:
        return None
    return text


class _Problems:
    """Ordered, de-duplicated list of problem sentences."""

    def __init__(self) -> None:
        self._items: dict[str, None] = {}

    def add(self, message: str) -> None:
        self._items.setdefault(message, None)

    def extend(self, messages: tuple[str, ...] | list[str]) -> None:
        for message in messages:
            self.add(message)

    def as_tuple(self) -> tuple[str, ...]:
        return tuple(self._items)


# --------------------------------------------------------------------------- level

_LEVELS = {
    "cấp bộ": "central",
    "cấp trung ương": "central",
    "trung ương": "central",
    "cấp tỉnh": "province",
    "cấp xã": "commune",
    "cấp huyện": "commune",
}


def parse_levels(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """'Cấp bộ, Cấp tỉnh' -> (('central', 'province'), problems)."""
    text = normalize_text(text)
    problems = _Problems()
    levels: list[str] = []
    parts = [p.strip() for p in re.split(r"[,;]", text) if p.strip()]
    if not parts or _optional(text) is None:
        problems.add("level: not stated")
    for part in parts:
        key = part.casefold()
        level = _LEVELS.get(key)
        if level is None:
            if _optional(part) is not None:
                problems.add(f"level: no mapping for '{_snippet(part)}'")
            continue
        if key == "cấp huyện":
            problems.add(
                "level: 'Cấp huyện' (district) mapped to commune; district level was abolished on 1 July 2025"
            )
        if level not in levels:
            levels.append(level)
    return tuple(levels), problems.as_tuple()


# --------------------------------------------------------------------------- time

_UNIT_PATTERN = r"ngày\s+làm\s+việc|ngày|giờ\s+làm\s+việc|giờ|tháng|tuần|năm|phút"
_NUMBER = r"\d+(?:[.,]\d+)?"
_TIME = re.compile(rf"({_NUMBER})\s*({_UNIT_PATTERN})", re.IGNORECASE)
_BARE_NUMBER = re.compile(rf"{_NUMBER}")

_NOT_WORKING = {
    "ngày": "calendar days, not working days",
    "giờ": "clock hours, not working hours",
    "tháng": "months, not working days",
    "tuần": "weeks, not working days",
    "năm": "years, not working days",
    "phút": "minutes, not working days",
}


def _decimal(number: str) -> Decimal:
    return Decimal(number.replace(",", "."))


def parse_time(text: str) -> tuple[Decimal | None, tuple[str, ...]]:
    """Read a time cell such as '15 Ngày làm việc' into working days.

    Only working days and working hours (8 per day) are converted; anything else is a problem.
    """
    text = normalize_text(text)
    if not text or text.casefold() == NO_INFO.casefold():
        return None, ("processing time: not stated",)
    match = _TIME.fullmatch(text)
    if match is None:
        if _BARE_NUMBER.fullmatch(text):
            return None, (f"processing time: no unit in '{text}'",)
        return None, (f"processing time: not a number: '{_snippet(text)}'",)
    number = _decimal(match.group(1))
    unit = _SPACES.sub(" ", match.group(2)).casefold()
    if unit == "ngày làm việc":
        return number, ()
    if unit == "giờ làm việc":
        return number / HOURS_PER_WORKING_DAY, ()
    return None, (f"processing time: {_NOT_WORKING[unit]}: '{text}'",)


# --------------------------------------------------------------------------- fees

_DONG = r"Việt\s*Nam\s*Đồng|VNĐ|VND|đồng|đ(?![^\W\d_])"
_CURRENCY = rf"{_DONG}|USD|EUR|\$"
_FOREIGN = {"usd", "eur", "$"}
# Amount with thousands separators ("2,000,000", "100.000") or plain digits.
_AMOUNT = r"(?<![\d.,])(?:\d{1,3}(?:(?P<sep>[.,])\d{3})(?:(?P=sep)\d{3})*(?![.,]?\d)|\d+)"
_AMOUNT_WITH_CURRENCY = re.compile(rf"(?P<amount>{_AMOUNT})\s*(?P<currency>{_CURRENCY})", re.IGNORECASE)
_MULTIPLIED = re.compile(rf"(?<![\d.,])(\d+(?:[.,]\d+)?)\s*(triệu|nghìn|ngàn)\s*({_CURRENCY})", re.IGNORECASE)
_MAX_DIGITS = 15
_FREE = re.compile(
    r"^(?:miễn\s*(?:phí|lệ\s*phí|thu)|không\s*(?:thu|có|mất)?\s*(?:phí|lệ\s*phí)?|0)\s*[.;]?$", re.IGNORECASE
)


def _to_int(amount: str) -> int | None:
    digits = re.sub(r"[.,]", "", amount)
    return int(digits) if len(digits) <= _MAX_DIGITS else None


def parse_amount(text: str) -> tuple[int | None, tuple[str, ...]]:
    """Read one fee statement into integer đồng.

    '100.000 đồng', '50.000đ', 'Lệ phí: 20.000 đồng/bản', '2,000,000 Việt Nam Đồng' -> amount;
    'Miễn phí', 'Không' -> 0; several amounts, foreign currencies or no amount -> None + problem.
    """
    text = normalize_text(text)
    if not text or text.casefold() == NO_INFO.casefold():
        return None, ("fee: not stated",)
    if _FREE.match(text):
        return 0, ()
    amounts: set[int | None] = set()
    foreign = False
    covered: list[tuple[int, int]] = []
    for match in _MULTIPLIED.finditer(text):  # "1,5 triệu đồng"
        covered.append(match.span())
        if match.group(3).casefold() in _FOREIGN:
            foreign = True
            continue
        number = match.group(1).replace(",", ".")
        if len(number) > _MAX_DIGITS:
            amounts.add(None)
            continue
        value = Decimal(number) * (1_000_000 if match.group(2).casefold() == "triệu" else 1_000)
        amounts.add(int(value) if value == value.to_integral_value() else None)
    for match in _AMOUNT_WITH_CURRENCY.finditer(text):
        if any(start <= match.start() < end for start, end in covered):
            continue
        if match.group("currency").casefold() in _FOREIGN:
            foreign = True
        else:
            amounts.add(_to_int(match.group("amount")))
    if foreign:
        return None, (f"fee: amount not in đồng: '{_snippet(text)}'",)
    if len(amounts) > 1:
        return None, (f"fee: several amounts in '{_snippet(text)}'",)
    if amounts and None not in amounts:
        return amounts.pop(), ()
    return None, (f"fee: no amount in '{_snippet(text)}'",)


# --------------------------------------------------------------------------- channels

_CHANNELS = {"trực tiếp": "direct", "trực tuyến": "online", "dịch vụ bưu chính": "post"}
_CHANNEL_NAME = re.compile(r"(Trực tiếp|Trực tuyến|Dịch vụ bưu chính)", re.IGNORECASE)
_CHANNEL_HEADER = re.compile(r"^\s*Hình thức nộp\s*Thời gian\s*Phí, lệ phí\s*Mô tả", re.IGNORECASE)

# Where the fee cell may begin: "Miễn phí", "Không có thông tin", or an amount with its currency.
_FEE_CELL = re.compile(
    rf"Miễn phí|{NO_INFO}|(?<![\d.,])[\d.,]*\d\s*(?:Việt Nam Đồng|VNĐ|VND|Đồng|USD|EUR)",
    re.IGNORECASE,
)
_FEE_AMOUNT_CELL = re.compile(
    r"(\d{1,3}(?:,\d{3})+|\d+)\s*(Việt Nam Đồng|VNĐ|VND|Đồng|USD|EUR)", re.IGNORECASE
)
_BARE_TIME = re.compile(r"\d+(?:[.,]\d+)?(?=\s*(?:Miễn phí|Không có thông tin|$))", re.IGNORECASE)
_RUN_TOGETHER = re.compile(r"([\d.,]*\d)\s*(Việt Nam Đồng|VNĐ|VND|Đồng|USD|EUR)", re.IGNORECASE)
# A money amount inside a free-text note: "8.000.000/lần", "100.000 đồng", "15000000/lần Đồng",
# "50.000đ".  Bare numbers followed by "/" are not amounts ("25/2021/TT-BTC").
_NOTE_AMOUNT = re.compile(
    rf"(?<![\d.,])(?P<grouped>\d{{1,3}}(?:[.,]\d{{3}})+)(?![\d.,]?\d)\s*(?:{_DONG}|/)"
    rf"|(?<![\d.,/])(?P<plain>\d+)\s*(?:/\s*[^\W\d_]+\s*)?(?:{_DONG})",
    re.IGNORECASE,
)


def _note_amounts(note: str) -> set[int]:
    amounts = {_to_int(m.group("grouped") or m.group("plain")) for m in _NOTE_AMOUNT.finditer(note)}
    return {amount for amount in amounts if amount is not None}


def _balanced_end(text: str) -> int | None:
    """Index just after the parenthesis group opening at text[0], or None if unbalanced."""
    depth = 0
    for index, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index + 1
    return None


def _segment_starts(text: str) -> list[re.Match[str]]:
    """Channel names that begin a table row: glued to the next cell (digit or capital letter)."""
    starts = []
    for match in _CHANNEL_NAME.finditer(text):
        if not match.group(1)[0].isupper():
            continue
        following = text[match.end() : match.end() + 1]
        if following == "" or following.isdigit() or following.isupper():
            starts.append(match)
    return starts


def _looks_like_row(body: str) -> bool:
    """A row body (its first 300 characters) starts with its time cell and has a fee cell soon after."""
    if not body:
        return True
    if body[0].isdigit() or body.startswith(("Không", "Miễn phí")):
        return True
    fee = _FEE_CELL.search(body)
    return fee is not None and _CHANNEL_NAME.search(body[: fee.start()]) is None


def _parse_fee_cell(body: str, problems: _Problems) -> tuple[tuple[ParsedFee, ...], str]:
    """Parse the fee cell at the start of `body`; return the fees and the rest (description)."""
    if body.casefold().startswith(NO_INFO.casefold()):
        problems.add("fee: not stated")
        return (), body[len(NO_INFO) :]
    if body.casefold().startswith("miễn phí"):
        amount: int | None = 0
        cell = body[: len("Miễn phí")]
        rest = body[len(cell) :]
    else:
        match = _FEE_AMOUNT_CELL.match(body)
        if match is None:
            problems.add(f"fee: no amount in '{_snippet(body)}'")
            return (), body
        cell = match.group(0)
        rest = body[match.end() :]
        amount, fee_problems = parse_amount(cell)
        problems.extend(fee_problems)
    note, rest = _split_note(rest)
    if amount == 0 and note and not _confirms_free(note):
        # The portal prints "Miễn phí" when no amount was entered, even where the note says the
        # charge is set by the provincial council or by a circular.
        amount = None
        problems.add(f"fee: 'Miễn phí' with a note that does not confirm it: '{_snippet(note)}'")
    elif amount and note and (stated := _note_amounts(note)) and amount not in stated:
        # e.g. a cell of "135 VNĐ" with the note "Lệ phí cấp giấy phép lái xe: 135.000 đồng/lần".
        amount = None
        problems.add(
            f"fee: the amount cell '{normalize_text(cell)}' disagrees with the note: '{_snippet(note)}'"
        )
    return (ParsedFee(description=_fee_description(cell, note), amount=amount),), rest


def _fee_description(cell: str, note: str) -> str:
    return f"{normalize_text(cell)} ({note})" if note else normalize_text(cell)


_CONFIRMS_FREE = re.compile(r"^[\s\-+*•(]*(?:không|miễn|chưa quy định)", re.IGNORECASE)


def _confirms_free(note: str) -> bool:
    """A note such as 'Không', 'Không quy định', 'Miễn lệ phí (…)' that states no amount."""
    return _CONFIRMS_FREE.match(note) is not None and not _note_amounts(note)


def _split_note(rest: str) -> tuple[str, str]:
    """Split a parenthesised note at the start of `rest` from what follows."""
    if not rest.startswith("("):
        return "", rest
    end = _balanced_end(rest)
    if end is not None and end <= 5 and rest[1 : end - 1].isalnum():
        return "", rest  # "(a) …", "(1) …": a list label opening the description, not a note
    if end is None:  # the portal cut the note: it runs to the end of the row
        return normalize_text(rest[1:]), ""
    return normalize_text(rest[1 : end - 1]), rest[end:]


def _parse_row(channel: str, body: str, problems: _Problems) -> ParsedChannel:
    time_match = _TIME.match(body)
    if body.casefold().startswith(NO_INFO.casefold()):
        time_text, rest = NO_INFO, body[len(NO_INFO) :]
    elif time_match is not None:
        time_text, rest = time_match.group(0), body[time_match.end() :]
    elif (run := _RUN_TOGETHER.match(body)) is not None:
        # "120 VNĐ": the time cell's digits and the amount's digits cannot be told apart.
        problems.add(f"processing time and fee run together: '{run.group(0)}'")
        note, rest = _split_note(body[run.end() :])
        fee = ParsedFee(description=_fee_description(run.group(0), note), amount=None)
        return ParsedChannel(channel, None, run.group(0), (fee,), normalize_text(rest))
    elif (bare := _BARE_TIME.match(body)) is not None:
        time_text, rest = bare.group(0), body[bare.end() :]
    else:  # free text such as "Không quy định", up to the fee cell
        fee_cell = _FEE_CELL.search(body)
        cut = fee_cell.start() if fee_cell else len(body)
        time_text, rest = body[:cut], body[cut:]
    time_text = normalize_text(time_text)
    days, time_problems = parse_time(time_text)
    problems.extend(time_problems)
    rest = rest.lstrip()
    if rest:
        fees, description = _parse_fee_cell(rest, problems)
    else:
        problems.add("fee: not stated")
        fees, description = (), ""
    return ParsedChannel(channel, days, time_text, fees, normalize_text(description))


def parse_channels(text: str) -> tuple[tuple[ParsedChannel, ...], tuple[str, ...]]:
    """Parse the flattened 'Cách thức thực hiện' table."""
    text = normalize_text(text)
    problems = _Problems()
    header = _CHANNEL_HEADER.match(text)
    body = text[header.end() :] if header else text
    starts = _segment_starts(body)
    rows: list[tuple[str, int, int]] = []  # channel, start of the row body, end of the row body
    for match in starts:
        if rows and not _looks_like_row(body[match.end() : match.end() + 300]):
            continue  # a channel name inside the previous row's description
        rows.append((match.group(1), match.end(), len(body)))
        if len(rows) > 1:
            previous = rows[-2]
            rows[-2] = (previous[0], previous[1], match.start())
    if not rows:
        if _optional(body) is not None:
            problems.add(f"channels: none found in '{_snippet(body)}'")
        else:
            problems.add("channels: not stated")
        return (), problems.as_tuple()
    leading = body[: starts[0].start()].strip() if starts else ""
    if leading:
        problems.add(f"channels: unrecognised text before the first channel: '{_snippet(leading)}'")
    channels = tuple(
        _parse_row(_CHANNELS[name.casefold()], body[start:end].strip(), problems) for name, start, end in rows
    )
    return channels, problems.as_tuple()


# --------------------------------------------------------------------------- documents

_DOCUMENT_HEADER = re.compile(r"Tên giấy tờ\s*Mẫu đơn, tờ khai\s*Số lượng", re.IGNORECASE)
# The portal's count cell: "1 bản chính" or "0 bản chính,1 bản sao" (copies are printed only
# when there are some).  Another common wording: "Bản chính: 1, Bản sao: 0".
_PORTAL_COUNT = re.compile(r"(?<!\d)(?P<originals>\d+) bản chính(?:,(?P<copies>\d+) bản sao)?")
_WORDED_COUNT = re.compile(
    r"Bản chính\s*:\s*(?P<originals>\d+)\s*[,;]?\s*Bản sao\s*:\s*(?P<copies>\d+)", re.IGNORECASE
)
_NOT_A_ROW_START = frozenset(";,.:)]/")
_BULLET = re.compile(r"^[\s\-+*•–—]+")


def _document_name(text: str) -> str:
    name = _BULLET.sub("", normalize_text(text))
    return name.rstrip(" ;,").strip()


def _count_cells(chunk: str) -> list[re.Match[str]]:
    """The count cells of one table, told apart from counts quoted inside a document's name.

    A count cell is glued to the next row's name (or ends the table).  A count followed by a
    space or punctuation ("nộp 02 bản chính tờ khai", ": 01 bản chính;") is part of a name, and
    so is one followed directly by a real count cell (": 01 bản chính1 bản chính").
    """
    candidates = list(_PORTAL_COUNT.finditer(chunk))
    accepted = [False] * len(candidates)
    for index in range(len(candidates) - 1, -1, -1):
        end = candidates[index].end()
        if end == len(chunk):
            accepted[index] = True
            continue
        following = chunk[end]
        if following.isspace() or following in _NOT_A_ROW_START:
            continue
        glued_to_count = index + 1 < len(candidates) and candidates[index + 1].start() == end
        accepted[index] = not (glued_to_count and accepted[index + 1])
    cells = [match for match, ok in zip(candidates, accepted, strict=True) if ok]
    if not cells:
        cells = list(_WORDED_COUNT.finditer(chunk))
    return cells


def parse_documents(text: str) -> tuple[tuple[ParsedDocument, ...], tuple[str, ...]]:
    """Parse the flattened 'Thành phần hồ sơ' table(s)."""
    text = normalize_text(text)
    problems = _Problems()
    headers = list(_DOCUMENT_HEADER.finditer(text))
    if not headers:
        if _optional(text) is None:
            problems.add("documents: none listed")
        else:
            problems.add(f"documents: no document table in '{_snippet(text)}'")
        return (), problems.as_tuple()
    documents: list[ParsedDocument] = []
    for index, header in enumerate(headers):
        end = headers[index + 1].start() if index + 1 < len(headers) else len(text)
        chunk = text[header.end() : end]
        position = 0
        for match in _count_cells(chunk):
            raw_name = chunk[position : match.start()]
            position = match.end()
            name = _document_name(raw_name)
            originals, copies = match.group("originals"), match.group("copies")
            if match.re is _PORTAL_COUNT and len(originals) > 1:
                # "ngày 25/6/20241 bản chính", "Mẫu số 181 bản chính": nothing separates the
                # name's last digits from the count, so the count is unknown.
                problems.add(
                    f"document count: digits run into the name: '{_snippet(raw_name[-30:] + match.group(0))}'"
                )
                documents.append(ParsedDocument(_document_name(raw_name + originals), None, None))
                continue
            if not name:
                problems.add(f"document count without a name: '{match.group(0)}'")
                continue
            if max(len(originals), len(copies or "")) > 4:
                problems.add(
                    f"document count: implausible count '{_snippet(match.group(0))}' for '{_snippet(name)}'"
                )
                documents.append(ParsedDocument(name, None, None))
                continue
            original_count, copy_count = int(originals), int(copies) if copies is not None else 0
            if original_count == 0 and copy_count == 0:
                problems.add(f"document count: zero originals and zero copies for '{_snippet(name)}'")
                documents.append(ParsedDocument(name, None, None))
                continue
            documents.append(ParsedDocument(name, original_count, copy_count))
        tail = _document_name(chunk[position:])
        if index + 1 == len(headers) and _optional(tail) is not None:
            problems.add(f"document count: not stated for '{_snippet(tail)}'")
            documents.append(ParsedDocument(tail, None, None))
        # Otherwise the tail is the title of the next table ("--", "* Giấy tờ phải xuất trình:").
    if not documents:
        problems.add("documents: none listed")
    return tuple(documents), problems.as_tuple()


# --------------------------------------------------------------------------- legal basis, result

_LEGAL_HEADER = re.compile(r"^Tên văn bản pháp lý\s*Mã văn bản\s*", re.IGNORECASE)
# "KQ.G01.000262", "000.00.00.G11-KQ1711", "Chưa xác định", "VBTT": the next name follows without a break.
_RESULT_CODE = re.compile(
    r"Mã:\s*(?:[0-9A-Za-z_.\-]*\d|Chưa xác định|Không có|[0-9A-Za-z_.\-]+?(?=[A-ZĐ][^A-Z\s]|$))"
)
_RESULT_END = re.compile(r"Từ khóa|Chọn cơ quan thực hiện")


def parse_legal_basis(text: str) -> str | None:
    """The legal-basis table as text (name and number cells run together, kept as published)."""
    text = normalize_text(text)
    return _optional(_LEGAL_HEADER.sub("", text).strip())


def parse_result(text: str) -> tuple[str | None, tuple[str, ...]]:
    """Result names, '; '-joined, without their codes and the page furniture that follows."""
    text = normalize_text(text)
    if _optional(text) is None:
        return None, ("result: not stated",)
    end = _RESULT_END.search(text)
    head = text[: end.start()] if end else text
    pieces = head.split("Mã:")
    if len(pieces) == 1:
        return None, (f"result: no result code in '{_snippet(head)}'",)
    problems = _Problems()
    names: list[str] = []
    for index, piece in enumerate(pieces):
        if index > 0:
            code = _RESULT_CODE.match("Mã:" + piece)
            if code is None:
                problems.add(f"result: unreadable code in 'Mã:{_snippet(piece)}'")
                continue
            piece = piece[code.end() - 3 :]
        name = _BULLET.sub("", normalize_text(piece))
        if name and name not in names:
            names.append(name)
    if not names:
        problems.add("result: not stated")
        return None, problems.as_tuple()
    return "; ".join(names), problems.as_tuple()


# --------------------------------------------------------------------------- record


def parse_record(record: dict) -> ParsedProcedure:
    """Turn one raw crawl record into a ParsedProcedure. Never raises on odd field contents."""
    if not isinstance(record, dict):
        record = {}

    def get(key: str) -> str:
        return normalize_text(record.get(key))

    problems = _Problems()
    code = get("ma_thu_tuc")
    if not code:
        problems.add("code: missing")
    name = get("ten_thu_tuc")
    if not name:
        problems.add("name: missing")
    folder = get("_ministry_folder")
    ministry = MINISTRIES.get(folder, folder)
    if folder and folder not in MINISTRIES:
        problems.add(f"ministry: unknown folder '{_snippet(folder)}'")
    source_url = get("detail_url")
    if not source_url:
        problems.add("source URL: missing")

    levels, level_problems = parse_levels(get("cap_thuc_hien"))
    problems.extend(level_problems)

    field_name = _optional(get("linh_vuc"))
    if field_name is None:
        problems.add("field: not stated")

    channels, channel_problems = parse_channels(get("cach_thuc_thuc_hien"))
    problems.extend(channel_problems)
    days = [c.processing_days for c in channels if c.processing_days is not None]

    documents, document_problems = parse_documents(get("thanh_phan_ho_so"))
    problems.extend(document_problems)

    legal_basis = parse_legal_basis(get("can_cu_phap_ly"))
    if legal_basis is None:
        problems.add("legal basis: not stated")
    result, result_problems = parse_result(get("ket_qua_xu_ly"))
    problems.extend(result_problems)

    return ParsedProcedure(
        code=code,
        name=name,
        ministry=ministry,
        source_url=source_url,
        level=levels[0] if levels else None,
        levels=levels,
        field_name=field_name,
        competent_agency=_optional(get("co_quan_co_tham_quyen")),
        implementing_agency=_optional(get("co_quan_thuc_hien")),
        processing_days=min(days) if days else None,
        channels=channels,
        documents=documents,
        legal_basis=legal_basis,
        result=result,
        problems=problems.as_tuple(),
    )


def iter_records(path: str | os.PathLike[str]) -> Iterator[dict]:
    """Yield the JSON objects of a .jsonl or .jsonl.gz file, skipping blank lines."""
    path = os.fspath(path)
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)
