"""Every role × every page: allowed, refused (403), or not found (404) for records that
are not theirs. Expectations come from the one access table, selfdirect.access.rules;
the test fails if a route exists that this file does not know about."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from selfdirect.access.roles import Role
from selfdirect.access.rules import CAPABILITIES
from selfdirect.people import codes
from selfdirect.people.models import Relationship

pytestmark = pytest.mark.django_db

# route name -> (capability needed, or None for any signed-in user / "public"; the object it is about)
PAGES: dict[str, tuple[str | None, str]] = {
    "start": ("public", ""),
    "accessibility": ("public", ""),
    "cookies": ("public", ""),
    "privacy": ("public", ""),
    "login": ("public", ""),
    "logout": (None, "post"),
    "account": (None, ""),
    "password_change": (None, ""),
    "password_change_done": (None, ""),
    "password_reset": ("public", ""),
    "password_reset_done": ("public", ""),
    "password_reset_confirm": ("public", "reset_link"),
    "password_reset_complete": ("public", ""),
    "two_factor": (None, ""),
    "two_factor_setup": (None, ""),
    "two_factor_codes": (None, ""),
    "two_factor_verify": (None, "own_session"),
    "two_factor_recovery": (None, "own_session"),
    "two_factor_off": (None, "post"),
    "home": (None, ""),
    "caseload_statistics": ("caseload.statistics", ""),
    "people:list": ("person.search", ""),
    "people:new": ("person.create", ""),
    "people:import": ("person.import", ""),
    "people:detail": ("person.view", "person"),
    "people:edit": ("person.edit", "person"),
    "people:history": ("person.history", "person"),
    "people:relationship_new": ("relationship.edit", "person"),
    "people:consent_new": ("consent.record", "person"),
    "people:relationship_end": ("relationship.edit", "relationship"),
    "assessment:start": ("assessment.view", ""),
    "assessment:start_for_person": ("person.edit", "person"),
    "assessment:detail": ("assessment.view", "assessment"),
    "assessment:question": ("assessment.view", "assessment_question"),
    "assessment:check": ("assessment.view", "assessment"),
    "assessment:submitted": ("assessment.view", "assessment"),
    "assessment:review": ("assessment.review", "assessment_question"),
    "assessment:agree": ("assessment.review", "post"),
    "assessment:eligibility": ("eligibility.decide", "assessment"),
    "allocation:calculate": ("allocation.calculate", "assessment"),
    "allocation:detail": ("allocation.view", "allocation"),
    "allocation:sign_off": ("allocation.sign_off", "allocation"),
    "allocation:whatif": ("ras.whatif", ""),
    "allocation:letter": ("allocation.view", "allocation"),
    "planning:new": ("plan.edit", "allocation"),
    "planning:detail": ("plan.view", "plan"),
    "planning:pdf": ("plan.view", "approved_plan"),
    "planning:outcome_new": ("plan.edit", "plan"),
    "planning:outcome_own": ("plan.contribute", "plan"),
    "planning:revise": ("plan.edit", "post"),
    "planning:safeguarding": ("plan.safeguarding", "plan"),
    "planning:line_new": ("plan.edit", "plan"),
    "planning:submit": ("plan.edit", "post"),
    "planning:approve": ("plan.approve", "post"),
    "planning:line_switch": ("plan.edit", "plan_line"),
    "planning:switch_undo": ("plan.edit", "post"),
    "planning:review_request": ("plan.view", "plan"),
    "planning:reviews": ("plan.edit", ""),
    "planning:streams": ("streams.view", ""),
    "planning:review": ("plan.edit", "review"),
    "allocation:calibration": ("ras.calibrate", ""),
    "allocation:challenge_new": ("challenge.raise", "allocation"),
    "allocation:challenge_decide": ("challenge.decide", "challenge"),
    "budgets:pools": ("pool.view", ""),
    "budgets:pool_new": ("pool.manage", ""),
    "budgets:pool": ("pool.view", "pool"),
    "budgets:pool_share_new": ("pool.manage", "pool"),
    "budgets:pool_share_end": ("pool.manage", "post"),
    "budgets:notice_new": ("notice.give", "approved_plan"),
    "budgets:notice": ("plan.view", "notice"),
    "budgets:notice_letter": ("plan.view", "notice"),
    "budgets:notice_withdraw": ("notice.give", "post"),
    "budgets:holding": ("holding.view", "holding_plan"),
    "budgets:direct_payment_new": ("holding.edit", "plan"),
    "budgets:direct_payment_end": ("holding.edit", "post"),
    "budgets:fund_agreement_new": ("holding.edit", "plan"),
    "budgets:fund_agreement_agree": ("holding.agree", "fund_agreement"),
    "budgets:fund_statement_new": ("holding.statement_submit", "fund_agreement"),
    # Every signed-in user's own API tokens (tests/access/test_tokens.py: whose they reach).
    "tokens:list": (None, ""),
    "tokens:revoke": (None, "post"),
    "record_looks_choose": ("record.looks", ""),
    "record_looks": ("record.looks", "looks"),
    "audit_trail:person": ("audit.export", ""),
    "audit_trail:staff": ("audit.export", ""),
    "audit_trail:person_csv": ("audit.export", "trail_person"),
    "audit_trail:staff_csv": ("audit.export", "trail_staff"),
}

# Who may see the holder's record (team A, represented, cared for with consent, a provider's
# client) and who may see the other person's (team B): the PERSON_SCOPE rules made concrete.
SEES_HOLDER = {
    Role.HOLDER,
    Role.REPRESENTATIVE,
    Role.CARER,
    Role.PRACTITIONER,
    Role.MANAGER,
    Role.PLANNER,
    Role.PROVIDER,
    Role.FINANCE,
}
SEES_OTHER = {Role.FINANCE}
# The holder's self-assessment: the holder, their representative and the team (not the carer:
# the carer sees only their own carer's assessment). No one here sees team B's.
SEES_HOLDER_ASSESSMENT = {
    Role.HOLDER,
    Role.REPRESENTATIVE,
    Role.PRACTITIONER,
    Role.MANAGER,
    Role.PLANNER,
}
# Kinds of record added by later pages register here, each with how to build its address
# (council, "holder" or "other", route name) and which roles see the holder's record; no
# one in this matrix sees the other person's (team B's) record of such a kind.
KIND_URLS: dict[str, Any] = {
    # A password reset link (an expired one: the page says so to anyone).
    "reset_link": lambda council, whose, name: _reverse(
        name, kwargs={"uidb64": "MQ", "token": "set-password"}
    ),
}
KIND_SEES: dict[str, set[Role]] = {}
# The exception: roles that also see the other person's record of a kind (finance works
# across the council).
KIND_SEES_OTHER: dict[str, set[Role]] = {}

SCOPED = (
    "person",
    "relationship",
    "assessment",
    "assessment_question",
    "allocation",
    "challenge",
    "plan",
    "plan_line",
)


def _reverse(name: str, kwargs: dict[str, Any]) -> str:
    from django.urls import reverse

    return reverse(name, kwargs=kwargs)


def _route_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str = "") -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "api" or str(p.pattern).startswith("api/"):
                    continue  # the API has its own matrix (tests/api)
                walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif isinstance(p, URLPattern) and p.name:
                names.add(f"{namespace}{p.name}")

    walk(get_resolver().url_patterns)
    return names


def test_every_page_is_in_the_matrix() -> None:
    known = set(PAGES) | set(ADMIN_PAGES)
    missing = _route_names() - known
    assert not missing, f"Add these routes to the access matrix: {sorted(missing)}"


# Administrators' pages: route name -> how to build its address from the council.
ADMIN_PAGES: dict[str, Any] = {
    "access:users": lambda c: {},
    "access:user_new": lambda c: {},
    "access:user": lambda c: {"user_id": c.users["holder"].pk},
    "access:user_password": lambda c: {"user_id": c.users["holder"].pk},
    "access:user_active": None,  # POST only: covered by tests/access/test_admin_pages.py
    "access:teams": lambda c: {},
    "access:team_new": lambda c: {},
    "access:team": lambda c: {"team_id": c.team_a.pk},
    "access_admin:tokens": lambda c: {},
    "access_admin:role_changes": lambda c: {},
    "access_admin:role_change_confirm": None,  # POST only: tests/access/test_role_changes.py
    "access_admin:role_change_refuse": None,  # POST only: tests/access/test_role_changes.py
    "assessment_admin:list": lambda c: {},
    "ras_admin:list": lambda c: {},
    "ras_admin:version": lambda c: {"version_id": _ras_version().pk},
    "ras_admin:export": lambda c: {"version_id": _ras_version().pk},
    "assessment_admin:version": lambda c: {"version_id": _draft_version(c).pk},
    "assessment_admin:section_new": lambda c: {"version_id": _draft_version(c).pk},
    "assessment_admin:section": lambda c: {
        "version_id": _draft_version(c).pk,
        "section_id": "nutrition",
    },
    "assessment_admin:section_remove": None,  # POST only: tests/assessment/test_admin_pages.py
    "assessment_admin:preview": lambda c: {"version_id": _draft_version(c).pk, "number": 2},
    "assessment_admin:export": lambda c: {"version_id": _draft_version(c).pk},
    "assessment_admin:import": lambda c: {"version_id": _draft_version(c).pk},
}


def _ras_version() -> Any:
    from selfdirect.allocation.models import RasVersion

    return RasVersion.objects.get(code="default-ras")


def _draft_version(council: Any) -> Any:
    """A draft of the self-assessment (made once per test)."""
    from selfdirect.assessment.models import QuestionnaireVersion
    from selfdirect.assessment.services import questionnaire_version_draft

    draft = QuestionnaireVersion.objects.filter(status="draft").first()
    if draft is None:
        published = QuestionnaireVersion.objects.get(
            questionnaire__code="self-assessment", status="published"
        )
        draft = questionnaire_version_draft(actor=council.users["admin"], source=published)
    return draft


def _allocation(council: Any, whose: str) -> Any:
    """An allocation on the holder's (or the other person's) assessment: test data only."""
    from selfdirect.allocation.models import Allocation, RasVersion

    assessment = council.holder_assessment if whose == "holder" else council.other_assessment
    found = Allocation.objects.filter(assessment=assessment).first()
    if found is None:
        version = RasVersion.objects.get(code="default-ras")
        found = Allocation.objects.create(
            person=assessment.person,
            assessment=assessment,
            ras_version=version,
            ras_hash=version.content_hash,
            inputs={"user_group": "older_people", "answers": {}, "flags": {}},
            explanation={
                "weekly_pence": 2000,
                "annual_pence": 104000,
                "total_points": 0,
                "price_per_point_pence": 330,
                "base_weekly_pence": 0,
                "uplifts": [],
                "section_points": {},
                "carer_neutral_weekly_pence": 0,
                "carer_adjustment_pence": 0,
                "rounding_pence": 0,
                "bound": "floor",
                "floor_weekly_pence": 2000,
                "ceiling_weekly_pence": 150000,
                "carer_reason": "",
                "ras": {
                    "code": "default-ras",
                    "version": 1,
                    "hash": version.content_hash,
                    "method": "points",
                },
            },
            indicative_weekly_pence=2000,
            indicative_annual_pence=104000,
            created_by=council.users["practitioner"],
        )
    return found


def _url(name: str, council: Any, whose: str) -> str:
    from django.urls import reverse

    person = council.holder_person if whose == "holder" else council.other_person
    kind = PAGES[name][1]
    if kind in KIND_URLS:
        return str(KIND_URLS[kind](council, whose, name))
    if kind == "person":
        return reverse(name, kwargs={"person_id": person.pk})
    if kind == "allocation":
        return reverse(name, kwargs={"allocation_id": _allocation(council, whose).pk})
    if kind in ("plan", "plan_line", "review"):
        import datetime as dt

        from selfdirect.planning.models import SupportPlan

        allocation = _allocation(council, whose)
        plan = SupportPlan.objects.filter(
            allocation=allocation
        ).first() or SupportPlan.objects.create(
            person=allocation.person,
            allocation=allocation,
            led_by="person",
            starts_on=dt.date(2026, 1, 1),
            created_by=council.users["practitioner"],
        )
        if kind == "review":
            from selfdirect.planning.models import Review

            review = plan.reviews.first() or Review.objects.create(
                plan=plan, kind="annual", due_date=dt.date(2026, 1, 1)
            )
            return reverse(name, kwargs={"review_id": review.pk})
        if kind == "plan_line":
            from selfdirect.planning.models import PlanLine

            line = plan.lines.first() or PlanLine.objects.create(
                plan=plan,
                description="Home care",
                category="home_care_agency",
                unit="hour",
                unit_cost_pence=2000,
                quantity_hundredths=100,
                funding_stream="adult_social_care",
            )
            return reverse(name, kwargs={"plan_id": plan.pk, "line_id": line.pk})
        return reverse(name, kwargs={"plan_id": plan.pk})
    if kind == "challenge":
        from selfdirect.allocation.models import Challenge

        allocation = _allocation(council, whose)
        challenge = Challenge.objects.filter(
            allocation=allocation
        ).first() or Challenge.objects.create(
            allocation=allocation,
            ras_version=allocation.ras_version,
            contested_weekly_pence=2000,
            reasons="Test",
            raised_by=council.users["holder"],
            respond_by="2030-01-01",
        )
        return reverse(name, kwargs={"challenge_id": challenge.pk})
    if kind in ("assessment", "assessment_question"):
        assessment = council.holder_assessment if whose == "holder" else council.other_assessment
        if kind == "assessment_question":
            return reverse(name, kwargs={"assessment_id": assessment.pk, "section_id": "nutrition"})
        return reverse(name, kwargs={"assessment_id": assessment.pk})
    if kind == "relationship":
        rel = Relationship.objects.filter(person=person).first()
        if rel is None:
            rel = Relationship.objects.create(
                person=person,
                related_person=council.holder_person,
                kind=codes.RelationshipKind.FAMILY,
                start_date="2020-01-01",
            )
        return reverse(name, kwargs={"person_id": person.pk, "relationship_id": rel.pk})
    return reverse(name)


def _expected(role: Role, name: str, whose: str) -> set[int]:
    capability, kind = PAGES[name]
    if capability == "public":
        return {200, 302}
    if capability is None:
        # The second step of signing in: a session already past it (or with nothing to
        # verify) is sent on.
        return {200, 302} if kind == "own_session" else {200}
    if role not in CAPABILITIES[capability]:
        return {403}
    if kind in KIND_SEES:
        sees = KIND_SEES[kind] if whose == "holder" else KIND_SEES_OTHER.get(kind, set())
        return {200} if role in sees else {404}
    if kind in (
        "assessment",
        "assessment_question",
        "allocation",
        "challenge",
        "plan",
        "plan_line",
    ):
        return {200} if whose == "holder" and role in SEES_HOLDER_ASSESSMENT else {404}
    if kind in ("person", "relationship"):
        sees = SEES_HOLDER if whose == "holder" else SEES_OTHER
        return {200} if role in sees else {404}
    return {200}


@pytest.mark.parametrize("role", list(Role))
def test_role_against_every_page(client: Any, council: Any, role: Role) -> None:
    client.force_login(council.users[str(role)])
    failures = []
    for name, (_capability, kind) in PAGES.items():
        if kind == "post":
            continue
        for whose in ("holder", "other") if kind in SCOPED or kind in KIND_URLS else ("holder",):
            url = _url(name, council, whose)
            status = client.get(url).status_code
            expected = _expected(role, name, whose)
            if status not in expected:
                failures.append(
                    f"{role} GET {url} ({name}, {whose}): {status}, expected {expected}"
                )
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", list(Role))
def test_admin_pages_are_for_administrators_only(client: Any, council: Any, role: Role) -> None:
    from django.urls import reverse

    client.force_login(council.users[str(role)])
    for name, kwargs in ADMIN_PAGES.items():
        if kwargs is None:
            continue
        url = reverse(name, kwargs=kwargs(council))
        status = client.get(url).status_code
        assert status == (200 if role == Role.ADMIN else 403), f"{role} {url}: {status}"
        if role != Role.ADMIN:
            assert client.post(url, {"name": "x", "username": "x"}).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client: Any, council: Any) -> None:
    for name, (capability, kind) in PAGES.items():
        if capability == "public" or kind == "post":
            continue
        url = _url(name, council, "holder")
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


def test_posts_to_others_records_change_nothing(client: Any, council: Any) -> None:
    """A holder changing the id in a form's address cannot reach another person."""
    other = council.other_person
    for role in (Role.HOLDER, Role.PROVIDER, Role.PRACTITIONER):
        client.force_login(council.users[str(role)])
        for name in ("people:edit", "people:consent_new", "people:relationship_new"):
            response = client.post(_url(name, council, "other"), {"given_name": "Hacked"})
            assert response.status_code in (403, 404)
    other.refresh_from_db()
    assert other.given_name == "Bea"
    assert not other.consents.exists()


