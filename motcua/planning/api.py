"""The planning API (Django Ninja)."""

from ninja import Router

router = Router(tags=["planning"])

from .estimates_api import router as estimates_router  # noqa: E402  (the wait estimates report)

router.add_router("", estimates_router)
