"""Every look at a person's data is logged: the route walker.

Every page and API route is classified below as showing one person's record ("record"),
a list naming people ("list"), an audit-trail export ("export"), a background job's page
("job": its starter's only, checked in tests/operations/test_job_pages.py), or no one's
personal data ("none"). The test fails when a route is not classified. Then for every GET route that
shows personal data it asks as a user allowed to see the holder's record and checks a VIEW
event about the holder by that user was written; and, for a record, asks as a user of the
same role from elsewhere (another team, another person, another organisation) and checks
the 404 left a DENIED event naming the holder. Records are built by the access matrix's own
helpers (tests/access/test_matrix.py), so a new route's set-up is written once."""

from __future__ import annotations

from typing import Any

import pytest

from selfdirect.access.roles import Role
from selfdirect.audit.models import Action, Event, Listed
from selfdirect.audit.selectors import person_history
from tests.access.records import _url, records_build
from tests.access.test_matrix import API, MATRIX, _api_address, _route_names, expected
from tests.factories import PersonFactory, ProviderFactory, make_user

pytestmark = pytest.mark.django_db

RECORD, LIST, EXPORT, NONE, JOB = "record", "list", "export", "none", "job"

# The administrators' pages (users, teams, questionnaires, RAS versions, tokens, roles).
ADMIN_PAGES = [
    name
    for name in MATRIX
    if name.split(":")[0] in ("access", "access_admin", "assessment_admin", "ras_admin")
]

