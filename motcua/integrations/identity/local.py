"""Reaching this site's own fake provider without a socket.

The relying party calls the token endpoint while it answers the browser's callback. When the provider
is the fake on the same site, a server process that serves one request at a time (uvicorn's workers
run Django's sync views in one thread) could be asked for that token request itself and wait on
itself. `SameSiteTransport` hands such requests to the fake's views in the same process instead: the
same HTTP requests and answers (method, path, headers, form body, JSON), no network.
"""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import requests
from django.core.handlers.wsgi import WSGIRequest
from django.urls import Resolver404, resolve
from requests.structures import CaseInsensitiveDict


class SameSiteTransport(requests.adapters.BaseAdapter):
    """A requests transport for the URLs under `prefix` (the fake's mount point) of this site."""

    def __init__(self, prefix: str = "/fake-vneid/"):
        super().__init__()
        self.prefix = prefix

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        url = urlsplit(request.url)
        if not url.path.startswith(self.prefix):
            raise requests.ConnectionError(f"not a path of this site's fake provider: {url.path}")
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        host, _, port = url.netloc.partition(":")
        environ = {
            "REQUEST_METHOD": request.method,
            "PATH_INFO": url.path,
            "QUERY_STRING": url.query,
            "SERVER_NAME": host,
            "SERVER_PORT": port or ("443" if url.scheme == "https" else "80"),
            "HTTP_HOST": url.netloc,
            "wsgi.url_scheme": url.scheme,
            "wsgi.input": io.BytesIO(body),
            "CONTENT_LENGTH": str(len(body)),
            "CONTENT_TYPE": request.headers.get("Content-Type", ""),
            "SCRIPT_NAME": "",
        }
        for name, value in request.headers.items():
            if name.lower() not in ("content-type", "content-length", "host"):
                environ["HTTP_" + name.upper().replace("-", "_")] = value
        try:
            match = resolve(url.path)
        except Resolver404:
            return self._answer(request, 404, b"", {})
        answer = match.func(WSGIRequest(environ), *match.args, **match.kwargs)
        return self._answer(request, answer.status_code, answer.content, dict(answer.items()))

    @staticmethod
    def _answer(request, status: int, content: bytes, headers: dict) -> requests.Response:
        response = requests.Response()
        response.status_code = status
        response._content = content
        response.headers = CaseInsensitiveDict(headers)
        response.url = request.url
        response.request = request
        response.encoding = "utf-8"
        return response

    def close(self):
        pass


def same_site_session(prefix: str = "/fake-vneid/") -> requests.Session:
    session = requests.Session()
    transport = SameSiteTransport(prefix)
    session.mount("http://", transport)
    session.mount("https://", transport)
    return session
