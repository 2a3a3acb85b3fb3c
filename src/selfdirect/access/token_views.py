"""Your API tokens: list, make (the token is shown once) and revoke. Every signed-in user
has this page for their own tokens; administrators revoke anyone's from theirs."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from selfdirect.access import tokens
from selfdirect.access.forms import ApiTokenForm, add_problems
from selfdirect.access.selectors import acting_user, user_can
from selfdirect.forms_gov import posted
from selfdirect.refusals import require_post, run_and_tell


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    """GET: your tokens and the form for a new one. POST: make it and show it, once."""
    user = acting_user(request.user)
    form = ApiTokenForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            token = tokens.api_token_create(
                actor=user,
                user=user,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
            )
        except tokens.TokenError as refused:
            add_problems(form, [(refused.field, str(refused))])
        else:
            # Rendered, not redirected: the token is never stored anywhere it could be read again.
            response = render(
                request,
                "access/token_created.html",
                {
                    "nav": "account",
                    "token": token,
                    "record": tokens.api_token_list(user).filter(prefix=token[:8]).first(),
                },
            )
            response["Cache-Control"] = "no-store"
            return response
    return render(
        request,
        "access/token_list.html",
        {
            "nav": "account",
            "form": form,
            "tokens": tokens.api_token_list(user),
            "now": timezone.now(),
        },
    )


@login_required
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    """POST: revoke a token you may see (yours; an administrator, anyone's)."""
    require_post(request)
    token = tokens.api_token_get(request.user, token_id)
    run_and_tell(
        request,
        lambda: tokens.api_token_revoke(actor=acting_user(request.user), token=token),
        f"The API token {token.name} has been revoked",
    )
    if request.POST.get("from") == "admin" and user_can(request.user, "users.manage"):
        return redirect("access_admin:tokens")
    return redirect("tokens:list")
