"""The national identity provider (VNeID-style OpenID Connect): the client, and a local fake provider."""

from .client import OidcClient, PendingLogin
from .protocol import Identity, IdentityRefused

__all__ = ["Identity", "IdentityRefused", "OidcClient", "PendingLogin"]
