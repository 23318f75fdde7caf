"""The remote signing client against the local fake provider: digest out, signature back once approved."""

import hashlib
import threading

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed

from motcua.integrations.signing_service.client import RemoteSigningFailed, SigningServiceClient
from motcua.integrations.signing_service.fake import FakeSigningService

DIGEST = hashlib.sha256(b"the signed attributes").digest()


@pytest.fixture
def provider():
    with FakeSigningService() as fake:
        fake.key = ec.generate_private_key(ec.SECP256R1())
        fake.add_credential("officer-7", fake.key)
        yield fake


def client(provider, **kwargs):
    return SigningServiceClient(provider.url, provider.token, poll_every=0.05, **kwargs)


def test_the_signature_comes_back_after_the_signer_approves(provider):
    service = client(provider)
    transaction = service.request("officer-7", DIGEST, "Ký kết quả hồ sơ")
    assert provider.pending() == [transaction]
    threading.Timer(0.2, provider.approve, args=[transaction]).start()  # the phone, a moment later
    signature = service.wait(transaction)
    provider.key.public_key().verify(signature, DIGEST, ec.ECDSA(Prehashed(hashes.SHA256())))


def test_a_rejection_a_timeout_a_bad_token_and_an_unknown_credential_are_reported(provider):
    service = client(provider, wait_at_most=0.2)
    transaction = service.request("officer-7", DIGEST, "x")
    provider.reject(transaction)
    with pytest.raises(RemoteSigningFailed) as caught:
        service.wait(transaction)
    assert caught.value.code == "rejected"
    with pytest.raises(RemoteSigningFailed) as caught:
        service.sign_digest("officer-7", DIGEST, "x")
    assert caught.value.code == "timeout"
    with pytest.raises(RemoteSigningFailed) as caught:
        SigningServiceClient(provider.url, "wrong").request("officer-7", DIGEST, "x")
    assert caught.value.code == "unauthorised"
    with pytest.raises(RemoteSigningFailed) as caught:
        service.request("nobody", DIGEST, "x")
    assert caught.value.code == "unknown_credential"
    with pytest.raises(RemoteSigningFailed) as caught:
        SigningServiceClient("http://127.0.0.1:9", "t", timeout=1).request("officer-7", DIGEST, "x")
    assert caught.value.code == "unavailable"
