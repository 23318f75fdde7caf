"""The OpenID Connect client: authorization code flow with PKCE (S256), ID token checked with the JWKS.

Authlib builds the authorization URL and exchanges the code (with the PKCE verifier and the client's
secret); joserfc checks the ID token's RS256 signature against the provider's published keys, and its
issuer, audience, lifetime and nonce. Nothing here knows Django: the caller keeps the `PendingLogin`
(in the session) between the redirect to the provider and the callback.
"""

from __future__ import annotations

import datetime as dt
import hmac
import time
from dataclasses import asdict, dataclass
from typing import Any

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from .protocol import NATIONAL_ID_CLAIM, Identity, IdentityRefused

DISCOVERY_PATH = "/.well-known/openid-configuration"
SCOPE = "openid profile"
CLOCK_SKEW_SECONDS = 60


@dataclass(frozen=True)
class PendingLogin:
    """What must come back unchanged from the provider: kept server-side (session), never in the URL."""

    state: str
    nonce: str
    code_verifier: str
    redirect_uri: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any) -> PendingLogin | None:
        try:
            return cls(**{k: str(data[k]) for k in ("state", "nonce", "code_verifier", "redirect_uri")})
        except (KeyError, TypeError):
            return None


class OidcClient:
    """One relying party registration (`client_id`, `client_secret`) at one provider (`issuer`)."""

    def __init__(
        self,
        issuer: str,
        client_id: str,
        client_secret: str,
        *,
        session: requests.Session | None = None,
        timeout: float = 5.0,
    ):
        self.issuer = issuer.rstrip("/")
        self.client_id = client_id
        self.client_secret = client_secret
        self.http = session or requests.Session()
        self.timeout = timeout
        self._metadata: dict[str, Any] | None = None

    def _get_json(self, url: str) -> dict[str, Any]:
        try:
            response = self.http.get(url, timeout=self.timeout)
            response.raise_for_status()
            data = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise IdentityRefused("provider_unavailable", type(exc).__name__) from exc
        if not isinstance(data, dict):
            raise IdentityRefused("provider_unavailable", "not a JSON object")
        return data

    def metadata(self) -> dict[str, Any]:
        """The provider's discovery document; its issuer must be the one configured."""
        if self._metadata is None:
            data = self._get_json(self.issuer + DISCOVERY_PATH)
            if data.get("issuer") != self.issuer:
                raise IdentityRefused("issuer_mismatch")
            for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
                if not isinstance(data.get(key), str):
                    raise IdentityRefused("provider_unavailable", f"discovery lacks {key}")
            self._metadata = data
        return self._metadata

    def _session(self, redirect_uri: str, **kwargs) -> OAuth2Session:
        session = OAuth2Session(
            self.client_id,
            self.client_secret,
            scope=SCOPE,
            redirect_uri=redirect_uri,
            code_challenge_method="S256",
            **kwargs,
        )
        session.mount("http://", self.http.get_adapter("http://"))
        session.mount("https://", self.http.get_adapter("https://"))
        return session

    def begin(self, redirect_uri: str) -> tuple[str, PendingLogin]:
        """The provider's authorization URL to send the browser to, and what to keep until it returns."""
        pending = PendingLogin(
            state=generate_token(32),
            nonce=generate_token(32),
            code_verifier=generate_token(64),
            redirect_uri=redirect_uri,
        )
        url, _state = self._session(redirect_uri).create_authorization_url(
            self.metadata()["authorization_endpoint"],
            state=pending.state,
            nonce=pending.nonce,
            code_verifier=pending.code_verifier,
        )
        return url, pending

    def finish(self, params: dict[str, str], pending: PendingLogin | None) -> Identity:
        """The callback's query parameters -> the verified person; IdentityRefused otherwise."""
        if pending is None:
            raise IdentityRefused("no_pending_login")
        if not hmac.compare_digest(str(params.get("state", "")), pending.state):
            raise IdentityRefused("state_mismatch")
        if params.get("error"):
            raise IdentityRefused("provider_error", str(params["error"])[:64])
        code = params.get("code")
        if not code:
            raise IdentityRefused("code_missing")
        try:
            token = self._session(pending.redirect_uri, state=pending.state).fetch_token(
                self.metadata()["token_endpoint"],
                code=code,
                code_verifier=pending.code_verifier,
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            raise IdentityRefused("provider_unavailable", type(exc).__name__) from exc
        except Exception as exc:  # authlib's OAuthError and friends: the provider refused the exchange
            raise IdentityRefused("token_refused", getattr(exc, "error", "") or type(exc).__name__) from exc
        id_token = token.get("id_token")
        if not isinstance(id_token, str):
            raise IdentityRefused("id_token_missing")
        return self.verify_id_token(id_token, nonce=pending.nonce)

    def verify_id_token(self, id_token: str, *, nonce: str, now: float | None = None) -> Identity:
        """Signature (RS256, a key of the provider's JWKS), issuer, audience, lifetime and nonce."""
        try:
            keys = KeySet.import_key_set(self._get_json(self.metadata()["jwks_uri"]))  # type: ignore[arg-type]
            token = jwt.decode(id_token, keys, algorithms=["RS256"])
        except (JoseError, ValueError, KeyError, TypeError) as exc:
            raise IdentityRefused("bad_signature", type(exc).__name__) from exc
        claims = token.claims
        now = time.time() if now is None else now
        if claims.get("iss") != self.issuer:
            raise IdentityRefused("issuer_mismatch")
        audience = claims.get("aud")
        if self.client_id not in (audience if isinstance(audience, list) else [audience]):
            raise IdentityRefused("audience_mismatch")
        if not isinstance(claims.get("exp"), int | float) or claims["exp"] < now - CLOCK_SKEW_SECONDS:
            raise IdentityRefused("token_expired")
        if isinstance(claims.get("iat"), int | float) and claims["iat"] > now + CLOCK_SKEW_SECONDS:
            raise IdentityRefused("token_not_yet_valid")
        if not hmac.compare_digest(str(claims.get("nonce", "")), nonce):
            raise IdentityRefused("nonce_mismatch")
        national_id, name = claims.get(NATIONAL_ID_CLAIM), claims.get("name")
        if (
            not isinstance(national_id, str)
            or not national_id
            or not isinstance(name, str)
            or not claims.get("sub")
        ):
            raise IdentityRefused("claims_missing")
        try:
            birth = dt.date.fromisoformat(claims["birthdate"]) if claims.get("birthdate") else None
        except (TypeError, ValueError):
            birth = None
        return Identity(subject=str(claims["sub"]), national_id=national_id, full_name=name, birth_date=birth)
