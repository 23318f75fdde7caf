"""The national population registry (CSDL quốc gia về dân cư): protocol, HTTP client and fakes.

`get_registry()` returns the HTTP client when `MOTCUA_POPULATION_REGISTRY_URL` is set and the
in-process fake otherwise (answering from the source the org app plugs in: the center's org.Person).
"""

from .protocol import PersonRecord, PopulationRegistry, RegistryUnavailable
from .registry import get_registry

__all__ = ["PersonRecord", "PopulationRegistry", "RegistryUnavailable", "get_registry"]