# The API: (method, path, capability, the record it is about). Bodies are empty, so an
# allowed change answers 422 (nothing changes) and a refused one 403 or 404.
API_ROUTES: list[tuple[str, str, str, str]] = [
    ("get", "/api/v1/people", "person.search", ""),
    ("post", "/api/v1/people", "person.create", ""),
    ("get", "/api/v1/people/{person_id}", "person.view", "person"),
    ("patch", "/api/v1/people/{person_id}", "person.edit", "person"),
    ("get", "/api/v1/people/{person_id}/relationships", "person.view", "person"),
    ("post", "/api/v1/people/{person_id}/relationships", "relationship.edit", "person"),
    ("get", "/api/v1/plans", "plan.view", ""),
    ("post", "/api/v1/plans", "plan.edit", ""),
    ("get", "/api/v1/plans/{plan_id}", "plan.view", "plan"),
    ("get", "/api/v1/plans/{plan_id}/lines", "plan.view", "plan"),
    ("post", "/api/v1/plans/{plan_id}/lines", "plan.edit", "plan"),
    ("post", "/api/v1/plans/{plan_id}/outcomes", "plan.edit", "plan"),
    ("post", "/api/v1/plans/{plan_id}/submit", "plan.edit", "plan"),
    ("post", "/api/v1/plans/{plan_id}/approve", "plan.approve", "plan"),
    ("get", "/api/v1/plans/{plan_id}/deployment", "plan.view", "plan"),
    ("post", "/api/v1/plans/{plan_id}/lines/{line_id}/switches", "plan.edit", "approved_plan"),
    ("get", "/api/v1/plans/{plan_id}/reviews", "plan.view", "plan"),
    ("post", "/api/v1/plans/{plan_id}/reviews", "plan.view", "plan"),
    ("get", "/api/v1/reviews", "plan.edit", ""),
    ("get", "/api/v1/plans/{plan_id}/pdf", "plan.view", "approved_plan"),
]


