"""The dossier's QR code, drawn as vector squares (sharp at any zoom, no image decoding)."""

from dataclasses import dataclass
from functools import lru_cache

import segno
from reportlab.platypus import Flowable

# Medium error correction survives a folded or slightly smudged slip; segno raises it further when
# the symbol has room to spare.
ERROR_LEVEL = "m"
QUIET_ZONE = 4


@lru_cache(maxsize=256)
def qr_matrix(url: str) -> tuple[tuple[bool, ...], ...]:
    """Rows of dark (True) / light modules for `url`, without the quiet zone."""
    symbol = segno.make(url, error=ERROR_LEVEL, micro=False)
    return tuple(tuple(bool(module) for module in row) for row in symbol.matrix)


@lru_cache(maxsize=256)
def _fill_operators(url: str) -> str:
    """PDF operators filling the dark modules, in module units with the origin at the symbol's lower
    left corner (quiet zone included): one rectangle per horizontal run of dark modules."""
    matrix = qr_matrix(url)
    side = len(matrix) + 2 * QUIET_ZONE
    rects = []
    for r, row in enumerate(matrix):
        bottom = side - QUIET_ZONE - r - 1
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            rects.append(f"{start + QUIET_ZONE} {bottom} {c - start} 1 re")
    return "\n".join(rects) + "\nf"


@dataclass(frozen=True)
class QrPlacement:
    """Where a QR code landed: page (1-based), lower-left corner and side in points, quiet zone included."""

    page: int
    x: float
    y: float
    size: float
    modules: int  # modules per side, quiet zone included
    url: str


class QrCode(Flowable):
    """A square QR code of side `size` points (quiet zone included)."""

    def __init__(self, url: str, size: float, placements: list[QrPlacement] | None = None):
        super().__init__()
        self.url = url
        self.size = size
        self.matrix = qr_matrix(url)
        self.placements = placements
        self.width = self.height = size

    def wrap(self, available_width, available_height):
        return self.size, self.size

    def draw(self):
        canvas = self.canv
        modules = len(self.matrix) + 2 * QUIET_ZONE
        canvas.saveState()
        canvas.setFillColorRGB(0, 0, 0)
        canvas.scale(self.size / modules, self.size / modules)
        # Integer coordinates written once per URL: an order of magnitude faster than a path object.
        canvas.addLiteral(_fill_operators(self.url))
        canvas.restoreState()
        if self.placements is not None:
            x, y = canvas.absolutePosition(0, 0)
            self.placements.append(QrPlacement(canvas.getPageNumber(), x, y, self.size, modules, self.url))
