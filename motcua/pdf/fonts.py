"""The TrueType fonts the forms are set in.

reportlab's built-in fonts have no Vietnamese glyphs (they print `Gi■y ti■p nh■n`), so every form is
set in DejaVu Sans, which covers Vietnamese and the đồng sign. The fonts are found on the system (the
Debian package fonts-dejavu-core) or in the folder named by MOTCUA_PDF_FONT_DIR.
"""

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
BOLD_ITALIC = "DejaVuSans-BoldOblique"

FONT_DIR_ENV = "MOTCUA_PDF_FONT_DIR"
DEBIAN_PACKAGE = "fonts-dejavu-core"

SEARCH_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
    "/usr/local/share/fonts",
    "/usr/local/share/fonts/dejavu",
    "/Library/Fonts",
)

REQUIRED = (REGULAR, BOLD)
# Italic is only used for hints such as "(Ký và ghi rõ họ tên)"; without it they fall back to regular.
OPTIONAL = (ITALIC, BOLD_ITALIC)


class FontNotFoundError(RuntimeError):
    """The DejaVu Sans TrueType files are missing."""


@dataclass(frozen=True)
class FontSet:
    regular: str
    bold: str
    italic: str
    bold_italic: str


def search_dirs() -> list[Path]:
    dirs = [Path(os.environ[FONT_DIR_ENV])] if os.environ.get(FONT_DIR_ENV) else []
    dirs += [Path(d) for d in SEARCH_DIRS]
    dirs.append(Path.home() / ".local/share/fonts")
    return dirs


def find_font(name: str) -> Path | None:
    for folder in search_dirs():
        candidate = folder / f"{name}.ttf"
        if candidate.is_file():
            return candidate
    return None


@cache
def register_fonts() -> FontSet:
    """Register DejaVu Sans with reportlab (once per process) and return the face names to use."""
    missing = [name for name in REQUIRED if find_font(name) is None]
    if missing:
        looked_in = ", ".join(str(d) for d in search_dirs())
        raise FontNotFoundError(
            f"Font file(s) {', '.join(m + '.ttf' for m in missing)} not found (looked in {looked_in}). "
            f"Install the Debian package {DEBIAN_PACKAGE} (apt-get install {DEBIAN_PACKAGE}) "
            f"or point {FONT_DIR_ENV} at a folder holding them."
        )
    found = set()
    for name in REQUIRED + OPTIONAL:
        path = find_font(name)
        if path is not None:
            pdfmetrics.registerFont(TTFont(name, str(path)))
            found.add(name)
    fonts = FontSet(
        regular=REGULAR,
        bold=BOLD,
        italic=ITALIC if ITALIC in found else REGULAR,
        bold_italic=BOLD_ITALIC if BOLD_ITALIC in found else BOLD,
    )
    # Lets <b> and <i> inside paragraphs pick the right face.
    addMapping(REGULAR, 0, 0, fonts.regular)
    addMapping(REGULAR, 1, 0, fonts.bold)
    addMapping(REGULAR, 0, 1, fonts.italic)
    addMapping(REGULAR, 1, 1, fonts.bold_italic)
    return fonts
