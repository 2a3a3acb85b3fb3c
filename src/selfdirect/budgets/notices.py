"""Written notice, with reasons, before a personal budget or a direct payment is reduced or
stopped (direct payments guidance: reasonable notice in writing with reasons). The notice
is recorded before the change takes effect, and can be withdrawn until then."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone

from selfdirect.access.roles import Role
from selfdirect.access.selectors import AnyUser
from selfdirect.access.services import work_item_add
from selfdirect.allocation.models import AmountDecision
from selfdirect.audit.models import Action
from selfdirect.audit.services import event_record, look_refused
from selfdirect.budgets.models import ChangeNotice
from selfdirect.money import pounds
from selfdirect.notify.models import Message
from selfdirect.notify.services import notification_send
from selfdirect.planning.models import Review, SupportPlan
from selfdirect.planning.selectors import plan_visibility
from selfdirect.planning.services import holding_mix, plan_start_defer, plan_totals
from selfdirect.refusals import Refused, lost_race_refused

PLAN_NOT_APPROVED = "Notice can only be given on an approved support plan"
REVIEW_NOT_OF_PLAN = "The review must be a review of this plan"
CHANGE_NEEDED = "Select whether the budget is reduced or stopped"
APPLIES_TO_NEEDED = "Select whether the change is to the personal budget or the direct payment"
NO_DIRECT_PAYMENT = "This plan has no direct payment: give notice about the personal budget"
NOTHING_TO_CHANGE = "There is nothing a week to reduce or stop"
NEW_AMOUNT_NEEDED = "Enter the new amount a week"
NOT_LOWER = "The new amount must be less than the current {current} a week"
REDUCE_TO_NOTHING = "To reduce it to nothing, choose ‘Stop’"
REASONS_NEEDED = "Give the reasons for the change"
NOT_IN_FUTURE = "The date it takes effect must be in the future"
TOO_SHORT = "Give at least {days} days' notice: the change can take effect on {earliest} or later"
NOT_GIVEN = "This notice has already been withdrawn"
NOTICE_EXISTS = (
    "Notice of a change to this from {on} has already been given: withdraw it first to "
    "give a different one"
)
NEW_VERSION_NOT_NEXT = "The new plan version must be the one that follows this plan"
NEW_VERSION_IS_BUDGET = "A new plan version changes the personal budget: give notice about it"
NEW_AMOUNT_IS_VERSIONS = (
    "The new amount is the plan cost of version {version}, {cost} a week: leave it blank "
    "or enter that"
)
VERSION_TIED_TO_NOTICE = (
    "A notice of reduction gives this version's figures to the person: withdraw the notice "
    "before changing the plan"
)
TOO_LATE_TO_WITHDRAW = "The change has taken effect: the notice can no longer be withdrawn"
CONFLICT = (
    "This notice conflicts with a later decision: the personal budget was raised to "
    "{amount} a week from {on} after a request to look again. Withdraw the notice, and give "
    "a new one if a reduction still stands"
)
CONFLICT_TASK = (
    "Withdraw or re-issue the notice of {on}: the personal budget was raised to {amount} "
    "a week after a request to look again"
)
CONFLICT_TASK_KIND = "notice_conflict"


class NoticeError(Refused):
    """A notice refused by a rule."""


def notice_days() -> int:
    return int(getattr(settings, "SELFDIRECT_NOTICE_DAYS", 28))


def review_version_pending(plan: SupportPlan) -> SupportPlan | None:
    """The next version of an approved plan that a review started and that is still being
    written or waiting for sign-off: a notice of reduction on the plan is that version's."""
    return (
        SupportPlan.objects.filter(
            previous=plan,
            from_review__isnull=False,
            status__in=[SupportPlan.Status.DRAFT, SupportPlan.Status.AWAITING_SIGN_OFF],
        )
        .order_by("-version")
        .first()
    )


def current_weekly_pence(plan: SupportPlan, applies_to: str, on: dt.date) -> int:
    """What is paid a week now: the plan's weekly cost, or the part held as a direct payment."""
    if applies_to == ChangeNotice.AppliesTo.DIRECT_PAYMENT:
        return holding_mix(plan, on).get("direct_payment", 0)
    return plan_totals(plan).weekly_pence


def version_change_refusal(plan: SupportPlan) -> str | None:
    """Why a version's outcomes and lines may not change: a notice given stands on its
    figures (the letter prints them), so it is withdrawn first."""
    if ChangeNotice.objects.filter(new_plan=plan, status=ChangeNotice.Status.GIVEN).exists():
        return VERSION_TIED_TO_NOTICE
    return None


def has_direct_payment(plan: SupportPlan, on: dt.date) -> bool:
    return holding_mix(plan, on).get("direct_payment", 0) > 0


def notices_visible_to(user: AnyUser) -> QuerySet[ChangeNotice]:
    """Notices on plans the user may see (the holder and their representative see their own)."""
    return ChangeNotice.objects.filter(plan_visibility(user, "plan__")).select_related(
        "person", "plan", "review", "given_by"
    )


