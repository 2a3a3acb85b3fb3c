"""A page of a lower app shows what the apps built on it hold, through the signals those
apps answer (decision 0011): a person's assessments on the person page, an assessment's
indicative budgets on the assessment page. Each check fails if the receiver is not
connected."""

from __future__ import annotations

from typing import Any

from selfdirect.access.roles import Role
from tests.planning.test_plans import _approved_budget


def test_the_person_page_lists_their_assessments_to_those_who_may_see_them(
    client: Any, council: Any
) -> None:
    allocation = _approved_budget(council)
    person, assessment = allocation.person, allocation.assessment
    link = f'href="/assessments/{assessment.pk}/"'
    client.force_login(council.users[Role.PRACTITIONER])
    assert link in client.get(f"/people/{person.pk}/").content.decode()
    # Finance may see the person but not their assessments.
    client.force_login(council.users[Role.FINANCE])
    page = client.get(f"/people/{person.pk}/").content.decode()
    assert link not in page and "No assessments." in page


def test_the_assessment_page_lists_its_indicative_budgets(client: Any, council: Any) -> None:
    allocation = _approved_budget(council)
    client.force_login(council.users[Role.PRACTITIONER])
    page = client.get(f"/assessments/{allocation.assessment.pk}/").content.decode()
    assert f'href="/budgets/{allocation.pk}/"' in page
