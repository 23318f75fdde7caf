"""One signer interface, and its PKCS#12 implementation (PAdES with pyHanko, a visible stamp).

`Signer.sign_pdf(content, stamp)` returns the signed PDF. `Pkcs12Signer` opens a PKCS#12 file with the
signing passphrase; the parsed key is kept per file (a file is never rewritten in place: a new
certificate gets a new file), which is most of the cost of signing. A hardware token (PKCS#11) and
remote signing are further implementations of the same interface (docs/signing.md, not done yet).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Protocol

from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.stamp import QRStampStyle

from motcua.pdf import fonts

from . import keys

FIELD_NAME = "Signature"
STAMP_TEXT = "Đã ký số: %(signer)s\n%(title)s\n%(organisation)s\nThời gian ký: %(ts)s"


@dataclass(frozen=True)
class Stamp:
    """The visible stamp: where (page 1-based, box in points) and what it says; its QR opens `url`."""

    page: int
    box: tuple[float, float, float, float]  # x1, y1, x2, y2
    signer: str
    title: str
    organisation: str
    url: str
    field_name: str = FIELD_NAME


class Signer(Protocol):
    def sign_pdf(self, content: bytes, stamp: Stamp) -> bytes: ...


# What a stamp writes: Latin with every Vietnamese letter (precomposed and combining marks), digits and
# the usual punctuation. pyHanko subsets the stamp's font again for every signature; from this small
# copy that takes a few milliseconds instead of ~0.4 s from the whole DejaVu Sans.
STAMP_UNICODES = (list(range(0x20, 0x7F)) + list(range(0xA0, 0x100)) + list(range(0x100, 0x1B5))
                  + list(range(0x300, 0x324)) + list(range(0x1EA0, 0x1EFA))
                  + [0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026])


def _font_at_1000_units_per_em(path: Path) -> Path:
    """A copy of the font scaled to 1000 units per em and cut to STAMP_UNICODES, made once under the
    signing directory.

    pyHanko writes the embedded font's glyph widths (/W) in the font's own units, which PDF reads as
    thousandths of an em: with DejaVu Sans (2048 units) every letter of the stamp stood apart.
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    target = keys.signing_dir() / "fonts" / f"{path.stem}-vi-1000upem.ttf"
    if not target.exists():
        font = TTFont(str(path))
        # The stamp's text is precomposed and set left to right: no layout tables, no hinting needed.
        options = subset.Options()
        options.layout_features, options.hinting, options.notdef_outline = [], False, True
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=STAMP_UNICODES)
        subsetter.subset(font)
        if font["head"].unitsPerEm != 1000:
            scale_upem(font, 1000)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        font.save(str(tmp))
        tmp.replace(target)
    return target


@cache
def _stamp_style() -> QRStampStyle:
    path = fonts.find_font(fonts.REGULAR)
    if path is None:
        raise fonts.FontNotFoundError(fonts.REGULAR)
    font = str(_font_at_1000_units_per_em(path))
    return QRStampStyle(
        stamp_text=STAMP_TEXT,
        timestamp_format="%H:%M %d/%m/%Y",
        text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(font), font_size=7, leading=9),
        border_width=1,
        background=None,
    )


_lock = threading.Lock()
_loaded: dict[str, signers.SimpleSigner] = {}


def _load(path: Path) -> signers.SimpleSigner:
    with _lock:
        signer = _loaded.get(str(path))
        if signer is None:
            signer = signers.SimpleSigner.load_pkcs12(str(path), passphrase=keys.passphrase())
            if signer is None:
                raise ValueError("the PKCS#12 file cannot be opened with the signing passphrase")
            _loaded[str(path)] = signer
        return signer


def _int_box(box: tuple[float, float, float, float]) -> tuple[int, int, int, int]:
    x1, y1, x2, y2 = box
    return int(x1), int(y1), int(x2), int(y2)


def _sign_with(signer: signers.Signer, content: bytes, stamp: Stamp) -> bytes:
    """PAdES with pyHanko: the stamp's field and appearance, no dry run (the room for the CMS reserved)."""
    writer = IncrementalPdfFileWriter(BytesIO(content), strict=False)
    meta = signers.PdfSignatureMetadata(field_name=stamp.field_name, subfilter=SigSeedSubFilter.PADES,
                                        md_algorithm="sha256", reason="Ký số văn bản",
                                        location=stamp.organisation[:60], contact_info=stamp.url)
    pdf_signer = signers.PdfSigner(
        meta, signer=signer, stamp_style=_stamp_style(), timestamper=timestamper(),
        new_field_spec=fields.SigFieldSpec(stamp.field_name, on_page=stamp.page - 1, box=_int_box(stamp.box)))
    out = BytesIO()
    pdf_signer.sign_pdf(writer, output=out, bytes_reserved=16384, appearance_text_params={
        "signer": stamp.signer, "title": stamp.title, "organisation": stamp.organisation, "url": stamp.url})
    return out.getvalue()


