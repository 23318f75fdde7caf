"""Where signing material lives and the passphrase that opens it.

Private keys exist only inside PKCS#12 files encrypted with the passphrase from the environment
(`MOTCUA_SIGNING_PASSPHRASE`); without it (development, the demo) a passphrase is derived from the
SECRET_KEY, which is itself secret, so a key file copied on its own opens nowhere.
"""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

from django.conf import settings


def signing_dir() -> Path:
    """MOTCUA_SIGNING_DIR (default VAR_DIR/signing): the CA, its CRL and the PKCS#12 key files."""
    return Path(getattr(settings, "MOTCUA_SIGNING_DIR", "") or Path(settings.VAR_DIR) / "signing")


def passphrase() -> bytes:
    configured = getattr(settings, "MOTCUA_SIGNING_PASSPHRASE", "")
    if configured:
        return configured.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"motcua.signing.passphrase", hashlib.sha256).hexdigest().encode()


def key_path(name: str) -> Path:
    return signing_dir() / "keys" / f"{name}.p12"
