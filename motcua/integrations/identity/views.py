"""The fake VNeID provider over HTTP: discovery, JWKS, the login page, and the token endpoint.

Served only when `fake_endpoint_enabled()`: never in production, and otherwise only with DEBUG on or
`MOTCUA_FAKE_VNEID = True` (the demo). When disabled it answers 404 like an unknown URL. Its paths are
the contract the client is configured with: `/fake-vneid/.well-known/openid-configuration`.
"""

import base64
import binascii
from functools import wraps
from urllib.parse import urlencode, urlsplit

from authlib.common.security import generate_token
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from django.conf import settings
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.core.privacy import mask

from . import fake


def fake_endpoint_enabled() -> bool:
    if getattr(settings, "PRODUCTION", False):
        return False
    return bool(settings.DEBUG or getattr(settings, "MOTCUA_FAKE_VNEID", False))


def _enabled(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not fake_endpoint_enabled():
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def issuer_of(request) -> str:
    return request.build_absolute_uri(reverse("fake_vneid:root")).rstrip("/")


@_enabled
@require_GET
def root(request):
    return JsonResponse({"issuer": issuer_of(request)})


@_enabled
@require_GET
def discovery(request):
    issuer = issuer_of(request)
    return JsonResponse(
        {
            "issuer": issuer,
            "authorization_endpoint": request.build_absolute_uri(reverse("fake_vneid:authorize")),
            "token_endpoint": request.build_absolute_uri(reverse("fake_vneid:token")),
            "jwks_uri": request.build_absolute_uri(reverse("fake_vneid:jwks")),
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": ["sub", "name", "birthdate", "national_id"],
        }
    )


@_enabled
@require_GET
def jwks(request):
    return JsonResponse(fake.jwks())


def _authorization_problem(request, params) -> str:
    """Why this authorization request cannot be answered by redirecting back (empty: it can)."""
    if params.get("client_id") != settings.MOTCUA_VNEID_CLIENT_ID:
        return "unknown client_id"
    redirect = urlsplit(params.get("redirect_uri", ""))
    if redirect.scheme not in ("http", "https") or redirect.netloc != request.get_host():
        return "redirect_uri not registered"
    return ""


def _back(params, **answer) -> HttpResponseRedirect:
    answer = {k: v for k, v in {**answer, "state": params.get("state", "")}.items() if v}
    separator = "&" if "?" in params["redirect_uri"] else "?"
    return HttpResponseRedirect(params["redirect_uri"] + separator + urlencode(answer))


_PARAMS = (
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
)


@_enabled
@never_cache
@require_http_methods(["GET", "POST"])
def authorize(request):
    """The provider's login page: choose one of the demo citizens (or refuse)."""
    params = {k: (request.POST if request.method == "POST" else request.GET).get(k, "") for k in _PARAMS}
    problem = _authorization_problem(request, params)
    if problem:
        return render(request, "identity/fake_error.html", {"problem": problem}, status=400)
    if params["response_type"] != "code" or "openid" not in params["scope"].split():
        return _back(params, error="unsupported_response_type")
    if params["code_challenge_method"] != "S256" or len(params["code_challenge"]) < 43:
        return _back(params, error="invalid_request", error_description="PKCE S256 required")
    if request.method == "POST":
        if request.POST.get("action") == "deny":
            return _back(params, error="access_denied")
        who = fake.person_by_subject(request.POST.get("person", ""))
        if who is None:
            return _back(params, error="access_denied")
        code = fake.issue_code(
            {
                "client_id": params["client_id"],
                "redirect_uri": params["redirect_uri"],
                "nonce": params["nonce"],
                "code_challenge": params["code_challenge"],
                "national_id": who.national_id,
            }
        )
        return _back(params, code=code)
    listed = [
        {
            "subject": fake.subject_of(p.national_id),
            "name": p.full_name,
            "birth_date": p.birth_date,
            "masked_id": mask(p.national_id),
        }
        for p in fake.people()[:12]
    ]
    return render(request, "identity/fake_login.html", {"params": params, "people": listed})


def _client_credentials(request) -> tuple[str, str]:
    header = request.headers.get("Authorization", "")
    if header.startswith("Basic "):
        try:
            client_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return "", ""
        from urllib.parse import unquote_plus

        return unquote_plus(client_id), unquote_plus(secret)
    return request.POST.get("client_id", ""), request.POST.get("client_secret", "")


def _token_error(error: str, status: int = 400) -> JsonResponse:
    response = JsonResponse({"error": error}, status=status)
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt  # the relying party's server calls it, authenticated by its client secret, not a cookie
@_enabled
@require_POST
def token(request):
    client_id, secret = _client_credentials(request)
    if not fake.client_secret_matches(client_id, secret):
        return _token_error("invalid_client", 401)
    if request.POST.get("grant_type") != "authorization_code":
        return _token_error("unsupported_grant_type")
    grant = fake.redeem_code(request.POST.get("code", ""))
    if (
        grant is None
        or grant["client_id"] != client_id
        or grant["redirect_uri"] != request.POST.get("redirect_uri")
    ):
        return _token_error("invalid_grant")
    verifier = request.POST.get("code_verifier", "")
    if not verifier or create_s256_code_challenge(verifier) != grant["code_challenge"]:
        return _token_error("invalid_grant")
    who = fake.person(grant["national_id"])
    if who is None:
        return _token_error("invalid_grant")
    response = JsonResponse(
        {
            "access_token": generate_token(40),  # nothing accepts it: the fake has no userinfo endpoint
            "token_type": "Bearer",
            "expires_in": fake.ID_TOKEN_SECONDS,
            "scope": "openid profile",
            "id_token": fake.id_token(issuer_of(request), client_id, grant["nonce"], who),
        }
    )
    response["Cache-Control"] = "no-store"
    return response
