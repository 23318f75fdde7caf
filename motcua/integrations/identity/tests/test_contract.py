"""The OpenID Connect client against the fake VNeID provider: the code flow with PKCE, and every
answer that must not be trusted (wrong state, nonce, verifier, signature, audience, lifetime)."""

import base64
import dataclasses
import datetime as dt
import json
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from joserfc import jwt
from joserfc.jwk import RSAKey

from motcua.integrations.identity import Identity, IdentityRefused, OidcClient, fake

from .support import DjangoClientAdapter, http_session

ISSUER = "http://testserver/fake-vneid"
REDIRECT = "http://testserver/login/vneid/callback/"
AN = Identity(
    subject="", national_id="001090001234", full_name="Nguyễn Văn An", birth_date=dt.date(1990, 5, 1)
)


@pytest.fixture(autouse=True)
def provider(settings, tmp_path):
    settings.MOTCUA_FAKE_VNEID = True
    settings.VAR_DIR = tmp_path
    fake._key = None  # a key of this test's own var directory
    fake.use_people(lambda: [AN])
    yield
    fake._key = None
    from motcua.portal.apps import demo_identities

    fake.use_people(demo_identities)


def relying_party(tamper=None) -> tuple[OidcClient, DjangoClientAdapter]:
    adapter = DjangoClientAdapter(tamper)
    return OidcClient(ISSUER, "motcua-demo", "motcua-demo-secret", session=http_session(adapter)), adapter


