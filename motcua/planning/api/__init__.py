"""The planning API (Django Ninja): staffing plans and the wait estimates report."""

from ninja import Router

from . import estimates, staffing

router = Router(tags=["planning"])
router.add_router("", staffing.router)
router.add_router("", estimates.router)
