"""Display boards at scale: N server-sent event clients on one board, the time a call takes to reach them.

1. builds a throwaway database with a hall (as bench_queue_api does; PostgreSQL with --database-url);
2. starts uvicorn on bench.bench_asgi:application;
3. for each size in --sizes, opens that many SSE streams on the hall's board
   (/api/service-points/<id>/events), then, --rounds times, issues a ticket and calls it at a counter
   (call-next) and measures, for each client, the time from sending call-next to the `call` event
   arriving on its stream (from the request, not its response: the event leaves at commit and often
   arrives before the response does);
4. prints p50/p95/max per size, refused connections, database connections seen during the run
   (PostgreSQL: pg_stat_activity on the bench database) and a RATIO line: the p95 at the largest
   size over the p95 at the smallest, measured in the same run (1.0: fan-out costs nothing more).

With `--boards 12` the clients are spread over 12 halls' boards (one service point each) and every
round calls a ticket in each hall; a client's latency is to its own hall's call.

    python -m bench.bench_board_fanout                      # SQLite, sizes 20,50
    python -m bench.bench_board_fanout --sizes 50,200,1000 --workers 2 --boards 12 --database-url postgres://postgres@127.0.0.1:5432/postgres
"""

import argparse
import asyncio
import http.client
import json
import os
import re
import sys
import time
from collections import defaultdict

from bench.bench_queue_api import bench_server, build_fixture, national_id

OPEN_TIMEOUT = 30.0
EVENT_TIMEOUT = 20.0
TICKET = re.compile(r'"ticket":"([A-Z]-\d+)"')


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="20,50", help="numbers of SSE clients, comma separated")
    parser.add_argument("--rounds", type=int, default=3, help="calls per size")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--boards", type=int, default=1, help="halls whose boards the clients are spread over")
    parser.add_argument("--pool", default="2,20",
                        help="PostgreSQL: MOTCUA_DB_POOL of each worker, as in production ('' for none: a burst "
                             "of 1,000 board connections then opens more database connections than the server allows)")
    parser.add_argument("--database-url", default=None,
                        help="a PostgreSQL server to use (a database motcua_bench_<pid> is created and dropped)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--schema", choices=("migrate", "models"), default="migrate")
    args = parser.parse_args(argv)
    args.sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    if not args.sizes or min(args.sizes) < 1 or args.rounds < 1 or args.boards < 1:
        raise SystemExit("--sizes, --rounds and --boards must be positive")
    return args


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def post(port: int, path: str, body: dict | None, token: str) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("POST", path, body=json.dumps(body or {}),
                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        conn.close()


def database_connections(database_url: str) -> int:
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        row = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                           "AND pid <> pg_backend_pid()").fetchone()
        return int(row[0]) if row else 0


