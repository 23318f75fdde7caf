"""Latency of catalog search (`catalog.selectors.search_procedures`) over the whole national catalog.

What it does, in order:
1. creates a throwaway SQLite database (under a temporary MOTCUA_VAR_DIR) and starts one measuring
   process on it (this script with --child), which:
2. builds the tables, loads the organisation and the reviewed catalog (data/), and imports the
   national portal's catalog as reference entries (../shared/reference/national-catalog.jsonl.gz,
   --limit records; 2,642 by default: the size a real deployment searches);
3. times the index build (the first search after the catalog changed), then, warm, the median
   latency of `search_procedures` for each of a list of real queries (with and without diacritics,
   over the operational catalog and over all of it) and for an exact procedure code (the baseline:
   one indexed SQL lookup, no ranking);
4. prints, for each query, its median, its number of results and its first result, and a RATIO line:
   the median text query against the exact-code lookup.

    .venv/bin/python bench/bench_catalog_search.py
    .venv/bin/python bench/bench_catalog_search.py --limit 500 --repeat 10
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make the `bench` package importable
    sys.path.insert(0, str(ROOT))

from bench.bench_queue_api import FIGURES_PREFIX, run_measuring_process  # noqa: E402

NATIONAL = ROOT.parent / "shared/reference/national-catalog.jsonl.gz"
QUERIES = ["khai sinh", "dang ky ket hon", "đăng ký kết hôn", "chứng thực", "giay phep xay dung", "hộ chiếu",
           "cấp lại giấy phép lái xe", "đăng ký thường trú", "dat dai", "tàu vũ trụ"]
EXACT_CODE = "1.001193"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=None, help="national records to import (default: all)")
    parser.add_argument("--national", type=Path, default=NATIONAL, help="the national catalog (.jsonl.gz)")
    parser.add_argument("--repeat", type=int, default=30, help="timed calls per query (median kept)")
    parser.add_argument("--schema", choices=("migrate", "models"), default="migrate",
                        help="build the tables by migrating (default) or straight from the models (smoke test)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.repeat < 1 or (args.limit is not None and args.limit < 0):
        parser.error("need --repeat >= 1 and --limit >= 0")
    return args


def main(argv: list[str] | None = None) -> dict[str, float]:
    """Run the measuring process on a throwaway database, relay its output; return its figures."""
    parse_args(argv)  # fail early on bad arguments, before the temporary directory
    return run_measuring_process("bench.bench_catalog_search", list(argv if argv is not None else sys.argv[1:]))


# --- the measuring process ------------------------------------------------------------------------------

def _median_ms(action, repeat: int) -> float:
    for _ in range(3):
        action()
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def child(args: argparse.Namespace) -> dict:
    from bench import dossier_fixture

    dossier_fixture.setup(from_models=args.schema == "models")
    from django.conf import settings

    from motcua.catalog import selectors, services
    from motcua.catalog.models import Procedure
    from motcua.org.services import load_org_data

    list(load_org_data(settings.DATA_DIR))
    services.import_catalog(settings.DATA_DIR / "catalog")
    if args.limit != 0 and args.national.is_file():
        services.import_national(args.national, limit=args.limit)
    total = Procedure.objects.count()
    load = os.getloadavg()
    print(f"bench_catalog_search: {total:,} procedures; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
          f"on {os.cpu_count()} CPUs", flush=True)

    started = time.perf_counter()
    selectors.search_procedures(q="khai sinh")  # builds the index
    build_ms = (time.perf_counter() - started) * 1000
    print(f"  index build (first search) {build_ms:8.1f} ms")
    exact_ms = _median_ms(lambda: selectors.search_procedures(q=EXACT_CODE), args.repeat)
    print(f"  exact code {EXACT_CODE:<28} {exact_ms:8.2f} ms  (baseline)")
    timings = []
    for status in ("operational", None):
        for query in QUERIES:
            ms = _median_ms(lambda query=query, status=status: selectors.search_procedures(q=query, status=status),
                            args.repeat)
            timings.append(ms)
            page = selectors.search_procedures(q=query, status=status)
            first = page.items[0].name[:60] if page.items else "—"
            elsewhere = f"  [elsewhere: {len(page.elsewhere)}]" if getattr(page, "elsewhere", None) else ""
            print(f"  {status or 'all':<11} {query!r:<30} {ms:8.2f} ms  {page.count:5} found; first: {first}"
                  f"{elsewhere}", flush=True)
    median = statistics.median(timings)
    figures = {"procedures": total, "build_ms": build_ms, "exact_ms": exact_ms, "query_median_ms": median,
               "query_max_ms": max(timings), "ratio": median / exact_ms}
    print(f"RATIO search/exact-code={figures['ratio']:.2f} (median text query {median:.2f} ms, max "
          f"{figures['query_max_ms']:.2f} ms, exact code {exact_ms:.2f} ms, index build {build_ms:.0f} ms, "
          f"{total:,} procedures)", flush=True)
    return figures


if __name__ == "__main__":
    arguments = parse_args(None)
    if arguments.child:
        print(FIGURES_PREFIX + json.dumps(child(arguments)), flush=True)
    else:
        main()
