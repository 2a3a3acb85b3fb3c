"""Saved what-if scenarios: save one by name, list them, run one again, delete one's own.
Services (one transaction each, audited) and the selectors the pages use."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from selfdirect.allocation.models import RasVersion, WhatIfScenario
from selfdirect.allocation.services import AllocationError
from selfdirect.allocation.whatif import ShownRow, WhatIf, whatif_shown
from selfdirect.allocation.whatif_caseload import Figures, whatif_figures
from selfdirect.audit.models import Action
from selfdirect.audit.services import event_record
from selfdirect.money import pounds

SCENARIO_NAME_NEEDED = "Enter a name for the scenario"
SCENARIO_NAME_TOO_LONG = "The name must be 120 characters or fewer"
SCENARIO_NAME_TAKEN = "You already have a scenario called ‘{name}’: choose another name"
SCENARIO_NOT_YOURS = "Only the person who saved a scenario can delete it"
SCENARIO_NOT_A_DRAFT = "{version} is no longer a draft: run it as it is in force instead"


def shown_summary(summary: WhatIf) -> dict[str, Any]:
    """The figures as the page shows them (small counts suppressed), as stored data."""
    overall, tables = whatif_shown(summary, settings.SELFDIRECT_SMALL_COUNT_THRESHOLD)
    return {
        "overall": dataclasses.asdict(overall),
        "tables": {title: [dataclasses.asdict(r) for r in rows] for title, rows in tables.items()},
        "threshold": settings.SELFDIRECT_SMALL_COUNT_THRESHOLD,
    }


def shown_rows(stored: dict[str, Any]) -> tuple[ShownRow, dict[str, list[ShownRow]]]:
    """Stored figures back as the rows the page shows."""
    return ShownRow(**stored["overall"]), {
        title: [ShownRow(**r) for r in rows] for title, rows in stored["tables"].items()
    }


@transaction.atomic
def scenario_save(
    *,
    actor: User,
    name: str,
    in_force: RasVersion,
    draft: RasVersion | None = None,
    edits: dict[str, int] | None = None,
    on: dt.date,
) -> WhatIfScenario:
    """Run the what-if now and keep it by name, with the caseload it ran on."""
    name = name.strip()
    if not name:
        raise AllocationError(SCENARIO_NAME_NEEDED, field="name")
    if len(name) > 120:
        raise AllocationError(SCENARIO_NAME_TOO_LONG, field="name")
    if WhatIfScenario.objects.filter(created_by=actor, name=name).exists():
        raise AllocationError(SCENARIO_NAME_TAKEN.format(name=name), field="name")
    if draft is not None and draft.status != RasVersion.Status.DRAFT:
        raise AllocationError(SCENARIO_NOT_A_DRAFT.format(version=draft), field="draft")
    figures = whatif_figures(in_force=in_force, draft=draft, edits=edits, on=on)
    shown = shown_summary(figures.summary)
    try:
        with transaction.atomic():
            scenario = WhatIfScenario.objects.create(
                name=name,
                kind=WhatIfScenario.Kind.DRAFT if draft else WhatIfScenario.Kind.EDITS,
                in_force=in_force,
                draft=draft,
                edits={} if draft else dict(edits or {}),
                data_date=on,
                caseload=[list(pair) for pair in figures.caseload],
                summary=shown,
                created_by=actor,
            )
    except IntegrityError:  # the same name saved at the same moment
        raise AllocationError(SCENARIO_NAME_TAKEN.format(name=name), field="name") from None
    overall = figures.summary.overall
    event_record(
        actor=actor,
        action=Action.CREATE,
        object_type="whatif_scenario",
        object_id=scenario.pk,
        summary=f"Saved the what-if scenario ‘{name}’ ({scenario.get_kind_display().lower()})",
        changes={
            "What was run": [None, str(draft) if draft else f"{in_force} with changes"],
            "Weekly cost now": [None, pounds(overall.current_pence)],
            "Weekly cost with the changes": [None, pounds(overall.proposed_pence)],
        },
    )
    return scenario


def scenario_rerun(scenario: WhatIfScenario, *, on: dt.date | None = None) -> Figures:
    """The scenario run again over the allocations and amounts it was saved with (ages as at
    its data date): the same figures, to the penny, whatever has changed since."""
    return whatif_figures(
        in_force=scenario.in_force,
        draft=scenario.draft,
        edits=scenario.edits,
        on=on or scenario.data_date,
        caseload=[(int(a), int(p)) for a, p in scenario.caseload],
    )


@transaction.atomic
def scenario_delete(*, actor: User, scenario: WhatIfScenario) -> None:
    if scenario.created_by_id != actor.pk:
        raise AllocationError(SCENARIO_NOT_YOURS)
    locked = WhatIfScenario.objects.select_for_update().filter(pk=scenario.pk).first()
    if locked is None:
        return  # deleted a moment ago by another request of the same owner
    event_record(
        actor=actor,
        action=Action.DELETE,
        object_type="whatif_scenario",
        object_id=locked.pk,
        summary=f"Deleted the what-if scenario ‘{locked.name}’",
        changes={"Name": [locked.name, None]},
    )
    locked.delete()


def scenarios_list() -> QuerySet[WhatIfScenario]:
    """Every saved scenario: what-if figures are for everyone who may use the what-if."""
    return WhatIfScenario.objects.select_related("created_by", "in_force", "draft").defer(
        "caseload"
    )
