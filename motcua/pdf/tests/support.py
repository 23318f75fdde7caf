"""Reading back what the renderers produce, with poppler's command-line tools."""

import shutil
import subprocess
from pathlib import Path

import pytest

from motcua.pdf.qr import QUIET_ZONE, QrPlacement


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: install the Debian package poppler-utils (make system-deps)")
    return path


def pdf_text(pdf: bytes, tmp_path: Path, first: int | None = None, last: int | None = None) -> str:
    """The text pdftotext gets out of `pdf` (optionally pages first..last)."""
    source = tmp_path / "form.pdf"
    source.write_bytes(pdf)
    args = [_tool("pdftotext"), "-enc", "UTF-8"]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    result = subprocess.run([*args, str(source), "-"], capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def flat(text: str) -> str:
    """Whitespace collapsed, so text wrapped over several lines compares with the original."""
    return " ".join(text.split())


class GreyImage:
    def __init__(self, width: int, height: int, pixels: bytes, dpi: int):
        self.width, self.height, self.pixels, self.dpi = width, height, pixels, dpi

    def dark(self, x_pt: float, y_pt_from_top: float) -> bool:
        scale = self.dpi / 72
        x, y = int(x_pt * scale), int(y_pt_from_top * scale)
        return self.pixels[y * self.width + x] < 128


def render_page(pdf: bytes, tmp_path: Path, page: int, dpi: int = 200) -> GreyImage:
    """Page `page` rasterised in grey levels (a binary PGM parsed here: no imaging library needed)."""
    source = tmp_path / "page.pdf"
    source.write_bytes(pdf)
    root = tmp_path / f"page-{page}"
    subprocess.run(
        [
            _tool("pdftoppm"),
            "-gray",
            "-r",
            str(dpi),
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(source),
            str(root),
        ],
        check=True,
    )
    data = root.with_suffix(".pgm").read_bytes()
    fields: list[bytes] = []
    position = 0
    while len(fields) < 4:  # magic, width, height, maxval, separated by whitespace
        while data[position : position + 1].isspace():
            position += 1
        start = position
        while not data[position : position + 1].isspace():
            position += 1
        fields.append(data[start:position])
    assert fields[0] == b"P5" and fields[3] == b"255"
    width, height = int(fields[1]), int(fields[2])
    pixels = data[position + 1 : position + 1 + width * height]
    assert len(pixels) == width * height
    return GreyImage(width, height, pixels, dpi)


def drawn_modules(image: GreyImage, placement: QrPlacement) -> list[list[bool]]:
    """The QR code as it appears on the page: dark/light at the centre of every module, quiet zone
    included."""
    page_height = image.height * 72 / image.dpi
    module = placement.size / placement.modules
    top = page_height - (placement.y + placement.size)
    return [
        [
            image.dark(placement.x + (c + 0.5) * module, top + (r + 0.5) * module)
            for c in range(placement.modules)
        ]
        for r in range(placement.modules)
    ]


def expected_modules(matrix) -> list[list[bool]]:
    """A segno matrix with the quiet zone added around it."""
    size = len(matrix) + 2 * QUIET_ZONE
    light = [False] * size
    rows = [list(light) for _ in range(QUIET_ZONE)]
    rows += [[False] * QUIET_ZONE + [bool(m) for m in row] + [False] * QUIET_ZONE for row in matrix]
    rows += [list(light) for _ in range(QUIET_ZONE)]
    return rows
