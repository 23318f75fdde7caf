"""What a question asks for, by rules on its folded words (abbreviations expanded, no stop words dropped).

Order matters: the first rule that holds decides. A dossier's code (with its tracking key) is the status
of that dossier; then complaints, opening hours, fees, processing time, documents, current waits, where
to file; otherwise the question is about which procedure fits.
"""

from __future__ import annotations

import re

from motcua.core.codes import DOSSIER_CODE_IN_TEXT

from .synonyms import Synonyms, expand, words_of

STATUS = "status"
COMPLAINT = "complaint"
HOURS = "hours"
FEES = "fees"
TIME = "time"
DOCUMENTS = "documents"
WAITS = "waits"
WHERE = "where"
PROCEDURE = "procedure"
ELSEWHERE = "elsewhere"
GREETING = "greeting"
UNKNOWN = "unknown"

# Folded phrases (word sequences) that mark each intent.
_RULES: list[tuple[str, tuple[str, ...]]] = [
    (COMPLAINT, ("phan anh", "khieu nai", "kien nghi", "to cao", "buc xuc", "gop y")),
    # Folded phrases collide ("lao động của" holds "dong cua"): a rule names its phrase with a neighbour.
    (HOURS, ("gio lam viec", "may gio", "gio mo cua", "mo cua luc", "mo cua vao", "mo cua khong", "co mo cua",
             "gio dong cua", "dong cua luc", "dong cua vao", "thu bay", "thu 7", "chu nhat",
             "ngay nghi", "nghi le", "lam viec khong", "lam viec vao", "gio hanh chinh", "buoi trua", "nghi trua",
             "thoi gian lam viec")),
    (FEES, ("le phi", "phi", "bao nhieu tien", "het bao nhieu", "ton bao nhieu", "chi phi", "mat tien",
            "gia bao nhieu", "mien phi", "tien khong")),
    (TIME, ("bao lau", "may ngay", "bao nhieu ngay", "thoi han", "thoi gian", "khi nao co", "bao gio co",
            "bao gio xong", "bao gio duoc", "may hom", "lau khong", "bao gio nhan", "mat may")),
    (DOCUMENTS, ("giay to gi", "can gi", "can nhung gi", "ho so gom", "thanh phan", "mang theo", "mang gi",
                 "chuan bi gi", "chuan bi nhung", "can giay to", "nhung giay to", "gom nhung gi", "can mang",
                 "lam giay to gi", "ho so can", "giay to can", "can nhung giay")),
    (WAITS, ("dong khong", "cho lau", "bao nhieu nguoi", "xep hang", "dang cho", "luot cho", "dong nguoi",
             "vang khong", "cho bao lau", "phai cho")),
    (WHERE, ("o dau", "nop o dau", "dia chi", "chi nhanh", "noi nop", "nop truc tuyen", "nop online",
             "cho nao", "di dau", "lam o dau", "truc tuyen", "online", "noi nao")),
]
_GREETINGS = {("xin", "chao"), ("chao",), ("hello",), ("hi",), ("alo",), ("cam", "on")}

# `000.00.06.H26-251027-0361`: an agency e-ID, the day, a number (core.codes.dossier_code).
DOSSIER_CODE = DOSSIER_CODE_IN_TEXT
# A tracking key as printed (`7KQ2M-X9FTA`) or typed without its dash.
TRACKING_KEY = re.compile(r"(?<![0-9A-Za-z\-])([0-9A-Za-z]{5})[- ]?([0-9A-Za-z]{5})(?![0-9A-Za-z\-])")


def _has(words: list[str], phrase: str) -> bool:
    target = phrase.split()
    n = len(target)
    return any(words[i:i + n] == target for i in range(len(words) - n + 1))


def dossier_reference(question: str) -> tuple[str, str] | None:
    """(code, tracking key or "") when the question names a dossier's code."""
    match = DOSSIER_CODE.search(question)
    if match is None:
        return None
    rest = question[:match.start()] + " " + question[match.end():]
    for key in TRACKING_KEY.finditer(rest):
        text = key.group(1) + key.group(2)
        if any(ch.isdigit() for ch in text) or text.isupper():
            return match.group(0).upper(), text
    return match.group(0).upper(), ""


def detect(question: str, synonyms: Synonyms) -> list[str]:
    """Every intent the question shows, in the order of the rules (status first when a code is named)."""
    found: list[str] = []
    if dossier_reference(question) is not None:
        found.append(STATUS)
    words = expand(words_of(question), synonyms)
    for intent, phrases in _RULES:
        if any(_has(words, phrase) for phrase in phrases):
            found.append(intent)
    if not found and tuple(words) in _GREETINGS:
        found.append(GREETING)
    return found


def wants_status(question: str, synonyms: Synonyms) -> bool:
    """Asks for a dossier's progress without naming it ("hồ sơ của tôi đến đâu rồi")."""
    words = expand(words_of(question), synonyms)
    return any(_has(words, phrase) for phrase in ("tra cuu ho so", "tinh trang ho so", "ho so cua toi",
                                                  "ho so den dau", "tien do ho so", "ho so da xong"))
