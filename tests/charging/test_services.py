"""Financial assessment services: start, fill, defer, light-touch, complete (recording the
assessed contribution), and the rates table; each refusal named and changing nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from selfdirect.audit.models import Event
from selfdirect.charging import services
from selfdirect.charging.models import ChargingRates, FinancialAssessment
from selfdirect.charging.selectors import standing_of
from selfdirect.planning.figures import budget_figures, contribution_on

pytestmark = pytest.mark.django_db

APRIL = dt.date(2026, 4, 6)
PENSIONER_AMOUNTS = {
    "capital": {"savings": 1_600_000, "main_home": 25_000_000},
    "income": {"state_pension": 23_025, "daily_living": 7_390, "mobility": 7_705},
    "dre": {"community_alarm": 500, "heating": 1_500},
    "housing": {"council_tax": 1_000},
}


def _started(council: Any) -> FinancialAssessment:
    return services.assessment_start(actor=council.users["finance"], person=council.holder_person)


def _filled(
    council: Any, amounts: dict[str, dict[str, int]] = PENSIONER_AMOUNTS
) -> FinancialAssessment:
    return services.assessment_fill(
        actor=council.users["finance"],
        assessment=_started(council),
        band="single_pension_age",
        disability_premium=False,
        enhanced_disability_premium=False,
        carer_premium=False,
        dependent_children=0,
        amounts=amounts,
    )


def test_shipped_rates_carry_the_national_limits_and_say_what_is_unchecked() -> None:
    rates = services.rates_on(APRIL)
    assert rates is not None
    assert (rates.upper_capital_pence, rates.lower_capital_pence) == (2_325_000, 1_425_000)
    assert (rates.mig_single_18_24_pence, rates.mig_single_25_pension_pence) == (8_915, 11_250)
    assert "NOT YET CHECKED" in rates.source
    assert services.rates_on(dt.date(2025, 4, 5)) is None


def test_complete_stores_working_and_records_the_contribution(council: Any) -> None:
    """The pensioner of test_rules: £48.55 a week (the mobility component and the home are
    not counted), recorded as the assessed contribution from the date given."""
    assessment = services.assessment_complete(
        actor=council.users["finance"],
        assessment=_filled(council),
        weekly_cost_pence=50_000,
        charge_from=APRIL,
    )
    assessment.refresh_from_db()
    assert assessment.status == "completed"
    assert assessment.weekly_charge_pence == 4_855
    assert assessment.rates is not None and assessment.rates.effective_from == dt.date(2025, 4, 6)
    assert assessment.working[-1] == {"words": "Weekly charge", "pence": 4_855, "total": True}
    contribution = contribution_on(council.holder_person.pk, APRIL)
    assert contribution is not None and contribution.weekly_pence == 4_855
    assert contribution.source_reference == f"Financial assessment FA-{assessment.pk}"
    assert assessment.contribution == contribution
    figures = budget_figures(person=council.holder_person, on=APRIL)
    assert figures.assessed_contribution_weekly_pence == 4_855
    assert Event.objects.filter(
        object_type="financial_assessment", object_id=str(assessment.pk), action="update"
    ).exists()
    assert standing_of(council.holder_person.pk).words.startswith("Completed on ")


def test_finished_assessment_cannot_change(council: Any) -> None:
    assessment = services.assessment_complete(
        actor=council.users["finance"],
        assessment=_filled(council),
        weekly_cost_pence=50_000,
        charge_from=APRIL,
    )
    with pytest.raises(services.ChargingError, match=services.ASSESSMENT_CLOSED):
        services.assessment_defer(
            actor=council.users["finance"],
            assessment=assessment,
            reason="Waiting",
            until=timezone.localdate(),
        )


def test_one_open_assessment_at_a_time(council: Any) -> None:
    first = _started(council)
    with pytest.raises(services.ChargingError) as refused:
        _started(council)
    assert str(refused.value) == services.ASSESSMENT_OPEN.format(ref=first.reference)
    assert FinancialAssessment.objects.count() == 1


def test_no_band_refused_and_nothing_recorded(council: Any) -> None:
    assessment = _started(council)
    with pytest.raises(services.ChargingError, match=services.BAND_NEEDED):
        services.assessment_complete(
            actor=council.users["finance"],
            assessment=assessment,
            weekly_cost_pence=50_000,
            charge_from=APRIL,
        )
    assert contribution_on(council.holder_person.pk, APRIL) is None
    assessment.refresh_from_db()
    assert assessment.status == "outstanding"


def test_unknown_kind_or_negative_amount_refused(council: Any) -> None:
    assessment = _started(council)
    fill = {
        "actor": council.users["finance"],
        "assessment": assessment,
        "band": "single_pension_age",
        "disability_premium": False,
        "enhanced_disability_premium": False,
        "carer_premium": False,
        "dependent_children": 0,
    }
    with pytest.raises(services.ChargingError) as refused:
        services.assessment_fill(**fill, amounts={"income": {"lottery": 100}})
    assert refused.value.field == "lottery"
    with pytest.raises(services.ChargingError, match="cannot be below nothing"):
        services.assessment_fill(**fill, amounts={"income": {"earnings": -1}})
    assert not assessment.items.exists()


def test_no_rates_on_the_date_refused(council: Any) -> None:
    with pytest.raises(services.ChargingError) as refused:
        services.assessment_complete(
            actor=council.users["finance"],
            assessment=_filled(council),
            weekly_cost_pence=50_000,
            charge_from=dt.date(2024, 4, 1),
        )
    assert str(refused.value) == services.NO_RATES.format(on="1 April 2024")
    assert refused.value.field == "charge_from"


def test_contribution_date_taken_refused_as_the_assessment_field(council: Any) -> None:
    services.assessment_complete(
        actor=council.users["finance"],
        assessment=_filled(council),
        weekly_cost_pence=50_000,
        charge_from=APRIL,
    )
    second = _filled(council)
    with pytest.raises(services.ChargingError) as refused:
        services.assessment_complete(
            actor=council.users["finance"],
            assessment=second,
            weekly_cost_pence=50_000,
            charge_from=APRIL,
        )
    assert refused.value.field == "charge_from"
    second.refresh_from_db()
    assert second.status == "outstanding" and second.weekly_charge_pence is None


def test_defer_shows_as_deferred(council: Any) -> None:
    until = timezone.localdate() + dt.timedelta(days=28)
    services.assessment_defer(
        actor=council.users["practitioner"],
        assessment=_started(council),
        reason="Waiting for bank statements",
        until=until,
    )
    standing = standing_of(council.holder_person.pk)
    assert standing.status == "deferred"
    assert standing.words == f"Deferred until {until:%-d %B %Y}: Waiting for bank statements"
    with pytest.raises(services.ChargingError, match=services.DEFER_DATE_PAST):
        services.assessment_defer(
            actor=council.users["practitioner"],
            assessment=standing.assessment,  # type: ignore[arg-type]
            reason="Again",
            until=timezone.localdate() - dt.timedelta(days=1),
        )


def test_light_touch_pays_full_cost(council: Any) -> None:
    assessment = services.light_touch_record(
        actor=council.users["finance"],
        assessment=_started(council),
        choice="capital_above_limit",
        weekly_cost_pence=32_000,
        charge_from=APRIL,
    )
    assert assessment.status == "light_touch"
    assert assessment.weekly_charge_pence == 32_000
    assert contribution_on(council.holder_person.pk, APRIL).weekly_pence == 32_000  # type: ignore[union-attr]
    with pytest.raises(services.ChargingError, match=services.LIGHT_TOUCH_NEEDED):
        services.light_touch_record(
            actor=council.users["finance"],
            assessment=_started(council),
            choice="",
            weekly_cost_pence=32_000,
            charge_from=APRIL,
        )


def _figures(**changed: int) -> dict[str, int]:
    shipped = ChargingRates.objects.get(effective_from=dt.date(2025, 4, 6))
    return {name: getattr(shipped, name) for name in services.RATE_FIELDS} | changed


def test_rates_add_from_today_and_used_rates_never_change(council: Any) -> None:
    finance = council.users["finance"]
    today = timezone.localdate()
    added = services.rates_add(
        actor=finance,
        effective_from=today,
        figures_pence=_figures(mig_single_pension_age_pence=24_000),
        source="Council decision",
    )
    # Not used yet: corrected by adding again from the same date.
    again = services.rates_add(
        actor=finance,
        effective_from=today,
        figures_pence=_figures(mig_single_pension_age_pence=24_100),
        source="Council decision, corrected",
    )
    assert again.pk == added.pk and again.mig_single_pension_age_pence == 24_100
    services.assessment_complete(
        actor=finance, assessment=_filled(council), weekly_cost_pence=50_000, charge_from=today
    )
    with pytest.raises(services.ChargingError) as refused:
        services.rates_add(
            actor=finance,
            effective_from=today,
            figures_pence=_figures(mig_single_pension_age_pence=1),
            source="Council decision",
        )
    assert str(refused.value) == services.RATES_USED.format(on=f"{today:%-d %B %Y}")
    again.refresh_from_db()
    assert again.mig_single_pension_age_pence == 24_100
    with pytest.raises(services.ChargingError, match=services.RATES_DATE_PAST):
        services.rates_add(
            actor=finance,
            effective_from=today - dt.timedelta(days=1),
            figures_pence=_figures(),
            source="Council decision",
        )
    with pytest.raises(services.ChargingError, match=services.RATES_LIMITS):
        services.rates_add(
            actor=finance,
            effective_from=today + dt.timedelta(days=1),
            figures_pence=_figures(lower_capital_pence=3_000_000),
            source="Council decision",
        )


def test_whole_record_export_holds_the_assessment_its_amounts_and_working(council: Any) -> None:
    from selfdirect.portal.record_export import person_record

    assessment = services.assessment_complete(
        actor=council.users["finance"],
        assessment=_filled(council),
        weekly_cost_pence=50_000,
        charge_from=APRIL,
    )
    exported = person_record(council.holder_person)["financial_assessments"]
    assert [a["id"] for a in exported] == [assessment.pk]
    assert exported[0]["weekly_charge_pence"] == 4_855
    assert {(i["kind"], i["amount_pence"]) for i in exported[0]["items"]} >= {
        ("savings", 1_600_000),
        ("mobility", 7_705),
    }
    assert exported[0]["working"][-1]["pence"] == 4_855


def test_recomputed_from_what_is_stored_equals_the_stored_result(council: Any) -> None:
    """Years later, the stored amounts and the stored rates row give the same charge and
    working, even after newer rates have been added."""
    from selfdirect.charging import rules
    from selfdirect.charging.models import AssessmentItem

    assessment = services.assessment_complete(
        actor=council.users["finance"],
        assessment=_filled(council),
        weekly_cost_pence=50_000,
        charge_from=APRIL,
    )
    services.rates_add(
        actor=council.users["finance"],
        effective_from=timezone.localdate(),
        figures_pence=_figures(mig_single_pension_age_pence=30_000),
        source="Later rates",
    )
    assessment = FinancialAssessment.objects.get(pk=assessment.pk)
    assert assessment.rates is not None
    amounts = services.amounts_of(assessment)
    again = rules.weekly_charge(
        rates=assessment.rates.as_rates(),
        circumstances=rules.Circumstances(band=assessment.band),
        capital=amounts[AssessmentItem.Section.CAPITAL],
        income=amounts[AssessmentItem.Section.INCOME],
        dre=amounts[AssessmentItem.Section.DRE],
        housing=amounts[AssessmentItem.Section.HOUSING],
        weekly_cost_pence=assessment.weekly_cost_pence or 0,
    )
    assert again.weekly_charge_pence == assessment.weekly_charge_pence == 4_855
    assert [line.words for line in again.working] == [w["words"] for w in assessment.working]


def test_a_contribution_entered_from_an_assessment_kept_elsewhere_is_not_outstanding(
    council: Any,
) -> None:
    from selfdirect.planning.figures import assessed_contribution_record

    assert standing_of(council.holder_person.pk).words == (
        "Outstanding: the financial assessment has not been started"
    )
    assessed_contribution_record(
        actor=council.users["finance"],
        person=council.holder_person,
        weekly_pence=2_500,
        effective_from=APRIL,
        source_reference="FA-2026-0042",
    )
    assert standing_of(council.holder_person.pk).words == (
        "Done outside Selfdirect (FA-2026-0042): £25.00 a week from 6 April 2026"
    )
