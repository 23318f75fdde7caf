"""Latency of the officer inbox with a small and a large history of dossiers, in the same process.

What it does, in order:
1. creates a throwaway database (an SQLite file under a temporary MOTCUA_VAR_DIR, or a fresh
   PostgreSQL database named motcua_bench_<pid> when --database-url is given) and starts one
   measuring process on it (this script with --child), which:
2. builds the tables and a center (bench/dossier_fixture.py: 2 branches, 12 departments each
   deciding one procedure with a 3-step route, an agency officer of the first department with an
   API token, reception officers, a branch leader);
3. bulk-inserts --small dossiers (default 1,000): --open of them (default 500) being processed
   (received in the last 15 days, at one of the three steps, the open step with its deadline),
   the others closed over the previous year with their finished steps; the officer's department
   decides 30 % of them; 3 % have a consultation;
4. measures, warm, the median latency of the agency officer's inbox: `GET /api/dossiers` (bearer
   token, default page of 50) and the page `/dossiers/` (session, up to 200 rows), both through
   Django's test client (the whole middleware stack, no HTTP), and the inbox query alone; counts
   the SQL queries of one request of each and prints the plan of the main query;
5. adds closed dossiers up to --large (default 100,000) — the backlog of open dossiers stays the
   same, only the history grows — and measures again;
6. prints a RATIO line: large/small median latency of the API, of the page and of the query.
   About 1 means the inbox reads what it shows, whatever the size of the history.

    .venv/bin/python bench/bench_inbox.py                       # SQLite, 1,000 vs 100,000
    .venv/bin/python bench/bench_inbox.py --database-url postgres://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make the `bench` package importable
    sys.path.insert(0, str(ROOT))

from bench.bench_queue_api import server_env, throwaway_database  # noqa: E402

FIGURES_PREFIX = "FIGURES "
API_PAGE = 50  # the API's default limit


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", type=int, default=1_000, help="dossiers in the first measurement")
    parser.add_argument("--large", type=int, default=100_000, help="dossiers in the second measurement")
    parser.add_argument("--open", type=int, default=500, help="open dossiers (the backlog), at both sizes")
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per measurement (median kept)")
    parser.add_argument("--database-url", default=None,
                        help="a PostgreSQL server to use (a database motcua_bench_<pid> is created and dropped)")
    parser.add_argument("--schema", choices=("migrate", "models"), default="migrate",
                        help="build the tables by migrating (default) or straight from the models (smoke test)")
    parser.add_argument("--show-queries", action="store_true", help="print every SQL query of one API and one page request")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (the database)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not 0 < args.small < args.large or not 0 <= args.open <= args.small or args.repeat < 1:
        parser.error("need 0 < --small < --large, 0 <= --open <= --small and --repeat >= 1")
    return args


def main(argv: list[str] | None = None) -> dict[str, float]:
    """Run the measuring process on a throwaway database, relay its output; return its figures."""
    args = parse_args(argv)
    var_dir = Path(tempfile.mkdtemp(prefix="motcua-bench-"))
    child_args = [a for a in (argv if argv is not None else sys.argv[1:]) if a != "--keep"]
    figures: dict[str, float] = {}
    try:
        with throwaway_database(args.database_url, var_dir) as database_url:
            env = server_env(database_url, var_dir)
            command = [sys.executable, "-m", "bench.bench_inbox", "--child", *child_args]
            with subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  text=True, bufsize=1) as process:
                for line in process.stdout:
                    if line.startswith(FIGURES_PREFIX):
                        figures = json.loads(line[len(FIGURES_PREFIX):])
                    else:
                        print(line, end="", flush=True)
            if process.returncode != 0 or not figures:
                raise RuntimeError(f"the measuring process failed (exit status {process.returncode})")
            return figures
    finally:
        if args.keep:
            print(f"kept {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


# --- the measuring process ------------------------------------------------------------------------------

def _median_ms(action, repeat: int) -> float:
    for _ in range(3):  # warm: caches, prepared plans, the OS page cache
        action()
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def measure(args: argparse.Namespace, world, user, size: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from motcua.dossiers import selectors

    api_client = Client(HTTP_AUTHORIZATION=f"Bearer {world.agency_officer_token}")
    page_client = Client()
    page_client.force_login(user)

    def api():
        response = api_client.get("/api/dossiers")
        assert response.status_code == 200, response.content[:500]
        return response

    def page():
        response = page_client.get("/dossiers/")
        assert response.status_code == 200, response.content[:500]
        return response

    def query():
        return list(selectors.inbox(user)[:API_PAGE])

    rows = len(api().json())
    with CaptureQueriesContext(connection) as captured:
        api()
    api_queries = list(captured.captured_queries)
    with CaptureQueriesContext(connection) as captured:
        page()
    page_queries = list(captured.captured_queries)
    figures = {
        "size": size,
        "visible_open": selectors.inbox(user).count(),
        "api_rows": rows,
        "api_queries": len(api_queries),
        "page_queries": len(page_queries),
        "api_ms": _median_ms(api, args.repeat),
        "page_ms": _median_ms(page, args.repeat),
        "query_ms": _median_ms(query, args.repeat),
    }
    print(f"{size:>9,} dossiers: the officer sees {figures['visible_open']} open; "
          f"API {figures['api_ms']:8.1f} ms ({rows} rows, {figures['api_queries']} queries)  "
          f"page {figures['page_ms']:8.1f} ms ({figures['page_queries']} queries)  "
          f"inbox query alone {figures['query_ms']:8.1f} ms  (medians of {args.repeat})")
    if args.show_queries:
        for name, queries in (("API", api_queries), ("page", page_queries)):
            print(f"  SQL of one {name} request:")
            for captured_query in queries:
                print(f"    {captured_query['time']} s  {captured_query['sql'][:240]}")
    label = "EXPLAIN QUERY PLAN" if connection.vendor == "sqlite" else "EXPLAIN"
    print(f"  {label} of the inbox query (first {API_PAGE}):")
    for line in selectors.inbox(user)[:API_PAGE].explain().splitlines():
        print(f"    {line}")
    return figures


def child(args: argparse.Namespace) -> dict:
    from bench import dossier_fixture

    dossier_fixture.setup(from_models=args.schema == "models")
    from django.contrib.auth.models import User
    from django.db import connection
    from django.utils import timezone

    from motcua.dossiers import selectors

    world = dossier_fixture.build_world(officers=1)
    user = User.objects.get(pk=world.agency_officer_id)
    now = timezone.now()
    load = os.getloadavg()
    print(f"bench_inbox: {connection.vendor}, {args.small:,} then {args.large:,} dossiers ({args.open} open); "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs", flush=True)

    def grow(count: int, open_count: int) -> None:
        started = time.perf_counter()
        created = dossier_fixture.add_dossiers(world, count, open_count=open_count, now=now)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # what autovacuum would have done after such a load
        print(f"  inserted {created['dossiers']:,} dossiers, {created['steps']:,} steps, "
              f"{created['consultations']:,} consultations in {time.perf_counter() - started:.1f} s", flush=True)

    grow(args.small, args.open)
    small = measure(args, world, user, args.small)
    grow(args.large - args.small, 0)
    large = measure(args, world, user, args.large)
    print("  the inbox query:")
    print(f"    {selectors.inbox(user)[:API_PAGE].query}")
    figures = {
        "small_api_ms": small["api_ms"], "large_api_ms": large["api_ms"],
        "small_page_ms": small["page_ms"], "large_page_ms": large["page_ms"],
        "small_query_ms": small["query_ms"], "large_query_ms": large["query_ms"],
        "api_queries": large["api_queries"], "page_queries": large["page_queries"],
        "api_ratio": large["api_ms"] / small["api_ms"],
        "page_ratio": large["page_ms"] / small["page_ms"],
        "query_ratio": large["query_ms"] / small["query_ms"],
    }
    print(f"RATIO api {args.large}/{args.small}={figures['api_ratio']:.2f} "
          f"page {args.large}/{args.small}={figures['page_ratio']:.2f} "
          f"query {args.large}/{args.small}={figures['query_ratio']:.2f} "
          f"(API {small['api_ms']:.1f} -> {large['api_ms']:.1f} ms, "
          f"page {small['page_ms']:.1f} -> {large['page_ms']:.1f} ms, "
          f"query {small['query_ms']:.1f} -> {large['query_ms']:.1f} ms)", flush=True)
    return figures


if __name__ == "__main__":
    arguments = parse_args(None)
    if arguments.child:
        print(FIGURES_PREFIX + json.dumps(child(arguments)), flush=True)
    else:
        main()