def choose_person(browser: Client, authorization_url: str, *, person: str | None = None) -> dict[str, str]:
    """The person's browser at the provider: the login page, then one citizen chosen; the callback's query."""
    url = urlsplit(authorization_url)
    page = browser.get(f"{url.path}?{url.query}")
    assert page.status_code == 200
    assert "Nguyễn Văn An" in page.content.decode() and AN.national_id not in page.content.decode()
    params = {k: v[0] for k, v in parse_qs(url.query).items()}
    answer = browser.post(url.path, {**params, "person": person or fake.subject_of(AN.national_id)})
    assert answer.status_code == 302
    location = urlsplit(answer["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    return {k: v[0] for k, v in parse_qs(location.query).items()}


def test_discovery_is_served_at_the_contract_path_and_names_the_endpoints(client):
    document = client.get("/fake-vneid/.well-known/openid-configuration").json()
    assert document["issuer"] == ISSUER
    assert document["code_challenge_methods_supported"] == ["S256"]
    assert document["id_token_signing_alg_values_supported"] == ["RS256"]
    keys = client.get(urlsplit(document["jwks_uri"]).path).json()["keys"]
    assert keys[0]["kty"] == "RSA" and "d" not in keys[0]  # the public half only


def test_code_flow_with_pkce_gives_the_verified_person(db):
    rp, adapter = relying_party()
    url, pending = rp.begin(REDIRECT)
    query = parse_qs(urlsplit(url).query)
    assert query["code_challenge_method"] == ["S256"] and query["state"] == [pending.state]
    assert query["nonce"] == [pending.nonce] and pending.code_verifier not in url
    identity = rp.finish(choose_person(Client(), url), pending)
    assert identity.national_id == AN.national_id and identity.full_name == AN.full_name
    assert identity.birth_date == AN.birth_date
    assert identity.subject == fake.subject_of(AN.national_id) != AN.national_id
    assert "/fake-vneid/token" in adapter.calls


def test_a_wrong_state_is_refused_before_the_code_is_used(db):
    rp, adapter = relying_party()
    url, pending = rp.begin(REDIRECT)
    params = choose_person(Client(), url)
    with pytest.raises(IdentityRefused) as refused:
        rp.finish({**params, "state": "forged"}, pending)
    assert refused.value.reason == "state_mismatch" and "/fake-vneid/token" not in adapter.calls
    with pytest.raises(IdentityRefused) as refused:
        rp.finish(params, None)
    assert refused.value.reason == "no_pending_login"


def test_a_wrong_nonce_is_refused(db):
    rp, _ = relying_party()
    url, pending = rp.begin(REDIRECT)
    params = choose_person(Client(), url)
    with pytest.raises(IdentityRefused) as refused:
        rp.finish(params, dataclasses.replace(pending, nonce="another-nonce"))
    assert refused.value.reason == "nonce_mismatch"


def test_a_wrong_pkce_verifier_is_refused_by_the_provider(db):
    rp, _ = relying_party()
    url, pending = rp.begin(REDIRECT)
    params = choose_person(Client(), url)
    with pytest.raises(IdentityRefused) as refused:
        rp.finish(params, dataclasses.replace(pending, code_verifier="x" * 64))
    assert refused.value.reason == "token_refused"


def test_a_code_serves_once(db):
    rp, _ = relying_party()
    url, pending = rp.begin(REDIRECT)
    params = choose_person(Client(), url)
    rp.finish(params, pending)
    with pytest.raises(IdentityRefused) as refused:
        rp.finish(params, pending)
    assert refused.value.reason == "token_refused"


def _tamper_claims(request, response):
    if request.url.endswith("/token") and response.status_code == 200:
        body = json.loads(response.content)
        header, payload, signature = body["id_token"].split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        claims["national_id"] = "001190005678"  # someone else's number, the signature left as it was
        payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        body["id_token"] = f"{header}.{payload}.{signature}"
        response._content = json.dumps(body).encode()


def _resign_with_another_key(request, response):
    if request.url.endswith("/token") and response.status_code == 200:
        body = json.loads(response.content)
        claims = jwt.decode(body["id_token"], fake.signing_key()).claims
        other = RSAKey.generate_key(2048)
        body["id_token"] = jwt.encode({"alg": "RS256", "kid": fake.signing_key().kid}, claims, other)
        response._content = json.dumps(body).encode()


def _downgrade_to_none(request, response):
    if request.url.endswith("/token") and response.status_code == 200:
        body = json.loads(response.content)
        claims = jwt.decode(body["id_token"], fake.signing_key()).claims
        header = base64.urlsafe_b64encode(b'{"alg":"none"}').rstrip(b"=").decode()
        payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        body["id_token"] = f"{header}.{payload}."
        response._content = json.dumps(body).encode()


@pytest.mark.parametrize("tamper", [_tamper_claims, _resign_with_another_key, _downgrade_to_none])
def test_a_tampered_id_token_is_refused(db, tamper):
    rp, _ = relying_party(tamper)
    url, pending = rp.begin(REDIRECT)
    with pytest.raises(IdentityRefused) as refused:
        rp.finish(choose_person(Client(), url), pending)
    assert refused.value.reason == "bad_signature"


def test_audience_issuer_and_lifetime_are_checked(db):
    rp, _ = relying_party()
    now = time.time()
    for token, reason in [
        (fake.id_token(ISSUER, "another-client", "n", AN, now=now), "audience_mismatch"),
        (fake.id_token("http://testserver/other-issuer", "motcua-demo", "n", AN, now=now), "issuer_mismatch"),
        (fake.id_token(ISSUER, "motcua-demo", "n", AN, now=now - 3600), "token_expired"),
        (fake.id_token(ISSUER, "motcua-demo", "n", AN, now=now + 3600), "token_not_yet_valid"),
    ]:
        with pytest.raises(IdentityRefused) as refused:
            rp.verify_id_token(token, nonce="n", now=now)
        assert refused.value.reason == reason
    assert rp.verify_id_token(fake.id_token(ISSUER, "motcua-demo", "n", AN, now=now), nonce="n").national_id


def test_the_provider_refuses_requests_without_pkce_or_from_unknown_clients(client):
    base = {
        "response_type": "code",
        "client_id": "motcua-demo",
        "redirect_uri": REDIRECT,
        "scope": "openid",
        "state": "s",
        "nonce": "n",
    }
    answer = client.get(
        "/fake-vneid/authorize", {**base, "code_challenge_method": "plain", "code_challenge": "a" * 43}
    )
    assert answer.status_code == 302 and "error=invalid_request" in answer["Location"]
    assert client.get("/fake-vneid/authorize", {**base, "client_id": "intruder"}).status_code == 400
    elsewhere = {
        **base,
        "redirect_uri": "http://evil.example/cb",
        "code_challenge_method": "S256",
        "code_challenge": "a" * 43,
    }
    assert client.get("/fake-vneid/authorize", elsewhere).status_code == 400
    token = client.post(
        "/fake-vneid/token",
        {
            "grant_type": "authorization_code",
            "code": "x",
            "client_id": "motcua-demo",
            "client_secret": "wrong",
        },
    )
    assert token.status_code == 401 and token.json() == {"error": "invalid_client"}


def test_the_person_who_refuses_comes_back_with_access_denied(db):
    rp, _ = relying_party()
    url, pending = rp.begin(REDIRECT)
    parts = urlsplit(url)
    params = {k: v[0] for k, v in parse_qs(parts.query).items()}
    answer = Client().post(parts.path, {**params, "action": "deny"})
    query = {k: v[0] for k, v in parse_qs(urlsplit(answer["Location"]).query).items()}
    with pytest.raises(IdentityRefused) as refused:
        rp.finish(query, pending)
    assert refused.value.reason == "provider_error"


def test_the_fake_is_not_served_when_disabled(client, settings):
    settings.MOTCUA_FAKE_VNEID = False
    settings.DEBUG = False
    assert client.get("/fake-vneid/.well-known/openid-configuration").status_code == 404
    assert client.post("/fake-vneid/token").status_code == 404
