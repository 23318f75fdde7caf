"""Latency of the leaders' dashboard and the service index with a small and a large history of dossiers.

What it does, in order (the machinery of bench_inbox.py, with another list of measurements):
1. creates a throwaway database (SQLite under a temporary MOTCUA_VAR_DIR, or a fresh PostgreSQL
   database motcua_bench_<pid> with --database-url) and starts one measuring process on it;
2. builds the center of bench/dossier_fixture.py and a center director;
3. inserts --small dossiers (default 1,000), --open of them (default 500) being processed, the rest
   closed over the year before;
4. measures, warm, the median latency of the director's dashboard page `/insights/dashboard/`, of the
   branch leader's, of `GET /api/insights/service-index` over the last 7 days for the city, and of the
   public `/transparency/` of the last 7 days;
5. adds closed dossiers up to --large (default 100,000): the backlog stays, only the history grows;
6. prints one RATIO line: large/small median latency of each measurement.

The dashboard reads the open dossiers and today's: its ratio says whether it follows the backlog
rather than the history. The index and the transparency page read the period's dossiers: the
fixture's closed dossiers were received 16 days to a year ago, so the last 7 days hold the same
dossiers at both sizes and their ratio says whether a period is read without the rest of the history
(see docs/benchmarks.md).

    .venv/bin/python bench/bench_dashboard.py
    .venv/bin/python bench/bench_dashboard.py --database-url postgres://postgres@127.0.0.1:5432/postgres \
        --small 10000 --large 1000000
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make the `bench` package importable
    sys.path.insert(0, str(ROOT))

from bench.bench_inbox import Measured, _get, measure, parse_args  # noqa: E402
from bench.bench_queue_api import FIGURES_PREFIX, run_measuring_process  # noqa: E402

PERIOD_DAYS = 7


def main(argv: list[str] | None = None) -> dict[str, float]:
    """Run the measuring process on a throwaway database, relay its output; return its figures."""
    args = parse_args(argv)
    child_args = [a for a in (argv if argv is not None else sys.argv[1:]) if a != "--keep"]
    return run_measuring_process("bench.bench_dashboard", child_args, database_url=args.database_url,
                                 keep=args.keep)


def measurements(world, now) -> list[Measured]:
    import datetime as dt

    from django.contrib.auth.models import User
    from django.test import Client
    from django.utils import timezone

    from motcua.core import roles

    director = User.objects.create_user("bench-director", password="-")
    director.groups.add(roles.sync_roles()[roles.CENTER_DIRECTOR])
    director_client, leader_client = Client(), Client()
    director_client.force_login(director)
    leader_client.force_login(User.objects.get(pk=world.leader_user_id))
    last = timezone.localdate(now)
    first = last - dt.timedelta(days=PERIOD_DAYS - 1)
    return [
        Measured("dashboard_city", _get(director_client, "/insights/dashboard/")),
        Measured("dashboard_branch", _get(leader_client, "/insights/dashboard/")),
        Measured("service_index_api", _get(director_client, f"/api/insights/service-index?from={first}&to={last}")),
        Measured("transparency_page", _get(Client(), f"/transparency/?from={first}&to={last}")),
    ]


def child(args) -> dict:
    from bench import dossier_fixture

    dossier_fixture.setup(from_models=args.schema == "models")
    from django.db import connection
    from django.utils import timezone

    world = dossier_fixture.build_world(officers=1)
    now = timezone.now()
    load = os.getloadavg()
    print(f"bench_dashboard: {connection.vendor}, {args.small:,} then {args.large:,} dossiers ({args.open} open); "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs", flush=True)

    def grow(count: int, open_count: int) -> None:
        started = time.perf_counter()
        created = dossier_fixture.add_dossiers(world, count, open_count=open_count, now=now)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # what autovacuum would have done after such a load
                cursor.execute("VACUUM (ANALYZE) dossiers_dossier, dossiers_dossierstep")
        print(f"  inserted {created['dossiers']:,} dossiers in {time.perf_counter() - started:.1f} s", flush=True)

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
        figures[f"{name}_ratio"] = large[name]["ms"] / small[name]["ms"]
        parts.append(f"{name} {args.large}/{args.small}={figures[f'{name}_ratio']:.2f}")
    print("RATIO " + " ".join(parts), flush=True)
    return figures


if __name__ == "__main__":
    arguments = parse_args(None)
    if arguments.child:
        print(FIGURES_PREFIX + json.dumps(child(arguments)), flush=True)
    else:
        main()
