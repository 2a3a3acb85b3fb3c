"""Who sees which invoices: finance, every one (it approves and pays them); a provider's
staff, only their own organisation's, and only for the people it supports now."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from selfdirect.access.roles import Role
from selfdirect.access.selectors import AnyUser, roles_of
from selfdirect.audit.services import record_or_refused
from selfdirect.invoices.models import Invoice
from selfdirect.people.selectors import people_visible_to


def provider_id_of(user: AnyUser) -> int | None:
    if Role.PROVIDER not in roles_of(user):
        return None
    profile = getattr(user, "profile", None)
    return profile.provider_id if profile is not None else None


def invoices_visible_to(user: AnyUser) -> QuerySet[Invoice]:
    roles = roles_of(user)
    if Role.FINANCE in roles:
        return Invoice.objects.all()
    provider_id = provider_id_of(user)
    if provider_id is None:
        return Invoice.objects.none()
    return Invoice.objects.filter(
        provider_id=provider_id, person__in=people_visible_to(user).values("pk")
    )


def invoice_for(user: AnyUser, invoice_id: int) -> Invoice:
    """One invoice with its lines, if the user may see it; otherwise 404 and DENIED."""
    return record_or_refused(
        invoices_visible_to(user)
        .select_related("provider", "person", "entered_by", "decided_by", "paid_by")
        .prefetch_related("lines__plan_line", "transactions"),
        actor=user,
        object_id=invoice_id,
    )


def invoice_list(user: AnyUser, *, status: str = "") -> QuerySet[Invoice]:
    """Invoices the user may see: those waiting for a decision first (exceptions first
    among them), then the newest."""
    invoices = invoices_visible_to(user).select_related("provider", "person")
    if status in Invoice.Status.values:
        invoices = invoices.filter(status=status)
    waiting = Case(
        When(Q(status=Invoice.Status.CHECKED) & Q(exceptions__gt=0), then=Value(0)),
        When(status=Invoice.Status.CHECKED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return invoices.annotate(waiting=waiting).order_by("waiting", "-entered_at", "-id")
