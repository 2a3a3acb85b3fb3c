"""Campaigns: who is asked (everyone at review, or a stratified sample the seed makes
again), invitations made once however often it runs, reminders at most once per
interval, and the refusals that name the field."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from selfdirect.audit.models import Event
from selfdirect.notify.models import Message
from selfdirect.planning.models import SupportPlan
from selfdirect.planning.services import arrangement_on, weekly_cost_on
from selfdirect.surveys import campaigns
from selfdirect.surveys.campaigns import Candidate, sample_draw
from selfdirect.surveys.models import Campaign, Invitation
from selfdirect.surveys.services import SurveyRefused
from tests.factories import PersonFactory
from tests.surveys.helpers import IN_PERIOD, campaign_make, plan_with_review, poet


def _latest_plans(person_ids: list[int]) -> dict[int, SupportPlan]:
    """Each person's latest approved plan version, read with planning's own models."""
    plans: dict[int, SupportPlan] = {}
    for plan in (
        SupportPlan.objects.filter(
            person_id__in=person_ids,
            status__in=[SupportPlan.Status.APPROVED, SupportPlan.Status.SUPERSEDED],
            approved_at__isnull=False,
        )
        .prefetch_related("lines__switches")
        .order_by("person_id", "-version")
    ):
        plans.setdefault(plan.person_id, plan)
    return plans


def _holding_of(plan: SupportPlan | None, on: dt.date) -> str:
    """The reference the draw's plain-row read must agree with: the way of holding with
    the largest weekly cost on ``on``, by planning's own functions."""
    if plan is None:
        return campaigns.NO_PLAN
    mix: dict[str, int] = {}
    for line in plan.lines.all():
        way = arrangement_on(line, on)[0]
        mix[way] = mix.get(way, 0) + weekly_cost_on(line, on)
    return max(sorted(mix), key=lambda way: mix[way]) if mix else campaigns.NO_PLAN


pytestmark = pytest.mark.django_db


def test_everyone_whose_review_falls_in_the_period_is_invited_once(council: Any) -> None:
    plan_with_review(council, council.holder_person)
    plan_with_review(council, council.other_person, due=dt.date(2027, 3, 1))  # outside
    campaign = campaign_make(council)
    invitations = list(campaign.invitations.all())
    assert [i.person_id for i in invitations] == [council.holder_person.pk]
    ada = invitations[0]
    # Ada signs in, so she is invited by a portal message with a link to the survey.
    assert ada.channel == Invitation.Channel.MESSAGE
    assert ada.holding == "direct_payment"
    assert ada.user_group == "Not known"
    messages = Message.objects.filter(key=f"survey-invitation-{ada.pk}-0")
    # Ada and Rita (her representative) are told.
    assert {m.recipient.username for m in messages} == {"holder", "representative"}
    assert messages[0].link == f"/surveys/invitations/{ada.pk}/"
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.OPEN
    # Running it again makes and sends nothing more.
    assert campaigns.invitations_create(actor=None, campaign=campaign) == 0
    assert campaign.invitations.count() == 1
    assert Message.objects.filter(key__startswith="survey-invitation-").count() == 2


def test_someone_who_does_not_sign_in_is_invited_by_letter(council: Any) -> None:
    plan_with_review(council, council.other_person)  # Bea has no sign-in
    campaign = campaign_make(council)
    bea = campaign.invitations.get()
    assert bea.channel == Invitation.Channel.LETTER
    assert len(bea.reference) == 9 and bea.reference[4] == "-"
    assert bea.reference == campaigns.invitation_reference(
        campaign_id=campaign.pk, person_id=council.other_person.pk
    )


def test_the_carers_survey_asks_the_carers_of_those_reviewed(council: Any) -> None:
    plan_with_review(council, council.holder_person, deployment="managed_account")
    campaign = campaign_make(council, instrument=poet("poet-carer"))
    carl = campaign.invitations.get()
    assert carl.person.given_name == "Carl"
    assert (carl.user_group, carl.holding) == ("Carer", "managed_account")


def _candidates() -> list[Candidate]:
    groups = [("Learning", "direct_payment")] * 60 + [("Older", "managed_account")] * 30
    groups += [("Older", "direct_payment")] * 10
    return [Candidate(n, g, h) for n, (g, h) in enumerate(groups, start=1)]


def test_a_sample_is_stratified_in_proportion_and_the_seed_draws_it_again() -> None:
    sample, draw = sample_draw(_candidates(), size=20, seed=7)
    again, _ = sample_draw(list(reversed(_candidates())), size=20, seed=7)
    other, _ = sample_draw(_candidates(), size=20, seed=8)
    assert [c.person_id for c in sample] == [c.person_id for c in again]
    assert [c.person_id for c in sample] != [c.person_id for c in other]
    assert {(d["group"], d["holding"]): (d["population"], d["drawn"]) for d in draw} == {
        ("Learning", "direct_payment"): (60, 12),
        ("Older", "direct_payment"): (10, 2),
        ("Older", "managed_account"): (30, 6),
    }
    assert len({c.person_id for c in sample}) == 20


