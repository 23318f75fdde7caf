"""Who the client is: the address every limit and lockout is keyed on.

The socket peer (REMOTE_ADDR) is the client unless it is one of the deployment's trusted proxies
(setting MOTCUA_TRUSTED_PROXIES: addresses or networks, empty by default). Only then is
X-Forwarded-For read, from the right: each hop appended by a trusted proxy is skipped, and the first
untrusted hop is the client. A client cannot choose its own identity by sending the header, because
a header that did not come through a trusted proxy is never read.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def trusted_proxies() -> tuple[Network, ...]:
    """The configured trusted proxies as networks (a bare address is a /32 or /128)."""
    return _networks(tuple(getattr(settings, "MOTCUA_TRUSTED_PROXIES", ()) or ()))


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1:value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.7:5123"
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def _is_trusted(address, networks: tuple[Network, ...]) -> bool:
    return address is not None and any(address in network for network in networks)


def client_address(request) -> str:
    """The address of the client that sent this request, as the deployment can trust it."""
    peer_text = request.META.get("REMOTE_ADDR", "") or ""
    peer = _parse(peer_text)
    networks = trusted_proxies()
    if not _is_trusted(peer, networks):
        return str(peer) if peer is not None else (peer_text or "unknown")
    client = str(peer)
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:
            break  # garbage written by the client: the last trusted hop is all we know
        client = str(address)
        if not _is_trusted(address, networks):
            break
    return client