# Every page route: what it shows. POST-only routes change a record and are audited as
# changes by their services; they are "none" here because nothing is shown.
LOOKS: dict[str, str] = {
    "start": NONE,
    "accessibility": NONE,
    "healthz": NONE,
    "cookies": NONE,
    "carers_information": NONE,  # a general guide for carers: no one's record
    "help": NONE,  # help and information: no one's record
    "help_topic": NONE,  # the same
    "guide": NONE,  # a guide to the website for a role: no one's record
    "privacy": NONE,
    "login": NONE,
    "logout": NONE,
    # One's own account, password, two-factor and API tokens: no one else's data.
    "account": NONE,
    "password_change": NONE,
    "password_change_done": NONE,
    "password_reset": NONE,
    "password_reset_complete": NONE,
    "password_reset_confirm": NONE,
    "password_reset_done": NONE,
    "tokens:list": NONE,
    "tokens:revoke": NONE,
    "two_factor": NONE,
    "two_factor_codes": NONE,
    "two_factor_off": NONE,
    "two_factor_recovery": NONE,
    "two_factor_setup": NONE,
    "two_factor_verify": NONE,
    "home": LIST,
    "work_queues": LIST,
    "caseload_statistics": NONE,  # counts only
    "people:list": LIST,
    "people:new": NONE,
    "people:import": NONE,  # an upload form; the import itself is audited
    "people:detail": RECORD,
    "people:edit": RECORD,
    "people:history": RECORD,
    "people:relationship_new": RECORD,
    "people:consent_new": RECORD,
    "people:named_worker": RECORD,
    "people:relationship_end": RECORD,
    "casework:queue": LIST,
    "casework:contact_new": RECORD,
    "casework:contact": RECORD,
    "casework:contact_start": NONE,
    "casework:notes": RECORD,
    "casework:note_edit": RECORD,
    "casework:carer_offer": RECORD,
    "assessment:start": LIST,  # names the people a representative or carer acts for
    "assessment:start_for_person": RECORD,
    "assessment:detail": RECORD,
    "assessment:question": RECORD,
    "assessment:check": RECORD,
    "assessment:submitted": RECORD,
    "assessment:review": RECORD,
    "assessment:agree": NONE,
    "assessment:eligibility": RECORD,
    "assessment:eligibility_letter": RECORD,
    "assessment:referral": RECORD,
    "allocation:calculate": RECORD,
    "allocation:detail": RECORD,
    "allocation:sign_off": RECORD,
    "allocation:refer_to_panel": RECORD,
    "allocation:panel_decide": RECORD,
    "allocation:panel_queue": LIST,
    "allocation:panel_decision": RECORD,
    "allocation:panel_letter": RECORD,
    "allocation:challenge_letter": RECORD,
    "allocation:whatif": NONE,  # figures only
    "market:dashboard": NONE,  # figures only
    "market:dashboard_csv": NONE,  # figures only
    "returns:ascof": NONE,  # figures only
    "returns:ascof_csv": NONE,  # figures only
    "returns:cld": NONE,  # the returns made: periods and counts, no one's details
    "returns:cld_export": LIST,  # the validation report names people
    "returns:cld_download": EXPORT,  # the return: a look at everyone in it, on download
    "returns:cld_report_download": EXPORT,  # the report: a look at everyone it names
    "evaluation:outcomes": NONE,  # figures only
    "evaluation:outcomes_csv": NONE,  # figures only
    "evaluation:outcomes_xlsx": NONE,  # figures only
    "evaluation:outcomes_pdf": NONE,  # figures only
    "evaluation:carers": NONE,  # figures only
    "evaluation:carers_csv": NONE,  # figures only
    "evaluation:carers_xlsx": NONE,  # figures only
    "evaluation:carers_pdf": NONE,  # figures only
    "ibsen:outcomes": NONE,  # figures about groups only
    "ibsen:outcomes_download": NONE,  # figures about groups only
    "ibsen:cost_effectiveness": NONE,  # figures about groups only
    "ibsen:cost_effectiveness_download": NONE,  # figures about groups only
    "surveys:campaigns": NONE,  # figures only
    "surveys:campaign_new": NONE,
    "surveys:campaign": NONE,  # counts and rates by group: never names
    "surveys:campaign_close": NONE,  # an action, audited as a change
    "surveys:letters": LIST,  # the letters name the people of the manager's teams
    "surveys:reminder_letters": NONE,  # an action, audited as a change
    "surveys:reminder_batch": LIST,  # reminder letters naming the manager's teams' people
    # Paper returns are keyed by the reference on the letter in hand; no one is named on
    # these pages, but each look at the invitation is still recorded against its person.
    "surveys:paper": NONE,
    "surveys:paper_who": NONE,
    "surveys:paper_page": NONE,
    "surveys:paper_check": NONE,
    "surveys:paper_decline": NONE,
    "surveys:start": RECORD,
    "surveys:who": RECORD,
    "surveys:page": RECORD,
    "surveys:check": RECORD,
    "surveys:decline": RECORD,
    "allocation:scenarios": NONE,  # figures only
    "allocation:scenario": NONE,  # figures only
    "allocation:scenario_delete": NONE,
    "allocation:letter": RECORD,
    "allocation:calibration": NONE,  # figures only
    "allocation:challenge_new": RECORD,
    "allocation:challenge_log": RECORD,
    "allocation:challenge_decide": RECORD,
    "planning:new": RECORD,
    "planning:detail": RECORD,
    "planning:pdf": RECORD,
    "planning:outcome_new": RECORD,
    "planning:outcome_own": RECORD,
    "planning:support_own": RECORD,
    "planning:proposal_accept": RECORD,
    "planning:proposal_answer": RECORD,
    "planning:revise": NONE,
    "planning:safeguarding": RECORD,
    "planning:line_new": RECORD,
    "planning:line_edit": RECORD,
    "planning:line_remove": RECORD,
    "planning:outcome_edit": RECORD,
    "planning:outcome_remove": RECORD,
    "planning:submit": NONE,
    "planning:approve": NONE,
    "planning:line_switch": RECORD,
    "planning:switch_undo": NONE,
    "planning:review_request": RECORD,
    "planning:reviews": LIST,
    "planning:streams": NONE,
    "planning:contribution_new": RECORD,
    "planning:review": RECORD,
    "planning:review_detail": RECORD,
    "budgets:pools": LIST,
    "budgets:pool_new": NONE,
    "budgets:pool": LIST,  # a pool names the shares of the people the user may see
    "budgets:pool_share_new": LIST,  # the choice of lines names their people
    "budgets:pool_share_end": NONE,
    "budgets:notice_new": RECORD,
    "budgets:notice": RECORD,
    "budgets:notice_letter": RECORD,
    "budgets:notice_withdraw": NONE,
    "budgets:holding": RECORD,
    "ledger:person": RECORD,
    # The directory of services: no one's personal data (reviews are shown without names).
    "directory:search": NONE,
    "directory:service": NONE,
    "directory:listing": NONE,
    "directory:listing_edit": NONE,
    "directory:review_new": LIST,  # the people the user may write a review for
    "directory:reviews": LIST,  # reviews waiting, each about someone's care
    "directory:review_decide": NONE,
    "directory:review_reply": NONE,  # the review's words, never who wrote it
    "directory:choose_for_line": RECORD,  # the plan line and the person's postcode
    "directory:registration": NONE,  # a location's registration: no one's data
    "directory:changes": NONE,
    "directory:change_decide": NONE,
    "directory:staff_list": NONE,  # services and organisations: no one's personal data
    "directory:service_new": NONE,
    "directory:service_edit": NONE,
    "directory:service_remove": NONE,
    "directory:terms": NONE,
    "directory:term_new": NONE,
    "directory:term_edit": NONE,
    "directory:term_remove": NONE,
    "invoices:list": LIST,
    "invoices:new": LIST,  # the people the provider supports, to choose from
    "invoices:new_for": RECORD,
    "invoices:upload": NONE,  # an upload form; each invoice sent is audited
    "invoices:detail": RECORD,
    "invoices:approve": RECORD,
    "invoices:reject": RECORD,
    "invoices:pay": RECORD,
    "provider:home": LIST,  # the people the provider supports, and what it delivers
    "provider:person": RECORD,
    "provider:statements": LIST,  # the agreements it holds, naming their people
    "provider:guide": NONE,
    "notify:inbox": LIST,
    "notify:message": RECORD,
    "notify:person": RECORD,
    "money:choose": NONE,  # names only the reader's own people, already on their home
    "money:spending": NONE,  # a general guide (easy read chosen from the reader's own needs)
    "money:person": RECORD,
    "money:statement": RECORD,
    "money:statement_pdf": RECORD,
    "money:statement_csv": RECORD,
    "changes:queue": LIST,
    "changes:person": RECORD,
    "changes:ask": RECORD,
    "changes:request": RECORD,
    "changes:decide": RECORD,
    "changes:closures": NONE,  # providers and dates: no one's record
    "changes:closure_new": NONE,
    "changes:closure": LIST,
    "changes:provider_notices": LIST,
    "peers:coordinate": LIST,
    "peers:person": RECORD,
    "peers:offer": RECORD,
    "peers:ask": RECORD,
    "peers:support": RECORD,
    "peers:refer": RECORD,
    "peers:offer_withdraw": NONE,  # POST only: the withdrawal is audited by its service
    "peers:request_withdraw": NONE,
    "peers:match": RECORD,
    "peers:link": RECORD,
    "peer_referrals:list": LIST,
    "peer_referrals:decide": RECORD,
    "recovery:cases": LIST,
    "recovery:case_new": RECORD,
    "recovery:case": RECORD,
    "recovery:letter_send": NONE,
    "recovery:explanation": RECORD,
    "recovery:adjustments": RECORD,
    "recovery:decide": RECORD,
    "recovery:plan": RECORD,
    "recovery:appeal_decide": RECORD,
    "recovery:letter": RECORD,
    "recovery:yours": RECORD,
    "recovery:your_explanation": RECORD,
    "recovery:your_appeal": RECORD,
    "charging:person": RECORD,
    "charging:start": NONE,
    "charging:detail": RECORD,
    "charging:fill": RECORD,
    "charging:defer": RECORD,
    "charging:light_touch": RECORD,
    "charging:complete": RECORD,
    "charging:letter": RECORD,
    "charging:rates": NONE,
    "employers:person": RECORD,
    "employers:true_cost": RECORD,
    "employers:payroll_csv": RECORD,
    "employers:assistant": RECORD,
    "employers:assistant_new": RECORD,
    "employers:insurance": RECORD,
    "employers:timesheet_new": RECORD,
    "employers:assistant_edit": RECORD,
    "employers:training_new": RECORD,
    "employers:timesheet_approve": NONE,  # POST: the approval (audited as a change)
    "employers:timesheet_send_back": RECORD,
    "employers:pa_link": RECORD,
    "employers:pa_link_revoke": NONE,  # POST: stops the link (audited as a change)
    # The PA's own link, signed out: their own name and the employer's first name. Each
    # opening is recorded about the person with no actor and the link's id, since the link,
    # not a sign-in, is who asks (tests/employers/test_pa_link.py).
    "employers:pa_timesheet": NONE,
    "employers:rates": NONE,  # the council's rates: no one's record
    "monitoring:list": LIST,
    "monitoring:sample": NONE,  # POST: draws the sample (audited as a change)
    "monitoring:person": RECORD,
    "monitoring:risk": RECORD,
    "monitoring:statements": RECORD,
    "monitoring:upload": RECORD,
    "monitoring:statement": RECORD,
    "monitoring:explain": RECORD,
    "monitoring:decide": NONE,  # POST: the decision (audited as a change)
    # Payment runs: the preview names the people paid (a list); the files are downloads.
    "payments:runs": NONE,
    "payments:run": LIST,
    "payments:run_approve": NONE,
    "payments:run_execute": NONE,
    "payments:run_csv": EXPORT,
    "payments:run_bacs": EXPORT,
    "payments:run_files": NONE,  # starts a job; the files are looked at when downloaded
    "payments:problem_record": RECORD,  # one person's payment
    "payments:returns_upload": NONE,  # a form; the file names payments, not a look
    "payments:problem_repay": NONE,  # an action, audited as a change
    "payments:problem_stop": RECORD,  # one person's returned payment
    "payments:problem_csv": EXPORT,
    "payments:problem_bacs": EXPORT,
    "payments:contributions": RECORD,
    "payments:run_remittance": EXPORT,
    "payments:run_reconciliation": NONE,  # totals and exceptions of one run
    "payments:dates": RECORD,
    "payments:schedule": RECORD,
    "budgets:direct_payment_new": RECORD,
    "budgets:direct_payment_end": NONE,
    "budgets:fund_agreement_new": RECORD,
    "budgets:fund_agreement_agree": RECORD,
    "budgets:fund_statement_new": RECORD,
    "record_looks_choose": NONE,  # names only the reader's own people, already on their home
    "record_looks": NONE,  # the log of looks itself (reading it is not a look at the record)
    "audit_trail:person": NONE,  # blank until a reference is given; a person found is a look
    "audit_trail:staff": NONE,
    "audit_trail:person_csv": EXPORT,
    "audit_trail:staff_csv": EXPORT,
    "audit_trail:person_record": EXPORT,
    "audit_trail:person_csv_start": NONE,  # POST: starts the export job (audited as a change)
    "audit_trail:person_record_start": NONE,
    "audit_trail:staff_csv_start": NONE,
    # A background job's pages, its starter's only: the look (naming the person the job is
    # about) and the refusal of anyone else are tested in tests/operations/test_job_pages.py.
    "jobs:list": JOB,
    "jobs:detail": JOB,
    "jobs:download": EXPORT,
    # Administrators' pages: users, teams and configuration, no one's care record.
    **dict.fromkeys(ADMIN_PAGES, NONE),
}

