"""The demo council: reproducible, realistic, and wired so every demo sign-in has work to see."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import transaction

from selfdirect.access.roles import DEMO_PASSWORD, Role
from selfdirect.allocation.models import Allocation
from selfdirect.audit.models import Event
from selfdirect.budgets.models import DirectPaymentAgreement
from selfdirect.demo import distributions as d
from selfdirect.demo.generator import DEMO_LOOKS, demo_council_build, person_rows
from selfdirect.demo.plans import plan_holding
from selfdirect.people import codes
from selfdirect.people.models import Person
from selfdirect.people.selectors import people_visible_to
from selfdirect.people.validation import nhs_number_error, postcode_error
from selfdirect.planning.models import Review, SupportPlan
from selfdirect.planning.services import plan_totals
from selfdirect.planning.streams import refusal, route_refusal, rule_on

TODAY = dt.date(2026, 11, 24)


def test_rows_are_the_same_for_a_seed_and_differ_between_seeds() -> None:
    def first(seed: int) -> list[tuple[Any, ...]]:
        rows = person_rows(50, seed, teams=3, providers=5, today=TODAY)
        return [
            (
                r.fields["given_name"],
                r.fields["family_name"],
                r.fields["date_of_birth"],
                r.fields["nhs_number"],
            )
            for r in rows
        ]

    assert first(7) == first(7)
    assert first(7) != first(8)


def test_distributions_match_the_sources_within_sampling_error() -> None:
    rows = list(person_rows(5000, 3, teams=3, providers=5, today=TODAY))
    groups = Counter(r.fields["user_group"] for r in rows)
    for group, share in d.USER_GROUP_SHARES.items():
        assert abs(groups[group] / 5000 - share) < 0.025, group
    older = [r for r in rows if r.fields["user_group"] == "older_people"]
    mean_age = sum((TODAY - r.fields["date_of_birth"]).days / 365.25 for r in older) / len(older)
    assert abs(mean_age - d.AGE_BY_GROUP["older_people"][0]) < 1.5
    assert all((TODAY - r.fields["date_of_birth"]).days / 365.25 >= 65 for r in older)
    female_ld = [
        r.fields["gender"] == codes.Gender.FEMALE
        for r in rows
        if r.fields["user_group"] == "learning_disability"
    ]
    assert abs(sum(female_ld) / len(female_ld) - d.FEMALE_SHARE["learning_disability"]) < 0.05
    with_carer = sum(r.carer is not None for r in rows) / 5000
    expected = (
        d.LIVES_ALONE_SHARE * d.LIVES_ALONE_HAS_CARER_SHARE
        + (1 - d.LIVES_ALONE_SHARE) * d.CO_RESIDENT_IS_CARER_SHARE
    )
    assert abs(with_carer - expected) < 0.03
    with_rep = sum(r.representative is not None for r in rows) / 5000
    assert abs(with_rep - d.REPRESENTATIVE_SHARE) < 0.03


def test_identifiers_are_valid_and_distinct() -> None:
    rows = list(person_rows(2000, 5, teams=3, providers=5, today=TODAY))
    numbers = [
        n for r in rows for n in (r.fields["nhs_number"], (r.carer or {}).get("nhs_number")) if n
    ]
    assert len(numbers) == len(set(numbers))
    assert all(nhs_number_error(n) is None for n in numbers)
    assert all(postcode_error(r.fields["postcode"]) is None for r in rows)


@pytest.mark.django_db
def test_demo_sign_ins_see_the_right_people() -> None:
    summary = demo_council_build(people=300, seed=2)
    assert summary.counts["people"] == 300
    holder_person = Person.objects.get(pk=summary.holder_person_id)
    for role in Role:
        user = User.objects.get(username=str(role))
        assert user.profile.roles == [str(role)]
        assert user.check_password(DEMO_PASSWORD)
    visible = {role: people_visible_to(User.objects.get(username=str(role))) for role in Role}
    assert list(visible[Role.HOLDER]) == [holder_person]
    for role in (
        Role.REPRESENTATIVE,
        Role.CARER,
        Role.PRACTITIONER,
        Role.MANAGER,
        Role.PLANNER,
        Role.PROVIDER,
    ):
        assert holder_person in visible[role], role
    assert not visible[Role.COMMISSIONER].exists() and not visible[Role.ADMIN].exists()
    other_team = (
        Person.objects.exclude(team=holder_person.team)
        .exclude(team__isnull=True)
        .exclude(team__in=User.objects.get(username="manager").team_memberships.values("team"))
        .first()
    )
    assert other_team is not None and other_team not in visible[Role.PRACTITIONER]
    # Workers of every team exist, and the practitioner has work waiting.
    from selfdirect.portal.selectors import work_items_for

    assert (
        work_items_for(User.objects.get(username="practitioner"))
        .filter(person=holder_person)
        .exists()
    )
    # The holder has an approved plan held two ways (a direct payment and an ISF) within budget.
    from selfdirect.planning.services import holding_mix

    plan = SupportPlan.objects.get(person=holder_person)
    assert plan.status == "approved"
    assert set(holding_mix(plan, dt.date.today())) == {"direct_payment", "isf"}
    assert not plan_totals(plan).over_budget
    # ...with its direct payment agreement, and the ISF agreed by both sides with a statement.
    assert plan.direct_payment_agreements.get().status == "active"
    isf = plan.fund_agreements.get(kind="isf")
    supporting = holder_person.providers.get().provider  # the demo provider sign-in's
    assert (isf.status, isf.organisation) == ("active", supporting)
    assert isf.statements.count() == 1


@pytest.mark.django_db
def test_command_refuses_a_non_empty_database_unless_if_empty() -> None:
    out = StringIO()
    call_command("generate_demo", people=50, seed=1, stdout=out)
    assert "50 people" in out.getvalue()
    count = Person.objects.count()
    events = Event.objects.count()
    out = StringIO()
    call_command("generate_demo", people=50, seed=1, if_empty=True, stdout=out)
    assert "keeping the council as it is" in out.getvalue()
    assert Person.objects.count() == count
    assert Event.objects.count() == events  # nothing written, not even to the audit log
    with pytest.raises(CommandError, match="already has"):
        call_command("generate_demo", people=50, seed=1)
    with pytest.raises(CommandError, match="--people must be from 1 to 100,000"):
        call_command("generate_demo", people=0, seed=1, if_empty=True)


# IBSEN Table 5.1 medians of annual budgets (£) by user group.
TABLE_5_1_MEDIAN = {
    "physical_disability": 6550,
    "learning_disability": 11150,
    "mental_health": 4860,
    "older_people": 6300,
}


def test_demo_budgets_are_near_ibsen_table_5_1() -> None:
    import json
    import random
    import statistics

    from selfdirect.allocation.pricing import Person as Priced
    from selfdirect.allocation.pricing import price
    from selfdirect.allocation.ras_file import ras_parse
    from selfdirect.allocation.services import DEFAULT_RAS
    from selfdirect.assessment.questionnaire import default_definition, definition_parse
    from selfdirect.demo.assessments import _answers

    definition = definition_parse(default_definition("self-assessment"))
    rng = random.Random(11)
    people = [
        Person(**{k: v for k, v in r.fields.items() if k in ("user_group", "has_unpaid_carer")})
        for r in person_rows(4000, 9, teams=3, providers=5, today=TODAY)
    ]
    priced = [
        Priced(_answers(rng, p, definition.sections_for(p.user_group)), p.user_group, {})
        for p in people
    ]
    _engine, result = price(ras_parse(json.loads(DEFAULT_RAS.read_text())), priced)
    for group, target in TABLE_5_1_MEDIAN.items():
        annual = [
            int(result.annual_pence[i]) / 100 for i, p in enumerate(people) if p.user_group == group
        ]
        median = statistics.median(annual)
        assert abs(median - target) / target < 0.25, (group, median, target)


# Plan-level shares of the ways of holding may differ from the sources by this much (1,500
# people give about 1,270 plans: a standard error of about 1.4 points for the largest share).
HOLDING_TOLERANCE = 0.04


@pytest.mark.django_db
def test_every_eligible_person_has_one_approved_plan_held_in_the_shares_of_the_sources() -> None:
    summary = demo_council_build(people=1500, seed=5, today=TODAY)
    plans = list(
        SupportPlan.objects.select_related("person", "allocation", "approved_by__profile")
        .prefetch_related(
            "lines", "outcomes", "reviews", "direct_payment_agreements", "fund_agreements"
        )
        .order_by("pk")
    )
    approved = Allocation.objects.filter(status=Allocation.Status.APPROVED)
    assert summary.counts["support plans"] == len(plans) == approved.count() > 1000
    # Exactly one approved plan for each approved budget; none for a budget still waiting.
    assert Counter(p.person_id for p in plans) == Counter(
        approved.values_list("person_id", flat=True)
    )
    assert {p.allocation_id for p in plans} == set(approved.values_list("pk", flat=True))
    assert all(p.status == "approved" for p in plans)
    waiting = Allocation.objects.exclude(status=Allocation.Status.APPROVED)
    assert waiting.exists() and not waiting.filter(support_plans__isnull=False).exists()

    holder = summary.holder_person_id
    others = [p for p in plans if p.person_id != holder]
    held = Counter(plan_holding(line.deployment for line in p.lines.all()) for p in others)
    expected: Counter[str] = Counter()
    for p in others:
        for way, share in d.plan_holding_shares(p.person.user_group).items():
            expected[way] += share
    for way in ("direct_payment", "managed", "isf", "third_party", "mixed"):
        assert abs(held[way] / len(others) - expected[way] / len(others)) < HOLDING_TOLERANCE, way
    assert abs(held["mixed"] / len(others) - 0.12) < HOLDING_TOLERANCE

    # No line its stream refuses, for what it buys or for the way it is held.
    lines = [(p, line) for p in plans for line in p.lines.all()]
    assert not [
        (line.funding_stream, line.category, line.deployment)
        for p, line in lines
        if refusal(rule_on(line.funding_stream, p.starts_on), line.category)
        or route_refusal(rule_on(line.funding_stream, p.starts_on), line.deployment)
    ]
    assert {"ilf", "supporting_people", "equipment"} <= {line.funding_stream for _p, line in lines}

    over = 0
    for p in others:
        words = [o.in_their_words for o in p.outcomes.all()]
        assert 2 <= len(words) <= 3 and all(w.startswith("I want") for w in words)
        # What the plan costs the budget as the plan services count it (the ILF is alongside).
        totals = plan_totals(p)
        weekly, budget = totals.weekly_pence, totals.budget_weekly_pence
        assert weekly <= budget * 1.05, (weekly, budget)
        if totals.over_budget:
            over += 1
            assert Role.MANAGER in p.approved_by.profile.roles and p.variance_reason
        else:
            assert weekly >= budget * 0.6 and Role.PRACTITIONER in p.approved_by.profile.roles
        # Nobody approves a plan they wrote (decision 0007).
        assert p.approved_by_id != p.created_by_id
        deployments = {line.deployment for line in p.lines.all()}
        agreements = list(p.direct_payment_agreements.all())
        assert len(agreements) == ("direct_payment" in deployments)
        for agreement in agreements:
            assert agreement.status == "active" and agreement.person_id == p.person_id
            assert agreement.recipient_agrees and agreement.capable_of_managing
            assert agreement.appropriate and agreement.not_excluded
            if agreement.account_type == "joint_account":
                assert agreement.second_account_holder
            if agreement.recipient_type != "person":
                # The nominated or authorised person is the person's own representative.
                assert agreement.recipient is not None
                assert p.person.relationships.filter(
                    related_person=agreement.recipient, kind__endswith="_person"
                ).exists()
        funds = {f.kind: f for f in p.fund_agreements.all()}
        assert set(funds) == deployments & {"isf", "third_party"}
        for kind, fund in funds.items():
            assert fund.status == "active" and fund.person_agreed_on and fund.organisation_agreed_on
            if kind == "isf":
                # The provider that gives the support holds the fund.
                isf_providers = {x.provider_id for x in p.lines.all() if x.deployment == "isf"}
                assert isf_providers == {fund.organisation_id}
        kinds = [r.kind for r in p.reviews.all()]
        assert "light_touch" in kinds and "annual" in kinds
    assert 0.01 < over / len(others) < 0.10
    # Joint accounts (IBSEN Table 5.3) and nominated or authorised recipients both appear.
    assert set(DirectPaymentAgreement.objects.values_list("account_type", flat=True)) == {
        "bank_account",
        "joint_account",
        "prepaid_card",
    }
    assert DirectPaymentAgreement.objects.exclude(recipient_type="person").exists()
    # The review queues have work: some overdue, some due this month, the past ones mostly done.
    due = Review.objects.filter(status=Review.Status.DUE)
    assert due.filter(due_date__lt=TODAY).count() > 50
    assert due.filter(due_date__gte=TODAY, due_date__lte=TODAY + dt.timedelta(days=30)).count() > 50
    past_light = Review.objects.filter(kind="light_touch", due_date__lt=TODAY)
    assert past_light.filter(status="done").count() > 0.8 * past_light.count()
    long_ago = TODAY - dt.timedelta(days=d.RECENTLY_DUE_DAYS + 1)
    assert not due.filter(kind="light_touch", due_date__lt=long_ago).exists()


def _plans_signature() -> list[tuple[Any, ...]]:
    return [
        (
            p.person.la_person_id,
            p.led_by,
            p.starts_on,
            p.approved_by.username,
            [o.in_their_words for o in p.outcomes.all()],
            [
                (
                    line.description,
                    line.category,
                    line.unit_cost_pence,
                    line.quantity_hundredths,
                    line.funding_stream,
                    line.deployment,
                    line.provider.name if line.provider else "",
                )
                for line in p.lines.all()
            ],
            [
                (a.recipient_type, a.account_type, a.sort_code, a.account_number, a.card_reference)
                for a in p.direct_payment_agreements.all()
            ],
            [(f.kind, f.organisation.name, f.surplus_rule) for f in p.fund_agreements.all()],
            [(r.kind, r.due_date, r.status) for r in p.reviews.all()],
        )
        for p in SupportPlan.objects.select_related("person", "approved_by")
        .prefetch_related(
            "outcomes",
            "lines__provider",
            "direct_payment_agreements",
            "fund_agreements__organisation",
            "reviews",
        )
        .exclude(person__la_person_id="P000001")  # the holder's plan is dated by the clock
        .order_by("person__la_person_id")
    ]


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_plans() -> None:
    def build(seed: int) -> list[tuple[Any, ...]]:
        with transaction.atomic():
            demo_council_build(people=150, seed=seed, today=TODAY)
            signature = _plans_signature()
            transaction.set_rollback(True)
        return signature

    first = build(6)
    assert len(first) > 100
    assert build(6) == first
    assert build(7) != first


@pytest.mark.django_db
def test_the_demo_holder_sees_who_has_looked_at_their_record(client: Any) -> None:
    """The demo shows the holder a realistic list: staff by role and team, no staff names."""
    summary = demo_council_build(people=200, seed=3)
    holder = User.objects.get(username=Role.HOLDER)
    client.force_login(holder)
    page = client.get(f"/who-has-looked/{summary.holder_person_id}/").content.decode()
    # The list itself (below it, "Who to contact" names the holder's own named worker).
    page = page.split('id="main-content"')[1].split("</main>")[0]
    for _username, what in DEMO_LOOKS:
        assert what in page
    assert "Practitioner" in page and "Finance officer" in page
    assert "practitioner" not in page.replace("Practitioner", "")  # no usernames


@pytest.mark.django_db
def test_the_audit_chain_is_whole_after_a_build_and_the_app_writes_on_after_it() -> None:
    """The generator writes rows with ids it hands out (COPY on PostgreSQL): the audit log
    still verifies, and the app's own inserts take the next ids, not ones already used."""
    from selfdirect.people.services import person_create

    summary = demo_council_build(people=120, seed=4, today=TODAY)
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "the chain is whole" in out.getvalue()
    assert Event.objects.filter(object_type="demo_council").count() == 1
    highest = Person.objects.order_by("-pk").values_list("pk", flat=True).first()
    assert highest == summary.counts["people"] + summary.counts["carers and representatives"]
    # Each person's history starts with their record being made, as person_create writes it.
    created = Event.objects.filter(action="create", object_type="person")
    assert sorted(created.values_list("person_id", flat=True)) == list(range(1, highest + 1))
    holder = created.get(person_id=summary.holder_person_id)
    assert holder.summary.startswith("Created the record of ") and holder.channel == "command"
    admin = User.objects.get(username=str(Role.ADMIN))
    person = person_create(
        actor=admin,
        fields={
            "given_name": "Nia",
            "family_name": "Roberts",
            "date_of_birth": dt.date(1950, 1, 2),
        },
    )
    assert person.pk == highest + 1
    plan = SupportPlan.objects.exclude(person_id=summary.holder_person_id).first()
    assert plan is not None
    assert plan.outcomes.count() >= 2 and plan.lines.exists()
    call_command("audit_verify", stdout=out)
    assert out.getvalue().count("the chain is whole") == 2


