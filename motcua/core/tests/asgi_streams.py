"""Open server-sent event streams on the ASGI application in-process, as many as a test needs."""

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field


def run_fresh(main):
    """`asyncio.run(main())` in a thread of its own: a browser test run earlier in the same worker leaves
    Playwright's event loop running in this one, where `asyncio.run` refuses to start."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(main())).result()


@dataclass
class OpenStream:
    task: asyncio.Task
    status: int
    frames: list[str]
    messages: asyncio.Queue
    gone: asyncio.Event = field(default_factory=asyncio.Event)

    async def next_frame(self, timeout: float = 10) -> str:
        while True:
            message = await asyncio.wait_for(self.messages.get(), timeout)
            body = message.get("body", b"").decode()
            if body:
                self.frames.append(body)
                return body

    async def close(self) -> None:
        self.gone.set()  # the browser went away
        await asyncio.wait_for(self.task, 10)


async def open_stream(app, path: str, headers: list[tuple[bytes, bytes]] | None = None) -> OpenStream:
    """Send a GET to `app` and return once the response started and its first frame arrived."""
    messages: asyncio.Queue = asyncio.Queue()
    requested = [{"type": "http.request", "body": b"", "more_body": False}]
    gone = asyncio.Event()

    async def receive():
        if requested:
            return requested.pop()
        await gone.wait()
        return {"type": "http.disconnect"}

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(b"host", b"testserver"), *(headers or [])], "client": ("127.0.0.1", 50000),
             "server": ("testserver", 80)}
    task = asyncio.create_task(app(scope, receive, messages.put))
    start = await asyncio.wait_for(messages.get(), 20)
    opened = OpenStream(task=task, status=start["status"], frames=[], messages=messages, gone=gone)
    if start["status"] == 200:
        await opened.next_frame(20)
    return opened