def notice_get(user: AnyUser, notice_id: int) -> ChangeNotice:
    try:
        return notices_visible_to(user).get(pk=notice_id)
    except ChangeNotice.DoesNotExist as missing:
        raise look_refused(actor=user, model=ChangeNotice, object_id=notice_id) from missing


def can_withdraw(notice: ChangeNotice, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return notice.status == ChangeNotice.Status.GIVEN and today < notice.takes_effect_on


def notice_conflict(notice: ChangeNotice, today: dt.date | None = None) -> AmountDecision | None:
    """The later decision a notice still to take effect conflicts with, or None: a raise of
    the personal budget (after a request to look again) decided after the notice was given."""
    if not can_withdraw(notice, today):
        return None
    return (
        AmountDecision.objects.filter(
            allocation__person_id=notice.person_id,
            decided_at__gt=notice.created_at,
            new_weekly_pence__gt=F("previous_weekly_pence"),
        )
        .order_by("-decided_at", "-id")
        .first()
    )


def conflict_text(decision: AmountDecision) -> str:
    return CONFLICT.format(
        amount=pounds(decision.new_weekly_pence), on=f"{decision.effective_from:%-d %B %Y}"
    )


@transaction.atomic
def change_notice_conflict_flag(*, actor: User, decision: AmountDecision) -> list[ChangeNotice]:
    """A raise of the personal budget decided while a notice of reduction is still to take
    effect: the notice must not silently stand. Each such notice gets a task for the named
    worker (the team's practitioners if none) to withdraw or re-issue it, audited."""
    if decision.new_weekly_pence <= decision.previous_weekly_pence:
        return []
    person = decision.allocation.person
    pending = list(
        ChangeNotice.objects.filter(
            person=person,
            status=ChangeNotice.Status.GIVEN,
            takes_effect_on__gt=timezone.localdate(),
            created_at__lt=decision.decided_at,
        )
    )
    for notice in pending:
        work_item_add(
            person=person,
            title=CONFLICT_TASK.format(
                on=f"{notice.given_on:%-d %B %Y}", amount=pounds(decision.new_weekly_pence)
            ),
            kind=CONFLICT_TASK_KIND,
            for_role=Role.PRACTITIONER,
            due_date=min(
                notice.takes_effect_on - dt.timedelta(days=1),
                timezone.localdate() + dt.timedelta(days=7),
            ),
        )
        event_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="change_notice",
            object_id=notice.pk,
            person_id=person.pk,
            summary="A later decision raised the personal budget: the notice is to be "
            "withdrawn or re-issued",
            changes={"Conflicts with": [None, f"{pounds(decision.new_weekly_pence)} a week"]},
        )
    return pending


def _notice_exists(takes_effect_on: dt.date, **_: object) -> NoticeError:
    return NoticeError(
        NOTICE_EXISTS.format(on=f"{takes_effect_on:%-d %B %Y}"), field="takes_effect_on"
    )


