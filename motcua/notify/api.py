"""The notify API (Django Ninja)."""

from ninja import Router

router = Router(tags=["notify"])