class Pkcs12Signer:
    """Signs with the key of a PKCS#12 file (encrypted with the signing passphrase)."""

    def __init__(self, key_file: Path):
        self.key_file = key_file

    def sign_pdf(self, content: bytes, stamp: Stamp) -> bytes:
        return _sign_with(_load(self.key_file), content, stamp)


PKCS11_PREFIX = "pkcs11:"
_sessions: dict[tuple[str, str], object] = {}
_token_lock = threading.Lock()  # one operation at a time on a shared session


def _session(module: str, token: str, pin: str):
    """One logged-in session per module and token, opened once per process."""
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import open_pkcs11_session

    with _lock:
        session = _sessions.get((module, token))
        if session is None:
            session = open_pkcs11_session(module, token_criteria=TokenCriteria(label=token), user_pin=pin)
            _sessions[(module, token)] = session
        return session


class Pkcs11Signer:
    """Signs with a key that never leaves a PKCS#11 token or HSM (SoftHSM in development and tests).

    The token is found by its label, the key by its label; the certificate (and the CA's) come from the
    database row, so a token holding only the key is enough. The user PIN comes from the environment
    (MOTCUA_SIGNING_PKCS11_PIN); the module is MOTCUA_SIGNING_PKCS11_MODULE.
    """

    def __init__(self, *, module: str, token: str, key_label: str, pin: str, certificate_pem: str,
                 chain_pem: tuple[bytes, ...] = ()):
        self.module, self.token, self.key_label, self.pin = module, token, key_label, pin
        self.certificate_pem, self.chain_pem = certificate_pem, chain_pem

    def sign_pdf(self, content: bytes, stamp: Stamp) -> bytes:
        from asn1crypto import pem
        from asn1crypto import x509 as asn1_x509
        from pyhanko.sign.pkcs11 import PKCS11Signer

        def load(data: bytes):
            return asn1_x509.Certificate.load(pem.unarmor(data)[2] if pem.detect(data) else data)

        certificate = load(self.certificate_pem.encode())
        # Tokens often lack the hash-and-sign ECDSA mechanisms (SoftHSM does): hash here, sign raw there.
        signer = PKCS11Signer(_session(self.module, self.token, self.pin), key_label=self.key_label,
                              signing_cert=certificate, ca_chain=[load(c) for c in self.chain_pem],
                              use_raw_mechanism=certificate.public_key.algorithm == "ec")
        with _token_lock:
            return _sign_with(signer, content, stamp)


def pkcs11_reference(token: str, key_label: str) -> str:
    """What Certificate.key_file holds for a key on a token: "pkcs11:<token>/<key label>"."""
    return f"{PKCS11_PREFIX}{token}/{key_label}"


def signer_for(certificate) -> Signer:
    """The signer holding the certificate's key: a token's (key_file "pkcs11:<token>/<label>") or the
    PKCS#12 file under the signing directory."""
    if certificate.key_file.startswith(PKCS11_PREFIX):
        from django.conf import settings

        from . import ca

        token, _slash, label = certificate.key_file[len(PKCS11_PREFIX):].partition("/")
        chain = tuple(path.read_bytes() for path in [ca.ca_paths()[1]] if path.exists())
        return Pkcs11Signer(module=settings.MOTCUA_SIGNING_PKCS11_MODULE, token=token, key_label=label,
                            pin=settings.MOTCUA_SIGNING_PKCS11_PIN, certificate_pem=certificate.certificate_pem,
                            chain_pem=chain)
    return Pkcs12Signer(keys.signing_dir() / certificate.key_file)


def timestamper():
    """The RFC 3161 timestamp authority of MOTCUA_SIGNING_TSA_URL, None when none is configured."""
    from django.conf import settings

    url = getattr(settings, "MOTCUA_SIGNING_TSA_URL", "")
    if not url:
        return None
    from motcua.integrations.timestamping.client import Rfc3161TimeStamper

    return Rfc3161TimeStamper(url)