# Every API route.
API_LOOKS: dict[tuple[str, str], str] = {
    ("get", "/api/v1/people"): LIST,
    ("post", "/api/v1/people"): NONE,
    ("get", "/api/v1/people/{person_id}"): RECORD,
    ("patch", "/api/v1/people/{person_id}"): NONE,
    ("get", "/api/v1/people/{person_id}/relationships"): RECORD,
    ("post", "/api/v1/people/{person_id}/relationships"): NONE,
    ("get", "/api/v1/plans"): LIST,
    ("post", "/api/v1/plans"): NONE,
    ("get", "/api/v1/plans/{plan_id}"): RECORD,
    ("get", "/api/v1/plans/{plan_id}/lines"): RECORD,
    ("post", "/api/v1/plans/{plan_id}/lines"): NONE,
    ("post", "/api/v1/plans/{plan_id}/outcomes"): NONE,
    ("post", "/api/v1/plans/{plan_id}/submit"): NONE,
    ("post", "/api/v1/plans/{plan_id}/approve"): NONE,
    ("get", "/api/v1/plans/{plan_id}/deployment"): RECORD,
    ("post", "/api/v1/plans/{plan_id}/lines/{line_id}/switches"): NONE,
    ("get", "/api/v1/plans/{plan_id}/reviews"): RECORD,
    ("post", "/api/v1/plans/{plan_id}/reviews"): NONE,
    ("get", "/api/v1/reviews"): LIST,
    ("get", "/api/v1/plans/{plan_id}/pdf"): RECORD,
    ("get", "/api/v1/invoices"): LIST,
    ("post", "/api/v1/invoices"): NONE,
    ("get", "/api/v1/invoices/{invoice_id}"): RECORD,
    ("get", "/api/v1/oruk/services"): NONE,  # the directory: no one's personal data
    ("get", "/api/v1/oruk/services/{service_id}"): NONE,
}

