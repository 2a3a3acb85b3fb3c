"""Pooled budgets: several holders putting part of their budgets towards a shared activity.
Each holder's share is their own record, paid from a line of their own approved plan; a
holder sees the pool and their own share, never who else is in it or what they put in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from selfdirect.access.selectors import AnyUser, user_can
from selfdirect.audit.models import Action
from selfdirect.audit.services import event_record, look_refused
from selfdirect.budgets.models import Pool, PoolShare
from selfdirect.money import pounds
from selfdirect.people.selectors import people_visible_to
from selfdirect.planning.models import PlanLine, SupportPlan
from selfdirect.planning.selectors import plan_visibility
from selfdirect.planning.services import arrangement_on
from selfdirect.planning.streams import DEPLOYMENTS
from selfdirect.providers.models import Provider
from selfdirect.refusals import Refused

# Money the person holds themselves or through an organisation of their choosing can be
# pooled; a council-commissioned service is the council's contract, not theirs to pool.
POOLABLE = ("direct_payment", "isf", "third_party")

NAME_NEEDED = "Enter the name of the pool"
ACTIVITY_NEEDED = "Describe the shared activity"
LINE_NOT_FOUND = "Select a line of an approved support plan"
LINE_NOT_POOLABLE = (
    "Only a part of the budget held as a direct payment, an Individual Service Fund or a "
    "third-party managed account can be pooled"
)
SHARE_NOT_POSITIVE = "The share must be more than £0.00 a week"
ALREADY_IN_POOL = "This person already has a share of this pool: end it before adding another"
JOINED_BEFORE_POOL = "The date they join must be on or after the pool starts"
POOL_ENDED = "This pool has ended"
LEFT_BEFORE_JOINED = "The date they leave must be on or after the date they joined"
SHARE_ALREADY_ENDED = "This share has already ended"


class PoolError(Refused):
    """A pool or share refused by a rule."""


def _is_staff(user: AnyUser) -> bool:
    return user_can(user, "pool.manage")


def pools_for(user: AnyUser) -> QuerySet[Pool]:
    """Pools the user may see. Staff: those with a share from a person they may see, and
    those they set up (so a new pool can take its first share). A holder or representative:
    only pools in which their person has a share."""
    if not user_can(user, "pool.view"):
        return Pool.objects.none()
    condition = Q(shares__person__in=people_visible_to(user))
    if _is_staff(user) and isinstance(user, User):
        condition |= Q(created_by=user)
    return Pool.objects.filter(condition).distinct().select_related("organisation")


def pool_get(user: AnyUser, pool_id: int) -> Pool:
    try:
        return pools_for(user).get(pk=pool_id)
    except Pool.DoesNotExist as missing:
        raise look_refused(actor=user, model=Pool, object_id=pool_id, person_path=None) from missing


def _shares_visible_to(user: AnyUser) -> QuerySet[PoolShare]:
    """Shares of people the user may see: for a holder, only their person's own."""
    return (
        PoolShare.objects.filter(person__in=people_visible_to(user))
        .select_related("person", "line__plan", "added_by")
        .order_by("left_on", "person__family_name", "person__given_name", "id")
    )


def shares_visible_to(user: AnyUser, pool: Pool) -> QuerySet[PoolShare]:
    return _shares_visible_to(user).filter(pool=pool)


@dataclass(frozen=True)
class PoolSummary:
    """What anyone who may see a pool may know of it: how many are in it and the total."""

    pool: Pool
    members: int
    total_weekly_pence: int
    own_shares: list[PoolShare] = field(default_factory=list)


def pool_summaries(user: AnyUser, pools: list[Pool] | None = None) -> list[PoolSummary]:
    """Each pool (by default every pool the user may see) with its current members and
    total, and the shares the user may see."""
    pools = list(pools_for(user)) if pools is None else pools
    current: dict[int, list[int]] = {}
    for pool_id, weekly in PoolShare.objects.filter(
        pool__in=pools, left_on__isnull=True
    ).values_list("pool_id", "weekly_pence"):
        current.setdefault(pool_id, []).append(weekly)
    mine: dict[int, list[PoolShare]] = {}
    for share in _shares_visible_to(user).filter(pool__in=pools):
        mine.setdefault(share.pool_id, []).append(share)
    return [
        PoolSummary(
            pool=p,
            members=len(current.get(p.pk, [])),
            total_weekly_pence=sum(current.get(p.pk, [])),
            own_shares=mine.get(p.pk, []),
        )
        for p in pools
    ]


def pool_summary(user: AnyUser, pool: Pool) -> PoolSummary:
    return pool_summaries(user, [pool])[0]


def poolable_lines(user: AnyUser, on: dt.date | None = None) -> list[PlanLine]:
    """Lines of approved plans the user may see, held today in a way that can be pooled."""
    on = on or timezone.localdate()
    lines = (
        PlanLine.objects.filter(
            plan_visibility(user, "plan__"), plan__status=SupportPlan.Status.APPROVED
        )
        .exclude(unit=PlanLine.Unit.ITEM)
        .select_related("plan__person")
        .prefetch_related("switches__to_provider")
        .order_by("plan__person__family_name", "plan__person__given_name", "id")
    )
    return [line for line in lines if arrangement_on(line, on)[0] in POOLABLE]


