"""The portal API (Django Ninja): the citizen's dossiers, wallet, life events and deliveries by post."""

from ninja import Router

from . import dossiers, wallet

router = Router(tags=["portal"])
router.add_router("", dossiers.router)
router.add_router("", wallet.router)