def _approved_plan(council: Any, whose: str) -> Any:
    """An approved earlier version of the plan the pages use, with one line (test data only).
    It is dated before the draft, so the pages' plan is still the draft."""
    import datetime as dt

    from django.urls import resolve
    from django.utils import timezone

    from selfdirect.planning.models import PlanLine, SupportPlan

    draft = SupportPlan.objects.get(
        pk=resolve(_url("planning:detail", council, whose)).kwargs["plan_id"]
    )
    approved = SupportPlan.objects.filter(person=draft.person, status="approved").first()
    if approved is None:
        approved = SupportPlan.objects.create(
            person=draft.person,
            allocation=draft.allocation,
            version=draft.version + 1,
            led_by="person",
            starts_on=dt.date(2026, 1, 1),
            status="approved",
            created_by=council.users["practitioner"],
            approved_by=council.users["practitioner"],
            approved_at=timezone.now(),
        )
        SupportPlan.objects.filter(pk=approved.pk).update(
            created_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
        )
        PlanLine.objects.create(
            plan=approved,
            description="Personal assistant",
            category="personal_assistant",
            unit="hour",
            unit_cost_pence=1500,
            quantity_hundredths=100,
            funding_stream="adult_social_care",
        )
    return approved


KIND_URLS["approved_plan"] = lambda c, whose, name: _page_url(
    name, plan_id=_approved_plan(c, whose).pk
)
KIND_SEES["approved_plan"] = SEES_HOLDER_ASSESSMENT


