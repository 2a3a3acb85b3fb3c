"""The roles of Selfdirect, as DESIGN.md lists them: one Django group per role."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    HOLDER = "holder", "Budget holder"
    REPRESENTATIVE = "representative", "Representative"
    CARER = "carer", "Carer"
    PRACTITIONER = "practitioner", "Practitioner"
    MANAGER = "manager", "Team manager"
    PLANNER = "planner", "Support planner or broker"
    PROVIDER = "provider", "Provider"
    FINANCE = "finance", "Finance officer"
    COMMISSIONER = "commissioner", "Commissioner or analyst"
    ADMIN = "admin", "Administrator"


STAFF_ROLES = frozenset(
    {
        Role.PRACTITIONER,
        Role.MANAGER,
        Role.PLANNER,
        Role.FINANCE,
        Role.COMMISSIONER,
        Role.ADMIN,
    }
)
# Roles held by people using the portal about their own (or a cared-for person's) support.
PORTAL_ROLES = frozenset({Role.HOLDER, Role.REPRESENTATIVE, Role.CARER})

# The demo sign-ins' password (listed in the README and on the sign-in page in demo mode only).
DEMO_PASSWORD = "selfdirect-demo"  # noqa: S105