# Builds a council in a fresh SQLite database in another process and prints its digest.
_BUILD_ON_SQLITE = """
import datetime as dt, json, sys
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from selfdirect.demo.generator import demo_council_build
from selfdirect.demo.digest import council_digest
demo_council_build(people=int(sys.argv[1]), seed=int(sys.argv[2]), today=dt.date(2026, 11, 24))
print(json.dumps(council_digest()))
"""


@pytest.mark.django_db
def test_a_seed_gives_the_same_council_here_as_on_a_fresh_sqlite_database(
    tmp_path: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Run on PostgreSQL (scripts/with-postgres.sh), this compares the COPY path with the
    SQLite one row for row; on SQLite, a build in this process with one in another."""
    import os

    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    from selfdirect.demo.digest import TABLES, council_digest
    from tests.processes import python_json

    # Ids as in a fresh database: earlier tests' rolled-back inserts move PostgreSQL's
    # sequences on (SQLite's roll back with them).
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(apps.get_models())):
            cursor.execute(sql)
    # As on its own: what waits for the commit (the holder's plan document) is done.
    with django_capture_on_commit_callbacks(execute=True):
        demo_council_build(people=150, seed=4, today=TODAY)
    here = council_digest()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'other.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "selfdirect.settings",
    }
    there = python_json(_BUILD_ON_SQLITE, "150", "4", env=env, timeout=600)
    assert set(there) == set(TABLES)
    assert here["people.Person"][0] > 150 and here["assessment.Answer"][0] > 1000
    assert here == there, connection.vendor


@pytest.mark.django_db
def test_every_person_has_a_named_worker_of_their_team_and_work_goes_to_them() -> None:
    """Issue 11: the demo shows named workers as a council would have them."""
    from selfdirect.access.models import TeamMembership, WorkItem
    from selfdirect.people.models import NamedWorkerAllocation
    from selfdirect.planning.figures import budget_figures

    summary = demo_council_build(people=300, seed=4)
    holder_person = Person.objects.get(pk=summary.holder_person_id)
    assert holder_person.named_worker is not None
    assert holder_person.named_worker.username == Role.PRACTITIONER
    served = Person.objects.filter(named_worker__isnull=False)
    assert served.count() == summary.counts["people"]
    for person in served.select_related("named_worker"):
        assert TeamMembership.objects.filter(
            user=person.named_worker, team=person.team, is_manager=False
        ).exists()
        spell = NamedWorkerAllocation.objects.get(person=person, end_date__isnull=True)
        assert spell.worker_id == person.named_worker_id
    items = WorkItem.objects.filter(person__isnull=False).select_related("person")
    assert items and all(i.assigned_to_id == i.person.named_worker_id for i in items)
    # The demo holder's financial assessment gives the four figures a contribution.
    figures = budget_figures(person=holder_person, on=dt.date.today())
    assert figures.assessed_contribution_weekly_pence == 4250
    assert figures.council_contribution_weekly_pence is not None


@pytest.mark.django_db
def test_demo_direct_payments_name_a_link_person_the_holder_sees(client: Any) -> None:
    """Issue 12: every demo direct payment names the demo finance officer as the link person,
    and the demo holder reads the name on 'Your money'."""
    summary = demo_council_build(people=200, seed=3)
    finance = User.objects.get(username=Role.FINANCE)
    agreements = DirectPaymentAgreement.objects.all()
    assert agreements.exists()
    assert not agreements.filter(link_officer__isnull=True).exists()
    assert agreements.filter(link_officer=finance).count() == agreements.count()
    client.force_login(User.objects.get(username=Role.HOLDER))
    page = client.get(f"/your-money/{summary.holder_person_id}/").content.decode()
    assert "Your link person in the direct payments team is Fiona Grant." in page