def _pool(council: Any, whose: str) -> Any:
    """A pool with a share from the person's approved plan, set up by their team (test data)."""
    import datetime as dt

    from django.contrib.auth.models import User

    from selfdirect.budgets.models import Pool, PoolShare

    plan = _approved_plan(council, whose)
    share = PoolShare.objects.filter(person=plan.person).select_related("pool").first()
    if share is None:
        creator = council.users["practitioner"]
        if whose == "other":
            creator = User.objects.get(username="team-b-worker")
        pool = Pool.objects.create(
            name=f"Art group ({whose})",
            activity="A weekly art class",
            starts_on=dt.date(2026, 1, 1),
            created_by=creator,
        )
        share = PoolShare.objects.create(
            pool=pool,
            person=plan.person,
            line=plan.lines.first(),
            weekly_pence=500,
            joined_on=dt.date(2026, 1, 1),
            added_by=creator,
        )
    return share.pool


def _notice(council: Any, whose: str) -> Any:
    """A notice to stop the person's approved budget (test data)."""
    import datetime as dt

    from selfdirect.budgets.models import ChangeNotice

    plan = _approved_plan(council, whose)
    return plan.change_notices.first() or ChangeNotice.objects.create(
        person=plan.person,
        plan=plan,
        change="stop",
        applies_to="budget",
        current_weekly_pence=1500,
        new_weekly_pence=0,
        reasons="Test",
        given_on=dt.date(2026, 1, 1),
        takes_effect_on=dt.date(2026, 2, 1),
        given_by=council.users["practitioner"],
    )


