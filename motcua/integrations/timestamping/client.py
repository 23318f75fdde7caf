"""The RFC 3161 client: a pyHanko TimeStamper talking HTTP with the standard library."""

from __future__ import annotations

import asyncio
import urllib.request

from asn1crypto import tsp
from pyhanko.sign.timestamps import TimeStamper

QUERY_TYPE = "application/timestamp-query"
REPLY_TYPE = "application/timestamp-reply"


class TimestampUnavailable(OSError):
    """The timestamp authority did not answer, or answered something other than a timestamp reply."""


class Rfc3161TimeStamper(TimeStamper):
    def __init__(self, url: str, *, timeout: float = 10.0):
        super().__init__()
        if not url.startswith(("http://", "https://")):
            raise ValueError("the timestamp authority's URL must be http(s)")
        self.url = url
        self.timeout = timeout

    def _post(self, body: bytes) -> bytes:
        request = urllib.request.Request(  # noqa: S310 - an http(s) URL, checked in __init__
            self.url, data=body, method="POST", headers={"Content-Type": QUERY_TYPE})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - configured URL
                if response.headers.get_content_type() != REPLY_TYPE:
                    raise TimestampUnavailable(f"unexpected content type {response.headers.get_content_type()}")
                return response.read(1024 * 1024)
        except OSError as exc:
            raise TimestampUnavailable(str(exc)) from exc

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        body = await asyncio.to_thread(self._post, req.dump())
        try:
            return tsp.TimeStampResp.load(body)
        except ValueError as exc:
            raise TimestampUnavailable("not a TimeStampResp") from exc
