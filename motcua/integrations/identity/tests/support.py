"""A requests transport that answers from Django's test client: the relying party's server-to-server
calls (discovery, JWKS, token) reach the fake provider in the same process, with no network."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import requests
from django.test import Client
from requests.structures import CaseInsensitiveDict


class DjangoClientAdapter(requests.adapters.BaseAdapter):
    def __init__(self, tamper: Callable[[requests.PreparedRequest, requests.Response], None] | None = None):
        super().__init__()
        self.client = Client()  # its own cookie jar: a server, not the browser
        self.tamper = tamper
        self.calls: list[str] = []

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        url = urlsplit(request.url)
        path = url.path + (f"?{url.query}" if url.query else "")
        self.calls.append(url.path)
        extra = {}
        if request.headers.get("Authorization"):
            extra["HTTP_AUTHORIZATION"] = request.headers["Authorization"]
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        answer = self.client.generic(
            request.method, path, data=body, content_type=request.headers.get("Content-Type", ""), **extra
        )
        response = requests.Response()
        response.status_code = answer.status_code
        response._content = answer.content
        response.headers = CaseInsensitiveDict(dict(answer.headers.items()))
        response.url = request.url
        response.request = request
        response.encoding = "utf-8"
        if self.tamper is not None:
            self.tamper(request, response)
        return response

    def close(self):
        pass


def http_session(adapter: DjangoClientAdapter) -> requests.Session:
    session = requests.Session()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session
