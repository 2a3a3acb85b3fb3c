"""A person's whole record for a subject access request or a move to another council:
record.json with every section, money in pence, account numbers cut to their last four;
a PDF summary; audited; the data protection officer's alone; and a command."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from selfdirect.access.roles import Role
from selfdirect.audit.models import Action, Event
from selfdirect.budgets import services as budgets
from selfdirect.pdf import PDF_NEEDS_PANGO, PdfUnavailable
from selfdirect.people.models import Person
from selfdirect.planning import services as planning
from selfdirect.planning.documents import plan_document_get
from selfdirect.planning.models import SupportPlan
from selfdirect.portal import record_export
from selfdirect.portal.record_export import SCHEMA, SECTIONS, person_record
from tests.budgets.test_holding import _line, _paid_to_person
from tests.budgets.test_holding import _plan as _held_plan

pytestmark = pytest.mark.django_db


def _with_direct_payment(council: Any) -> SupportPlan:
    """The holder's approved plan (four lines, £65 a week) with a direct payment into
    account 12345678."""
    plan = _held_plan(council)
    budgets.direct_payment_agreement_create(
        actor=council.users[Role.PRACTITIONER], plan=plan, **_paid_to_person()
    )
    return plan


def _download(client: Any, council: Any, person: Any) -> Any:
    client.force_login(council.users[Role.DPO])
    return client.get(reverse("audit_trail:person_record", kwargs={"person_id": person.pk}))


def _unzip(response: Any) -> tuple[dict[str, Any], bytes]:
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["record.json", "summary.pdf"]
    return json.loads(archive.read("record.json")), archive.read("summary.pdf")


def test_the_record_holds_every_section_lines_pence_and_masked_accounts(council: Any) -> None:
    plan = _with_direct_payment(council)
    stored = plan_document_get(plan=plan)
    record = person_record(council.holder_person)

    assert record["schema"] == SCHEMA and record["exported_at"]
    assert set(SECTIONS) <= set(record)
    assert record["person"]["la_person_id"] == council.holder_person.la_person_id
    assert record["relationships"] and record["consents"] and record["assessments"]
    assert all("answers" in a and "eligibility_decision" in a for a in record["assessments"])
    [assessment] = record["assessments"]
    assert assessment["answers"] and assessment["eligibility_decision"]["id"]
    assert record["questionnaires"][str(assessment["version_id"])]["definition"]

    [exported_plan] = [p for p in record["support_plans"] if p["id"] == plan.pk]
    assert exported_plan["document"] == {
        "id": stored.pk,
        "sha256": stored.sha256,
        "created_at": stored.created_at.isoformat(),
    }
    assert sorted(line["description"] for line in exported_plan["lines"]) == [
        "Home care",
        "Nursing support at home",
        "Personal assistant",
        "Taxi to the lunch club",
    ]
    assert sorted(line["weekly_cost_pence"] for line in exported_plan["lines"]) == [
        500,
        1000,
        2000,
        3000,
    ]
    approved = [a for a in record["allocations"] if a["status"] == "approved"]
    assert approved[-1]["agreed_weekly_pence"] == 7400
    assert approved[-1]["sign_offs"] and "explanation" in approved[-1]

    [agreement] = record["direct_payment_agreements"]
    assert agreement["account_number_last_four"] == "5678"
    assert "account_number" not in agreement and "sort_code" not in agreement
    assert "12345678" not in json.dumps(record) and "309430" not in json.dumps(record)
    assert str(council.users[Role.PRACTITIONER].pk) in record["staff"]
    [link] = record["provider_links"]
    assert str(link["provider_id"]) in record["providers"]


def test_every_money_figure_is_whole_pence_under_a_pence_name(council: Any) -> None:
    _with_direct_payment(council)
    record = person_record(council.holder_person)
    money = [
        (key, value)
        for node in record_export._walk(record)
        for key, value in node.items()
        if key.endswith("_pence")
    ]
    assert len(money) > 20
    assert all(value is None or isinstance(value, int) for _, value in money)


def test_queries_do_not_grow_with_plans_and_lines(
    council: Any, django_assert_max_num_queries: Any
) -> None:
    plan = _held_plan(council)
    # A fixed number per section (about two each); what matters is the second count below.
    with django_assert_max_num_queries(64) as first:  # 60, and four for peer support
        person_record(council.holder_person)
    practitioner = council.users[Role.PRACTITIONER]
    draft = planning.plan_revise(actor=practitioner, plan=plan)  # copies the four lines
    _line(
        draft,
        description="Gym",
        category="transport",
        unit_cost_pence=700,
        quantity_hundredths=100,
        funding_stream="adult_social_care",
        deployment="third_party",
    )
    assert SupportPlan.objects.filter(person=council.holder_person).count() == 2
    with django_assert_max_num_queries(len(first.captured_queries)):
        person_record(council.holder_person)


def test_the_dpo_downloads_json_and_a_pdf_summary_and_it_is_audited(
    client: Any, council: Any
) -> None:
    _with_direct_payment(council)
    response = _download(client, council, council.holder_person)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    assert "record-" in response["Content-Disposition"]
    record, pdf = _unzip(response)
    assert record["person"]["id"] == council.holder_person.pk
    assert pdf.startswith(b"%PDF") and len(pdf) > 3000
    event = Event.objects.get(action=Action.EXPORT, object_type="person_record")
    assert (event.actor, event.person) == (council.users[Role.DPO], council.holder_person)


def test_the_person_sees_the_download_in_their_log_of_looks(client: Any, council: Any) -> None:
    _download(client, council, council.holder_person)
    client.force_login(council.users[Role.HOLDER])
    page = client.get(
        reverse("record_looks", kwargs={"person_id": council.holder_person.pk})
    ).content.decode()
    assert "Your whole record was downloaded (a copy of everything held)" in page
    assert "The full audit trail" not in page


def test_summary_names_the_budget_plan_and_contents(council: Any) -> None:
    _with_direct_payment(council)
    person = council.holder_person
    html = record_export.record_summary_html(person, person_record(person))
    assert person.full_name in html and "£74.00 a week" in html
    assert "£65.00 a week" in html  # the plan in force costs
    assert all(f"<code>{key}</code>" in html for key in SECTIONS)


def test_without_pdf_support_the_download_says_so_and_nothing_is_recorded(
    client: Any, council: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unavailable(html: str, base_url: str | None = None) -> bytes:
        raise PdfUnavailable(PDF_NEEDS_PANGO)

    monkeypatch.setattr(record_export, "pdf_from_html", unavailable)
    response = _download(client, council, council.holder_person)
    assert response.status_code == 503
    assert response.content.decode() == PDF_NEEDS_PANGO
    assert not Event.objects.filter(action=Action.EXPORT).exists()


@pytest.mark.parametrize("role", [r for r in Role if r != Role.DPO])
def test_refused_to_every_other_role(client: Any, council: Any, role: Role) -> None:
    client.force_login(council.users[role])
    url = reverse("audit_trail:person_record", kwargs={"person_id": council.holder_person.pk})
    assert client.get(url).status_code == 403
    assert not Event.objects.filter(action=Action.EXPORT).exists()


def test_the_officers_page_starts_the_export(client: Any, council: Any) -> None:
    client.force_login(council.users[Role.DPO])
    page = client.get(
        reverse("audit_trail:person"), {"reference": council.holder_person.la_person_id}
    )
    # The export is started as a background job (a POST), then downloaded from its page.
    url = reverse("audit_trail:person_record_start", kwargs={"person_id": council.holder_person.pk})
    assert f'action="{url}"' in page.content.decode()
    assert "Export their whole record" in page.content.decode()


def test_command_writes_both_files_and_is_audited(council: Any, tmp_path: Path) -> None:
    _with_direct_payment(council)
    call_command(
        "person_export", council.holder_person.la_person_id.lower(), output=str(tmp_path / "out")
    )
    record = json.loads((tmp_path / "out" / "record.json").read_text(encoding="utf-8"))
    assert record["person"]["id"] == council.holder_person.pk
    assert (tmp_path / "out" / "summary.pdf").read_bytes().startswith(b"%PDF")
    event = Event.objects.get(action=Action.EXPORT, object_type="person_record")
    assert (event.actor, event.channel) == (None, "command")


def test_command_refuses_an_unknown_reference_by_name(council: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"^No person has the council reference P999999$"):
        call_command("person_export", "P999999", output=str(tmp_path))
    assert not Event.objects.filter(action=Action.EXPORT).exists()
    assert not (tmp_path / "record.json").exists()


def test_command_that_cannot_write_records_no_export(council: Any, tmp_path: Path) -> None:
    (tmp_path / "record.json").mkdir()  # a folder where the file should go
    with pytest.raises(CommandError, match=r"^Cannot write "):
        call_command("person_export", council.holder_person.la_person_id, output=str(tmp_path))
    assert not Event.objects.filter(action=Action.EXPORT).exists()


def test_the_record_holds_named_workers_and_the_panels_decision(council: Any) -> None:
    from django.utils import timezone

    from selfdirect.allocation import services as allocations
    from selfdirect.people import services as people
    from tests.allocation.test_panel import _members, _waiting_for_panel

    people.named_worker_allocate(
        actor=council.users[Role.MANAGER],
        person=council.holder_person,
        worker=council.users[Role.PRACTITIONER],
        reason="New referral",
    )
    allocation = _waiting_for_panel(council)
    allocations.panel_decision_record(
        actor=council.users[Role.MANAGER],
        allocation=allocation,
        members=_members(council),
        decided_on=timezone.localdate(),
        outcome="agreed",
        reasons="As assessed",
    )
    record = person_record(council.holder_person)
    assert [n["reason"] for n in record["named_workers"]] == ["New referral"]
    exported = next(a for a in record["allocations"] if a["id"] == allocation.pk)
    assert exported["panel_referral"]["reason"] == "Above my limit"
    members = exported["panel_decision"]["member_ids"]
    assert len(members) == 2 and all(str(pk) in record["staff"] for pk in members)


# Where each kind of record about a person goes in the export: a model with a link to
# people.Person that is in neither table fails the test below, so a new kind of record
# is never left out of a subject access request without someone deciding so here.
EXPORTED_AS = {
    "people.Person": "person",
    "people.Relationship": "relationships",
    "people.Consent": "consents",
    "people.NamedWorkerAllocation": "named_workers",
    "assessment.Assessment": "assessments",
    "allocation.Allocation": "allocations",
    "planning.SupportPlan": "support_plans",
    "planning.AssessedContribution": "assessed_contributions",
    "charging.FinancialAssessment": "financial_assessments",
    "budgets.ChangeNotice": "change_notices",
    "budgets.DirectPaymentAgreement": "direct_payment_agreements",
    "budgets.FundAgreement": "fund_agreements",
    "budgets.PoolShare": "pool_shares",
    "providers.ProviderClient": "provider_links",
    "casework.Contact": "contacts",
    "casework.CaseNote": "case_notes",
    "access.WorkItem": "work_items",
    "ledger.Account": "ledger_accounts",
    "invoices.Invoice": "invoices",
    "directory.ServiceReview": "service_reviews",
    "surveys.Response": "survey_responses",
    "surveys.Invitation": "survey_invitations",
    "notify.Message": "messages",
    "recovery.RecoveryCase": "recovery_cases",
    "changes.ChangeRequest": "change_requests",
    "changes.ClosureTask": "change_requests",
    "monitoring.RiskRecord": "monitoring",
    "monitoring.SampleMember": "monitoring",
    "monitoring.Statement": "monitoring",
    "monitoring.StatementTransaction": "monitoring",
    "monitoring.Flag": "monitoring",
    "employers.PersonalAssistant": "pa_employer",
    "employers.EmployerInsurance": "pa_employer",
    "employers.Timesheet": "pa_employer",
    "peers.BuddyOffer": "peer_support",
    "peers.BuddyRequest": "peer_support",
    "peers.BuddyLink": "peer_support",
    "peers.Referral": "peer_support",
    "payments.PaymentSchedule": "payment_schedules",
    "payments.PaymentLine": "payments",
    "payments.PaymentProblem": "payment_problems",
    "payments.ContributionCharge": "contribution_charges",
}
NOT_EXPORTED_BECAUSE = {
    # The DPO exports the audit trail of a person on its own (docs/subject-access.md).
    "audit.Event": "the audit trail is its own export",
    "audit.Listed": "the lists they appeared in: part of the audit trail (decision 0056)",
    # Links a sign-in account to the record; the account holds no care record.
    "access.Profile": "a sign-in account, not a record about them",
    # A staff member's background job that happened to be about them (its file is the export).
    "operations.Job": "a staff member's job record",
}


def test_every_kind_of_record_about_a_person_is_exported_or_excluded_on_purpose(
    council: Any,
) -> None:
    from django.apps import apps

    linked = {
        model._meta.label
        for model in apps.get_models()
        if model.__module__.startswith("selfdirect")
        for f in model._meta.get_fields()
        if f.concrete and getattr(f, "related_model", None) is Person
    } | {"people.Person"}
    assert linked - set(EXPORTED_AS) - set(NOT_EXPORTED_BECAUSE) == set()
    assert set(EXPORTED_AS.values()) <= set(SECTIONS)


def test_contacts_notes_contributions_and_tasks_are_in_the_record(council: Any) -> None:
    import datetime as dt

    from selfdirect.access.models import WorkItem
    from selfdirect.access.services import work_item_add
    from selfdirect.casework.models import CaseNote, Contact
    from selfdirect.casework.services import case_note_write, contact_record
    from selfdirect.planning.figures import assessed_contribution_record
    from selfdirect.planning.models import AssessedContribution

    person = council.holder_person
    staff = council.users[Role.PRACTITIONER]
    today = dt.date.today()
    contact_record(
        actor=staff,
        person=person,
        fields={"received_on": today, "made_by": "self", "channel": "phone", "reason": "change"}
        | {"about": "Needs more help in the mornings", "urgency": "routine"},
    )
    case_note_write(
        actor=staff,
        person=person,
        fields={"kind": "phone", "happened_on": today, "text": "Rang about mornings"}
        | {"shared_with_person": False},
    )
    assessed_contribution_record(
        actor=staff, person=person, weekly_pence=2500, effective_from=today, source_reference="FA-1"
    )
    work_item_add(
        title="Ring back", kind="call", person=person, for_role=Role.PRACTITIONER, due_date=today
    )
    record = person_record(person)
    for key, model in [
        ("contacts", Contact),
        ("case_notes", CaseNote),
        ("assessed_contributions", AssessedContribution),
        ("work_items", WorkItem),
    ]:
        assert record[key], key
        assert sorted(r["id"] for r in record[key]) == sorted(
            model.objects.filter(person=person).values_list("id", flat=True)
        ), key
