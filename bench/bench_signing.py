"""Signing throughput: 100 documents signed in one batch, against stock pyHanko one by one.

What it does, in order:
1. in a temporary signing directory, creates the demo CA and one officer's certificate (PKCS#12, the
   signing passphrase), and renders N different slips 01 (rendering is not timed);
2. the baseline, stock pyHanko the plainest way: for each document its own `signers.sign_pdf` with the
   key loaded from the PKCS#12 file (`SimpleSigner.load_pkcs12`) and a new signature field;
3. the project's batch: `signing.signers.Pkcs12Signer.sign_pdf` over the same documents, with its
   caches emptied first, so the key and the stamp's style are prepared once within the timed batch (the
   stamp's font file, made once per signing directory and kept, is made before the clock starts)
   (the way `services.run_batch` signs: one process, one signer per certificate) and the QR stamp
   drawn on each document;
4. checks one output of each side verifies (`signing.verification.verify_pdf`), then prints documents
   per second and ms per document of each, and a RATIO line: the batch's time per document over the
   baseline's (lower is better; the goal is ≤ 0.3).

    .venv/bin/python bench/bench_signing.py
    .venv/bin/python bench/bench_signing.py --documents 20
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make the `bench` package importable
    sys.path.insert(0, str(ROOT))

BOX = (330, 60, 530, 125)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=100, help="documents in the batch (default 100)")
    args = parser.parse_args(argv)
    if args.documents < 1:
        parser.error("need --documents >= 1")
    return args


def _setup(directory: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    os.environ["MOTCUA_VAR_DIR"] = str(directory / "var")
    os.environ["MOTCUA_SIGNING_DIR"] = str(directory / "signing")
    import django

    django.setup()


def main(argv: list[str] | None = None) -> dict[str, float]:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="motcua-bench-signing-") as folder:
        _setup(Path(folder))
        return _measure(args.documents)


def _measure(count: int) -> dict[str, float]:
    from django.conf import settings
    from django.utils import timezone
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.fields import SigSeedSubFilter

    from motcua import pdf
    from motcua.pdf import samples
    from motcua.signing import ca, keys, verification
    from motcua.signing import signers as our_signers

    settings.MOTCUA_SIGNING_TRUST_ROOTS = [str(ca.ca_paths()[1])]
    settings.MOTCUA_SIGNING_CRLS = []
    now = timezone.now()
    authority = ca.ensure_ca(now)
    issued = ca.issue(authority, common_name="Trần Minh Đức", organisation="Chi nhánh số 1", unit="Chuyên viên",
                      key_file=keys.key_path("bench-officer"), not_before=now - dt.timedelta(minutes=5),
                      not_after=now + dt.timedelta(days=30), crl_url="http://127.0.0.1/signing/crl.der")
    sample = samples.receipt_slip()
    documents = [pdf.render_receipt_slip(dataclasses.replace(sample, dossier_code=f"{sample.dossier_code[:-4]}{n:04d}"))
                 for n in range(count)]
    load = os.getloadavg()
    print(f"bench_signing: {count} documents of {sum(map(len, documents)) // count:,} bytes; load average "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs", flush=True)

    def stock(content: bytes) -> bytes:
        signer = signers.SimpleSigner.load_pkcs12(str(issued.key_file), passphrase=keys.passphrase())
        meta = signers.PdfSignatureMetadata(field_name="Signature", subfilter=SigSeedSubFilter.PADES,
                                            md_algorithm="sha256")
        out = signers.sign_pdf(IncrementalPdfFileWriter(BytesIO(content)), meta, signer=signer,
                               new_field_spec=fields.SigFieldSpec("Signature", on_page=0, box=BOX))
        return out.getvalue()

    started = time.perf_counter()
    baseline = [stock(content) for content in documents]
    stock_s = time.perf_counter() - started

    our_signers._stamp_style()  # the stamp's font file, made once per signing directory (not timed)
    our_signers._loaded.clear()
    our_signers._stamp_style.cache_clear()
    stamp = our_signers.Stamp(page=1, box=BOX, signer="Trần Minh Đức", title="Chuyên viên",
                              organisation="Chi nhánh số 1", url="http://127.0.0.1/verify/bench/")
    started = time.perf_counter()
    signer = our_signers.Pkcs12Signer(issued.key_file)
    ours = [signer.sign_pdf(content, stamp) for content in documents]
    batch_s = time.perf_counter() - started

    for name, signed in (("stock", baseline[-1]), ("batch", ours[-1])):
        if not verification.verify_pdf(signed).valid:
            raise RuntimeError(f"the {name} output does not verify")
    stock_ms, batch_ms = stock_s * 1000 / count, batch_s * 1000 / count
    figures = {"documents": count, "stock_ms": stock_ms, "batch_ms": batch_ms,
               "stock_per_s": count / stock_s, "batch_per_s": count / batch_s, "ratio": batch_ms / stock_ms}
    print(f"  stock pyHanko, one by one  {stock_ms:8.1f} ms/document  {figures['stock_per_s']:6.1f} documents/s"
          "  (baseline)")
    print(f"  batch (Pkcs12Signer, QR stamp) {batch_ms:5.1f} ms/document  {figures['batch_per_s']:6.1f} documents/s")
    print(f"RATIO batch/stock={figures['ratio']:.2f} ({batch_ms:.1f} ms vs {stock_ms:.1f} ms per document, "
          f"{count} documents)", flush=True)
    return figures


if __name__ == "__main__":
    main()
