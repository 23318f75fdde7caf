"""Issuing, resolving and revoking API bearer tokens."""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import roles
from .errors import NotAuthenticated, RateLimited
from .models import ApiToken
from .prepared import PreparedQuery


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_at: datetime
    record: ApiToken


def issue_token(request, *, username: str, password: str, name: str = "") -> IssuedToken:
    """Check the credentials and return a new token (shown once; only its hash is kept).

    `request` is the login's own (the lockout counts failures from it).
    """
    user = authenticate(request, username=username, password=password)
    if getattr(request, "axes_locked_out", False):
        from .logins import lockout_message

        raise RateLimited(lockout_message(), code="account_locked")
    if user is None or not user.is_active:
        raise NotAuthenticated(_("Tên đăng nhập hoặc mật khẩu không đúng."), code="invalid_credentials")
    # A token is a login: last_login is set and the failures counted so far are forgotten.
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    key = "mc_" + secrets.token_urlsafe(32)
    ttl = timedelta(hours=settings.MOTCUA["API_TOKEN_TTL_HOURS"])
    record = ApiToken.objects.create(
        user=user, name=name[:100], prefix=key[:10], key_hash=ApiToken.hash_key(key),
        expires_at=timezone.now() + ttl,
    )
    return IssuedToken(token=key, expires_at=record.expires_at, record=record)


# The token's query, compiled once per process (motcua/core/prepared.py): building and compiling its
# select_related and the roles' subquery cost several times what running it costs.
_ACTIVE_TOKEN = PreparedQuery(
    lambda key_hash, now: (
        ApiToken.objects.select_related("user", f"user__{roles.OFFICER_RELATION}")
        .annotate(**roles.role_names("user_id"))
        .filter(key_hash=key_hash, revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)[:1]
    ),
    key_hash=str, now=datetime,
)


def resolve_token(key: str) -> ApiToken | None:
    """The active token for this key, or None. Touches last_used_at at most once a minute.

    One query finds the token, its user, the user's officer record and roles (what every API call asks next).
    """
    now = timezone.now()
    token = _ACTIVE_TOKEN.first(key_hash=ApiToken.hash_key(key), now=now)
    if token is not None:
        roles.remember_roles(token.user, token)
    if token and (token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1)):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def revoke_token(token: ApiToken) -> None:
    """Revoke the token; later requests with it are refused."""
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
