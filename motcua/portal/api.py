"""The portal API (Django Ninja)."""

from ninja import Router

router = Router(tags=["portal"])
