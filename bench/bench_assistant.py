"""Quality and speed of the assistant (`assistant.services.answer`) on its evaluation set.

What it does, in order:
1. creates a throwaway SQLite database (under a temporary MOTCUA_VAR_DIR) and starts one measuring
   process on it (this script with --child), which:
2. builds the tables and loads the organisation and the reviewed catalog (data/);
3. for every question of data/assistant/evaluation-{dev,test}.yaml, asks the assistant (the whole
   answer: intents, retrieval, the facts read from the database) and, as the in-run baseline, the
   catalog's own search (`catalog.selectors.search_procedures`, the search box of /procedures/), and
   scores both: top-1 and top-3 accuracy of the expected procedure code, per split. `test` holds the
   questions never used to write the synonym list: its figures are the ones that count;
4. times each answer (median and 95th percentile of --repeat calls per question, warm) and prints
   the misses of the test split, then a RATIO line: the assistant's top-1 accuracy on the test split
   against the baseline's, and its median time per answer against the baseline's.

    .venv/bin/python bench/bench_assistant.py
    .venv/bin/python bench/bench_assistant.py --repeat 5 --limit 50
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


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, help="timed calls per question (median kept)")
    parser.add_argument("--limit", type=int, default=None, help="questions per split (default: all)")
    parser.add_argument("--schema", choices=("migrate", "models"), default="migrate",
                        help="build the tables by migrating (default) or straight from the models (smoke test)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.repeat < 1 or (args.limit is not None and args.limit < 1):
        parser.error("need --repeat >= 1 and --limit >= 1")
    return args


def main(argv: list[str] | None = None) -> dict[str, float]:
    """Run the measuring process on a throwaway database, relay its output; return its figures."""
    parse_args(argv)
    return run_measuring_process("bench.bench_assistant", list(argv if argv is not None else sys.argv[1:]))


# --- the measuring process ------------------------------------------------------------------------------

def _timed(action, repeat: int) -> tuple[object, list[float]]:
    result = action()  # warm: the first call of a question is not what a steady server pays
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return result, timings


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def child(args: argparse.Namespace) -> dict:
    from bench import dossier_fixture

    dossier_fixture.setup(from_models=args.schema == "models")
    from django.conf import settings

    from motcua.assistant import evaluation, services
    from motcua.catalog import selectors
    from motcua.catalog.services import import_catalog
    from motcua.org.services import load_org_data

    list(load_org_data(settings.DATA_DIR))
    import_catalog(settings.DATA_DIR / "catalog")
    cases = evaluation.load_cases()
    if args.limit:
        cases = [c for split in evaluation.SPLITS for c in [c for c in cases if c.split == split][:args.limit]]
    load = os.getloadavg()
    print(f"bench_assistant: {len(cases)} questions ({', '.join(f'{s} {sum(c.split == s for c in cases)}' for s in evaluation.SPLITS)}); "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs", flush=True)

    started = time.perf_counter()
    services.answer("khai sinh")  # builds the index
    print(f"  index build (first answer) {(time.perf_counter() - started) * 1000:8.1f} ms")

    answers: dict[str, list[str]] = {}
    baseline: dict[str, list[str]] = {}
    assistant_ms: list[float] = []
    baseline_ms: list[float] = []
    for case in cases:
        reply, timings = _timed(lambda q=case.question: services.answer(q), args.repeat)
        answers[case.question] = [m.code for m in reply.procedures]  # type: ignore[attr-defined]
        assistant_ms.append(statistics.median(timings))
        page, timings = _timed(lambda q=case.question: selectors.search_procedures(q=q, status="operational", limit=3),
                               args.repeat)
        baseline[case.question] = [p.code for p in page.items]  # type: ignore[attr-defined]
        baseline_ms.append(statistics.median(timings))

    mine = evaluation.score(cases, lambda q: answers[q])
    theirs = evaluation.score(cases, lambda q: baseline[q])
    for split in evaluation.SPLITS:
        a, b = mine[split], theirs[split]
        print(f"  {split:<5} {a.total:4} questions  assistant top-1 {a.top1_share:6.1%} top-3 {a.top3_share:6.1%}   "
              f"catalog search top-1 {b.top1_share:6.1%} top-3 {b.top3_share:6.1%}")
    for question, code, codes in mine["test"].misses:
        print(f"    miss (test): {question!r} expected {code}, got {codes[:3] or 'nothing'}")
    median_ms, p95_ms = statistics.median(assistant_ms), _percentile(assistant_ms, 0.95)
    base_ms = statistics.median(baseline_ms)
    print(f"  answer time: median {median_ms:.2f} ms, p95 {p95_ms:.2f} ms, max {max(assistant_ms):.2f} ms; "
          f"catalog search median {base_ms:.2f} ms")
    test, base = mine["test"], theirs["test"]
    figures = {"questions": len(cases), "test_top1": test.top1_share, "test_top3": test.top3_share,
               "dev_top1": mine["dev"].top1_share, "baseline_test_top1": base.top1_share,
               "median_ms": median_ms, "p95_ms": p95_ms, "baseline_ms": base_ms,
               "accuracy_ratio": test.top1_share / base.top1_share if base.top1_share else float("inf"),
               "time_ratio": median_ms / base_ms}
    print(f"RATIO assistant/catalog-search top1={figures['accuracy_ratio']:.2f} time={figures['time_ratio']:.2f} "
          f"(test top-1 {test.top1_share:.1%} vs {base.top1_share:.1%}, top-3 {test.top3_share:.1%}; "
          f"{median_ms:.2f} ms vs {base_ms:.2f} ms per answer, p95 {p95_ms:.2f} ms)", flush=True)
    return figures


if __name__ == "__main__":
    arguments = parse_args(None)
    if arguments.child:
        print(FIGURES_PREFIX + json.dumps(child(arguments)), flush=True)
    else:
        main()