# Who asks: the first of these roles allowed to see the holder's page.
ASKERS = (
    Role.PRACTITIONER,
    Role.MANAGER,
    Role.PLANNER,
    Role.HOLDER,
    Role.REPRESENTATIVE,
    Role.PROVIDER,
    Role.FINANCE,
)


def test_every_page_and_api_route_is_classified(client: Any) -> None:
    unclassified = _route_names() - set(LOOKS)
    assert not unclassified, f"Say what these routes show, in LOOKS: {sorted(unclassified)}"
    schema = client.get("/api/openapi.json").json()
    published = {(m, p) for p, item in schema["paths"].items() for m in item}
    assert not published - set(API_LOOKS), f"Classify in API_LOOKS: {published - set(API_LOOKS)}"
    # Every personal-data GET route is one the walk below requests (none skipped as POST).
    assert all(MATRIX[n].method != "action" for n, k in LOOKS.items() if k in (RECORD, LIST))


# Lists that name people only for some roles: who to ask as.
LIST_ASKERS = {
    "assessment:start": Role.REPRESENTATIVE,
    "directory:reviews": Role.COMMISSIONER,
    "returns:cld_export": Role.COMMISSIONER,
}


def _asker(name: str) -> Role:
    if name in LIST_ASKERS:
        return LIST_ASKERS[name]
    return next(r for r in ASKERS if expected(MATRIX[name].expect, "own", str(r)) == 200)


