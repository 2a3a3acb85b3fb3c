"""The manager's queues page: what waits for sign-off, the panel or approval in their teams."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from selfdirect.access.decorators import requires
from selfdirect.access.models import Team
from selfdirect.access.selectors import teams_of
from selfdirect.audit.services import looks_record
from selfdirect.portal.queues import (
    AGES,
    KINDS,
    OVERDUE_DAYS,
    ROWS_SHOWN,
    QueueFilters,
    queue_workers,
    queues_for,
)


class QueueFilterForm(forms.Form):
    kind = forms.ChoiceField(label="What", required=False)
    team = forms.TypedChoiceField(label="Team", required=False, coerce=int, empty_value=None)
    worker = forms.TypedChoiceField(
        label="Named worker", required=False, coerce=int, empty_value=None
    )
    age = forms.TypedChoiceField(label="Waiting", required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, teams: list[Team], workers: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: dict[str, list[tuple[Any, str]]] = {
            "kind": [("", "Everything"), *KINDS.items()],
            "team": [("", "All your teams")] + [(t.pk, t.name) for t in teams],
            "worker": [("", "Any worker")]
            + [(u.pk, u.get_full_name() or u.get_username()) for u in workers],
            "age": [("", "Any time"), *AGES.items()],
        }
        for name, options in choices.items():
            cast(forms.ChoiceField, self.fields[name]).choices = options


@requires("queues.view")
def work_queues(request: HttpRequest) -> HttpResponse:
    teams = list(teams_of(request.user))
    form = QueueFilterForm(request.GET or None, teams=teams, workers=queue_workers(teams))
    filters = QueueFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = QueueFilters(
            kind=data["kind"] or "",
            team_id=data["team"],
            worker_id=data["worker"],
            older_than_days=data["age"],
        )
    queues = queues_for(request.user, filters)
    looks_record(
        actor=request.user, people=[row.person for row in queues.rows], summary="Listed in a queue"
    )
    return render(
        request,
        "portal/queues.html",
        {
            "nav": "home",
            "form": form,
            "queues": queues,
            "kinds": KINDS,
            "kind_rows": [
                (k, label, queues.counts[k], queues.totals[k]) for k, label in KINDS.items()
            ],
            "overdue_days": OVERDUE_DAYS,
            "rows_shown": ROWS_SHOWN,
        },
    )
