"""Latency of every inbox, the approvals page and the register with a small and a large history of dossiers.

What it does, in order:
1. creates a throwaway database (an SQLite file under a temporary MOTCUA_VAR_DIR, or a fresh
   PostgreSQL database named motcua_bench_<pid> when --database-url is given) and starts one
   measuring process on it (this script with --child), which:
2. builds the tables and a center (bench/dossier_fixture.py: 2 branches, 12 departments each
   deciding one procedure with a 3-step route; a reception officer and a leader of the first
   branch, an officer and a leader of the first department, each with an API token);
3. inserts --small dossiers (default 1,000; with COPY on PostgreSQL): --open of them (default 500)
   being processed (received in the last 15 days, at one of the three steps, the open step with its
   deadline), the others closed over the previous year with their finished steps; the first
   department decides 30 % of them; 3 % have a consultation;
4. measures, warm, the median latency of, for each role (reception officer, agency officer, agency
   leader, branch leader): `GET /api/dossiers` (bearer token, default page of 50), the page
   `/dossiers/` (session, up to 200 rows), the inbox query alone (50 rows) and the page's query (200 rows); the branch leader's approvals
   page `/dossiers/approvals/` and its query; the register (form 07) of the last 7 days as the
   reception officer prints it (`GET /api/dossiers/register.xlsx`) and its query. All through
   Django's test client (the whole middleware stack, no HTTP). It counts the SQL queries of one
   request of each and prints the plan of each query (EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL);
5. adds closed dossiers up to --large (default 100,000) — the backlog of open dossiers stays the
   same, only the history grows — and measures again;
6. prints one RATIO line: large/small median latency of each measurement. About 1 means the
   request reads what it shows, whatever the size of the history.

    .venv/bin/python bench/bench_inbox.py                       # SQLite, 1,000 vs 100,000
    .venv/bin/python bench/bench_inbox.py --database-url postgres://postgres@127.0.0.1:5432/postgres \
        --small 10000 --large 1000000
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make the `bench` package importable
    sys.path.insert(0, str(ROOT))

from bench.bench_queue_api import FIGURES_PREFIX, run_measuring_process  # noqa: E402

API_PAGE = 50  # the API's default limit
PAGE_ROWS = 200  # the inbox page's rows (page_selectors.inbox_rows)


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
    child_args = [a for a in (argv if argv is not None else sys.argv[1:]) if a != "--keep"]
    return run_measuring_process("bench.bench_inbox", child_args, database_url=args.database_url, keep=args.keep)


# --- the measuring process ------------------------------------------------------------------------------

ROLES = ("reception", "agency_officer", "agency_leader", "branch_leader")
REGISTER_DAYS = 7


@dataclass
class Measured:
    """One thing timed: what it calls, its SQL statements per call, the queryset whose plan is shown."""

    name: str
    action: Callable[[], object]
    plan: Callable[[], object] | None = None  # a queryset (its EXPLAIN is printed)


def _median_ms(action, repeat: int) -> float:
    for _ in range(3):  # warm: caches, prepared plans, the OS page cache
        action()
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def _get(client, url: str):
    def call():
        response = client.get(url)
        assert response.status_code == 200, (url, response.content[:500])
        return response
    return call


def measurements(world, now) -> list[Measured]:
    """What is timed, role by role; the same list at both sizes."""
    import datetime as dt

    from django.contrib.auth.models import User
    from django.test import Client
    from django.utils import timezone

    from motcua.dossiers import page_selectors, selectors, slip_selectors

    users = {"reception": (world.reception_user_ids[0], world.reception_tokens[0]),
             "agency_officer": (world.agency_officer_id, world.agency_officer_token),
             "agency_leader": (world.agency_leader_id, world.agency_leader_token),
             "branch_leader": (world.leader_user_id, world.leader_token)}
    def page_rows(user):
        return selectors.inbox(user).select_related("branch__center")[:PAGE_ROWS]

    measured = []
    for role in ROLES:
        user_id, token = users[role]
        user = User.objects.get(pk=user_id)
        page_client = Client()
        page_client.force_login(user)
        measured += [
            Measured(f"{role}_api", _get(Client(HTTP_AUTHORIZATION=f"Bearer {token}"), "/api/dossiers")),
            Measured(f"{role}_page", _get(page_client, "/dossiers/")),
            Measured(f"{role}_query", lambda user=user: list(selectors.inbox(user)[:API_PAGE]),
                     lambda user=user: selectors.inbox(user)[:API_PAGE]),
            # The page's own query: the same inbox, up to 200 rows with the branch's center (inbox_rows).
            Measured(f"{role}_page_query", lambda user=user: list(page_rows(user)), lambda user=user: page_rows(user)),
        ]
        if role == "branch_leader":
            measured += [
                Measured("approvals_page", _get(page_client, "/dossiers/approvals/")),
                Measured("approvals_query", lambda user=user: list(page_selectors.approval_queue(user)),
                         lambda user=user: page_selectors.approval_queue(user)),
            ]
    reception = User.objects.get(pk=world.reception_user_ids[0])
    last = timezone.localdate(now)
    first = last - dt.timedelta(days=REGISTER_DAYS - 1)
    register_client = Client(HTTP_AUTHORIZATION=f"Bearer {world.reception_tokens[0]}")
    measured += [
        Measured("register_api", _get(register_client, f"/api/dossiers/register.xlsx?from={first}&to={last}")),
        Measured("register_query", lambda: list(slip_selectors.register_dossiers(reception, first, last)),
                 lambda: slip_selectors.register_dossiers(reception, first, last)),
    ]
    return measured


def _explain(queryset) -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        return queryset.explain(analyze=True, buffers=True)
    return queryset.explain()


def measure(args: argparse.Namespace, measured: list[Measured], size: int) -> dict[str, dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    figures: dict[str, dict] = {}
    print(f"{size:>9,} dossiers (medians of {args.repeat}):", flush=True)
    for item in measured:
        result = item.action()
        with CaptureQueriesContext(connection) as captured:
            item.action()
        queries = list(captured.captured_queries)
        rows = result if isinstance(result, list) else None
        figures[item.name] = {"ms": _median_ms(item.action, args.repeat), "queries": len(queries),
                              "rows": len(rows) if rows is not None else None}
        shown = f", {figures[item.name]['rows']} rows" if rows is not None else ""
        print(f"  {item.name:<22} {figures[item.name]['ms']:8.1f} ms  ({len(queries)} queries{shown})", flush=True)
        if args.show_queries:
            for captured_query in queries:
                print(f"      {captured_query['time']} s  {captured_query['sql'][:240]}")
    label = "EXPLAIN QUERY PLAN" if connection.vendor == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS)"
    for item in measured:
        if item.plan is None:
            continue
        print(f"  {label} of {item.name} at {size:,} dossiers:")
        for line in _explain(item.plan()).splitlines():
            print(f"    {line}")
    return figures


def child(args: argparse.Namespace) -> dict:
    from bench import dossier_fixture

    dossier_fixture.setup(from_models=args.schema == "models")
    from django.db import connection
    from django.utils import timezone

    world = dossier_fixture.build_world(officers=1)
    now = timezone.now()
    load = os.getloadavg()
    print(f"bench_inbox: {connection.vendor}, {args.small:,} then {args.large:,} dossiers ({args.open} open); "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs", flush=True)

    def grow(count: int, open_count: int) -> None:
        started = time.perf_counter()
        created = dossier_fixture.add_dossiers(world, count, open_count=open_count, now=now)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # what autovacuum would have done after such a load
                cursor.execute("VACUUM (ANALYZE) dossiers_dossier, dossiers_dossierstep, dossiers_consultation")
        print(f"  inserted {created['dossiers']:,} dossiers, {created['steps']:,} steps, "
              f"{created['consultations']:,} consultations in {time.perf_counter() - started:.1f} s", flush=True)

    measured = measurements(world, now)
    grow(args.small, args.open)
    small = measure(args, measured, args.small)
    grow(args.large - args.small, 0)
    large = measure(args, measured, args.large)
    figures: dict[str, float] = {}
    parts = []
    for item in measured:
        name = item.name
        figures[f"small_{name}_ms"] = small[name]["ms"]
        figures[f"large_{name}_ms"] = large[name]["ms"]
        figures[f"{name}_queries"] = large[name]["queries"]
        figures[f"{name}_ratio"] = large[name]["ms"] / small[name]["ms"]
        parts.append(f"{name} {args.large}/{args.small}={figures[f'{name}_ratio']:.2f}")
    print("RATIO " + " ".join(parts), flush=True)
    for item in measured:
        name = item.name
        print(f"  {name:<22} {small[name]['ms']:8.1f} -> {large[name]['ms']:8.1f} ms  "
              f"queries {small[name]['queries']} -> {large[name]['queries']}", flush=True)
    load = os.getloadavg()
    print(f"load average at the end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}", flush=True)
    return figures


if __name__ == "__main__":
    arguments = parse_args(None)
    if arguments.child:
        print(FIGURES_PREFIX + json.dumps(child(arguments)), flush=True)
    else:
        main()
