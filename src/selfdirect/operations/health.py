"""``/healthz`` for load balancers and monitors: the database, and the background worker.

The status code follows the database only: 200 when it answers, 503 when it does not. A
stale worker (no heartbeat for SELFDIRECT_WORKER_STALE_SECONDS) is reported in the body as
``"worker": "stale"`` but keeps 200, because the web pages still work without it (jobs wait
in the queue) and taking every web server out of the pool for it would stop the whole
service. ``/healthz?worker=1`` answers 503 for a stale worker too, for a monitor that
should page someone. The heartbeat is written by a thread of its own every quarter of the
stale time, so a worker busy with a long job never looks stale (docs/deployment.md)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

from selfdirect.operations.jobs import stale_before
from selfdirect.operations.models import WorkerHeartbeat

logger = logging.getLogger("selfdirect.request")
DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"


def worker_state() -> str:
    """ "ok" (a heartbeat within the stale time), "stale" (none), or "external" when the
    council runs another backend whose workers are watched by its own tools."""
    if settings.TASKS["default"]["BACKEND"] != DATABASE_BACKEND:
        return "external"
    fresh = WorkerHeartbeat.objects.filter(beat_at__gte=stale_before()).exists()
    return "ok" if fresh else "stale"


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers (503 if not); the worker's state in the body. No
    sign-in, never cached, at most two queries."""
    worker = "unknown"
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except DatabaseError:
        logger.exception("health check: the database did not answer")
        database = "failed"
    if database == "ok":
        try:
            worker = worker_state()
        except DatabaseError:  # e.g. the heartbeat table not migrated yet: the web is fine
            logger.exception("health check: the worker's heartbeat could not be read")
    ok = database == "ok"
    if request.GET.get("worker") == "1":
        ok = ok and worker in ("ok", "external")
    response = JsonResponse(
        {"status": "ok" if ok else "failed", "database": database, "worker": worker},
        status=200 if ok else 503,
    )
    add_never_cache_headers(response)
    return response
