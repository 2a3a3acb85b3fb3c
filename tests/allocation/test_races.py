"""Two decisions at once on one budget, challenge or RAS (PostgreSQL, real concurrent
transactions): one succeeds, the other gets the refusal it would have got a moment later,
and the decision is recorded once. Plus the constraints behind them, on both engines."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from selfdirect.access.roles import Role
from selfdirect.allocation import services
from selfdirect.allocation.models import Allocation, AmountDecision, Challenge, RasVersion, SignOff
from selfdirect.audit.models import Event
from tests.allocation.test_allocations import _agree
from tests.concurrency import one_success_one_refusal, race
from tests.factories import second_user


def _worked_out(council: Any) -> Allocation:
    return services.allocation_calculate(
        actor=council.users[Role.PRACTITIONER], assessment=_agree(council), flags={}
    )


def _challenged(council: Any) -> Challenge:
    allocation = _worked_out(council)
    services.allocation_sign_off(
        actor=council.users[Role.MANAGER], allocation=allocation, decision="approve"
    )
    return services.challenge_raise(
        actor=council.users[Role.HOLDER], allocation=allocation, reasons="I need more help"
    )


@pytest.mark.postgres
def test_two_sign_offs_at_once_decide_once(committed_council: Any) -> None:
    council = committed_council
    allocation = _worked_out(council)
    managers = [council.users[Role.MANAGER], second_user(council, Role.MANAGER)]
    outcomes = race(
        lambda _i: Allocation.objects.get(pk=allocation.pk),
        lambda i, loaded: services.allocation_sign_off(
            actor=managers[i], allocation=loaded, decision="approve"
        ),
    )
    refused = one_success_one_refusal(outcomes, services.AllocationError)
    assert str(refused) == services.ALREADY_DECIDED
    assert SignOff.objects.filter(allocation=allocation).count() == 1
    assert Allocation.objects.get(pk=allocation.pk).status == "approved"


@pytest.mark.postgres
def test_two_decisions_on_a_request_to_look_again_at_once_decide_once(
    committed_council: Any,
) -> None:
    council = committed_council
    challenge = _challenged(council)
    managers = [council.users[Role.MANAGER], second_user(council, Role.MANAGER)]
    outcomes = race(
        lambda _i: Challenge.objects.get(pk=challenge.pk),
        lambda i, loaded: services.challenge_decide(
            actor=managers[i],
            challenge=loaded,
            outcome=["upheld", "not_upheld"][i],
            reason="Decided",
            reassessment_needed=i == 0,
            new_weekly_pence=[challenge.contested_weekly_pence + 1000, None][i],
        ),
    )
    refused = one_success_one_refusal(outcomes, services.AllocationError)
    assert str(refused) == services.CHALLENGE_DECIDED
    # The amount changed at most once, and only if the upheld decision was the one recorded.
    upheld = Challenge.objects.get(pk=challenge.pk).outcome == "upheld"
    assert AmountDecision.objects.filter(challenge=challenge).count() == int(upheld)
    decided = Event.objects.filter(object_type="challenge", object_id=challenge.pk)
    assert decided.filter(summary__startswith="Decided").count() == 1


@pytest.mark.postgres
def test_two_versions_published_at_once_for_one_date_publish_one(
    committed_council: Any,
) -> None:
    council = committed_council
    data = json.loads(services.DEFAULT_RAS.read_text(encoding="utf-8"))
    drafts = [services.ras_version_create(actor=None, data=data) for _ in range(2)]
    when = dt.date(2031, 4, 1)
    admin = council.users[Role.ADMIN]
    outcomes = race(
        lambda i: RasVersion.objects.get(pk=drafts[i].pk),
        lambda _i, loaded: services.ras_version_publish(
            actor=admin, version=loaded, effective_from=when
        ),
    )
    refused = one_success_one_refusal(outcomes, services.AllocationError)
    assert str(refused) == services.RAS_DATE_TAKEN.format(on="1 April 2031")
    assert RasVersion.objects.filter(status="published", effective_from=when).count() == 1


@pytest.mark.django_db
def test_an_allocation_is_signed_off_once(council: Any) -> None:
    allocation = _worked_out(council)
    manager = council.users[Role.MANAGER]
    services.allocation_sign_off(actor=manager, allocation=allocation, decision="approve")
    with pytest.raises(IntegrityError), transaction.atomic():
        SignOff.objects.create(allocation=allocation, decision="approve", decided_by=manager)


@pytest.mark.django_db
def test_one_open_challenge_and_a_decision_says_what_and_who(council: Any) -> None:
    challenge = _challenged(council)
    copy = {
        f.name: getattr(challenge, f.name)
        for f in Challenge._meta.concrete_fields
        if f.name not in ("id", "raised_at")
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        Challenge.objects.create(**copy)
    with pytest.raises(IntegrityError), transaction.atomic():
        Challenge.objects.filter(pk=challenge.pk).update(status="decided")


@pytest.mark.django_db
def test_one_published_ras_version_per_questionnaire_and_date(council: Any) -> None:
    data = json.loads(services.DEFAULT_RAS.read_text(encoding="utf-8"))
    draft = services.ras_version_create(actor=None, data=data)
    in_force = RasVersion.objects.get(status="published")
    with pytest.raises(services.AllocationError, match="is in force from 1 April 2015"):
        services.ras_version_publish(
            actor=council.users[Role.ADMIN], version=draft, effective_from=in_force.effective_from
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        RasVersion.objects.filter(pk=draft.pk).update(
            status="published", effective_from=in_force.effective_from
        )


@pytest.mark.postgres
def test_two_requests_to_look_again_at_once_open_one(committed_council: Any) -> None:
    council = committed_council
    allocation = _worked_out(council)
    services.allocation_sign_off(
        actor=council.users[Role.MANAGER], allocation=allocation, decision="approve"
    )
    asking = [council.users[Role.HOLDER], council.users[Role.REPRESENTATIVE]]
    outcomes = race(
        lambda _i: Allocation.objects.get(pk=allocation.pk),
        lambda i, loaded: services.challenge_raise(
            actor=asking[i], allocation=loaded, reasons="I need help every night now"
        ),
    )
    refused = one_success_one_refusal(outcomes, services.AllocationError)
    assert str(refused) == services.CHALLENGE_OPEN_ALREADY
    assert Challenge.objects.filter(allocation=allocation).count() == 1


@pytest.mark.postgres
def test_two_panel_decisions_at_once_decide_once(committed_council: Any) -> None:
    from django.utils import timezone

    from selfdirect.allocation.models import PanelDecision
    from tests.allocation.test_panel import _members, _waiting_for_panel

    council = committed_council
    allocation = _waiting_for_panel(council)
    recorders = [second_user(council, Role.MANAGER), council.users[Role.MANAGER]]
    members = _members(council)
    outcomes = race(
        lambda _i: Allocation.objects.get(pk=allocation.pk),
        lambda i, loaded: services.panel_decision_record(
            actor=recorders[i],
            allocation=loaded,
            members=members,
            decided_on=timezone.localdate(),
            outcome=["agreed", "returned"][i],
            reasons="Decided",
        ),
    )
    refused = one_success_one_refusal(outcomes, services.AllocationError)
    assert str(refused) == services.PANEL_NOT_WAITING
    assert PanelDecision.objects.filter(allocation=allocation).count() == 1
    assert SignOff.objects.filter(allocation=allocation).count() == 1


@pytest.mark.postgres
def test_two_named_worker_allocations_at_once_leave_one_current(committed_council: Any) -> None:
    from selfdirect.people import services as people
    from selfdirect.people.models import NamedWorkerAllocation, Person

    council = committed_council
    workers = [council.users[Role.PRACTITIONER], second_user(council, Role.PRACTITIONER)]
    managers = [council.users[Role.MANAGER], second_user(council, Role.MANAGER)]
    outcomes = race(
        lambda _i: Person.objects.get(pk=council.holder_person.pk),
        lambda i, loaded: people.named_worker_allocate(
            actor=managers[i], person=loaded, worker=workers[i], reason="Referral"
        ),
    )
    assert all(not isinstance(o, Exception) for o in outcomes)  # the second reallocates
    current = NamedWorkerAllocation.objects.filter(
        person=council.holder_person, end_date__isnull=True
    )
    assert current.count() == 1
    assert Person.objects.get(pk=council.holder_person.pk).named_worker == current.get().worker
