"""What the rest of the system gets from the identity provider: a verified person, or a refusal."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# The ID token's claims: the standard OpenID Connect `name` and `birthdate`, and the national ID number
# in `national_id` (the personal identification number of the citizen's chip ID card).
NATIONAL_ID_CLAIM = "national_id"


@dataclass(frozen=True)
class Identity:
    """A person as the provider vouches for them (personal data: never logged)."""

    subject: str
    national_id: str
    full_name: str
    birth_date: dt.date | None = None


class IdentityRefused(Exception):
    """The login cannot be trusted: wrong state, nonce, signature, issuer, audience, an expired token,
    the provider's own error, or a provider that did not answer. `reason` is a stable code."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
