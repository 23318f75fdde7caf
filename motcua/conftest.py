"""Fixtures shared by every app's tests (the pure-Python worktime tests run without Django too)."""

import pytest


@pytest.fixture(autouse=True)
def _fresh_cache(request):
    """Rate-limit counters and cached lookups must not leak from one test into the next."""
    if "django_db_setup" not in request.fixturenames and not request.node.get_closest_marker("django_db"):
        yield
        return
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language(request):
    """Each test starts and ends in the default language: a request in English leaves English active
    in its thread (LocaleMiddleware activates, nothing deactivates), which would leak into the next test."""
    if "django_db_setup" not in request.fixturenames and not request.node.get_closest_marker("django_db"):
        yield
        return
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def pytest_configure(config):
    try:
        from django.conf import settings

        # Hashing passwords at production strength makes every login in the suite take ~0.3 s.
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    except ImportError:
        pass


@pytest.fixture(autouse=True)
def _own_audit_checkpoints(request, tmp_path_factory):
    """Each database test has its own (not yet written) audit checkpoint file, never var/'s."""
    if "django_db_setup" not in request.fixturenames and not request.node.get_closest_marker("django_db"):
        yield
        return
    import uuid

    from django.test import override_settings

    path = tmp_path_factory.getbasetemp() / f"audit-checkpoints-{uuid.uuid4().hex}.jsonl"
    with override_settings(MOTCUA_AUDIT_CHECKPOINT=str(path)):
        yield
