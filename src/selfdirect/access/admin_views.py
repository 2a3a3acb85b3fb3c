"""Administrators' pages: users and teams."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from selfdirect.access import services
from selfdirect.access.decorators import requires
from selfdirect.access.forms import NewUserForm, PasswordForm, TeamForm, UserForm
from selfdirect.access.models import Team
from selfdirect.access.roles import Role
from selfdirect.access.selectors import acting_user
from selfdirect.money import pounds


def _post(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


@requires("users.manage")
def user_list(request: HttpRequest) -> HttpResponse:
    role = request.GET.get("role", "")
    users = (
        User.objects.select_related("profile")
        .prefetch_related("team_memberships__team")
        .order_by("username")
    )
    if role in Role.values:
        users = users.filter(profile__roles__icontains=f'"{role}"')
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    rows = []
    for user in page.object_list:
        profile = getattr(user, "profile", None)
        rows.append(
            {
                "user": user,
                "roles": ", ".join(
                    Role(r).label for r in (profile.roles if profile else []) if r in Role.values
                ),
                "teams": ", ".join(m.team.name for m in user.team_memberships.all()),
            }
        )
    return render(
        request,
        "access/user_list.html",
        {"nav": "admin", "page": page, "rows": rows, "role": role, "role_choices": Role.choices},
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
    form = NewUserForm(_post(request))
    if request.method == "POST" and form.is_valid():
        user = services.user_create(
            actor=acting_user(request.user),
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password1"],
            **_form_fields(form),
        )
        messages.success(request, f"User {user.username} has been created")
        return redirect("access:user", user_id=user.pk)
    return render(
        request, "access/user_form.html", {"nav": "admin", "form": form, "creating": True}
    )


@requires("users.manage")
def user_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    user = get_object_or_404(
        User.objects.select_related("profile__person", "profile__provider"), pk=user_id
    )
    profile = getattr(user, "profile", None)
    memberships = list(user.team_memberships.all())
    initial = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "roles": profile.roles if profile else [],
        "teams": [m.team_id for m in memberships if not m.is_manager],
        "manages": [m.team_id for m in memberships if m.is_manager],
        "person_ref": profile.person.la_person_id if profile and profile.person else "",
        "provider": profile.provider_id if profile else None,
        "sign_off_limit": pounds(profile.sign_off_limit_weekly_pence).lstrip("£").replace(",", "")
        if profile and profile.sign_off_limit_weekly_pence is not None
        else "",
    }
    form = UserForm(_post(request), initial=initial, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(actor=acting_user(request.user), user=user, **_form_fields(form))
        except services.AccessError as refused:
            form.add_error(refused.field or None, str(refused))
        else:
            messages.success(request, f"The changes to {user.username} have been saved")
            return redirect("access:user", user_id=user.pk)
    return render(
        request,
        "access/user_form.html",
        {"nav": "admin", "form": form, "creating": False, "subject": user},
    )


@requires("users.manage")
def user_password(request: HttpRequest, user_id: int) -> HttpResponse:
    user = get_object_or_404(User, pk=user_id)
    form = PasswordForm(_post(request), user=user)
    if request.method == "POST" and form.is_valid():
        services.user_set_password(
            actor=acting_user(request.user), user=user, password=form.cleaned_data["password1"]
        )
        messages.success(request, f"The password for {user.username} has been changed")
        return redirect("access:user", user_id=user.pk)
    return render(
        request, "access/user_password.html", {"nav": "admin", "form": form, "subject": user}
    )


@requires("users.manage")
def user_active(request: HttpRequest, user_id: int) -> HttpResponse:
    user = get_object_or_404(User, pk=user_id)
    if request.method == "POST":
        active = request.POST.get("active") == "1"
        try:
            services.user_set_active(actor=acting_user(request.user), user=user, active=active)
        except services.AccessError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request, f"{user.username} has been {'switched on' if active else 'switched off'}"
            )
    return redirect("access:user", user_id=user.pk)


@requires("users.manage")
def team_list(request: HttpRequest) -> HttpResponse:
    teams = Team.objects.annotate(
        members=Count("memberships", distinct=True),
        managers=Count("memberships", filter=Q(memberships__is_manager=True), distinct=True),
        people=Count("caseload", distinct=True),
    ).order_by("name")
    return render(request, "access/team_list.html", {"nav": "admin", "teams": teams})


@requires("users.manage")
def team_new(request: HttpRequest) -> HttpResponse:
    form = TeamForm(_post(request))
    if request.method == "POST" and form.is_valid():
        team = services.team_create(actor=acting_user(request.user), **form.cleaned_data)
        messages.success(request, f"{team.name} has been created")
        return redirect("access:teams")
    return render(
        request, "access/team_form.html", {"nav": "admin", "form": form, "creating": True}
    )


@requires("users.manage")
def team_edit(request: HttpRequest, team_id: int) -> HttpResponse:
    team = get_object_or_404(Team, pk=team_id)
    form = TeamForm(_post(request), instance=Team.objects.get(pk=team.pk))
    if request.method == "POST" and form.is_valid():
        services.team_update(actor=acting_user(request.user), team=team, **form.cleaned_data)
        messages.success(request, f"{form.cleaned_data['name']} has been saved")
        return redirect("access:teams")
    return render(
        request,
        "access/team_form.html",
        {"nav": "admin", "form": form, "creating": False, "team": team},
    )
