"""Throughput of the queue API against a minimal JSON endpoint served by the same server in the same run.

What it does, in order:
1. creates a throwaway database (an SQLite file under a temporary MOTCUA_VAR_DIR, or a fresh
   PostgreSQL database named motcua_bench_<pid> when --database-url is given), migrates it and
   builds one hall (two service groups, one counter per client, a reception officer with an API
   token) in a separate process (bench/queue_fixture.py);
2. starts uvicorn on bench.bench_asgi:application (the project's ASGI application with
   bench.bench_settings, whose URLconf adds /bench/ping) on 127.0.0.1 and a free port;
3. drives it with N client threads over keep-alive HTTP/1.1 connections, phase by phase, each
   bounded by a number of requests and a number of seconds:
   bare -> ping (baselines) -> issue tickets -> call next -> ping -> bare again;
4. prints requests/s and p50/p95 latencies per phase and a RATIO line: issue/ping and
   call-next/ping, where ping is the mean of the two ping phases, then the same against bare
   (issue/bare, call-next/bare, ping/bare).

`/bench/ping` is one JSON view behind the project's whole middleware stack; `/bench/bare` is the same
view served by the same server with no middleware at all (bench/bench_asgi.py), so ping/bare is the
share of Django's own rate the middleware leaves.

Tickets are issued from the reception desk (the officer's token), each bound to a different national
ID, with one in ten declaring a priority; the capacity rule stays on (the queue's clock is pinned to
a Monday 08:00 so the run does not depend on the hour). Call-next is sent by one client per counter
and never more often than tickets were issued, so nearly every call takes a ticket.

    .venv/bin/python bench/bench_queue_api.py                     # SQLite, 8 clients
    .venv/bin/python bench/bench_queue_api.py --database-url postgres://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
# A Monday morning in Hanoi: the start of a working day for the capacity rule.
QUEUE_START = "2026-11-23T08:00:00+07:00"
SERVER_START_SECONDS = 60
REQUEST_TIMEOUT_SECONDS = 30
PRIORITY_EVERY = 10
BARE_PATH = "/bench/bare"  # bench_asgi.BARE_PATH; not imported: importing bench_asgi sets Django up


@dataclass
class PhaseResult:
    name: str
    expected_status: int
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    failures: int = 0
    empty_calls: int = 0

    @property
    def ok(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return self.ok / self.seconds if self.seconds > 0 else 0.0

    def percentile_ms(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
        return ordered[index] * 1000

    def line(self) -> str:
        others = {code: n for code, n in sorted(self.statuses.items()) if code != self.expected_status}
        extra = f"  other statuses {others}" if others else ""
        if self.failures:
            extra += f"  connection failures {self.failures}"
        if self.empty_calls:
            extra += f"  empty calls {self.empty_calls}"
        return (
            f"{self.name:<10} {self.rate:9.1f} req/s  p50 {self.percentile_ms(0.50):7.1f} ms  "
            f"p95 {self.percentile_ms(0.95):7.1f} ms  (n={self.ok}, {self.seconds:.2f} s){extra}"
        )


class Sequence:
    """A thread-safe counter handing out request numbers below a limit."""

    def __init__(self, start: int = 0):
        self._next = start
        self._lock = threading.Lock()

    def take(self) -> int:
        with self._lock:
            value = self._next
            self._next += 1
            return value


def national_id(n: int) -> str:
    """A distinct valid-format personal ID per ticket (Hanoi, born 1980): the daily limit is per person."""
    return f"001{n % 2}80{n:06d}"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_phase(
    name: str,
    port: int,
    clients: int,
    max_requests: int,
    max_seconds: float,
    expected_status: int,
    make_request,
    *,
    clients_keys: list | None = None,
) -> PhaseResult:
    """Send at most `max_requests` requests from `clients` threads, stopping after `max_seconds`.

    `make_request(n, key)` returns (method, path, body dict or None, headers); `key` is the
    client's entry in `clients_keys` (a counter id), or its index.
    """
    result = PhaseResult(name, expected_status)
    sequence = Sequence()
    lock = threading.Lock()
    deadline = time.monotonic() + max_seconds
    max_failures = max(5, max_requests // 10)

    def client(index: int) -> None:
        key = clients_keys[index % len(clients_keys)] if clients_keys else index
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_SECONDS)
        latencies, statuses, failures, empty = [], Counter(), 0, 0
        try:
            while time.monotonic() < deadline and failures < max_failures:
                n = sequence.take()
                if n >= max_requests:
                    break
                method, path, body, headers = make_request(n, key)
                payload = json.dumps(body).encode() if body is not None else None
                started = time.perf_counter()
                try:
                    conn.request(method, path, body=payload, headers=headers)
                    response = conn.getresponse()
                    data = response.read()
                except (OSError, http.client.HTTPException):
                    failures += 1
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_SECONDS)
                    continue
                elapsed = time.perf_counter() - started
                statuses[response.status] += 1
                if response.status == expected_status:
                    latencies.append(elapsed)
                    if name == "call-next" and json.loads(data).get("ticket") is None:
                        empty += 1
        finally:
            conn.close()
            with lock:
                result.latencies.extend(latencies)
                result.statuses.update(statuses)
                result.failures += failures
                result.empty_calls += empty

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max_seconds + REQUEST_TIMEOUT_SECONDS + 5)
    result.seconds = time.perf_counter() - started
    return result


FIGURES_PREFIX = "FIGURES "  # the measuring process's last line: its figures as JSON


def run_measuring_process(module: str, child_args: list[str], *, database_url: str | None = None,
                          keep: bool = False) -> dict[str, float]:
    """Run `python -m module --child …` on a throwaway database, relay its output and return the
    figures it printed on its FIGURES line (the benchmarks measured in a process of their own)."""
    var_dir = Path(tempfile.mkdtemp(prefix="motcua-bench-"))
    figures: dict[str, float] = {}
    try:
        with throwaway_database(database_url, var_dir) as url:
            env = server_env(url, var_dir)
            command = [sys.executable, "-m", module, "--child", *child_args]
            with subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  text=True, bufsize=1) as process:
                assert process.stdout is not None
                for line in process.stdout:
                    if line.startswith(FIGURES_PREFIX):
                        figures = json.loads(line[len(FIGURES_PREFIX):])
                    else:
                        print(line, end="", flush=True)
            if process.returncode != 0 or not figures:
                raise RuntimeError(f"the measuring process failed (exit status {process.returncode})")
            return figures
    finally:
        if keep:
            print(f"kept {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


@contextlib.contextmanager
def throwaway_database(database_url: str | None, var_dir: Path):
    """Yield the DATABASE_URL of a new, empty database; remove it afterwards."""
    if not database_url:
        yield f"sqlite:///{var_dir / 'bench.sqlite3'}"
        return
    import psycopg
    from psycopg import sql

    parts = urlsplit(database_url)
    name = f"motcua_bench_{os.getpid()}"
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def server_env(database_url: str, var_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.bench_settings",
            "DATABASE_URL": database_url,
            "MOTCUA_VAR_DIR": str(var_dir),
            "DJANGO_DEBUG": "0",
            "BENCH_QUEUE_START": QUEUE_START,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")])),
        }
    )
    return env


def build_fixture(env: dict[str, str], counters: int, schema: str = "migrate", points: int = 1) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "bench.queue_fixture", "--counters", str(counters), "--schema", schema,
         "--points", str(points)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"building the benchmark database failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


@contextlib.contextmanager
def running_server(env: dict[str, str], port: int, workers: int, log_path: Path):
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "bench.bench_asgi:application",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


def wait_until_serving(process: subprocess.Popen, port: int, log_path: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped:\n{log_path.read_text(errors='replace')[-3000:]}")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            conn.request("GET", "/bench/ping")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            conn.close()
        time.sleep(0.2)
    raise RuntimeError(f"the server did not answer within {SERVER_START_SECONDS} s")


def check_baselines(port: int) -> None:
    """Fail unless /bench/ping runs the middleware (it sets X-Request-ID) and /bench/bare does not."""
    seen = {}
    for path in ("/bench/ping", BARE_PATH):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_SECONDS)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            seen[path] = (response.status, response.getheader("X-Request-ID") is not None)
        finally:
            conn.close()
    if seen != {"/bench/ping": (200, True), BARE_PATH: (200, False)}:
        raise RuntimeError(f"the baselines are not what they should be (status, middleware ran): {seen}")


def baseline_phases(port: int, clients: int, max_requests: int, max_seconds: float, phase=None):
    """The two baselines' phase functions: (run ping, run bare), each a PhaseResult when called."""
    phase = phase or run_phase

    def ping(n, key):
        return "GET", "/bench/ping", None, {}

    def bare(n, key):
        return "GET", BARE_PATH, None, {}

    return (lambda: phase("ping", port, clients, max_requests, max_seconds, 200, ping),
            lambda: phase("bare", port, clients, max_requests, max_seconds, 200, bare))


