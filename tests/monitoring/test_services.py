"""Monitoring with the database: a person's tier from the plan in force, risk records, the
quarter's sample, importing a statement as a background job (matched, flagged, not twice),
explanations and decisions on flags, and the surplus for recovery."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from selfdirect.access.roles import Role
from selfdirect.audit.models import Action, Event
from selfdirect.monitoring import services
from selfdirect.monitoring.models import (
    Flag,
    QuarterSample,
    Statement,
    StatementTransaction,
    TierTable,
    TierTableImmutable,
)
from selfdirect.monitoring.selectors import person_monitoring, surplus_for, tier_table_on
from selfdirect.monitoring.tiers import FULL, LIGHT, quarter_bounds, quarter_of
from selfdirect.operations.models import Job
from tests.budgets.test_holding import _plan
from tests.factories import make_user
from tests.jobs import jobs_run_queued

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _d(days: int) -> str:
    return (TODAY + dt.timedelta(days=days)).strftime("%d/%m/%Y")


def _csv(*rows: str, header: str = "Date,Description,Amount,Balance") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def _upload(
    client: Any,
    council: Any,
    data: bytes,
    name: str = "bank.csv",
    role: str = Role.HOLDER,
    **extra: Any,
) -> Job:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(council.users[role])
    response = client.post(
        reverse("monitoring:upload", kwargs={"person_id": council.holder_person.pk}),
        {"file": SimpleUploadedFile(name, data), "layout": "named", **extra},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    jobs_run_queued()
    return Job.objects.order_by("-pk").first()  # type: ignore[return-value]


def test_tier_comes_from_the_plans_direct_payment_and_the_recorded_risk(council: Any) -> None:
    _plan(council)  # £30 a week by direct payment to Sam: £1,560 a year
    person = council.holder_person
    found = person_monitoring(person, TODAY)
    assert (found.weekly_pence, found.yearly_pence, found.decision.tier) == (3_000, 156_000, LIGHT)
    services.risk_record(
        actor=council.users[Role.PRACTITIONER], person=person, high_risk=True, reason="Unpaid bills"
    )
    assert person_monitoring(person, TODAY).decision.tier == FULL
    event = Event.objects.filter(object_type="monitoring_risk", person=person).get()
    assert event.changes["Risk"] == [None, "High"]
    assert event.changes["Reason"] == [None, "Unpaid bills"]


def test_a_risk_needs_a_choice_and_a_reason(council: Any) -> None:
    person = council.holder_person
    with pytest.raises(services.MonitoringError, match=services.RISK_REASON_NEEDED):
        services.risk_record(
            actor=council.users[Role.FINANCE], person=person, high_risk=True, reason=" "
        )
    with pytest.raises(services.MonitoringError, match=services.RISK_CHOICE_NEEDED):
        services.risk_record(
            actor=council.users[Role.FINANCE], person=person, high_risk=None, reason="x"
        )
    assert not person.monitoring_risks.exists()


def test_a_version_of_the_tier_table_never_changes(council: Any) -> None:
    shipped = TierTable.objects.get()
    shipped.light_below_yearly_pence = 1
    with pytest.raises(TierTableImmutable):
        shipped.save()
    fields = {
        "effective_from": TODAY,
        "light_below_yearly_pence": 600_000,
        "full_from_yearly_pence": 3_000_000,
        "light_small_item_pence": 5_000,
        "middle_small_item_pence": 2_000,
        "full_small_item_pence": 0,
        "source": "Cabinet, March",
    }
    services.tier_table_add(actor=council.users[Role.FINANCE], fields=fields)
    assert tier_table_on(TODAY).light_below_yearly_pence == 600_000
    assert tier_table_on(TODAY - dt.timedelta(days=1)).light_below_yearly_pence == 500_000
    with pytest.raises(services.MonitoringError, match="must start after"):
        services.tier_table_add(actor=None, fields=fields)


def test_the_quarters_sample_is_drawn_once_with_its_seed(council: Any) -> None:
    from selfdirect.planning.models import SupportPlan

    plan = _plan(council)
    quarter = quarter_of(TODAY)
    # Drawn from the people paid by direct payment on the quarter's first day.
    SupportPlan.objects.filter(pk=plan.pk).update(starts_on=quarter_bounds(quarter)[0])
    sample, drawn = services.sample_draw(
        actor=council.users[Role.FINANCE], quarter=quarter, seed=7, size=5
    )
    assert drawn and sample.seed == 7 and sample.population_count == 1
    assert list(sample.members.values_list("person_id", flat=True)) == [council.holder_person.pk]
    again, drawn_again = services.sample_draw(
        actor=council.users[Role.FINANCE], quarter=quarter, seed=8
    )
    assert (again.pk, drawn_again) == (sample.pk, False)
    assert QuarterSample.objects.count() == 1
    # The person is due a statement by the end of the quarter, whatever their tier.
    monitoring = person_monitoring(council.holder_person, TODAY)
    assert monitoring.sampled_in == quarter
    assert Event.objects.filter(
        object_type="monitoring_sample", person=council.holder_person
    ).exists()


def test_the_command_draws_the_same_sample_as_the_button_and_only_once(council: Any) -> None:
    _plan(council)
    out = StringIO()
    call_command("monitoring_sample", "--quarter", "2030-Q1", "--seed", "5", stdout=out)
    assert "Drew the random sample for 2030-Q1: 1 of 1 people, seed 5" in out.getvalue()
    out = StringIO()
    call_command("monitoring_sample", "--quarter", "2030-Q1", stdout=out)
    assert out.getvalue().startswith("Already drawn: the random sample for 2030-Q1")
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="Enter a quarter like 2026-Q2"):
        call_command("monitoring_sample", "--quarter", "2030-Q9")


def test_a_statement_is_imported_matched_and_flagged(client: Any, council: Any) -> None:
    _plan(council)
    job = _upload(
        client,
        council,
        _csv(
            f"{_d(0)},COUNCIL DIRECT PAYMENT,120.00,120.00",
            f"{_d(1)},FASTER PAYMENT SAM,-30.00,90.00",
            f"{_d(2)},A1 TAXI,-8.00,82.00",
            f"{_d(3)},BOOTS PHARMACY,-6.00,76.00",
            f"{_d(4)},ELECTRONICS WORLD,-60.00,16.00",
            f"{_d(5)},CORNER SHOP,-4.00,12.00",
        ),
    )
    assert job.status == "done", job.failure_reason
    statement = Statement.objects.get()
    assert (statement.balance_pence, statement.weekly_pence, statement.tier) == (
        1_200,
        3_000,
        LIGHT,
    )
    what = {
        t.description: (t.category, t.plan_line is not None) for t in statement.transactions.all()
    }
    assert what == {
        "COUNCIL DIRECT PAYMENT": ("money_in", False),
        "FASTER PAYMENT SAM": ("personal_assistant", True),  # Sam, the plan's PA
        "A1 TAXI": ("transport", False),
        "BOOTS PHARMACY": ("health_care", False),
        "ELECTRONICS WORLD": ("", False),
        "CORNER SHOP": ("small_item", False),  # under the light-touch £50
    }
    flags = {
        (f.kind, f.transaction.description if f.transaction else "") for f in statement.flags.all()
    }
    # Adult social care may not pay for health care; £60 matches nothing and is over £50.
    assert flags == {("not_allowed", "BOOTS PHARMACY"), ("unexplained", "ELECTRONICS WORLD")}
    assert (
        Event.objects.filter(action=Action.IMPORT, object_type="monitoring_statement").count() == 1
    )


def test_the_same_transactions_are_never_imported_twice(client: Any, council: Any) -> None:
    _plan(council)
    first = _csv(f"{_d(0)},SHOP,-1.00,10.00", f"{_d(0)},SHOP,-1.00,9.00")
    _upload(client, council, first)
    assert StatementTransaction.objects.count() == 2
    # The same file again: nothing new; the job says so and nothing is added.
    again = _upload(client, council, first, name="bank-again.csv")
    assert again.status == "failed"
    assert again.failure_reason == services.ALREADY_IMPORTED.format(name="bank-again.csv")
    # An overlapping statement: only the new transaction is imported.
    _upload(client, council, first + f"{_d(1)},SHOP,-1.00,8.00\n".encode(), name="later.csv")
    assert StatementTransaction.objects.count() == 3
    assert Statement.objects.order_by("-pk").first().duplicate_count == 2  # type: ignore[union-attr]


def test_ofx_fitids_are_imported_once(client: Any, council: Any) -> None:
    from tests.monitoring.test_statements import OFX

    _upload(client, council, OFX, name="bank.ofx")
    assert StatementTransaction.objects.filter(fitid__in=["A1", "A2"]).count() == 2
    assert _upload(client, council, OFX, name="again.ofx").status == "failed"


def test_a_file_with_problems_imports_nothing_and_names_each_one(client: Any, council: Any) -> None:
    job = _upload(client, council, _csv(f"{_d(0)},SHOP,-1.00,1", "yesterday,SHOP,-x,"))
    assert job.status == "failed"
    assert job.problems == [
        {
            "row": 3,
            "column": "Date",
            "message": "yesterday is not a date: write it like 31/03/2026 or 2026-03-31",
        },
        {
            "row": 3,
            "column": "Amount",
            "message": "-x is not an amount in pounds and pence, such as 12.50 or -12.50",
        },
    ]
    assert not Statement.objects.exists() and not StatementTransaction.objects.exists()


def test_named_columns_from_the_upload_form(client: Any, council: Any) -> None:
    job = _upload(
        client,
        council,
        b"When,Who,Out,In\n" + f"{_d(0)},SHOP,2.00,\n".encode(),
        layout="columns",
        date_column="When",
        description_column="Who",
        paid_out_column="Out",
        paid_in_column="In",
    )
    assert job.status == "done", job.problems
    assert StatementTransaction.objects.get().amount_pence == -200


def test_balance_flags_and_the_surplus_for_recovery(client: Any, council: Any) -> None:
    _plan(council)  # £30 a week by direct payment: 8 weeks is £240
    person = council.holder_person
    _upload(client, council, _csv(f"{_d(0)},COUNCIL,240.00,240.00"))
    assert not Flag.objects.exists() and surplus_for(person) is None
    _upload(client, council, _csv(f"{_d(1)},COUNCIL,60.00,300.00"))
    statement = Statement.objects.order_by("-pk").first()
    assert statement is not None
    flag = Flag.objects.get(kind="surplus")
    assert flag.transaction is None and "about 10.0 weeks of your budget" in flag.words
    assert surplus_for(person) == (
        30_000,
        Decimal("10.0"),
        TODAY + dt.timedelta(days=1),
        statement.pk,
    )
    _upload(client, council, _csv(f"{_d(2)},RENT,-310.00,-10.00"))
    assert Flag.objects.filter(kind="overdrawn").count() == 1
    assert surplus_for(person) is None  # the latest balance is what counts


@override_settings(SELFDIRECT_CONTINGENCY_WEEKS=12)
def test_the_contingency_allowance_is_the_councils(client: Any, council: Any) -> None:
    _plan(council)
    _upload(client, council, _csv(f"{_d(0)},COUNCIL,300.00,300.00"))
    assert not Flag.objects.exists() and surplus_for(council.holder_person) is None


def _flagged(client: Any, council: Any, role: str = Role.HOLDER) -> Flag:
    _plan(council)
    _upload(client, council, _csv(f"{_d(0)},MYSTERY LTD,-90.00,10.00"), role=role)
    return Flag.objects.get()


def test_the_person_explains_and_finance_decides(client: Any, council: Any) -> None:
    flag = _flagged(client, council)
    services.flag_explain(
        actor=council.users[Role.HOLDER], flag=flag, explanation="New shower chair"
    )
    flag.refresh_from_db()
    assert (flag.status, flag.explanation) == ("explained", "New shower chair")
    services.flag_decide(
        actor=council.users[Role.FINANCE], flag=flag, decision="clear", note="Equipment in the plan"
    )
    flag.refresh_from_db()
    assert (flag.status, flag.decided_by) == ("cleared", council.users[Role.FINANCE])
    with pytest.raises(services.MonitoringError, match=services.FLAG_CLOSED):
        services.flag_explain(actor=council.users[Role.HOLDER], flag=flag, explanation="more")
    changes = [
        e.changes for e in Event.objects.filter(object_type="monitoring_flag").order_by("pk")
    ]
    assert changes[0]["Explanation"] == [None, "New shower chair"]
    assert changes[1]["Status"] == ["Explained, waiting for the council", "Cleared"]


def test_who_uploaded_a_statement_does_not_decide_its_flags(client: Any, council: Any) -> None:
    flag = _flagged(client, council, role=Role.FINANCE)
    with pytest.raises(services.MonitoringError, match=services.OWN_UPLOAD):
        services.flag_decide(
            actor=council.users[Role.FINANCE], flag=flag, decision="keep", note="x"
        )
    other = make_user("finance-2", [Role.FINANCE])
    services.flag_decide(actor=other, flag=flag, decision="keep", note="Receipt needed")
    flag.refresh_from_db()
    assert flag.status == "kept"


def test_a_decision_needs_a_choice_and_a_reason(client: Any, council: Any) -> None:
    flag = _flagged(client, council)
    finance = council.users[Role.FINANCE]
    with pytest.raises(services.MonitoringError, match=services.DECISION_NOTE_NEEDED):
        services.flag_decide(actor=finance, flag=flag, decision="clear", note="")
    with pytest.raises(services.MonitoringError, match=services.DECISION_NEEDED):
        services.flag_decide(actor=finance, flag=flag, decision="maybe", note="x")
    flag.refresh_from_db()
    assert flag.status == "open"


def test_the_whole_record_export_holds_statements_flags_and_risks(
    client: Any, council: Any
) -> None:
    from selfdirect.portal.record_export import person_record

    flag = _flagged(client, council)
    services.flag_explain(actor=council.users[Role.HOLDER], flag=flag, explanation="A chair")
    services.risk_record(
        actor=council.users[Role.FINANCE],
        person=council.holder_person,
        high_risk=False,
        reason="Fine",
    )
    exported = person_record(council.holder_person)["monitoring"]
    assert [r["reason"] for r in exported["risk_records"]] == ["Fine"]
    (statement,) = exported["statements"]
    assert [t["description"] for t in statement["transactions"]] == ["MYSTERY LTD"]
    assert [(f["kind"], f["explanation"]) for f in statement["flags"]] == [
        ("unexplained", "A chair")
    ]


def test_the_tiers_command_adds_a_later_version_only(council: Any) -> None:
    from django.core.management import CommandError

    out = StringIO()
    call_command(
        "monitoring_tiers",
        "--from", "2030-04-01", "--light-below", "6000", "--full-from", "30000",
        "--source", "Cabinet 12 March 2030",
        stdout=out,
    )  # fmt: skip
    assert "Added the tiers from 1 April 2030" in out.getvalue()
    assert "2030-04-01: light touch under £6,000.00, full audit from £30,000.00" in out.getvalue()
    assert tier_table_on(dt.date(2030, 4, 1)).light_small_item_pence == 5_000
    with pytest.raises(CommandError, match="must start after 1 April 2030"):
        call_command(
            "monitoring_tiers", "--from", "2029-01-01", "--light-below", "1", "--full-from", "2",
            "--source", "x",
        )  # fmt: skip
    with pytest.raises(CommandError, match=services.TABLE_THRESHOLDS_ORDER):
        call_command(
            "monitoring_tiers", "--from", "2031-01-01", "--light-below", "9", "--full-from", "2",
            "--source", "x",
        )  # fmt: skip
    assert TierTable.objects.count() == 2


def test_a_surplus_on_a_statement_leads_finance_to_a_recovery_case_filled_in(
    client: Any, council: Any
) -> None:
    """Issue 12: a surplus above the allowance starts a case, not a deduction. The flag
    offers finance the recovery case, with the statement's balance as its source."""
    from selfdirect.budgets import services as budgets
    from tests.recovery.cases import _paid_to_person

    plan = _plan(council)
    budgets.direct_payment_agreement_create(
        actor=council.users[Role.PRACTITIONER], plan=plan, **_paid_to_person()
    )
    _upload(client, council, _csv(f"{_d(1)},COUNCIL,300.00,300.00"))
    statement = Statement.objects.get()
    client.force_login(council.users[Role.FINANCE])
    page = client.get(reverse("monitoring:statement", args=[statement.pk])).content.decode()
    start = reverse("recovery:case_new", args=[council.holder_person.pk])
    assert f'href="{start}"' in page
    form = client.get(start).content.decode()
    assert 'id="statement-surplus"' in form and "£300.00" in form
    assert f'value="Statement {statement.pk}"' in form and 'value="300.00"' in form
    # The holder reads the flag but is not offered the case.
    client.force_login(council.users[Role.HOLDER])
    page = client.get(reverse("monitoring:statement", args=[statement.pk])).content.decode()
    assert start not in page