def pool_shares_follow(plan: SupportPlan) -> None:
    """When a new version of a plan replaces the old, the person's current shares move to
    the lines it carried over: their record of their share goes on, nothing re-entered."""
    for copy in plan.lines.exclude(copied_from=None):
        PoolShare.objects.filter(line_id=copy.copied_from_id, left_on__isnull=True).update(
            line=copy
        )


def pool_shares_by_line(plan: SupportPlan) -> dict[int, list[PoolShare]]:
    """The current pool shares paid from each line of a plan (for the plan page)."""
    shares: dict[int, list[PoolShare]] = {}
    for share in PoolShare.objects.filter(line__plan=plan, left_on__isnull=True).select_related(
        "pool"
    ):
        shares.setdefault(share.line_id, []).append(share)
    return shares


@transaction.atomic
def pool_create(
    *,
    actor: User,
    name: str,
    activity: str,
    organisation: Provider | None,
    starts_on: dt.date,
) -> Pool:
    if not name.strip():
        raise PoolError(NAME_NEEDED, field="name")
    if not activity.strip():
        raise PoolError(ACTIVITY_NEEDED, field="activity")
    pool = Pool.objects.create(
        name=name.strip(),
        activity=activity.strip(),
        organisation=organisation,
        starts_on=starts_on,
        created_by=actor,
    )
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="pool",
        object_id=pool.pk,
        summary=f"Set up the pool '{pool.name}' from {starts_on:%-d %B %Y}",
        changes={
            "Activity": [None, pool.activity],
            "Organisation": [None, str(organisation or "")],
        },
    )
    return pool


@transaction.atomic
def pool_share_add(
    *, actor: User, pool: Pool, line: PlanLine, weekly_pence: int, joined_on: dt.date
) -> PoolShare:
    """A person's share of a pool, paid from a line of their own approved plan."""
    if pool.ends_on is not None and pool.ends_on < joined_on:
        raise PoolError(POOL_ENDED, field="joined_on")
    plan = (
        SupportPlan.objects.filter(
            plan_visibility(actor), pk=line.plan_id, status=SupportPlan.Status.APPROVED
        )
        .select_related("person")
        .first()
    )
    if plan is None or line.is_one_off:
        raise PoolError(LINE_NOT_FOUND, field="line")
    if arrangement_on(line, joined_on)[0] not in POOLABLE:
        raise PoolError(LINE_NOT_POOLABLE, field="line")
    if weekly_pence <= 0:
        raise PoolError(SHARE_NOT_POSITIVE, field="weekly_pence")
    # The line pays every current share it funds, so together they cannot exceed its cost.
    already = sum(
        PoolShare.objects.filter(line=line, left_on__isnull=True).values_list(
            "weekly_pence", flat=True
        )
    )
    room = line.weekly_cost_pence - already
    if weekly_pence > room:
        message = f"The share cannot be more than the line's cost of {pounds(line.weekly_cost_pence)} a week"
        if already:
            message += f", less the {pounds(already)} a week it already pays to other pools"
        raise PoolError(message, field="weekly_pence")
    if joined_on < pool.starts_on:
        raise PoolError(JOINED_BEFORE_POOL, field="joined_on")
    if pool.shares.filter(person=plan.person, left_on__isnull=True).exists():
        raise PoolError(ALREADY_IN_POOL, field="line")
    share = PoolShare.objects.create(
        pool=pool,
        person=plan.person,
        line=line,
        weekly_pence=weekly_pence,
        joined_on=joined_on,
        added_by=actor,
    )
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="pool_share",
        object_id=share.pk,
        person_id=plan.person_id,
        summary=f"Joined the pool '{pool.name}' with {pounds(weekly_pence)} a week from "
        f"'{line.description}'",
        changes={
            "Share": [None, f"{pounds(weekly_pence)} a week"],
            "Paid from": [
                None,
                f"{line.description} ({DEPLOYMENTS[arrangement_on(line, joined_on)[0]]})",
            ],
            "Joined": [None, joined_on.isoformat()],
        },
    )
    return share


@transaction.atomic
def pool_share_end(*, actor: User, share: PoolShare, left_on: dt.date) -> PoolShare:
    """The person leaves the pool; their share stays on record."""
    if share.left_on is not None:
        raise PoolError(SHARE_ALREADY_ENDED)
    if left_on < share.joined_on:
        raise PoolError(LEFT_BEFORE_JOINED, field="left_on")
    share.left_on = left_on
    share.save(update_fields=["left_on"])
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="pool_share",
        object_id=share.pk,
        person_id=share.person_id,
        summary=f"Left the pool '{share.pool.name}' on {left_on:%-d %B %Y}",
        changes={"Left": [None, left_on.isoformat()]},
    )
    return share