def test_a_sample_larger_than_the_frame_asks_everyone() -> None:
    sample, _ = sample_draw(_candidates()[:5], size=50, seed=1)
    assert len(sample) == 5


def test_a_sample_campaign_keeps_its_seed_and_draw(council: Any) -> None:
    for n in range(6):
        person = PersonFactory(team=council.team_a, given_name=f"P{n}")
        plan_with_review(council, person, deployment="direct_payment" if n % 2 else "isf")
    campaign = campaign_make(council, selection=Campaign.Selection.SAMPLE, sample_size=2, seed=42)
    assert (campaign.sample_size, campaign.seed) == (2, 42)
    assert sum(d["drawn"] for d in campaign.draw) == 2
    drawn = sorted(campaign.invitations.values_list("person_id", flat=True))
    assert sorted(c.person_id for c in campaigns.campaign_people(campaign)) == drawn


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": " "}, "name", campaigns.CAMPAIGN_NAME_NEEDED),
        ({"period_end": dt.date(2026, 9, 1)}, "period_end", campaigns.CAMPAIGN_PERIOD_ORDER),
        ({"selection": "sample", "seed": 1}, "sample_size", campaigns.CAMPAIGN_SAMPLE_SIZE_NEEDED),
        ({"selection": "sample", "sample_size": 3}, "seed", campaigns.CAMPAIGN_SEED_NEEDED),
        ({"consent_wording": ""}, "consent_wording", campaigns.CAMPAIGN_CONSENT_NEEDED),
        (
            {"closes_on": dt.date(2020, 1, 1)},
            "closes_on",
            campaigns.CAMPAIGN_CLOSES_BEFORE_TODAY,
        ),
        ({"reminder_days": 0}, "reminder_days", campaigns.CAMPAIGN_REMINDER_DAYS),
    ],
)
def test_a_campaign_refused_names_the_field_and_makes_nothing(
    council: Any, overrides: dict[str, Any], field: str, message: str
) -> None:
    plan_with_review(council, council.holder_person)
    with pytest.raises(SurveyRefused) as refused:
        campaign_make(council, **overrides)
    assert (refused.value.field, str(refused.value)) == (field, message)
    assert not Campaign.objects.exists() and not Invitation.objects.exists()


def test_a_campaign_nobody_fits_is_refused(council: Any) -> None:
    with pytest.raises(SurveyRefused, match=campaigns.CAMPAIGN_NOBODY):
        campaign_make(council)


def test_a_draft_instrument_cannot_be_asked(council: Any) -> None:
    from selfdirect.surveys.services import instrument_version_new

    plan_with_review(council, council.holder_person)
    draft = instrument_version_new(actor=None, source=poet())
    with pytest.raises(SurveyRefused, match=campaigns.CAMPAIGN_INSTRUMENT_NOT_PUBLISHED):
        campaign_make(council, instrument=draft)


def test_a_big_campaign_invites_in_a_job(council: Any, monkeypatch: Any) -> None:
    plan_with_review(council, council.holder_person)
    monkeypatch.setattr(campaigns, "INLINE_INVITATIONS", 0)
    started: list[Campaign] = []
    campaign = campaign_make(council, start_job=started.append)
    assert started == [campaign] and not campaign.invitations.exists()
    from selfdirect.operations.jobs import job_execute
    from selfdirect.surveys.jobs import invitations_job_start

    job = invitations_job_start(
        actor=council.users["commissioner"], campaign_id=campaign.pk, name=campaign.name
    )
    assert job_execute(job_id=job.pk, worker_id="test") == "done"
    assert campaign.invitations.count() == 1


def test_reminders_go_once_per_interval_and_stop_when_answered(council: Any) -> None:
    plan_with_review(council, council.holder_person)
    campaign = campaign_make(council, reminder_days=7)
    ada = campaign.invitations.get()
    now = timezone.now()
    assert campaigns.reminders_send(now=now + dt.timedelta(days=6)) == 0
    assert campaigns.reminders_send(now=now + dt.timedelta(days=8)) == 1
    assert campaigns.reminders_send(now=now + dt.timedelta(days=9)) == 0  # same interval
    reminders = Message.objects.filter(key=f"survey-invitation-{ada.pk}-1")
    assert {m.recipient.username for m in reminders} == {"holder", "representative"}
    assert reminders[0].subject == "A reminder: tell us how it went"
    assert campaigns.reminders_send(now=now + dt.timedelta(days=16)) == 1
    ada.refresh_from_db()
    assert ada.reminders_sent == 2
    campaigns.invitation_decline(actor=council.users["holder"], invitation=ada)
    assert campaigns.reminders_send(now=now + dt.timedelta(days=30)) == 0


