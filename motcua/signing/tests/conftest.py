import pytest

from motcua.dossiers.tests.conftest import _media, world  # noqa: F401 - the dossiers' fixtures


@pytest.fixture(autouse=True)
def signing_dir(settings, tmp_path):
    settings.MOTCUA_SIGNING_DIR = str(tmp_path / "signing")
    settings.MOTCUA_SIGNING_TRUST_ROOTS = []
    settings.MOTCUA_SIGNING_CRLS = []
    settings.MOTCUA_PUBLIC_URL = "https://dichvucong.example.vn"
    from motcua.signing import signers

    signers._loaded.clear()
    return tmp_path / "signing"
