"""Recovery steps at once on PostgreSQL (real concurrent transactions): one instalment
collected twice at once is recovered once; two officers deciding at once, one decides."""

from __future__ import annotations

from typing import Any

import pytest

from selfdirect.access.roles import Role
from selfdirect.ledger.checks import ledger_check
from selfdirect.ledger.models import Transaction
from selfdirect.recovery import services as S
from selfdirect.recovery.models import RecoveryCase, RecoveryInstalment
from tests.concurrency import one_success_one_refusal, race
from tests.factories import make_user
from tests.recovery.cases import TODAY, with_surplus


def _explained(council: Any) -> RecoveryCase:
    agreement = with_surplus(council)
    case = S.recovery_case_open(
        actor=council.finance, agreement=agreement, source="ledger", balance_on=TODAY
    )
    S.recovery_letter_send(actor=council.finance, case=case)
    return S.recovery_explanation_record(
        actor=council.users[Role.HOLDER], case=case, kind="other", explanation="A new chair"
    )


@pytest.mark.postgres
def test_one_instalment_collected_twice_at_once_is_recovered_once(committed_council: Any) -> None:
    council = committed_council
    case = _explained(council)
    S.recovery_decide(actor=council.finance2, case=case, decision="all", reasons="Not needed")
    S.recovery_plan_set(
        actor=council.finance, case=case, kind="one_sum", first_due_on=TODAY, count=1
    )
    instalment = case.instalments.get()
    outcomes = race(
        lambda _i: RecoveryInstalment.objects.get(pk=instalment.pk),
        lambda _i, loaded: S.recovery_instalment_collect(instalment=loaded),
    )
    refused = one_success_one_refusal(outcomes, S.RecoveryError)
    assert str(refused) == S.COLLECTED_ALREADY
    assert Transaction.objects.filter(kind="recovery").count() == 1
    assert ledger_check().balanced


@pytest.mark.postgres
def test_two_officers_deciding_at_once_one_decides(committed_council: Any) -> None:
    council = committed_council
    case = _explained(council)
    officers = [council.finance2, make_user("finance3", [Role.FINANCE])]
    outcomes = race(
        lambda _i: RecoveryCase.objects.get(pk=case.pk),
        lambda i, loaded: S.recovery_decide(
            actor=officers[i], case=loaded, decision="all", reasons=f"Officer {i}"
        ),
    )
    refused = one_success_one_refusal(outcomes, S.RecoveryError)
    assert str(refused) == S.ALREADY_DECIDED
    case.refresh_from_db()
    assert case.decided_by in officers and case.status == "decided"
