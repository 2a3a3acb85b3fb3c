"""Start page, each role's home page, caseload figures, and the service's own pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from selfdirect.access.decorators import requires
from selfdirect.access.roles import PORTAL_ROLES, Role
from selfdirect.access.selectors import acting_user, roles_of, user_can
from selfdirect.allocation.selectors import (
    allocations_visible_to,
    decided_challenges_visible_to,
    sign_off_queue,
)
from selfdirect.assessment.selectors import assessments_visible_to, referrals_to_act_on
from selfdirect.audit.services import looks_record, member_teams
from selfdirect.budgets.notices import CONFLICT_TASK_KIND, notice_conflict, notices_visible_to
from selfdirect.casework.selectors import front_door_counts
from selfdirect.payments.selectors import runs as payment_runs
from selfdirect.planning.figures import plan_in_force
from selfdirect.planning.selectors import plans_visible_to, review_counts_for
from selfdirect.planning.services import holding_mix
from selfdirect.planning.streams import DEPLOYMENTS
from selfdirect.portal import help as help_pages
from selfdirect.portal import selectors
from selfdirect.portal.queues import queue_totals
from selfdirect.portal.spending import SPENDING_GUIDE
from selfdirect.portal.waiting import in_progress_kinds, waiting_for
from selfdirect.surveys.selectors import invitations_to_answer


def start(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    return render(request, "portal/start.html")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    roles = roles_of(user)
    work_items = list(selectors.work_items_for(user)[:20])
    context = {
        "nav": "home",
        "roles": roles,
        "Role": Role,
        "is_portal_user": bool(roles & PORTAL_ROLES),
        "is_caseworker": bool(roles & {Role.PRACTITIONER, Role.MANAGER, Role.PLANNER}),
        "work_items": work_items,
        # Read once a request with the ids and for the audit event (member_teams).
        "teams": [{"name": name} for _pk, name in member_teams(acting_user(user))],
        "today": dt.date.today(),
    }
    # A task to withdraw or re-issue a notice a later decision conflicts with: its action is
    # the notice's page (where it is withdrawn).
    for item in work_items:
        if item.kind == CONFLICT_TASK_KIND and item.person_id:
            item.notice = next(  # type: ignore[attr-defined]
                (
                    n
                    for n in notices_visible_to(user).filter(
                        person_id=item.person_id, status="given"
                    )
                    if notice_conflict(n)
                ),
                None,
            )
    if context["is_portal_user"]:
        context["my_people"] = selectors.my_people(user)
        context["my_assessments"] = list(
            assessments_visible_to(user).select_related(
                "person", "version__questionnaire", "eligibility"
            )[:10]
        )
    if context["is_caseworker"]:
        context["worklists"] = selectors.caseload_worklists(user)
        named = selectors.named_people_of(user)
        your_people = list(named[:20])
        context["your_people"] = your_people
        context["your_people_count"] = len(your_people) if len(your_people) < 20 else named.count()
    if user_can(user, "plan.edit"):
        counts = review_counts_for(user, dt.date.today())
        context["reviews_overdue"], context["reviews_due"] = counts["overdue"], counts["due"]
        context["reviews_yours"] = counts["yours"]
    if user_can(user, "contact.record"):
        context["front_door"] = front_door_counts(user)
    if user_can(user, "assessment.review"):
        context["referrals"] = list(referrals_to_act_on(user)[:20])
    if user_can(user, "allocation.sign_off"):
        context["sign_offs"] = list(sign_off_queue(user)[:20])
    if user_can(user, "queues.view"):
        context["can_see_queues"] = True
        context["queue_totals"] = queue_totals(user)
    if context["is_portal_user"]:
        context["my_budgets"] = list(
            allocations_visible_to(user)
            .select_related("person")
            .prefetch_related("amount_decisions")[:10]
        )
        context["my_challenge_letters"] = list(decided_challenges_visible_to(user)[:10])
        today = dt.date.today()
        visible_plans = (
            plans_visible_to(user).select_related("person").prefetch_related("lines__switches")
        )
        my_plans = list(
            visible_plans.exclude(status="superseded").order_by("person_id", "-version")[:10]
        )
        # The plan in force (planning.figures.plan_in_force): during a notice period it is the
        # version the approved next one replaces only on the day the notice takes effect.
        in_force = {
            plan.pk
            for plan in (plan_in_force(pid, today) for pid in {p.person_id for p in my_plans})
            if plan is not None and plan.approved_at is not None and plan.starts_on <= today
        }
        shown = {p.pk for p in my_plans}
        my_plans += list(visible_plans.filter(pk__in=in_force - shown))
        my_plans.sort(key=lambda p: (p.person_id, -p.version))
        # One budget, however it is held: the weekly amount by way of holding today.
        context["my_plans"] = [
            {
                "plan": plan,
                "in_force": plan.pk in in_force,
                "starts_on": plan.starts_on
                if plan.status == "approved" and plan.starts_on > today
                else None,
                "held_today": [
                    (DEPLOYMENTS[way], pence) for way, pence in holding_mix(plan, today).items()
                ]
                if plan.pk in in_force
                else [],
            }
            for plan in my_plans
        ]
        # What may be in progress, asked once: each kind's rows are read only if there are any.
        kinds = in_progress_kinds(user, today)
        # A notice of a reduction or stop still to take effect: the letter, on the home page.
        context["my_notices"] = (
            list(notices_visible_to(user).filter(status="given", takes_effect_on__gt=today))
            if "notice" in kinds
            else []
        )
        # What is in progress and what they are waiting for (issue 13), a recovery case about
        # their direct payment among them.
        context["in_progress"] = waiting_for(user, today, kinds=kinds)
        # Surveys to answer ("Tell us how it went"): their own, or for someone they act for.
        context["my_surveys"] = invitations_to_answer(user)
        # The guide to the website for the way this person uses it.
        context["guide_role"] = next(
            (
                slug
                for role, slug in (
                    (Role.HOLDER, "holder"),
                    (Role.REPRESENTATIVE, "representative"),
                    (Role.CARER, "carer"),
                )
                if role in roles
            ),
            None,
        )
    if user_can(user, "caseload.statistics") and Role.COMMISSIONER in roles:
        context["figures"] = selectors.caseload_figures(user)
    context["can_ask_change"] = user_can(user, "change.request")
    context["can_decide_changes"] = user_can(user, "change.decide")
    context["can_mark_closures"] = user_can(user, "provider.closure")
    context["can_see_provider_notices"] = user_can(user, "change.provider_notices")
    context["can_run_surveys"] = user_can(user, "survey.campaigns")
    context["can_offer_carers"] = user_can(user, "contact.record")
    context["can_see_looks"] = user_can(user, "record.looks")
    context["can_export_audit"] = user_can(user, "audit.export")
    context["can_manage_recovery"] = user_can(user, "recovery.manage")
    if user_can(user, "payments.run"):
        # Finance: the payment runs, and the newest run's reconciliation, one click away.
        context["latest_run"] = payment_runs().first()
    looks_record(actor=user, people=_named(context), summary="Named on the home page")
    return render(request, "portal/home.html", context)


def _named(context: dict[str, Any]) -> list[Any]:
    """Everyone the home page names (their records, work, budgets, plans, notices)."""
    people: list[Any] = [p for group in context.get("my_people", {}).values() for p in group]
    for key in (
        "my_assessments",
        "my_budgets",
        "my_notices",
        "work_items",
        "sign_offs",
        "your_people",
    ):
        people += context.get(key, [])
    people += [row["plan"] for row in context.get("my_plans", [])]
    people += [waiting.person for waiting in context.get("in_progress", [])]
    people += [w.person.pk for w in context.get("in_progress", [])]
    people += [r.assessment.person_id for r in context.get("referrals", [])]
    people += [i.person_id for i in context.get("my_surveys", [])]
    people += [p for wl in context.get("worklists", []) for p in wl.people]
    return people


@requires("caseload.statistics")
def caseload_statistics(request: HttpRequest) -> HttpResponse:
    figures = selectors.caseload_figures(request.user)
    return render(
        request, "portal/caseload_statistics.html", {"nav": "statistics", "figures": figures}
    )


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/accessibility.html")


def carers_information(request: HttpRequest) -> HttpResponse:
    """Information for carers (issue 13, "Carers count"): plain English, no one's record, so
    open to anyone, signed in or not."""
    return render(request, "portal/carers_information.html", {"nav": "home"})


def help_index(request: HttpRequest) -> HttpResponse:
    """Help and information, and the guides to the website (public: no one's record)."""
    return render(
        request,
        "portal/help.html",
        {"topics": help_pages.TOPICS, "guides": help_pages.GUIDES, "nav": "home"},
    )


def help_topic(request: HttpRequest, topic: str) -> HttpResponse:
    page = help_pages.topic_get(topic)
    return render(
        request,
        f"portal/help/{page.slug}.html",
        {"page": page, "topics": help_pages.TOPICS, "spending": SPENDING_GUIDE, "nav": "home"},
    )


def guide(request: HttpRequest, role: str) -> HttpResponse:
    page = help_pages.guide_get(role)
    return render(
        request,
        f"portal/guides/{page.slug}.html",
        {"page": page, "topics": help_pages.TOPICS, "nav": "home"},
    )


def cookies(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/cookies.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/privacy.html")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request, "portal/error.html", {"title": "Page not found", "status": 404}, status=404
    )


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "portal/error.html",
        {"title": "You cannot see this page", "status": 403},
        status=403,
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/error.html",
        {"title": "Sorry, there is a problem with the service", "status": 500},
        status=500,
    )
