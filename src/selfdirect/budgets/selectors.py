"""Who sees how a budget is held: those who may see the plan; finance, across the council;
and a provider or support organisation, only the agreements it holds and their statements
(never the direct payment, nor another organisation's agreement)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, QuerySet

from selfdirect.access.roles import Role
from selfdirect.access.selectors import AnyUser, roles_of
from selfdirect.audit.services import look_refused
from selfdirect.budgets.models import DirectPaymentAgreement, FundAgreement, FundStatement
from selfdirect.planning.models import SupportPlan
from selfdirect.planning.selectors import plan_visibility

if TYPE_CHECKING:
    from selfdirect.people.models import Person


def _provider_id(user: AnyUser) -> int | None:
    if Role.PROVIDER not in roles_of(user):
        return None
    profile = getattr(user, "profile", None)
    return profile.provider_id if profile is not None else None


def direct_payment_agreements_visible_to(user: AnyUser) -> QuerySet[DirectPaymentAgreement]:
    if Role.FINANCE in roles_of(user):
        return DirectPaymentAgreement.objects.all()
    return DirectPaymentAgreement.objects.filter(plan_visibility(user, "plan__"))


def fund_agreements_visible_to(user: AnyUser) -> QuerySet[FundAgreement]:
    roles = roles_of(user)
    if Role.FINANCE in roles:
        return FundAgreement.objects.all()
    condition = plan_visibility(user, "plan__")
    provider_id = _provider_id(user)
    if provider_id is not None:
        condition |= Q(organisation_id=provider_id)
    return FundAgreement.objects.filter(condition)


def holding_plan_for(user: AnyUser, plan_id: int) -> SupportPlan:
    """The plan, if the user may see it or holds part of its budget; otherwise 404."""
    condition = plan_visibility(user) | Q(pk__in=fund_agreements_visible_to(user).values("plan_id"))
    if Role.FINANCE in roles_of(user):
        condition = Q()
    try:
        return (
            SupportPlan.objects.filter(condition)
            .select_related("person", "allocation")
            .prefetch_related("lines__switches__to_provider", "lines__provider")
            .get(pk=plan_id)
        )
    except SupportPlan.DoesNotExist as missing:
        raise look_refused(actor=user, model=SupportPlan, object_id=plan_id) from missing


def holding_of(
    user: AnyUser, plan: SupportPlan
) -> tuple[list[DirectPaymentAgreement], list[FundAgreement]]:
    """The plan's direct payment agreements and fund agreements (with their statements)
    that this user may see."""
    direct = list(
        direct_payment_agreements_visible_to(user)
        .filter(plan=plan)
        .select_related("recipient", "necessity_decided_by", "link_officer")
    )
    funds = list(
        fund_agreements_visible_to(user)
        .filter(plan=plan)
        .select_related("organisation", "plan", "person")
        .prefetch_related(
            Prefetch(
                "statements",
                queryset=FundStatement.objects.order_by("period_start", "id").prefetch_related(
                    "lines"
                ),
            )
        )
    )
    return direct, funds


def fund_agreement_for(user: AnyUser, agreement_id: int) -> FundAgreement:
    try:
        return (
            fund_agreements_visible_to(user)
            .select_related("organisation", "person", "plan__person")
            .prefetch_related("plan__lines__switches__to_provider", "plan__lines__provider")
            .get(pk=agreement_id)
        )
    except FundAgreement.DoesNotExist as missing:
        raise look_refused(actor=user, model=FundAgreement, object_id=agreement_id) from missing


def direct_payment_agreement_for(user: AnyUser, agreement_id: int) -> DirectPaymentAgreement:
    try:
        return (
            direct_payment_agreements_visible_to(user)
            .select_related("plan", "person")
            .get(pk=agreement_id)
        )
    except DirectPaymentAgreement.DoesNotExist as missing:
        raise look_refused(
            actor=user, model=DirectPaymentAgreement, object_id=agreement_id
        ) from missing


def active_direct_payment(person: Person) -> DirectPaymentAgreement | None:
    """The person's direct payment agreement in place (the latest to start), with its link
    officer: who the person contacts about their direct payment."""
    return (
        DirectPaymentAgreement.objects.filter(
            person=person, status=DirectPaymentAgreement.Status.ACTIVE
        )
        .select_related("link_officer")
        .order_by("-starts_on", "-id")
        .first()
    )
