"""Run a background worker: django-tasks-db's ``db_worker`` loop, plus a heartbeat thread
that /healthz reads and that takes back the jobs of workers that died (decision 0017).

    manage.py run_worker [--batch] [--interval 1] [any other db_worker option]
"""

from __future__ import annotations

import logging
from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from selfdirect.operations import jobs

logger = logging.getLogger("selfdirect.jobs")


class Command(DbWorkerCommand):
    help = "Run the background worker (jobs) with a heartbeat for /healthz"

    def handle(self, *args: Any, **options: Any) -> None:
        options["reload"] = False  # a reload would stop a job half-way
        worker_id: str = options["worker_id"]
        jobs.current_worker_id = worker_id
        jobs.worker_beat(worker_id=worker_id)
        taken = jobs.jobs_recover()
        if taken:
            logger.warning("took back %d job(s) left running by a stopped worker", taken)
        heartbeat = jobs.Heartbeat(worker_id)
        heartbeat.start()
        try:
            super().handle(*args, **options)
        finally:
            heartbeat.stop()
            heartbeat.join(timeout=5)
            jobs.worker_gone(worker_id=worker_id)