KIND_URLS["pool"] = lambda c, whose, name: _page_url(name, pool_id=_pool(c, whose).pk)
KIND_SEES["pool"] = SEES_HOLDER_ASSESSMENT
KIND_URLS["notice"] = lambda c, whose, name: _page_url(name, notice_id=_notice(c, whose).pk)
KIND_SEES["notice"] = SEES_HOLDER_ASSESSMENT


def _fund_agreement(council: Any, whose: str) -> Any:
    """An ISF in place on the person's approved plan, held by the holder's provider (Acme
    Care) or, for the other person, by another organisation; and a direct payment (test data)."""
    import datetime as dt

    from selfdirect.budgets.models import DirectPaymentAgreement, FundAgreement
    from selfdirect.planning.models import PlanLine
    from selfdirect.providers.models import Provider

    plan = _approved_plan(council, whose)
    found = FundAgreement.objects.filter(plan=plan).first()
    if found is None:
        organisation = council.users["provider"].profile.provider
        if whose == "other":
            organisation = Provider.objects.create(name="Elsewhere Support")
        PlanLine.objects.create(
            plan=plan,
            description="Home care",
            category="home_care_agency",
            unit="hour",
            unit_cost_pence=2000,
            quantity_hundredths=100,
            funding_stream="adult_social_care",
            deployment="isf",
            provider=organisation,
        )
        found = FundAgreement.objects.create(
            plan=plan,
            person=plan.person,
            kind="isf",
            organisation=organisation,
            starts_on=dt.date(2026, 1, 1),
            person_agreed_on=dt.date(2026, 1, 1),
            organisation_agreed_on=dt.date(2026, 1, 1),
            status="active",
            created_by=council.users["practitioner"],
        )
        DirectPaymentAgreement.objects.create(
            plan=plan,
            person=plan.person,
            recipient_type="person",
            account_type="bank_account",
            sort_code="309430",
            account_number="12345678",
            has_capacity=True,
            capable_of_managing=True,
            appropriate=True,
            not_excluded=True,
            starts_on=dt.date(2026, 1, 1),
            created_by=council.users["practitioner"],
        )
    return found


