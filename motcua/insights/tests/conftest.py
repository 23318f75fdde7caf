"""The dossiers' world (two branches, agencies, a leader of each kind) reused by the insights tests."""

from motcua.dossiers.tests.conftest import _media, world  # noqa: F401  (imported fixtures)
