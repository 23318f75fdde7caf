"""The JSON API under /api/: one NinjaAPI, a router per app."""

from motcua.assistant.api import router as assistant_router
from motcua.catalog.api import router as catalog_router
from motcua.complaints.api import router as complaints_router
from motcua.core.api import MotcuaAPI, auth_router, install_error_handlers
from motcua.dossiers.api import router as dossiers_router
from motcua.insights.api import router as insights_router
from motcua.notify.api import router as notify_router
from motcua.org.api import router as org_router
from motcua.payments.api import router as payments_router
from motcua.planning.api import router as planning_router
from motcua.portal.api import router as portal_router
from motcua.queueing.api import router as queueing_router
from motcua.ratings.api import router as ratings_router
from motcua.signing.api import router as signing_router

api = MotcuaAPI(
    title="motcua API",
    version="1",
    description="One-stop public administrative service center. Errors: {code, message, details}.",
    urls_namespace="api",
    docs_url="/docs",
)
install_error_handlers(api)
api.add_router("/auth", auth_router)
api.add_router("/", catalog_router)
api.add_router("/", org_router)
api.add_router("/", payments_router)  # before dossiers: /dossiers/{code}/payments
api.add_router("/", dossiers_router)
api.add_router("/", ratings_router)  # before queueing: /tickets/{id}/{action} would catch /tickets/{id}/rating
api.add_router("/", queueing_router)
api.add_router("/", assistant_router)
api.add_router("/", complaints_router)
api.add_router("/", insights_router)
api.add_router("/", signing_router)
api.add_router("/", notify_router)
api.add_router("/", portal_router)
api.add_router("/", planning_router)
