"""A bounded mixed workload of a national peak against the production server: requests/s and p99 per kind.

1. builds a throwaway database (SQLite, or a database motcua_bench_<pid> on --database-url's
   PostgreSQL server): the dossier benchmarks' center (two branches, twelve procedures, one reception
   officer with an API token per client), --dossiers dossiers (half of them open, for tracking) and a
   queue hall on branch 1 (two service groups, --counters counters) (bench/mixed_fixture.py);
2. starts uvicorn with --workers worker processes (default 2: the documented production shape) on
   bench.bench_asgi:application;
3. opens --streams server-sent event streams on the hall's board (asyncio, one socket each: no
   thread and no database connection per stream on the server) and keeps them open throughout;
4. drives the server with --clients client threads over keep-alive connections, phase by phase,
   each bounded by --requests requests and --seconds seconds: ping -> the mix -> ping again. The mix
   cycles through a fixed schedule of 20 requests:
     6 tracking (`GET /api/tracking/<code>?key=…`, public), 3 catalog searches
     (`GET /api/procedures?q=…`), 2 procedure pages (`GET /api/procedures/<code>`),
     3 board reads (`GET /api/service-points/<id>/board`), 3 tickets issued at the reception desk,
     2 call-next (never more calls than tickets issued; a ticket instead), 1 intake (multipart, two PDF files);
5. prints, per kind, requests/s (its answers over the mix's duration), p50 and p99 latency and any
   other status; the mix's total; what the board streams received; and a RATIO line: the mix's
   requests/s over ping's and the mix's p99 over ping's (ping: the mean of both ping phases).

On SQLite each worker process has its own event hub (docs/core.md): a board stream receives only the
calls made by the process that serves it, so with 2 workers it sees about half of them. On
PostgreSQL every stream receives every call.

    .venv/bin/python -m bench.bench_mixed                    # SQLite, 2 workers, 8 clients, 50 streams
    .venv/bin/python -m bench.bench_mixed --database-url postgres://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make the `bench` package importable
    sys.path.insert(0, str(ROOT))

from bench.bench_board_fanout import Client as BoardStream  # noqa: E402
from bench.bench_dossiers import intake_body  # noqa: E402
from bench.bench_queue_api import REQUEST_TIMEOUT_SECONDS, Sequence, bench_server, national_id  # noqa: E402

SCHEDULE = (["tracking"] * 6 + ["catalog-search"] * 3 + ["catalog-page"] * 2 + ["board"] * 3
            + ["ticket"] * 3 + ["call-next"] * 2 + ["intake"])
KINDS = list(dict.fromkeys(SCHEDULE))
SEARCHES = ["thủ tục", "đất đai", "số 3", "hợp đồng", "1.000007", "đề nghị"]
TICKET = re.compile(r'"ticket":"([A-Z]-\d+)"')
STREAM_OPEN_TIMEOUT = 30.0


@dataclass
class KindResult:
    name: str
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    failures: int = 0

    def percentile_ms(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))] * 1000


@dataclass
class Phase:
    seconds: float = 0.0
    kinds: dict[str, KindResult] = field(default_factory=dict)

    def kind(self, name: str) -> KindResult:
        return self.kinds.setdefault(name, KindResult(name))

    @property
    def ok(self) -> int:
        return sum(len(k.latencies) for k in self.kinds.values())

    @property
    def rate(self) -> float:
        return self.ok / self.seconds if self.seconds > 0 else 0.0

    def all_latencies(self) -> list[float]:
        return [t for k in self.kinds.values() for t in k.latencies]

    def percentile_ms(self, q: float) -> float:
        merged = KindResult("all", self.all_latencies())
        return merged.percentile_ms(q)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=8, help="concurrent client threads (and reception officers)")
    parser.add_argument("--requests", type=int, default=2000, help="requests per phase, at most")
    parser.add_argument("--seconds", type=float, default=30.0, help="seconds per phase, at most")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--streams", type=int, default=50, help="board SSE streams kept open during the run")
    parser.add_argument("--counters", type=int, default=8, help="counters of the hall")
    parser.add_argument("--dossiers", type=int, default=400, help="dossiers in the database before the run")
    parser.add_argument("--database-url", default=None,
                        help="a PostgreSQL server to use (a database motcua_bench_<pid> is created and dropped)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (database, server log)")
    parser.add_argument("--schema", choices=("migrate", "models"), default="migrate")
    args = parser.parse_args(argv)
    if min(args.clients, args.requests, args.counters, args.dossiers) < 1 or args.streams < 0 or args.seconds <= 0:
        raise SystemExit("--clients, --requests, --counters, --dossiers and --seconds must be positive")
    return args


class Mix:
    """What each request of the mix sends; tickets issued and calls made are counted across clients."""

    def __init__(self, fixture: dict):
        self.fixture = fixture
        self.people = Sequence(start=1)
        self.lock = threading.Lock()
        self.issued = 0
        self.calls = 0

    def request(self, kind: str, n: int, client: int) -> tuple[str, str, str, bytes | None, dict]:
        """(kind actually sent, method, path, body, headers)."""
        fx = self.fixture
        token = fx["tokens"][client % len(fx["tokens"])]
        if kind == "call-next":
            with self.lock:
                if self.calls < self.issued:
                    self.calls += 1
                else:
                    kind = "ticket"
        if kind == "tracking":
            code, key = fx["tracked"][n % len(fx["tracked"])]
            return kind, "GET", f"/api/tracking/{code}?key={key}", None, {}
        if kind == "catalog-search":
            return kind, "GET", f"/api/procedures?q={quote(SEARCHES[n % len(SEARCHES)])}", None, {}
        if kind == "catalog-page":
            return kind, "GET", f"/api/procedures/{fx['procedures'][n % len(fx['procedures'])]}", None, {}
        if kind == "board":
            return kind, "GET", f"/api/service-points/{fx['point']}/board", None, {}
        auth = {"Authorization": f"Bearer {token}"}
        if kind == "ticket":
            with self.lock:
                self.issued += 1
            number = self.people.take()
            body = {"group": fx["groups"][number % len(fx["groups"])], "national_id": national_id(number)}
            return kind, "POST", f"/api/service-points/{fx['point']}/tickets", json.dumps(body).encode(), {
                **auth, "Content-Type": "application/json"}
        if kind == "call-next":
            counter = fx["counters"][client % len(fx["counters"])]
            return kind, "POST", f"/api/counters/{counter}/call-next?finish_current=true", None, {
                **auth, "Content-Type": "application/json"}
        if kind == "intake":
            body, content_type = intake_body(fx["procedures"][n % len(fx["procedures"])], 500_000 + self.people.take())
            return kind, "POST", "/api/dossiers", body, {**auth, "Content-Type": content_type}
        raise ValueError(kind)


EXPECTED = {"ticket": 201, "intake": 201}


def run_phase(port: int, clients: int, max_requests: int, max_seconds: float, pick) -> Phase:
    """At most `max_requests` requests from `clients` threads for at most `max_seconds`;
    `pick(n, client)` returns (kind, method, path, body, headers)."""
    phase = Phase()
    sequence = Sequence()
    lock = threading.Lock()
    deadline = time.monotonic() + max_seconds
    max_failures = max(5, max_requests // 10)

    def client(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_SECONDS)
        mine: dict[str, KindResult] = defaultdict(lambda: KindResult(""))
        failures = 0
        try:
            while time.monotonic() < deadline and failures < max_failures:
                n = sequence.take()
                if n >= max_requests:
                    break
                kind, method, path, body, headers = pick(n, index)
                started = time.perf_counter()
                try:
                    conn.request(method, path, body=body, headers=headers)
                    response = conn.getresponse()
                    response.read()
                except (OSError, http.client.HTTPException):
                    failures += 1
                    mine[kind].failures += 1
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_SECONDS)
                    continue
                elapsed = time.perf_counter() - started
                mine[kind].statuses[response.status] += 1
                if response.status == EXPECTED.get(kind, 200):
                    mine[kind].latencies.append(elapsed)
        finally:
            conn.close()
            with lock:
                for kind, result in mine.items():
                    total = phase.kind(kind)
                    total.latencies += result.latencies
                    total.statuses.update(result.statuses)
                    total.failures += result.failures

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max_seconds + REQUEST_TIMEOUT_SECONDS + 5)
    phase.seconds = time.perf_counter() - started
    return phase


class Streams:
    """--streams board streams on an event loop of their own (a thread), open for the whole run."""

    def __init__(self, port: int, point: int, size: int):
        self.port, self.point, self.size = port, point, size
        self.arrivals: dict[tuple[int, str], list[float]] = defaultdict(list)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.clients: list[BoardStream] = []
        self.connected = 0

    def open(self) -> None:
        self.thread.start()
        self.connected = asyncio.run_coroutine_threadsafe(self._open(), self.loop).result(STREAM_OPEN_TIMEOUT + 10)

    async def _open(self) -> int:
        self.clients = [BoardStream(self.arrivals, self.point) for _ in range(self.size)]
        opened = await asyncio.gather(*(asyncio.wait_for(c.open(self.port, self.point), STREAM_OPEN_TIMEOUT)
                                        for c in self.clients), return_exceptions=True)
        return sum(1 for o in opened if o is True)

    def close(self) -> dict[str, float]:
        async def shut():
            for client in self.clients:
                client.close()
            await asyncio.sleep(0.1)

        if self.thread.is_alive():
            asyncio.run_coroutine_threadsafe(shut(), self.loop).result(30)
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(10)
        calls = len(self.arrivals)
        received = sum(len(v) for v in self.arrivals.values())
        return {"connected": self.connected, "refused": self.size - self.connected, "calls_seen": calls,
                "events": received, "per_stream": received / self.connected if self.connected else 0.0}


def run_fixture(env: dict[str, str], args) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "bench.mixed_fixture", "--officers", str(args.clients), "--counters",
         str(args.counters), "--dossiers", str(args.dossiers), "--schema", args.schema],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"bench.mixed_fixture failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> dict[str, float]:
    args = parse_args(argv)
    with bench_server(args) as server:
        fixture = run_fixture(server.env, args)
        server.wait_until_serving()
        return drive(args, server.port, fixture, engine=server.engine)


def drive(args, port: int, fixture: dict, *, engine: str) -> dict[str, float]:
    mix = Mix(fixture)

    def ping(n, client):
        return "ping", "GET", "/bench/ping", None, {}

    def mixed(n, client):
        return mix.request(SCHEDULE[n % len(SCHEDULE)], n, client)

    load = os.getloadavg()
    print(f"bench_mixed: uvicorn x{args.workers}, {engine}, {args.clients} clients, {args.streams} board streams, "
          f"{args.dossiers} dossiers, at most {args.requests} requests / {args.seconds:g} s a phase; "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs")
    # Warm-up (not reported): every kind at least once in each worker, imports, first queries.
    run_phase(port, args.clients, 10 * args.clients, args.seconds, ping)
    run_phase(port, args.clients, 2 * len(SCHEDULE), args.seconds, mixed)

    streams = Streams(port, fixture["point"], args.streams)
    try:
        if args.streams:
            streams.open()
        ping_1 = run_phase(port, args.clients, args.requests, args.seconds, ping)
        calls_before = mix.calls
        work = run_phase(port, args.clients, args.requests, args.seconds, mixed)
        calls_in_mix = mix.calls - calls_before
        ping_2 = run_phase(port, args.clients, args.requests, args.seconds, ping)
        time.sleep(0.5)  # the last calls' events
    finally:
        seen = streams.close()

    figures: dict[str, float] = {}
    for name in KINDS:
        result = work.kind(name)
        others = {code: n for code, n in sorted(result.statuses.items()) if code != EXPECTED.get(name, 200)}
        extra = f"  other statuses {others}" if others else ""
        if result.failures:
            extra += f"  connection failures {result.failures}"
        rate = len(result.latencies) / work.seconds if work.seconds else 0.0
        figures[f"{name}_rps"], figures[f"{name}_p99_ms"] = rate, result.percentile_ms(0.99)
        print(f"  {name:<15} {rate:8.1f} req/s  p50 {result.percentile_ms(0.5):7.1f} ms  "
              f"p99 {result.percentile_ms(0.99):7.1f} ms  (n={len(result.latencies)}){extra}")
    print(f"  {'mix':<15} {work.rate:8.1f} req/s  p50 {work.percentile_ms(0.5):7.1f} ms  "
          f"p99 {work.percentile_ms(0.99):7.1f} ms  (n={work.ok}, {work.seconds:.2f} s)")
    for label, phase in (("ping", ping_1), ("ping again", ping_2)):
        result = phase.kind("ping")
        print(f"  {label:<15} {phase.rate:8.1f} req/s  p50 {result.percentile_ms(0.5):7.1f} ms  "
              f"p99 {result.percentile_ms(0.99):7.1f} ms  (n={phase.ok}, {phase.seconds:.2f} s)")
    if args.streams:
        print(f"  board streams: {seen['connected']} connected, {seen['refused']} refused; {calls_in_mix} calls "
              f"in the mix, {seen['calls_seen']} different calls seen, {seen['per_stream']:.1f} events a stream")
    ping_rate = statistics.fmean([ping_1.rate, ping_2.rate])
    ping_p99 = statistics.fmean([ping_1.percentile_ms(0.99), ping_2.percentile_ms(0.99)])
    figures.update(mix_rps=work.rate, mix_p99_ms=work.percentile_ms(0.99), ping_rps=ping_rate, ping_p99_ms=ping_p99,
                   mix_ratio=work.rate / ping_rate if ping_rate else float("nan"),
                   p99_ratio=work.percentile_ms(0.99) / ping_p99 if ping_p99 else float("nan"),
                   streams_connected=seen["connected"], streams_refused=seen["refused"],
                   stream_events=seen["events"], calls=calls_in_mix)
    print(f"RATIO mix/ping={figures['mix_ratio']:.3f} p99-mix/p99-ping={figures['p99_ratio']:.3f} "
          f"(mix {work.rate:.1f} req/s, ping {ping_rate:.1f} req/s = mean of both ping phases)")
    sys.stdout.flush()
    return figures


if __name__ == "__main__":
    main()
