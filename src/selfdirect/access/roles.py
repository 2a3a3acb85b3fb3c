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
    DPO = "dpo", "Data protection officer"


STAFF_ROLES = frozenset(
    {
        Role.PRACTITIONER,
        Role.MANAGER,
        Role.PLANNER,
        Role.FINANCE,
        Role.COMMISSIONER,
        Role.ADMIN,
        Role.DPO,
    }
)
# Roles that open someone's personal data (their record, budget, plan or payments, or the
# audit trail of anyone's, for the data protection officer). An administrator can take
# them away at once, but giving one needs a second administrator to confirm it
# (access.services).
PERSONAL_DATA_ROLES = frozenset(
    {
        Role.HOLDER,
        Role.REPRESENTATIVE,
        Role.CARER,
        Role.PRACTITIONER,
        Role.MANAGER,
        Role.PLANNER,
        Role.PROVIDER,
        Role.FINANCE,
        Role.DPO,
    }
)
# Giving any of these needs a second administrator. The administrator role is one: it opens
# no one's data itself, but an administrator made by one person alone could confirm that
# person's requests, and the rule would be one person's again.
SECOND_ADMINISTRATOR_ROLES = PERSONAL_DATA_ROLES | {Role.ADMIN}
# Roles held by people using the portal about their own (or a cared-for person's) support.
PORTAL_ROLES = frozenset({Role.HOLDER, Role.REPRESENTATIVE, Role.CARER})

# The demo sign-ins' password (listed in the README and on the sign-in page in demo mode only).
DEMO_PASSWORD = "selfdirect-demo"  # noqa: S105
