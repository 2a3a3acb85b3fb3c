"""Pooled budget pages: the pools a user may see, setting one up, and adding shares."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from selfdirect.access.decorators import requires
from selfdirect.access.selectors import acting_user, user_can
from selfdirect.audit.services import looks_record, record_or_refused
from selfdirect.budgets import pooling
from selfdirect.budgets.pool_forms import PoolForm, PoolShareForm
from selfdirect.forms_gov import posted
from selfdirect.refusals import require_post, run_and_tell


@requires("pool.view")
def pool_list(request: HttpRequest) -> HttpResponse:
    summaries = pooling.pool_summaries(request.user)
    looks_record(
        actor=request.user,
        people=[sh for s in summaries for sh in s.own_shares],
        summary="Named in the list of pools",
    )
    return render(
        request,
        "budgets/pool_list.html",
        {
            "summaries": summaries,
            "can_manage": user_can(request.user, "pool.manage"),
            "nav": "home",
        },
    )


@requires("pool.manage")
def pool_new(request: HttpRequest) -> HttpResponse:
    user = acting_user(request.user)
    form = PoolForm(posted(request))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            pool = pooling.pool_create(
                actor=user,
                name=d["name"],
                activity=d["activity"],
                organisation=d["organisation"],
                starts_on=d["starts_on"],
            )
        except pooling.PoolError as refused:
            form.add_error(refused.field or None, str(refused))
        else:
            messages.success(request, f"The pool ‘{pool.name}’ has been set up")
            return redirect("budgets:pool", pool_id=pool.pk)
    return render(request, "budgets/pool_form.html", {"form": form, "nav": "home"})


@requires("pool.view")
def pool_detail(request: HttpRequest, pool_id: int) -> HttpResponse:
    pool = pooling.pool_get(request.user, pool_id)
    summary = pooling.pool_summary(request.user, pool)
    looks_record(
        actor=request.user, people=summary.own_shares, summary=f"Named in the pool {pool.name}"
    )
    return render(
        request,
        "budgets/pool_detail.html",
        {
            "summary": summary,
            "pool": pool,
            "can_manage": user_can(request.user, "pool.manage"),
            "nav": "home",
        },
    )


@requires("pool.manage")
def pool_share_new(request: HttpRequest, pool_id: int) -> HttpResponse:
    user = acting_user(request.user)
    pool = pooling.pool_get(user, pool_id)
    lines = pooling.poolable_lines(user)
    looks_record(
        actor=user,
        people=[line.plan.person_id for line in lines],
        summary="Named in the choice of lines to pool",
    )
    form = PoolShareForm(
        posted(request),
        lines=lines,
        initial={"joined_on": max(pool.starts_on, timezone.localdate())},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            share = pooling.pool_share_add(
                actor=user,
                pool=pool,
                line=d["line"],
                weekly_pence=d["weekly"],
                joined_on=d["joined_on"],
            )
        except pooling.PoolError as refused:
            form.add_error(refused.field.replace("weekly_pence", "weekly") or None, str(refused))
        else:
            messages.success(request, f"{share.person.full_name}’s share has been added")
            return redirect("budgets:pool", pool_id=pool.pk)
    return render(
        request, "budgets/pool_share_form.html", {"pool": pool, "form": form, "nav": "home"}
    )


@requires("pool.manage")
def pool_share_end(request: HttpRequest, pool_id: int, share_id: int) -> HttpResponse:
    require_post(request)
    user = acting_user(request.user)
    pool = pooling.pool_get(user, pool_id)
    share = record_or_refused(pooling.shares_visible_to(user, pool), actor=user, object_id=share_id)
    run_and_tell(
        request,
        lambda: pooling.pool_share_end(actor=user, share=share, left_on=timezone.localdate()),
        f"{share.person.full_name}’s share has ended",
    )
    return redirect("budgets:pool", pool_id=pool.pk)
