"""The throwaway database of bench_mixed.py: the dossier benchmarks' center, a queue hall, dossiers to track.

Run as a process (`python -m bench.mixed_fixture --officers 8 --counters 8 --dossiers 400`) with
DJANGO_SETTINGS_MODULE, DATABASE_URL and MOTCUA_VAR_DIR set; prints one JSON object on stdout:
the procedures' codes (catalog reads and intakes), the reception officers' tokens, the hall (service
point, groups, counters) and `tracked`, the code and tracking key of some dossiers (tracking reads).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from bench.bench_queue_api import QUEUE_START

TRACKED = 200  # dossiers whose code and key the tracking requests use


def build(officers: int, counters: int, dossiers: int, *, from_models: bool) -> dict:
    from bench import dossier_fixture

    dossier_fixture.setup(from_models=from_models)
    from motcua.dossiers.models import Dossier
    from motcua.org.models import Branch
    from motcua.org.tests.factories import make_counters, make_group, make_point
    from motcua.queueing.models import QueueConfig

    world = dossier_fixture.build_world(officers=officers)
    # Bulk-inserted dossiers take their codes outside the daily sequence intake uses: they are dated a
    # month before the day the benchmark server's clock is pinned to, so no intake of the run draws
    # one of their codes.
    before_run = dt.datetime.fromisoformat(QUEUE_START) - dt.timedelta(days=30)
    dossier_fixture.add_dossiers(world, dossiers, open_count=dossiers // 2, now=before_run)
    branch = Branch.objects.select_related("center").get(pk=world.branch_ids[0])
    point = make_point(branch, "cn-1-mixed", name="Điểm tiếp nhận", address="Số 1")
    QueueConfig.objects.create(service_point=point)
    # A short configured service time keeps a long run inside the capacity rule (which stays on).
    groups = [make_group(branch.center, "tu-phap", average_service_minutes=1),
              make_group(branch.center, "dat-dai", average_service_minutes=1)]
    counter_ids = [c.pk for c in make_counters(point, range(1, counters + 1), groups)]
    tracked = list(Dossier.objects.order_by("-pk").values_list("code", "tracking_key")[:TRACKED])
    return {
        "procedures": world.procedure_codes,
        "tokens": world.reception_tokens,
        "point": point.pk,
        "groups": [g.letter for g in groups],
        "counters": counter_ids,
        "tracked": [[code, key] for code, key in tracked],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--officers", type=int, default=8)
    parser.add_argument("--counters", type=int, default=8)
    parser.add_argument("--dossiers", type=int, default=400)
    parser.add_argument("--schema", choices=("migrate", "models"), default="migrate")
    args = parser.parse_args(argv)
    print(json.dumps(build(args.officers, args.counters, args.dossiers, from_models=args.schema == "models")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