@lost_race_refused(_notice_exists)
@transaction.atomic
def change_notice_give(
    *,
    actor: User,
    plan: SupportPlan,
    review: Review | None = None,
    new_plan: SupportPlan | None = None,
    change: str,
    applies_to: str,
    new_weekly_pence: int | None,
    reasons: str,
    takes_effect_on: dt.date | None,
    today: dt.date | None = None,
) -> ChangeNotice:
    today = today or timezone.localdate()
    # The plan's row is locked and read again: a new version approved meanwhile, or a
    # notice given meanwhile, is seen before this one is given.
    SupportPlan.objects.select_for_update().filter(pk=plan.pk).values_list("pk").get()
    plan.refresh_from_db()
    if plan.status != SupportPlan.Status.APPROVED:
        raise NoticeError(PLAN_NOT_APPROVED)
    if review is not None and review.plan_id != plan.pk:
        raise NoticeError(REVIEW_NOT_OF_PLAN)
    if change not in ChangeNotice.Change.values:
        raise NoticeError(CHANGE_NEEDED, field="change")
    if applies_to not in ChangeNotice.AppliesTo.values:
        raise NoticeError(APPLIES_TO_NEEDED, field="applies_to")
    if applies_to == ChangeNotice.AppliesTo.DIRECT_PAYMENT and not has_direct_payment(plan, today):
        raise NoticeError(NO_DIRECT_PAYMENT, field="applies_to")
    current = current_weekly_pence(plan, applies_to, today)
    if current <= 0:
        raise NoticeError(NOTHING_TO_CHANGE, field="applies_to")
    if new_plan is None and review is not None:
        new_plan = review.new_versions.order_by("-version").first()
    if new_plan is None and review is None and applies_to == ChangeNotice.AppliesTo.BUDGET:
        # Given from the plan's page while a review's new version is being written: the
        # reduction is that version's, as if given from the review's page.
        new_plan = review_version_pending(plan)
        review = new_plan.from_review if new_plan is not None else None
    if new_plan is not None:
        # The reduction a review implies is the new version's: its figures are the letter's.
        if new_plan.previous_id != plan.pk:
            raise NoticeError(NEW_VERSION_NOT_NEXT)
        if applies_to != ChangeNotice.AppliesTo.BUDGET:
            raise NoticeError(NEW_VERSION_IS_BUDGET, field="applies_to")
        version_cost = plan_totals(new_plan).weekly_pence
        if change == ChangeNotice.Change.REDUCE:
            if new_weekly_pence is not None and new_weekly_pence != version_cost:
                raise NoticeError(
                    NEW_AMOUNT_IS_VERSIONS.format(
                        version=new_plan.version, cost=pounds(version_cost)
                    ),
                    field="new_weekly_pence",
                )
            new_weekly_pence = version_cost
    if change == ChangeNotice.Change.STOP:
        new = 0
    else:
        if new_weekly_pence is None:
            raise NoticeError(NEW_AMOUNT_NEEDED, field="new_weekly_pence")
        if new_weekly_pence >= current:
            raise NoticeError(NOT_LOWER.format(current=pounds(current)), field="new_weekly_pence")
        if new_weekly_pence <= 0:
            raise NoticeError(REDUCE_TO_NOTHING, field="new_weekly_pence")
        new = new_weekly_pence
    if not reasons.strip():
        raise NoticeError(REASONS_NEEDED, field="reasons")
    if takes_effect_on is None or takes_effect_on <= today:
        raise NoticeError(NOT_IN_FUTURE, field="takes_effect_on")
    earliest = today + dt.timedelta(days=notice_days())
    if takes_effect_on < earliest:
        raise NoticeError(
            TOO_SHORT.format(days=notice_days(), earliest=f"{earliest:%-d %B %Y}"),
            field="takes_effect_on",
        )
    if plan.change_notices.filter(
        status=ChangeNotice.Status.GIVEN, applies_to=applies_to, takes_effect_on=takes_effect_on
    ).exists():
        raise _notice_exists(takes_effect_on)
    if new_plan is not None:
        # The version comes into force when the notice takes effect, not when approved.
        plan_start_defer(
            actor=actor,
            plan=new_plan,
            starts_on=takes_effect_on,
            why="the day the notice of the reduction takes effect",
        )
    notice = ChangeNotice.objects.create(
        person=plan.person,
        plan=plan,
        review=review,
        new_plan=new_plan,
        change=change,
        applies_to=applies_to,
        current_weekly_pence=current,
        new_weekly_pence=new,
        reasons=reasons.strip(),
        given_on=today,
        takes_effect_on=takes_effect_on,
        given_by=actor,
    )
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="change_notice",
        object_id=notice.pk,
        person_id=plan.person_id,
        summary=f"Gave notice: {notice.get_change_display().lower()} "
        f"{notice.get_applies_to_display().lower()} from {takes_effect_on:%-d %B %Y}",
        changes={
            "A week": [f"{pounds(current)}", f"{pounds(new)}"],
            "Reasons": [None, notice.reasons],
            **({"Plan version": [None, str(new_plan.version)]} if new_plan else {}),
        },
    )
    notification_send(
        actor=actor,
        person=plan.person,
        kind=Message.Kind.NOTICE,
        subject="Notice of a change to {whose} budget",
        body=f"From {takes_effect_on:%-d %B %Y}, {notice.get_applies_to_display().lower()} "
        f"changes from {pounds(current)} to {pounds(new)} a week. Why: {notice.reasons} "
        "The notice explains what you can do if you disagree.",
        key=f"notice-{notice.pk}-given",
        link=reverse("budgets:notice", kwargs={"notice_id": notice.pk}),
    )
    return notice


@transaction.atomic
def change_notice_withdraw(
    *, actor: User, notice: ChangeNotice, today: dt.date | None = None
) -> ChangeNotice:
    """Withdraw a notice before the change takes effect (after that, give a new decision)."""
    today = today or timezone.localdate()
    ChangeNotice.objects.select_for_update().filter(pk=notice.pk).values_list("pk").get()
    notice.refresh_from_db()
    if notice.status != ChangeNotice.Status.GIVEN:
        raise NoticeError(NOT_GIVEN)
    if today >= notice.takes_effect_on:
        raise NoticeError(TOO_LATE_TO_WITHDRAW)
    notice.status = ChangeNotice.Status.WITHDRAWN
    notice.save(update_fields=["status"])
    if not any(
        notice_conflict(other, today)
        for other in ChangeNotice.objects.filter(
            person_id=notice.person_id, status=ChangeNotice.Status.GIVEN
        )
    ):
        from selfdirect.access.models import WorkItem

        WorkItem.objects.filter(
            person_id=notice.person_id, kind=CONFLICT_TASK_KIND, status=WorkItem.Status.OPEN
        ).update(status=WorkItem.Status.DONE)
    event_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="change_notice",
        object_id=notice.pk,
        person_id=notice.person_id,
        summary=f"Withdrew the notice to {notice.get_change_display().lower()} "
        f"{notice.get_applies_to_display().lower()} from {notice.takes_effect_on:%-d %B %Y}",
        changes={"Status": ["Notice given", "Withdrawn"]},
    )
    return notice
