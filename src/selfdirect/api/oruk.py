"""/api/v1/oruk: the directory as an Open Referral UK 3.0 feed, for other directories to
read (docs/directory.md, "Sharing the directory"). Open to anyone, like the directory's
pages: services hold no one's personal data. Only active and other listed services, in
ORUK's own JSON (directory.oruk), paged as ORUK's ``GET /services`` is."""

from __future__ import annotations

import datetime as dt
import math
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from selfdirect.api.common import MAX_PAGE_SIZE, problem, responses
from selfdirect.directory.oruk import service_oruk
from selfdirect.directory.selectors import service_get, services_for_export

router = Router(tags=["Open Referral UK"])


@router.get(
    "/oruk/services",
    auth=None,
    response=responses(dict[str, Any]),
    summary="Services, a page at a time (ORUK 3.0)",
)
def oruk_services(
    request: HttpRequest,
    page: int = 1,
    per_page: int = 50,
    taxonomy_term_id: str = "",
    modified_after: str = "",
) -> dict[str, Any]:
    if not 1 <= per_page <= MAX_PAGE_SIZE:
        raise problem("per_page", f"per_page must be from 1 to {MAX_PAGE_SIZE}", "query")
    services = services_for_export().order_by("name", "id")
    if taxonomy_term_id:
        services = services.filter(terms__id=_uuid(taxonomy_term_id, "taxonomy_term_id"))
    if modified_after:
        try:
            after = dt.datetime.fromisoformat(modified_after)
        except ValueError:
            raise problem("modified_after", "modified_after must be a date-time", "query") from None
        services = services.filter(last_modified__gt=after)
    total = services.count()
    pages = max(1, math.ceil(total / per_page))
    if not 1 <= page <= pages:
        raise problem("page", f"page must be from 1 to {pages}", "query")
    contents = [service_oruk(s) for s in services[(page - 1) * per_page : page * per_page]]
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page == pages,
        "empty": not contents,
        "contents": contents,
    }


@router.get(
    "/oruk/services/{service_id}",
    auth=None,
    response=responses(dict[str, Any]),
    summary="One service, fully nested",
)
def oruk_service(request: HttpRequest, service_id: str) -> dict[str, Any]:
    service = service_get(service_id)
    if service is None:
        raise HttpError(404, "Not found")
    return service_oruk(service)


def _uuid(value: str, name: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise problem(name, f"{name} must be a UUID", "query") from None