def _outsider(council: Any, role: Role) -> Any:
    """A user of the same role who may not see the holder's record."""
    name = f"outside-{role}"
    if role in (Role.PRACTITIONER, Role.PLANNER):
        return make_user(name, [role], teams=[council.team_b])
    if role == Role.MANAGER:
        return make_user(name, [role], manages=[council.team_b])
    if role in (Role.HOLDER, Role.REPRESENTATIVE):
        return make_user(name, [role], person=PersonFactory(team=council.team_b))
    if role == Role.PROVIDER:
        return make_user(name, [role], provider=ProviderFactory(name="Elsewhere Care"))
    raise AssertionError(f"{role} sees everyone: no outsider")


def _events(action: str, actor: Any, person: Any, after: int) -> int:
    """Events by ``actor`` since ``after`` in ``person``'s own log: naming them, or a list
    look listing them (decision 0056), read as the person's history page reads them."""
    mine = person_history(person_id=person.pk)
    return mine.filter(action=action, actor=actor, pk__gt=after).count()


def _last_id() -> int:
    return Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _ensure_listed(council: Any) -> None:
    """Make the holder appear in every list: a review due, a pool share, a poolable line."""
    _url("planning:review", council, "holder")
    _url("budgets:pool", council, "holder")
    _url("budgets:holding", council, "holder")


