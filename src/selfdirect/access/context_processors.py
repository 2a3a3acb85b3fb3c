"""What every page needs: the service name, demo mode, and the signed-in user's roles."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from selfdirect.access.roles import Role
from selfdirect.access.selectors import roles_of, user_can


def service(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", AnonymousUser())
    roles = roles_of(user)
    return {
        "service_name": "Selfdirect",
        "demo_mode": settings.DEMO_MODE,
        "user_roles": sorted(Role(r).label for r in roles if r in Role.values),
        "can_search_people": user_can(user, "person.search"),
        "can_manage_users": user_can(user, "users.manage"),
        "can_import_people": user_can(user, "person.import"),
        "can_see_statistics": user_can(user, "caseload.statistics"),
        "can_run_whatif": user_can(user, "ras.whatif"),
        "can_configure": user_can(user, "configuration.manage"),
        "can_review_plans": user_can(user, "plan.edit"),
        "can_work_front_door": user_can(user, "contact.record"),
        "can_see_invoices": user_can(user, "invoice.view"),
    }
