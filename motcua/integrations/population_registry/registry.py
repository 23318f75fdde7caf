"""Which registry the system talks to."""

from __future__ import annotations

from django.conf import settings

from .client import HttpPopulationRegistry
from .fake import LocalRegistry
from .protocol import PopulationRegistry

_override: PopulationRegistry | None = None


def get_registry() -> PopulationRegistry:
    """The HTTP client when MOTCUA_POPULATION_REGISTRY_URL is set, the in-process fake otherwise."""
    if _override is not None:
        return _override
    url = getattr(settings, "MOTCUA_POPULATION_REGISTRY_URL", None)
    if url:
        return HttpPopulationRegistry(url, token=getattr(settings, "MOTCUA_POPULATION_REGISTRY_TOKEN", None),
                                      timeout=float(getattr(settings, "MOTCUA_POPULATION_REGISTRY_TIMEOUT", 5)))
    return LocalRegistry()


def set_registry(registry: PopulationRegistry | None) -> None:
    """Replace the registry (tests, demo); None goes back to the configured one."""
    global _override
    _override = registry