class Client:
    def __init__(self, arrivals: dict[tuple[int, str], list[float]], point: int):
        self.arrivals = arrivals
        self.point = point
        self.writer: asyncio.StreamWriter | None = None
        self.task: asyncio.Task | None = None

    async def open(self, port: int, point: int) -> bool:
        reader, self.writer = await asyncio.open_connection("127.0.0.1", port)
        self.writer.write(f"GET /api/service-points/{point}/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          "Accept: text/event-stream\r\n\r\n".encode())
        await self.writer.drain()
        status = await reader.readline()
        if b" 200 " not in status:
            return False
        buffer = b""
        while b"event: ready" not in buffer:
            chunk = await reader.read(4096)
            if not chunk:
                return False
            buffer += chunk
        self.task = asyncio.create_task(self.follow(reader))
        return True

    async def follow(self, reader: asyncio.StreamReader) -> None:
        while chunk := await reader.read(4096):
            now = time.perf_counter()
            for match in TICKET.finditer(chunk.decode(errors="replace")):
                self.arrivals[(self.point, match.group(1))].append(now)

    def close(self) -> None:
        if self.task:
            self.task.cancel()
        if self.writer:
            self.writer.close()


async def measure(port: int, fixture: dict, size: int, rounds: int, numbers: list[int], database_url: str | None):
    arrivals: dict[tuple[int, str], list[float]] = defaultdict(list)
    halls = fixture["halls"]
    clients = [Client(arrivals, halls[n % len(halls)]["point"]) for n in range(size)]
    opened = await asyncio.gather(*(asyncio.wait_for(c.open(port, c.point), OPEN_TIMEOUT) for c in clients),
                                  return_exceptions=True)
    connected_at: dict[int, int] = defaultdict(int)
    for client, result in zip(clients, opened, strict=True):
        if result is True:
            connected_at[client.point] += 1
    connected = sum(connected_at.values())
    refused = size - connected
    connections = []
    latencies: list[float] = []
    missed = 0
    token = fixture["token"]
    for _ in range(rounds):
        for hall in halls:
            point, counter = hall["point"], hall["counters"][0]
            numbers[0] += 1
            status, _body = await asyncio.to_thread(post, port, f"/api/service-points/{point}/tickets",
                                                    {"group": fixture["groups"][0],
                                                     "national_id": national_id(numbers[0])}, token)
            if status != 201:
                raise RuntimeError(f"issuing a ticket failed: {status} {_body}")
            sent = time.perf_counter()
            status, body = await asyncio.to_thread(post, port, f"/api/counters/{counter}/call-next?finish_current=true",
                                                   None, token)
            if status != 200:
                raise RuntimeError(f"call-next failed: {status} {body}")
            key = (point, body["ticket"]["number"])
            deadline = time.perf_counter() + EVENT_TIMEOUT
            while len(arrivals[key]) < connected_at[point] and time.perf_counter() < deadline:
                await asyncio.sleep(0.005)
            latencies += [(t - sent) * 1000 for t in arrivals[key]]
            missed += connected_at[point] - len(arrivals[key])
        if database_url:
            connections.append(await asyncio.to_thread(database_connections, database_url))
    for client in clients:
        client.close()
    await asyncio.sleep(0.2)
    return {"size": size, "connected": connected, "refused": refused, "missed": missed,
            "p50_ms": percentile(latencies, 0.5), "p95_ms": percentile(latencies, 0.95),
            "max_ms": max(latencies) if latencies else float("nan"),
            "db_connections": max(connections) if connections else None}


def main(argv: list[str] | None = None) -> dict[str, float]:
    args = parse_args(argv)
    if args.database_url and args.pool:
        os.environ["MOTCUA_DB_POOL"] = args.pool  # the server's and the fixture's processes inherit it
    with bench_server(args) as server:
        fixture = build_fixture(server.env, 2, args.schema, points=args.boards)
        server.wait_until_serving()
        database_url = server.env["DATABASE_URL"] if server.engine.startswith("postgres") else None
        load = os.getloadavg()
        pool = f" (pool {args.pool})" if database_url and args.pool else ""
        print(f"bench_board_fanout: uvicorn x{args.workers}, {server.engine}{pool}, {args.boards} board(s), "
              f"sizes {args.sizes}, {args.rounds} rounds of a call per board; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
              f"on {os.cpu_count()} CPUs")
        numbers = [0]
        results = []
        asyncio.run(measure(server.port, fixture, 2, 1, numbers, None))  # warm-up, not reported
        for size in args.sizes:
            result = asyncio.run(measure(server.port, fixture, size, args.rounds, numbers, database_url))
            results.append(result)
            db = "" if result["db_connections"] is None else f" db_connections={result['db_connections']}"
            print(f"  {size:5d} clients: connected={result['connected']} refused={result['refused']} "
                  f"missed={result['missed']} p50={result['p50_ms']:.1f} ms p95={result['p95_ms']:.1f} ms "
                  f"max={result['max_ms']:.1f} ms{db}")
    first, last = results[0], results[-1]
    ratio = last["p95_ms"] / first["p95_ms"] if first["p95_ms"] > 0 else float("nan")
    print(f"RATIO p95@{last['size']}/p95@{first['size']}={ratio:.3f} "
          f"refused@{last['size']}={last['refused']} missed@{last['size']}={last['missed']}")
    sys.stdout.flush()
    return {"ratio": ratio, "p95_small_ms": first["p95_ms"], "p95_large_ms": last["p95_ms"],
            "refused": sum(r["refused"] for r in results), "missed": sum(r["missed"] for r in results)}


if __name__ == "__main__":
    main()
