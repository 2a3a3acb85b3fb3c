"""Reading recovery cases: those about people the user may see (people_visible_to), and
one case or a 404 recorded as refused."""

from __future__ import annotations

from django.db.models import QuerySet

from selfdirect.access.roles import Role
from selfdirect.access.selectors import AnyUser, roles_of
from selfdirect.audit.services import record_or_refused
from selfdirect.people.selectors import people_visible_to
from selfdirect.recovery.models import RecoveryCase

PEOPLES_ROLES = frozenset({Role.HOLDER, Role.REPRESENTATIVE, Role.CARER})


def cases_visible_to(user: AnyUser) -> QuerySet[RecoveryCase]:
    """Cases about people the user may see; the person (and those acting for them) only
    once the letter has gone: a case finance is still preparing is not theirs to find."""
    cases = RecoveryCase.objects.filter(person__in=people_visible_to(user))
    if not roles_of(user) - PEOPLES_ROLES:
        cases = cases.filter(letter_sent_on__isnull=False)
    return cases.select_related(
        "person", "person__team", "person__named_worker", "agreement", "opened_by", "decided_by"
    )


def case_for(user: AnyUser, case_id: int) -> RecoveryCase:
    """The case, if the user may see its person; otherwise 404, recorded as refused."""
    return record_or_refused(cases_visible_to(user), actor=user, object_id=case_id)


def open_cases(user: AnyUser) -> QuerySet[RecoveryCase]:
    return cases_visible_to(user).exclude(status=RecoveryCase.Status.CLOSED)