def test_the_reminders_command_runs_and_is_audited(council: Any, capsys: Any) -> None:
    plan_with_review(council, council.holder_person)
    campaign = campaign_make(council, reminder_days=1)
    Invitation.objects.filter(campaign=campaign).update(
        invited_at=timezone.now() - dt.timedelta(days=2)
    )
    call_command("survey_reminders")
    call_command("survey_reminders")
    out = capsys.readouterr().out
    assert "Survey reminders sent: 1" in out and "Survey reminders sent: 0" in out
    assert Event.objects.filter(object_type="survey_invitation", summary__startswith="Reminded")
    assert IN_PERIOD  # the helper's date is the period's


def test_the_frame_is_read_in_batches_and_the_way_of_holding_follows_switches(
    council: Any, monkeypatch: Any
) -> None:
    from selfdirect.planning.models import LineSwitch

    plans = [
        plan_with_review(council, PersonFactory(team=council.team_a), deployment=way)
        for way in ("direct_payment", "isf", "managed_account")
    ]
    gone = PersonFactory(team=council.team_a, date_of_death=dt.date(2026, 2, 1))
    plan_with_review(council, gone)
    LineSwitch.objects.create(
        line=plans[1].lines.get(),
        effective_date=dt.date(2026, 6, 1),
        from_deployment="isf",
        to_deployment="direct_payment",
        old_part_pence=1,
        new_part_pence=1,
        switched_by=council.users["practitioner"],
    )
    kwargs: dict[str, Any] = {
        "instrument": poet(),
        "selection": "reviewed",
        "period_start": dt.date(2026, 10, 1),
        "period_end": dt.date(2026, 12, 31),
    }
    whole = campaigns.candidates_for(**kwargs)
    monkeypatch.setattr(campaigns, "BATCH", 1)
    assert campaigns.candidates_for(**kwargs) == whole
    assert [(c.person_id, c.holding) for c in whole] == [
        (plans[0].person_id, "direct_payment"),
        (plans[1].person_id, "direct_payment"),  # switched from the ISF in June
        (plans[2].person_id, "managed_account"),
    ]  # and nobody who has died


def test_the_draw_reads_the_way_of_holding_as_the_plan_pages_do(council: Any) -> None:
    """The draw reads plain rows (no model object per line) but gives each person the way
    of holding that planning's own arrangement_on and weekly_cost_on give: the largest
    weekly cost after switches (a switch that changes the unit cost too, an undone switch,
    a switch after the date, a one-off line, a superseded version, a person with none)."""
    from django.utils import timezone

    from selfdirect.planning.models import LineSwitch, PlanLine

    on = dt.date(2026, 12, 31)
    people = [PersonFactory(team=council.team_a) for _ in range(5)]
    plans = [
        plan_with_review(council, people[0], deployment="direct_payment"),
        plan_with_review(council, people[1], deployment="isf"),
        plan_with_review(council, people[2], deployment="managed_account"),
        plan_with_review(council, people[3], deployment="council_commissioned"),
    ]
    # Person 0: a bigger council-commissioned line, then switched to a direct payment at
    # a higher cost: the direct payment now costs most.
    extra = PlanLine.objects.create(
        plan=plans[0],
        description="Day centre",
        category="day_opportunities",
        unit="hour",
        unit_cost_pence=2000,
        quantity_hundredths=1000,
        funding_stream="adult_social_care",
        deployment="council_commissioned",
    )
    worker = council.users["practitioner"]
    base = {"old_part_pence": 1, "new_part_pence": 1, "switched_by": worker}
    LineSwitch.objects.create(
        line=plans[0].lines.get(description="Support"),
        effective_date=dt.date(2026, 5, 1),
        from_deployment="direct_payment",
        to_deployment="direct_payment",
        to_unit_cost_pence=3000,
        **base,
    )
    # Person 1: switched, but undone; person 2: switched after the date.
    LineSwitch.objects.create(
        line=plans[1].lines.get(),
        effective_date=dt.date(2026, 6, 1),
        from_deployment="isf",
        to_deployment="direct_payment",
        undone_at=timezone.now(),
        undone_by=worker,
        **base,
    )
    LineSwitch.objects.create(
        line=plans[2].lines.get(),
        effective_date=dt.date(2027, 2, 1),
        from_deployment="managed_account",
        to_deployment="direct_payment",
        **base,
    )
    # Person 3: a big one-off line costs nothing a week.
    PlanLine.objects.create(
        plan=plans[3],
        description="Equipment",
        category="equipment",
        unit="item",
        unit_cost_pence=900_000,
        quantity_hundredths=100,
        funding_stream="adult_social_care",
        deployment="direct_payment",
    )
    ids = [p.pk for p in people]
    latest = _latest_plans(ids)
    expected = {pid: _holding_of(latest.get(pid), on) for pid in ids}
    assert campaigns._holdings(ids, on) == expected
    assert expected == {
        people[0].pk: "direct_payment",
        people[1].pk: "isf",
        people[2].pk: "managed_account",
        people[3].pk: "council_commissioned",
        people[4].pk: campaigns.NO_PLAN,
    }
    assert extra.pk