def baseline_ratios(figures: dict[str, float], use_cases: dict[str, float], ping: float, bare: float) -> str:
    """Fill `figures` with each use case's share of ping and of bare; return the RATIO line's words."""
    figures.update(ping_rps=ping, bare_rps=bare, ping_bare_ratio=ping / bare if bare else float("nan"))
    words_ping, words_bare = [], []
    for name, rate in use_cases.items():
        key = name.replace("-", "_")
        figures[f"{key}_rps"] = rate
        figures[f"{key}_ratio"] = rate / ping if ping else float("nan")
        figures[f"{key}_bare_ratio"] = rate / bare if bare else float("nan")
        words_ping.append(f"{name}/ping={figures[f'{key}_ratio']:.3f}")
        words_bare.append(f"{name}/bare={figures[f'{key}_bare_ratio']:.3f}")
    return " ".join(words_ping + words_bare + [f"ping/bare={figures['ping_bare_ratio']:.3f}"])


def parse_server_args(argv: list[str] | None, *, description: str | None, clients: str,
                      requests: int) -> argparse.Namespace:
    """The options every server benchmark takes (clients, requests, seconds, workers, database…), checked."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=8, help=f"concurrent client threads (and {clients})")
    parser.add_argument("--requests", type=int, default=requests, help="requests per phase, at most")
    parser.add_argument("--seconds", type=float, default=20.0, help="seconds per phase, at most")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--database-url", default=None,
                        help="a PostgreSQL server to use (a database motcua_bench_<pid> is created and dropped)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (database, server log)")
    parser.add_argument("--schema", choices=("migrate", "models"), default="migrate",
                        help="build the tables by migrating (default) or straight from the models (faster; smoke test)")
    args = parser.parse_args(argv)
    if args.clients < 1 or args.requests < 1 or args.seconds <= 0:
        raise SystemExit("--clients, --requests and --seconds must be positive")
    return args


@dataclass
class BenchServer:
    env: dict[str, str]
    port: int
    process: subprocess.Popen
    log_path: Path
    engine: str  # "sqlite" or "postgres"

    def wait_until_serving(self) -> None:
        wait_until_serving(self.process, self.port, self.log_path)


@contextlib.contextmanager
def bench_server(args: argparse.Namespace) -> Iterator[BenchServer]:
    """A throwaway database and a uvicorn server on it; the temporary directory goes afterwards."""
    var_dir = Path(tempfile.mkdtemp(prefix="motcua-bench-"))
    try:
        with throwaway_database(args.database_url, var_dir) as database_url:
            env = server_env(database_url, var_dir)
            port = free_port()
            log_path = var_dir / "server.log"
            with running_server(env, port, args.workers, log_path) as process:
                yield BenchServer(env, port, process, log_path, urlsplit(database_url).scheme)
    finally:
        if args.keep:
            print(f"kept {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


def main(argv: list[str] | None = None) -> dict[str, float]:
    """Run the benchmark and print its figures; return the rates and ratios."""
    args = parse_server_args(argv, description=__doc__, clients="counters", requests=2000)
    with bench_server(args) as server:
        # The server starts while the database is built: nothing reaches the database before
        # the fixture is done (the readiness check asks /bench/ping, which runs no query).
        fixture = build_fixture(server.env, args.clients, args.schema)
        server.wait_until_serving()
        return drive(args, server.port, fixture, engine=server.engine)


def drive(args: argparse.Namespace, port: int, fixture: dict, *, engine: str) -> dict[str, float]:
    auth = {"Authorization": f"Bearer {fixture['token']}", "Content-Type": "application/json"}
    point, groups, counters = fixture["point"], fixture["groups"], fixture["counters"]
    ids = Sequence()

    def ping(n, key):
        return "GET", "/bench/ping", None, {}

    def bare(n, key):
        return "GET", BARE_PATH, None, {}

    def issue(n, key):
        number = ids.take()
        body = {
            "group": groups[number % len(groups)],
            "national_id": national_id(number),
            "priority": "elderly" if number % PRIORITY_EVERY == 0 else "",
        }
        return "POST", f"/api/service-points/{point}/tickets", body, auth

    def call_next(n, key):
        return "POST", f"/api/counters/{key}/call-next?finish_current=true", None, auth

    load = os.getloadavg()
    print(
        f"bench_queue_api: uvicorn x{args.workers}, {engine}, {args.clients} clients, {len(counters)} counters, "
        f"at most {args.requests} requests / {args.seconds:g} s a phase; "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs"
    )
    check_baselines(port)
    run_ping, run_bare = baseline_phases(port, args.clients, args.requests, args.seconds)
    # Warm-up (not reported): imports, URL resolution, first connections, first queries.
    warm = max(2, args.clients)
    run_phase("warm-ping", port, args.clients, 5 * warm, args.seconds, 200, ping)
    run_phase("warm-bare", port, args.clients, 5 * warm, args.seconds, 200, bare)
    issued = run_phase("warm-issue", port, args.clients, warm, args.seconds, 201, issue).ok
    run_phase(
        "warm-call",
        port,
        args.clients,
        min(warm, issued),
        args.seconds,
        200,
        call_next,
        clients_keys=counters,
    )

    bare_1, ping_1 = run_bare(), run_ping()
    issue_result = run_phase("issue", port, args.clients, args.requests, args.seconds, 201, issue)
    call_result = run_phase(
        "call-next",
        port,
        args.clients,
        max(1, min(args.requests, issue_result.ok)),
        args.seconds,
        200,
        call_next,
        clients_keys=counters,
    )
    ping_2, bare_2 = run_ping(), run_bare()

    for result in (bare_1, ping_1, issue_result, call_result, ping_2, bare_2):
        print(result.line())
    baseline = statistics.fmean([ping_1.rate, ping_2.rate])
    bare_rate = statistics.fmean([bare_1.rate, bare_2.rate])
    figures: dict[str, float] = {}
    words = baseline_ratios(figures, {"issue": issue_result.rate, "call-next": call_result.rate}, baseline, bare_rate)
    print(f"RATIO {words} (ping {baseline:.1f} req/s, bare {bare_rate:.1f} req/s = means of both phases each)")
    return figures


if __name__ == "__main__":
    main()
