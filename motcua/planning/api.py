"""The planning API (Django Ninja)."""

from ninja import Router

router = Router(tags=["planning"])
