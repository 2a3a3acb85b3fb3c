"""The API at /api/v1/, with OpenAPI at /api/openapi.json and docs at /api/docs."""

from __future__ import annotations

from csp.decorators import csp_update
from ninja import NinjaAPI

from selfdirect.api.auth import API_AUTH
from selfdirect.api.invoices import router as invoices_router
from selfdirect.api.oruk import router as oruk_router
from selfdirect.api.people import router as people_router
from selfdirect.api.plans import router as plans_router

# Swagger UI (served from the ninja package, no CDN) styles elements inline.
docs_csp = csp_update({"style-src": ["'unsafe-inline'"]})

api = NinjaAPI(
    title="Selfdirect API",
    version="1",
    description="People and relationships; support plans, their lines, how the budget is held, and reviews; providers' invoices; the directory of services as an Open Referral UK feed (open to all). Send `Authorization: Bearer TOKEN` (from `manage.py create_api_token`) or use a signed-in session.",
    auth=API_AUTH,
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    docs_decorator=docs_csp,
)
api.add_router("/v1/", people_router)
api.add_router("/v1/", plans_router)
api.add_router("/v1/", invoices_router)
api.add_router("/v1/", oruk_router)
