"""The local fake provider's state: its signing key, the people it knows and its one-use codes.

It knows no app: the people it lists on its login page come from the source the project plugged in
(`use_people`; the portal plugs in the demo citizens). Its RSA key and its one-use codes are kept as
files under the var directory, so every server process of the site signs with the key its JWKS
publishes and redeems the codes another process issued.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import hmac
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from joserfc import jwt
from joserfc.jwk import RSAKey

from .protocol import NATIONAL_ID_CLAIM, Identity

CODE_SECONDS = 60
ID_TOKEN_SECONDS = 300
People = Callable[[], list[Identity]]

_people: People | None = None
_key: RSAKey | None = None


def use_people(source: People | None) -> None:
    """Where the login page's list of people comes from (None: nobody)."""
    global _people
    _people = source


def people() -> list[Identity]:
    return list(_people()) if _people is not None else []


def person(national_id: str) -> Identity | None:
    return next((p for p in people() if p.national_id == national_id), None)


def person_by_subject(subject: str) -> Identity | None:
    """The login page names a person by their pairwise subject, never by the national ID."""
    return next((p for p in people() if hmac.compare_digest(subject_of(p.national_id), subject or "")), None)


def _key_path() -> Path:
    return Path(settings.VAR_DIR) / "fake-vneid" / "signing-key.pem"


def signing_key() -> RSAKey:
    """The fake's RSA key (made once, shared by processes through its file)."""
    global _key
    if _key is None:
        path = _key_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path.with_suffix(".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not path.exists():
                private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
                path.write_bytes(
                    private.private_bytes(
                        serialization.Encoding.PEM,
                        serialization.PrivateFormat.PKCS8,
                        serialization.NoEncryption(),
                    )
                )
                path.chmod(0o600)
            pem = path.read_bytes()
        key = RSAKey.import_key(pem)
        key.ensure_kid()
        _key = key
    return _key


def jwks() -> dict[str, Any]:
    return {"keys": [{**signing_key().as_dict(private=False), "use": "sig", "alg": "RS256"}]}


def client_secret_matches(client_id: str, secret: str) -> bool:
    return hmac.compare_digest(client_id, settings.MOTCUA_VNEID_CLIENT_ID) and hmac.compare_digest(
        secret, settings.MOTCUA_VNEID_CLIENT_SECRET
    )


def subject_of(national_id: str) -> str:
    """A pairwise subject: stable for this client, not the national ID itself."""
    return hmac.new(
        settings.SECRET_KEY.encode(), f"vneid-sub:{national_id}".encode(), hashlib.sha256
    ).hexdigest()[:32]


def _codes_dir() -> Path:
    path = Path(settings.VAR_DIR) / "fake-vneid" / "codes"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _code_file(code: str) -> Path:
    return _codes_dir() / hashlib.sha256(code.encode()).hexdigest()


def issue_code(grant: dict[str, str]) -> str:
    """A one-use code for the grant, kept as a file (every server process sees it) named by its hash."""
    from authlib.common.security import generate_token

    code = generate_token(40)
    for old in _codes_dir().iterdir():  # forget the expired ones
        try:
            if old.stat().st_mtime < time.time() - CODE_SECONDS:
                old.unlink()
        except OSError:
            continue
    _code_file(code).write_text(json.dumps(grant), encoding="utf-8")
    return code


def redeem_code(code: str) -> dict[str, str] | None:
    """A code once: the exchange claims the file by renaming it, so a second exchange finds nothing."""
    if not code:
        return None
    path = _code_file(code)
    claimed = path.with_name(path.name + f".{os.getpid()}.{time.monotonic_ns()}")
    try:
        path.rename(claimed)
    except OSError:
        return None
    try:
        if claimed.stat().st_mtime < time.time() - CODE_SECONDS:
            return None
        return json.loads(claimed.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    finally:
        claimed.unlink(missing_ok=True)


def id_token(issuer: str, client_id: str, nonce: str, who: Identity, *, now: float | None = None) -> str:
    now = int(time.time() if now is None else now)
    claims = {
        "iss": issuer,
        "sub": who.subject or subject_of(who.national_id),
        "aud": client_id,
        "iat": now,
        "exp": now + ID_TOKEN_SECONDS,
        "auth_time": now,
        "nonce": nonce,
        NATIONAL_ID_CLAIM: who.national_id,
        "name": who.full_name,
        "birthdate": who.birth_date.isoformat() if isinstance(who.birth_date, dt.date) else None,
    }
    key = signing_key()
    return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)
