"""What every page needs: the service name, demo mode, and the signed-in user's roles."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from selfdirect.access.roles import STAFF_ROLES, Role
from selfdirect.access.selectors import roles_of, user_can


def service(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", AnonymousUser())
    roles = roles_of(user)
    return {
        "service_name": "Selfdirect",
        "demo_mode": settings.DEMO_MODE,
        "user_roles": sorted(Role(r).label for r in roles if r in Role.values),
        # Staff may read the council's own terms; everyone else reads the plain words of
        # docs/glossary.md (issue 13).
        "staff_words": bool(roles & STAFF_ROLES),
        "can_search_people": user_can(user, "person.search"),
        "can_manage_users": user_can(user, "users.manage"),
        "can_import_people": user_can(user, "person.import"),
        "can_see_statistics": user_can(user, "caseload.statistics"),
        "can_run_whatif": user_can(user, "ras.whatif"),
        "can_see_market": user_can(user, "market.view"),
        "can_see_outcomes": user_can(user, "evaluation.view"),
        "can_configure": user_can(user, "configuration.manage"),
        "can_review_plans": user_can(user, "plan.edit"),
        "can_work_front_door": user_can(user, "contact.record"),
        "can_monitor": user_can(user, "monitoring.manage"),
        # A holder's own statements (monitoring of their direct payment).
        "own_statements_person_id": getattr(getattr(user, "profile", None), "person_id", None)
        if Role.HOLDER in roles and user_can(user, "statement.view")
        else None,
        "can_see_invoices": user_can(user, "invoice.view"),
        "can_run_payments": user_can(user, "payments.run"),
    }