def test_every_page_showing_personal_data_records_the_look(client: Any, council: Any) -> None:
    _ensure_listed(council)
    holder = council.holder_person
    failures = []
    for name, kind in LOOKS.items():
        if kind not in (RECORD, LIST):
            continue
        role = _asker(name)
        user = council.users[str(role)]
        client.force_login(user)
        url = _url(name, council, "holder")
        before = _last_id()
        status = client.get(url).status_code
        if status != 200:
            failures.append(f"{name} as {role}: {status}")
        elif not _events(Action.VIEW, user, holder, before):
            failures.append(f"{name} ({url}) as {role}: no VIEW event about the holder")
    assert not failures, "\n".join(failures)


def test_every_refused_record_page_records_the_attempt(client: Any, council: Any) -> None:
    holder = council.holder_person
    outsiders: dict[Role, Any] = {}
    failures = []
    for name, kind in LOOKS.items():
        if kind != RECORD:
            continue
        role = _asker(name)
        if role == Role.FINANCE:
            continue  # finance sees everyone's record: there is no one to refuse
            continue  # a finance-only page: finance sees every record, so no one is outside
        outsider = outsiders.get(role) or outsiders.setdefault(role, _outsider(council, role))
        url = _url(name, council, "holder")
        client.force_login(outsider)
        before = _last_id()
        response = client.get(url)
        if response.status_code != 404:
            failures.append(f"{name} as an outside {role}: {response.status_code}, expected 404")
        elif not _events(Action.DENIED, outsider, holder, before):
            failures.append(f"{name} ({url}) as an outside {role}: no DENIED event")
        elif holder.full_name in response.content.decode():
            failures.append(f"{name}: the refusal names the holder")
    assert not failures, "\n".join(failures)


def _api_asker(path: str) -> Role:
    return next(r for r in ASKERS if expected(API[("get", path)].expect, "own", str(r)) == 200)


def test_every_api_route_showing_personal_data_records_the_look(client: Any, council: Any) -> None:
    _ensure_listed(council)
    holder = council.holder_person
    outsiders: dict[Role, Any] = {}
    failures = []
    records_build(council)
    for (method, path), route in API.items():
        if API_LOOKS[(method, path)] not in (RECORD, LIST):
            continue
        role = _api_asker(path)
        user = council.users[str(role)]
        client.force_login(user)
        url = _api_address(path, council, route, "own")
        before = _last_id()
        status = client.get(url).status_code
        if status != 200:
            failures.append(f"GET {path} as {role}: {status}")
            continue
        written = person_history(person_id=holder.pk).filter(
            action=Action.VIEW, actor=user, pk__gt=before
        )
        if not written.exists():
            failures.append(f"GET {path} as {role}: no VIEW event about the holder")
        elif any(e.channel != "api" for e in written):
            failures.append(f"GET {path}: the event's channel is not api")
        if API_LOOKS[(method, path)] == RECORD:
            outsider = outsiders.get(role) or outsiders.setdefault(role, _outsider(council, role))
            client.force_login(outsider)
            before = _last_id()
            if client.get(url).status_code != 404:
                failures.append(f"GET {path} as an outside {role}: not 404")
            elif not _events(Action.DENIED, outsider, holder, before):
                failures.append(f"GET {path} as an outside {role}: no DENIED event")
    assert not failures, "\n".join(failures)