# A provider sees the holding page of a plan only for its own agreement; finance sees all.
KIND_URLS["holding_plan"] = lambda c, whose, name: _page_url(
    name, plan_id=_fund_agreement(c, whose).plan_id
)
KIND_SEES["holding_plan"] = SEES_HOLDER_ASSESSMENT | {Role.PROVIDER, Role.FINANCE}
KIND_SEES_OTHER["holding_plan"] = {Role.FINANCE}
KIND_URLS["fund_agreement"] = lambda c, whose, name: _page_url(
    name, agreement_id=_fund_agreement(c, whose).pk
)
KIND_SEES["fund_agreement"] = SEES_HOLDER_ASSESSMENT | {Role.PROVIDER, Role.FINANCE}
KIND_SEES_OTHER["fund_agreement"] = {Role.FINANCE}


# Who has looked at a record: the holder (their own) and their representative; no one here
# reads the other person's. The audit trail: the data protection officer, of anyone.
KIND_URLS["looks"] = lambda c, whose, name: _page_url(
    name, person_id=(c.holder_person if whose == "holder" else c.other_person).pk
)
KIND_SEES["looks"] = {Role.HOLDER, Role.REPRESENTATIVE}
KIND_URLS["trail_person"] = lambda c, whose, name: _page_url(
    name, person_id=(c.holder_person if whose == "holder" else c.other_person).pk
)
KIND_SEES["trail_person"] = {Role.DPO}
KIND_SEES_OTHER["trail_person"] = {Role.DPO}
KIND_URLS["trail_staff"] = lambda c, whose, name: _page_url(
    name, user_id=c.users["practitioner" if whose == "holder" else "holder"].pk
)
KIND_SEES["trail_staff"] = {Role.DPO}
KIND_SEES_OTHER["trail_staff"] = {Role.DPO}


