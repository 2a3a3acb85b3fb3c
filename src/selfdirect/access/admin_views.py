"""Administrators' pages: users and teams. Only the ``users.manage`` capability reaches
them; an administrator sees no one's details here beyond the reference and name of the
person record an account is linked to."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from selfdirect.access import services, tokens
from selfdirect.access.decorators import requires
from selfdirect.access.forms import NewUserForm, PasswordForm, TeamForm, UserForm, add_problems
from selfdirect.access.models import RoleChange, Team, TeamMembership
from selfdirect.access.roles import SECOND_ADMINISTRATOR_ROLES, Role
from selfdirect.access.selectors import acting_user, role_changes, role_changes_pending_for
from selfdirect.forms_gov import posted
from selfdirect.money import pounds_field
from selfdirect.refusals import require_post, run_and_tell

USERS_PER_PAGE = 50
SECOND_ADMINISTRATOR_LABELS = ", ".join(
    Role(r).label for r in Role.values if r in SECOND_ADMINISTRATOR_ROLES
)


def _refused(form: Any, refused: services.AccessError) -> None:
    add_problems(form, [(refused.field, str(refused))])


@requires("users.manage")
def user_list(request: HttpRequest) -> HttpResponse:
    role = request.GET.get("role", "")
    users = (
        User.objects.select_related("profile")
        .prefetch_related("team_memberships__team")
        .order_by("username")
    )
    if role in Role.values:
        # Roles are a JSON list of codes: match the quoted code, so "manager" is not "managers".
        users = users.filter(profile__roles__icontains=f'"{role}"')
    else:
        role = ""
    page = Paginator(users, USERS_PER_PAGE).get_page(request.GET.get("page"))
    rows = []
    for user in page.object_list:
        profile = getattr(user, "profile", None)
        codes = profile.roles if profile else []
        rows.append(
            {
                "user": user,
                "roles": ", ".join(Role(r).label for r in codes if r in Role.values),
                "teams": ", ".join(
                    f"{m.team.name}{' (manager)' if m.is_manager else ''}"
                    for m in user.team_memberships.all()
                ),
            }
        )
    return render(
        request,
        "access/user_list.html",
        {
            "nav": "admin",
            "page": page,
            "rows": rows,
            "role": role,
            "role_choices": Role.choices,
            "pending_count": role_changes(status=RoleChange.Status.PENDING).count(),
        },
    )


def _form_fields(form: UserForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "first_name": data["first_name"],
        "last_name": data["last_name"],
        "email": data["email"],
        "roles": list(data["roles"]),
        "teams": list(data["teams"]),
        "manages": list(data["manages"]),
        "person": data["person_ref"],
        "provider": data["provider"],
        "sign_off_limit_weekly_pence": data["sign_off_limit"],
    }


@requires("users.manage")
def user_new(request: HttpRequest) -> HttpResponse:
    form = NewUserForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(
                actor=acting_user(request.user),
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                **_form_fields(form),
            )
        except services.AccessError as refused:
            _refused(form, refused)
        else:
            messages.success(request, _saved(f"User {user.username} has been created", user))
            return redirect("access:user", user_id=user.pk)
    return render(
        request,
        "access/user_form.html",
        {
            "nav": "admin",
            "form": form,
            "creating": True,
            "second_admin_roles": SECOND_ADMINISTRATOR_LABELS,
        },
    )


def _user_form(user: User, data: Any) -> UserForm:
    profile = getattr(user, "profile", None)
    memberships = list(user.team_memberships.all())
    person = profile.person if profile is not None else None
    limit = profile.sign_off_limit_weekly_pence if profile else None
    initial = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "roles": profile.roles if profile else [],
        "teams": [m.team_id for m in memberships if not m.is_manager],
        "manages": [m.team_id for m in memberships if m.is_manager],
        "person_ref": person.la_person_id if person else "",
        "provider": profile.provider_id if profile else None,
        "sign_off_limit": pounds_field(limit),
    }
    return UserForm(data, initial=initial, user=user)


def _user_page(request: HttpRequest, user: User, form: UserForm, refusal: str = "") -> HttpResponse:
    profile = getattr(user, "profile", None)
    person = profile.person if profile is not None else None
    return render(
        request,
        "access/user_form.html",
        {
            "nav": "admin",
            "form": form,
            "creating": False,
            "subject": user,
            "is_self": user.pk == request.user.pk,
            # Only the reference and name: what an administrator needs to check the link.
            "linked_person": (
                {"reference": person.la_person_id, "name": person.full_name} if person else None
            ),
            "refusal_items": [("account-active", refusal)] if refusal else [],
            "pending": role_changes_pending_for(user),
            "second_admin_roles": SECOND_ADMINISTRATOR_LABELS,
            "has_errors": bool(refusal),
        },
    )


def _user_get(user_id: int) -> User:
    return get_object_or_404(
        User.objects.select_related("profile__person", "profile__provider"), pk=user_id
    )


@requires("users.manage")
def user_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    user = _user_get(user_id)
    form = _user_form(user, posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(actor=acting_user(request.user), user=user, **_form_fields(form))
        except services.AccessError as refused:
            _refused(form, refused)
        else:
            messages.success(
                request, _saved(f"The changes to {user.username} have been saved", user)
            )
            return redirect("access:user", user_id=user.pk)
    return _user_page(request, user, form)


def _saved(done: str, user: User) -> str:
    """What a save did, and which roles now wait for a second administrator."""
    waiting = [Role(c.role).label for c in role_changes_pending_for(user)]
    if waiting:
        return f"{done}. Waiting for a second administrator to confirm: {', '.join(waiting)}"
    return done


@requires("users.manage")
def user_password(request: HttpRequest, user_id: int) -> HttpResponse:
    user = get_object_or_404(User, pk=user_id)
    form = PasswordForm(posted(request), user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_password(
                actor=acting_user(request.user), user=user, password=form.cleaned_data["password1"]
            )
        except services.AccessError as refused:
            _refused(form, refused)
        else:
            messages.success(request, f"The password for {user.username} has been changed")
            return redirect("access:user", user_id=user.pk)
    return render(
        request, "access/user_password.html", {"nav": "admin", "form": form, "subject": user}
    )


@requires("users.manage")
def user_active(request: HttpRequest, user_id: int) -> HttpResponse:
    """POST ``active=0`` deactivates the account, ``active=1`` reactivates it."""
    user = _user_get(user_id)
    if request.method != "POST":
        return redirect("access:user", user_id=user.pk)
    actor = acting_user(request.user)
    reactivate = request.POST.get("active") == "1"
    try:
        if reactivate:
            services.user_reactivate(actor=actor, user=user)
        else:
            services.user_deactivate(actor=actor, user=user)
    except services.AccessError as refused:
        # The user's page as it is, with the refusal in its error summary.
        return _user_page(request, user, _user_form(user, None), refusal=str(refused))
    done = "reactivated" if reactivate else "deactivated"
    messages.success(request, f"The account {user.username} has been {done}")
    return redirect("access:user", user_id=user.pk)


def _count_per_team(rows: QuerySet[Any]) -> Coalesce:
    """How many of ``rows`` (filtered to a team by OuterRef) there are, as one subquery,
    so several counts per team do not multiply each other's joins."""
    counted = rows.order_by().values("team_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def teams_with_counts() -> QuerySet[Team]:
    members = TeamMembership.objects.filter(team_id=OuterRef("pk"))
    return Team.objects.annotate(
        members=_count_per_team(members),
        managers=_count_per_team(members.filter(Q(is_manager=True))),
        # People builds on access: a team's caseload is counted through the relation
        # Person.team declares, without importing people (decision 0011).
        people=Count("caseload"),
    ).order_by("name")


@requires("users.manage")
def team_list(request: HttpRequest) -> HttpResponse:
    return render(request, "access/team_list.html", {"nav": "admin", "teams": teams_with_counts()})


def _team_fields(form: TeamForm) -> dict[str, str]:
    return {k: form.cleaned_data[k] for k in ("name", "code", "area")}


@requires("users.manage")
def team_new(request: HttpRequest) -> HttpResponse:
    form = TeamForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(actor=acting_user(request.user), **_team_fields(form))
        except services.AccessError as refused:
            _refused(form, refused)
        else:
            messages.success(request, f"{team.name} has been created")
            return redirect("access:teams")
    return render(
        request, "access/team_form.html", {"nav": "admin", "form": form, "creating": True}
    )


@requires("users.manage")
def team_edit(request: HttpRequest, team_id: int) -> HttpResponse:
    team = get_object_or_404(Team, pk=team_id)
    form = TeamForm(posted(request), team=team)
    if request.method == "POST" and form.is_valid():
        try:
            services.team_update(actor=acting_user(request.user), team=team, **_team_fields(form))
        except services.AccessError as refused:
            _refused(form, refused)
        else:
            messages.success(request, f"{team.name} has been saved")
            return redirect("access:teams")
    return render(
        request,
        "access/team_form.html",
        {"nav": "admin", "form": form, "creating": False, "team": team},
    )


@requires("users.manage")
def token_list(request: HttpRequest) -> HttpResponse:
    """Every user's API tokens, newest first; ``?user=USERNAME`` shows one user's."""
    username = request.GET.get("user", "").strip()
    everyone = tokens.api_token_list(request.user, everyone=True)
    if username:
        everyone = everyone.filter(user__username__iexact=username)
    page = Paginator(everyone, USERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "access/admin_token_list.html",
        {
            "nav": "admin",
            "page": page,
            "username": username,
            "now": timezone.now(),
            "caption": f"{page.paginator.count} token{'s' if page.paginator.count != 1 else ''}",
        },
    )


@requires("users.manage")
def role_change_list(request: HttpRequest) -> HttpResponse:
    """Every role given, taken away, asked for, confirmed or refused, newest first."""
    username = request.GET.get("user", "").strip()
    status = request.GET.get("status", "")
    if status not in RoleChange.Status.values:
        status = ""
    page = Paginator(role_changes(username=username, status=status), USERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "access/role_change_list.html",
        {
            "nav": "admin",
            "page": page,
            "username": username,
            "status": status,
            "status_choices": RoleChange.Status.choices,
        },
    )


def _role_change_decide(request: HttpRequest, change_id: int, *, confirm: bool) -> HttpResponse:
    require_post(request)
    change = get_object_or_404(RoleChange.objects.select_related("user"), pk=change_id)
    actor = acting_user(request.user)
    label, username = Role(change.role).label, change.user.username
    if confirm:
        run_and_tell(
            request,
            lambda: services.role_change_confirm(actor=actor, change=change),
            f"{username} now has the role {label}",
        )
    else:
        run_and_tell(
            request,
            lambda: services.role_change_refuse(actor=actor, change=change),
            f"The role {label} for {username} has been refused",
        )
    if request.POST.get("from") == "user":
        return redirect("access:user", user_id=change.user_id)
    return redirect("access_admin:role_changes")


@requires("users.manage")
def role_change_confirm(request: HttpRequest, change_id: int) -> HttpResponse:
    return _role_change_decide(request, change_id, confirm=True)


@requires("users.manage")
def role_change_refuse(request: HttpRequest, change_id: int) -> HttpResponse:
    return _role_change_decide(request, change_id, confirm=False)