def test_a_page_of_search_results_is_one_event_listing_everyone_shown(
    client: Any, council: Any
) -> None:
    """A page of search results writes ONE chained event naming everyone shown, and one
    slim row per person, each in one statement; each person shown finds it in their log."""
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for i in range(30):
        PersonFactory(team=council.team_a, family_name=f"Many{i:02d}")
    client.force_login(council.users["practitioner"])
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/people/?q=Many").status_code == 200
    inserts = [q["sql"] for q in queries if q["sql"].startswith('INSERT INTO "audit_')]
    assert [sql.split('"')[1] for sql in inserts] == ["audit_event", "audit_listed"]
    event = Event.objects.get(summary="Appeared in search results")
    shown = event.changes["people"]
    assert len(shown) == settings.PEOPLE_PAGE_SIZE == len(set(shown))
    assert shown == sorted(shown)
    assert sorted(Listed.objects.filter(event=event).values_list("person_id", flat=True)) == shown
    for person_id in shown:
        named = Event.objects.filter(person_id=person_id).order_by("-at", "-id")
        expected = [event.pk, *named.values_list("pk", flat=True)]
        assert list(person_history(person_id=person_id).values_list("pk", flat=True)) == expected


def test_a_role_without_the_capability_is_recorded_as_refused(client: Any, council: Any) -> None:
    commissioner = council.users["commissioner"]
    client.force_login(commissioner)
    holder = council.holder_person
    assert client.get(f"/people/{holder.pk}/").status_code == 403
    assert client.get(f"/api/v1/people/{holder.pk}").status_code == 403
    refused = Event.objects.filter(action=Action.DENIED, actor=commissioner, person=holder)
    assert [e.channel for e in refused.order_by("pk")] == ["web", "api"]
    # A page about no one record refuses without naming anyone.
    assert client.get("/people/").status_code == 403
    assert not Event.objects.filter(action=Action.DENIED, actor=commissioner, person=None)


def test_a_record_of_someone_else_under_ones_own_address_is_refused(
    client: Any, council: Any
) -> None:
    """Swapping a relationship's id into the address of a person one may see."""
    from selfdirect.people.models import Relationship

    theirs = Relationship.objects.create(
        person=council.other_person,
        related_person=council.holder_person,
        kind="family",
        start_date="2020-01-01",
    )
    practitioner = council.users["practitioner"]
    client.force_login(practitioner)
    url = f"/people/{council.holder_person.pk}/relationships/{theirs.pk}/end/"
    assert client.get(url).status_code == 404
    denied = Event.objects.get(action=Action.DENIED, actor=practitioner)
    assert (denied.person, denied.object_type) == (council.other_person, "relationship")


def test_another_persons_switch_share_or_review_under_ones_own_address_is_refused(
    client: Any, council: Any
) -> None:
    """A record of Bea's (team B) put in the address of Ada's plan or pool, which the
    practitioner may see: a 404, and the attempt recorded against Bea."""
    from django.urls import reverse

    built = records_build(council)
    own, other = built["own"], built["other"]
    practitioner = council.users["practitioner"]
    client.force_login(practitioner)
    attempts = [
        (
            "post",
            reverse(
                "planning:switch_undo",
                kwargs={"plan_id": own.approved.pk, "switch_id": other.switch.pk},
            ),
        ),
        (
            "post",
            reverse(
                "budgets:pool_share_end",
                kwargs={"pool_id": own.pool.pk, "share_id": other.share.pk},
            ),
        ),
        (
            "get",
            reverse("budgets:notice_new", kwargs={"plan_id": own.approved.pk})
            + f"?review={other.review.pk}",
        ),
    ]
    for method, url in attempts:
        before = _last_id()
        assert getattr(client, method)(url).status_code == 404, url
        assert _events(Action.DENIED, practitioner, council.other_person, before) == 1, url