def _page_url(name: str, **kwargs: Any) -> str:
    from django.urls import reverse

    return reverse(name, kwargs=kwargs)


def _api_url(path: str, council: Any, whose: str, kind: str) -> str:
    person = council.holder_person if whose == "holder" else council.other_person
    url = path.replace("{person_id}", str(person.pk))
    if "{plan_id}" in url:
        from django.urls import resolve

        plan = (
            _approved_plan(council, whose)
            if kind == "approved_plan"
            else resolve(_url("planning:detail", council, whose)).kwargs["plan_id"]
        )
        url = url.replace("{plan_id}", str(getattr(plan, "pk", plan)))
        if "{line_id}" in url:
            url = url.replace("{line_id}", str(plan.lines.first().pk))
    return url


def _api_sees(kind: str, whose: str) -> set[Role]:
    if kind in ("plan", "approved_plan"):
        return SEES_HOLDER_ASSESSMENT if whose == "holder" else set()
    return SEES_HOLDER if whose == "holder" else SEES_OTHER


def test_every_api_route_is_in_the_matrix(client: Any) -> None:
    schema = client.get("/api/openapi.json").json()
    published = {(method, path) for path, item in schema["paths"].items() for method in item}
    assert published == {(m, p) for m, p, _c, _k in API_ROUTES}


@pytest.mark.parametrize("role", list(Role))
def test_role_against_every_api_route(client: Any, council: Any, role: Role) -> None:
    client.force_login(council.users[str(role)])
    failures = []
    for method, path, capability, kind in API_ROUTES:
        for whose in ("holder", "other") if kind else ("holder",):
            url = _api_url(path, council, whose, kind)
            call = getattr(client, method)
            response = (
                call(url, {}, content_type="application/json") if method != "get" else call(url)
            )
            if role not in CAPABILITIES[capability]:
                expected = {403}
            elif kind and role not in _api_sees(kind, whose):
                expected = {404}
            else:
                expected = {200} if method == "get" else {200, 422}
            if response.status_code not in expected:
                failures.append(
                    f"{role} {method.upper()} {url}: {response.status_code}, expected {expected}"
                )
    assert not failures, "\n".join(failures)
