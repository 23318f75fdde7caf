"""The project's own middleware: the request log line, the request id, messages for pages only."""

import logging

from django.contrib import messages
from django.http import HttpResponse

from motcua.core.middleware import PageMessageMiddleware, RequestLogMiddleware


def test_api_calls_get_no_message_storage_and_pages_keep_theirs(rf):
    seen = {}

    def view(request):
        seen[request.path] = hasattr(request, "_messages")
        if seen[request.path]:
            messages.success(request, "Đã lưu.")
        return HttpResponse("ok")

    middleware = PageMessageMiddleware(view)
    api = rf.post("/api/counters/1/call-next")
    api.session = {}
    page = rf.post("/dossiers/")
    page.session = {}
    assert middleware(api).status_code == 200
    answer = middleware(page)
    assert seen == {"/api/counters/1/call-next": False, "/dossiers/": True}
    # The page's message was stored (the cookie store keeps it for the next page).
    assert "messages" in answer.cookies


class Lines(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


def request_log(level):
    logger = logging.getLogger("motcua.request")
    lines = Lines()
    logger.addHandler(lines)
    old_level = logger.level
    logger.setLevel(level)
    return logger, lines, old_level


def test_every_answer_carries_a_request_id_and_the_log_line_names_the_route_only(rf):
    middleware = RequestLogMiddleware(lambda request: HttpResponse("ok"))
    logger, lines, old_level = request_log(logging.INFO)
    try:
        given = middleware(rf.get("/tracking/001190012345", HTTP_X_REQUEST_ID="abc123"))
        made = middleware(rf.get("/bench"))
    finally:
        logger.removeHandler(lines)
        logger.setLevel(old_level)
    assert given["X-Request-ID"] == "abc123"
    assert len(made["X-Request-ID"]) == 16 and int(made["X-Request-ID"], 16) >= 0
    assert [r.request_id for r in lines.records] == ["abc123", made["X-Request-ID"]]
    assert all(r.path == "-" and r.status == 200 for r in lines.records), "the path itself is never logged"


def test_no_line_is_built_when_the_request_log_is_off(rf):
    middleware = RequestLogMiddleware(lambda request: HttpResponse("ok"))
    logger, lines, old_level = request_log(logging.WARNING)
    try:
        answer = middleware(rf.get("/"))
    finally:
        logger.removeHandler(lines)
        logger.setLevel(old_level)
    assert answer["X-Request-ID"]
    assert lines.records == []
