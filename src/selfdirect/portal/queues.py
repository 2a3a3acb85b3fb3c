"""The manager's queues: budgets waiting for sign-off, budgets waiting for the panel and
plans waiting for approval in the manager's teams, with filters and totals.

Every query starts from the manager's teams (``person__team__in``), so the cost follows
the teams' caseload, not the council's size."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.utils import timezone

from selfdirect.access.models import Team
from selfdirect.access.selectors import AnyUser, teams_of
from selfdirect.allocation.models import Allocation
from selfdirect.planning.models import SupportPlan

KINDS = {
    "budget": "Budgets waiting for sign-off",
    "panel": "Budgets waiting for the panel",
    "plan": "Plans waiting for approval",
}
AGES = {
    "7": "Waiting more than 7 days",
    "14": "Waiting more than 14 days",
    "28": "Waiting more than 28 days",
}
# A budget or plan waiting longer than this is shown as overdue (docs/manager-guide.md).
OVERDUE_DAYS = 14
ROWS_SHOWN = 100


@dataclass(frozen=True)
class QueueFilters:
    kind: str = ""
    team_id: int | None = None
    worker_id: int | None = None
    older_than_days: int | None = None


@dataclass
class QueueRow:
    kind: str
    person: Any
    amount_pence: int
    since: dt.datetime
    worker: User | None
    link: tuple[str, int]

    @property
    def days_waiting(self) -> int:
        return (timezone.localdate() - timezone.localtime(self.since).date()).days

    @property
    def overdue(self) -> bool:
        return self.days_waiting > OVERDUE_DAYS


@dataclass
class Queues:
    totals: dict[str, int]  # per kind, all the manager's teams, no filter
    counts: dict[str, int]  # per kind, with the filters
    rows: list[QueueRow] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.totals.values())

    @property
    def count(self) -> int:
        return sum(self.counts.values())


def _filtered(records: QuerySet[Any], filters: QueueFilters, since_field: str) -> QuerySet[Any]:
    if filters.team_id is not None:
        records = records.filter(person__team_id=filters.team_id)
    if filters.worker_id is not None:
        records = records.filter(person__named_worker_id=filters.worker_id)
    if filters.older_than_days is not None:
        cutoff = timezone.now() - dt.timedelta(days=filters.older_than_days)
        records = records.filter(**{f"{since_field}__lt": cutoff})
    return records


def _sources(user: AnyUser) -> dict[str, tuple[QuerySet[Any], str]]:
    teams = teams_of(user)
    return {
        "budget": (
            Allocation.objects.filter(
                status=Allocation.Status.AWAITING_SIGN_OFF, person__team__in=teams
            ),
            "created_at",
        ),
        "panel": (
            Allocation.objects.filter(
                status=Allocation.Status.AWAITING_PANEL, person__team__in=teams
            ),
            "panel_referral__referred_at",
        ),
        "plan": (
            SupportPlan.objects.filter(
                status=SupportPlan.Status.AWAITING_SIGN_OFF, person__team__in=teams
            ),
            "created_at",
        ),
    }


def queue_totals(user: AnyUser) -> dict[str, int]:
    """How many of each kind wait in the user's teams (the home page's counts)."""
    return {kind: records.count() for kind, (records, _since) in _sources(user).items()}


def queues_for(user: AnyUser, filters: QueueFilters) -> Queues:
    """Totals per kind (unfiltered and filtered) and the first rows, the longest waiting first."""
    sources = _sources(user)
    totals = queue_totals(user)
    counts: dict[str, int] = {}
    rows: list[QueueRow] = []
    for kind, (records, since_field) in sources.items():
        if filters.kind and filters.kind != kind:
            counts[kind] = 0
            continue
        matching = _filtered(records, filters, since_field)
        counts[kind] = matching.count()
        loaded = matching.select_related("person__team", "person__named_worker")
        if kind == "plan":
            loaded = loaded.prefetch_related("lines")
        elif kind == "panel":
            loaded = loaded.select_related("panel_referral")
        for record in loaded.order_by(since_field, "id")[:ROWS_SHOWN]:
            rows.append(_row(kind, record))
    rows.sort(key=lambda r: r.since)
    return Queues(totals=totals, counts=counts, rows=rows[:ROWS_SHOWN])


def _row(kind: str, record: Any) -> QueueRow:
    if kind == "plan":
        return QueueRow(
            kind=kind,
            person=record.person,
            amount_pence=sum(line.weekly_cost_pence for line in record.lines.all()),
            since=record.created_at,
            worker=record.person.named_worker,
            link=("planning:detail", record.pk),
        )
    since = record.created_at
    if kind == "panel":
        referral = getattr(record, "panel_referral", None)
        since = referral.referred_at if referral is not None else since
    return QueueRow(
        kind=kind,
        person=record.person,
        amount_pence=record.indicative_weekly_pence,
        since=since,
        worker=record.person.named_worker,
        link=("allocation:detail", record.pk),
    )


def queue_workers(teams: list[Team]) -> list[User]:
    """Named workers of people in the teams (for the worker filter)."""
    return list(
        User.objects.filter(Q(named_people__team__in=teams))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
