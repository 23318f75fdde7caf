"""Throughput of dossier intake (POST /api/dossiers) against a minimal JSON endpoint on the same server, same run.

What it does, in order:
1. creates a throwaway database (an SQLite file under a temporary MOTCUA_VAR_DIR, or a fresh
   PostgreSQL database named motcua_bench_<pid> when --database-url is given), migrates it and
   builds a center (branches, departments each deciding one procedure with a 3-step route, one
   reception officer with an API token per client) in a separate process (bench/dossier_fixture.py);
2. starts uvicorn on bench.bench_asgi:application (the project's ASGI application with
   bench.bench_settings, whose URLconf adds /bench/ping) on 127.0.0.1 and a free port;
3. drives it with N client threads over keep-alive HTTP/1.1 connections, phase by phase, each
   bounded by a number of requests and a number of seconds: bare -> ping (baselines) -> intake ->
   ping -> bare again;
4. prints requests/s and p50/p95 latencies per phase and a RATIO line intake/ping, where ping is
   the mean of the two ping phases, then intake/bare and ping/bare (`/bench/bare`: the same view as
   ping, served by the same server with no middleware); then checks that every dossier created has
   its own code.

Each intake is a counter dossier filed by a reception officer (bearer token) for a different
applicant: multipart with a JSON part `data` and two small PDF files for the two required
documents (`document.1`, `document.2`); the document shown at the counter is ticked (`shown`).

    .venv/bin/python bench/bench_dossiers.py                     # SQLite, 8 clients
    .venv/bin/python bench/bench_dossiers.py --database-url postgres://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make the `bench` package importable
    sys.path.insert(0, str(ROOT))

from bench.bench_queue_api import (  # noqa: E402
    BARE_PATH,
    REQUEST_TIMEOUT_SECONDS,
    PhaseResult,
    Sequence,
    baseline_phases,
    baseline_ratios,
    bench_server,
    check_baselines,
    national_id,
    parse_server_args,
)

# A small but valid PDF (the intake checks the magic bytes and the end-of-file marker).
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n" + b"%" + b"x" * 2000 + b"\n%%EOF\n"


def multipart(data: dict, files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    """A multipart/form-data body: the JSON part `data` and one part per file; returns (body, content type)."""
    boundary = uuid.uuid4().hex
    chunks = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="data"\r\n'
        f"Content-Type: application/json\r\n\r\n".encode(),
        json.dumps(data, ensure_ascii=False).encode(),
        b"\r\n",
    ]
    for name, (filename, content) in files.items():
        chunks += [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: application/pdf\r\n\r\n".encode(),
            content,
            b"\r\n",
        ]
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


def intake_body(procedure: str, number: int) -> tuple[bytes, str]:
    data = {
        "procedure": procedure,
        "channel": "counter",
        "applicant": {"kind": "person", "id_number": national_id(number), "name": f"Công dân {number}",
                      "phone": f"09{number:08d}"},
        "shown": [4],
        "sets": 1,
    }
    return multipart(data, {"document.1": ("don.pdf", PDF), "document.2": ("hop-dong.pdf", PDF)})


def run_phase(name: str, port: int, clients: int, max_requests: int, max_seconds: float, expected_status: int,
              make_request, codes: list | None = None) -> PhaseResult:
    """Send at most `max_requests` requests from `clients` threads, stopping after `max_seconds`.

    `make_request(n, client_index)` returns (method, path, body bytes or None, headers). When
    `codes` is a list, the `code` of every expected answer is appended to it.
    """
    result = PhaseResult(name, expected_status)
    sequence = Sequence()
    lock = threading.Lock()
    deadline = time.monotonic() + max_seconds
    max_failures = max(5, max_requests // 10)

    def client(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_SECONDS)
        latencies, statuses, failures, seen = [], Counter(), 0, []
        try:
            while time.monotonic() < deadline and failures < max_failures:
                n = sequence.take()
                if n >= max_requests:
                    break
                method, path, body, headers = make_request(n, index)
                started = time.perf_counter()
                try:
                    conn.request(method, path, body=body, headers=headers)
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
                    if codes is not None:
                        seen.append(json.loads(data)["code"])
        finally:
            conn.close()
            with lock:
                result.latencies.extend(latencies)
                result.statuses.update(statuses)
                result.failures += failures
                if codes is not None:
                    codes.extend(seen)

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max_seconds + REQUEST_TIMEOUT_SECONDS + 5)
    result.seconds = time.perf_counter() - started
    return result


def run_fixture(env: dict[str, str], *args: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "bench.dossier_fixture", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"bench.dossier_fixture {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> dict[str, float]:
    """Run the benchmark and print its figures; return the rates, the ratio and the code check."""
    args = parse_server_args(argv, description=__doc__, clients="reception officers", requests=1000)
    with bench_server(args) as server:
        fixture = run_fixture(server.env, "world", "--officers", str(args.clients), "--schema", args.schema)
        server.wait_until_serving()
        figures = drive(args, server.port, fixture, engine=server.engine)
        check = run_fixture(server.env, "codes")
        unique = check["dossiers"] == check["distinct_codes"] and figures.pop("codes_unique_in_answers")
        print(f"codes: {check['dossiers']} dossiers in the database, {check['distinct_codes']} distinct codes, "
              f"{int(figures['created'])} created by 201 answers -> "
              f"{'every code unique' if unique else 'DUPLICATE CODES'}")
        figures.update(dossiers=check["dossiers"], distinct_codes=check["distinct_codes"], codes_unique=unique)
        return figures


def drive(args: argparse.Namespace, port: int, fixture: dict, *, engine: str) -> dict:
    tokens, procedure = fixture["tokens"], fixture["procedure"]
    applicants = Sequence()
    codes: list[str] = []

    def ping(n, index):
        return "GET", "/bench/ping", None, {}

    def bare(n, index):
        return "GET", BARE_PATH, None, {}

    def intake(n, index):
        body, content_type = intake_body(procedure, applicants.take())
        headers = {"Authorization": f"Bearer {tokens[index % len(tokens)]}", "Content-Type": content_type}
        return "POST", "/api/dossiers", body, headers

    load = os.getloadavg()
    print(
        f"bench_dossiers: uvicorn x{args.workers}, {engine}, {args.clients} clients, "
        f"at most {args.requests} requests / {args.seconds:g} s a phase; "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs"
    )
    check_baselines(port)
    run_ping, run_bare = baseline_phases(port, args.clients, args.requests, args.seconds, run_phase)
    # Warm-up (not reported): imports, URL resolution, first connections, first queries.
    warm = max(2, args.clients)
    run_phase("warm-ping", port, args.clients, 5 * warm, args.seconds, 200, ping)
    run_phase("warm-bare", port, args.clients, 5 * warm, args.seconds, 200, bare)
    run_phase("warm-intake", port, args.clients, warm, args.seconds, 201, intake, codes)

    bare_1, ping_1 = run_bare(), run_ping()
    intake_result = run_phase("intake", port, args.clients, args.requests, args.seconds, 201, intake, codes)
    ping_2, bare_2 = run_ping(), run_bare()

    for result in (bare_1, ping_1, intake_result, ping_2, bare_2):
        print(result.line())
    baseline = statistics.fmean([ping_1.rate, ping_2.rate])
    bare_rate = statistics.fmean([bare_1.rate, bare_2.rate])
    figures: dict = {}
    words = baseline_ratios(figures, {"intake": intake_result.rate}, baseline, bare_rate)
    print(f"RATIO {words} (intake {intake_result.rate:.1f} req/s, ping {baseline:.1f} req/s, "
          f"bare {bare_rate:.1f} req/s = means of both phases each)")
    figures.update(
        intake_p50_ms=intake_result.percentile_ms(0.50),
        intake_p95_ms=intake_result.percentile_ms(0.95),
        created=float(len(codes)),
        codes_unique_in_answers=len(set(codes)) == len(codes),
    )
    return figures


if __name__ == "__main__":
    main()
