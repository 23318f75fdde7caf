"""Spoken calls for the display board: espeak-ng's Vietnamese voice when installed, cached as WAV files.

Without espeak-ng the board plays a chime instead (in the browser), so nothing here is required.
"""

import hashlib
import logging
import re
import shutil
import subprocess  # noqa: S404 - a fixed program with an argument list, no shell
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

NUMBER = re.compile(r"^([A-Z]{1,2})-(\d{1,4})$")
VOICE = "vi"
WORDS_PER_MINUTE = "140"

# How Vietnamese speakers name the letters used on tickets.
LETTER_NAMES = {
    "A": "a", "B": "bê", "C": "xê", "D": "dê", "E": "e", "G": "giê", "H": "hát", "I": "i", "K": "ca",
    "L": "e lờ", "M": "em mờ", "N": "en nờ", "O": "o", "P": "pê", "Q": "quy", "R": "e rờ", "S": "ét xì",
    "T": "tê", "U": "u", "V": "vê", "X": "ích xì", "Y": "i dài", "F": "ép", "J": "gi", "W": "vê kép", "Z": "dét",
}
DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]


def announcement_text(number: str, counter: int) -> str:
    """What the board shows: Mời công dân có số B-027 đến quầy số 5."""
    return _("Mời công dân có số %(number)s đến quầy số %(counter)s") % {"number": number, "counter": counter}


def spoken_text(number: str, counter: int) -> str:
    """What the voice says: the letter by its Vietnamese name and the digits one by one (clearer in a hall)."""
    match = NUMBER.match(number)
    if not match:
        raise ValueError("not a ticket number")
    letters = " ".join(LETTER_NAMES.get(ch, ch) for ch in match.group(1))
    digits = " ".join(DIGITS[int(d)] for d in match.group(2))
    return f"Mời công dân có số {letters}, {digits}, đến quầy số {counter}"


def speech_available() -> bool:
    return shutil.which("espeak-ng") is not None


def cache_dir() -> Path:
    path = Path(settings.VAR_DIR) / "cache" / "announcements"
    path.mkdir(parents=True, exist_ok=True)
    return path


def announcement_wav(number: str, counter: int) -> Path | None:
    """The WAV file of a call (made once, then served from the cache); None without espeak-ng."""
    text = spoken_text(number, counter)
    path = cache_dir() / (hashlib.sha256(f"{VOICE}:{WORDS_PER_MINUTE}:{text}".encode()).hexdigest()[:24] + ".wav")
    if path.exists():
        return path
    program = shutil.which("espeak-ng")
    if program is None:
        return None
    partial = path.with_suffix(".part")
    try:
        subprocess.run([program, "-v", VOICE, "-s", WORDS_PER_MINUTE, "-w", str(partial), text],  # noqa: S603
                       check=True, capture_output=True, timeout=10)
        partial.replace(path)
    except (OSError, subprocess.SubprocessError) as error:
        logger.warning("speech synthesis failed: %s", error)
        partial.unlink(missing_ok=True)
        return None
    return path
