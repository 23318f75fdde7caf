"""The project's ASGI handler: the whole middleware stack and a sync view in one hop to the worker thread.

Django's own ASGI handler builds an async middleware chain. Our stack is mostly sync code (the
project's middleware, WhiteNoise) with Django's middleware in between, which runs in async mode
by sending each of its process_request / process_response through `sync_to_async`: a request
crossed between the event loop and the worker thread about a dozen times, 2–3 ms on a busy 2-CPU
machine, more than the middleware's own work (docs/benchmarks.md, "Middleware").

Here the chain is built in sync mode and entered once, through `sync_to_async` (thread-sensitive:
the same worker thread Django uses for sync views, so the same database connection). A sync view
is then called directly in that thread; an async view (the server-sent event streams) is run on the
event loop by Django as usual, and its streaming body is sent from the loop, holding no thread.
"""

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler


class ProjectASGIHandler(ASGIHandler):
    def load_middleware(self, is_async=False):
        super().load_middleware(is_async=False)
        if is_async:
            self._middleware_chain = sync_to_async(self._middleware_chain, thread_sensitive=True)


def get_asgi_application() -> ProjectASGIHandler:
    """django.core.asgi.get_asgi_application with the project's handler."""
    import django

    django.setup(set_prefix=False)
    return ProjectASGIHandler()
