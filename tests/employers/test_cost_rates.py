"""The tax years' rates for the true cost (docs/pa-employers.md): finance and administrators
see every row with its source and what is not yet checked, and add the next tax year's as
a new row from a date after the latest; rows are never changed; the holders' calculators
pick the row in force on their date."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from selfdirect.access.roles import Role
from selfdirect.audit.models import Action, Event
from selfdirect.employers import selectors, services
from selfdirect.employers.models import EmployerCostRates
from selfdirect.refusals import Refused
from tests.employers.conftest import add_pa

pytestmark = pytest.mark.django_db

URL = "/employers/rates/"
NEXT_YEAR = dt.date(2027, 4, 6)


def _figures(**overrides: int | None) -> dict[str, int | None]:
    row = EmployerCostRates.objects.get(tax_year="2026/27")
    return {**{n: getattr(row, n) for n in services.RATE_FIGURES}, **overrides}


def _typed(on: dt.date, **overrides: str) -> dict[str, str]:
    """The form as finance types it: the 2027/28 figures (NI 16%, NLW £13.20)."""
    return {
        "effective_from_day": str(on.day),
        "effective_from_month": str(on.month),
        "effective_from_year": str(on.year),
        "employer_ni_rate_bp": "16",
        "secondary_threshold_year_pence": "5000.00",
        "employment_allowance_year_pence": "10500.00",
        "holiday_weeks_tenths": "5.6",
        "pension_lower_year_pence": "6240.00",
        "pension_upper_year_pence": "50270.00",
        "pension_trigger_year_pence": "10000.00",
        "pension_employer_rate_bp": "3",
        "national_living_wage_pence": "13.20",
        "insurance_year_pence": "120.00",
        "payroll_fee_year_pence": "150.00",
        "source": "HMRC, Rates and thresholds for employers 2027 to 2028",
        "not_yet_checked": "National Living Wage £13.20",
        **overrides,
    }


def test_finance_sees_every_row_with_its_source_and_unchecked_figures(
    client: Any, council: Any
) -> None:
    client.force_login(council.users[Role.FINANCE])
    page = client.get(URL).content.decode()
    for row in EmployerCostRates.objects.all():
        assert f"{row.tax_year}, from {row.effective_from:%-d %B %Y}" in page
        assert escape(row.not_yet_checked) in page
    assert "Employer&#x27;s Class 1 National Insurance 15%" in page  # a source, as written
    assert page.count("NOT YET CHECKED") == 2
    # The form starts with the latest figures, as typed.
    assert 'value="12.71"' in page and 'value="5.6"' in page and 'value="15"' in page


def test_finance_adds_the_next_tax_year_as_a_new_row_and_it_is_audited(
    client: Any, council: Any
) -> None:
    before = {r.pk: r.national_living_wage_pence for r in EmployerCostRates.objects.all()}
    client.force_login(council.users[Role.FINANCE])
    response = client.post(URL, _typed(NEXT_YEAR))
    assert response.status_code == 302
    row = EmployerCostRates.objects.get(effective_from=NEXT_YEAR)
    assert row.tax_year == "2027/28"
    assert (row.employer_ni_rate_bp, row.national_living_wage_pence) == (1600, 1320)
    assert (row.holiday_weeks_tenths, row.pension_employer_rate_bp) == (56, 300)
    assert (
        row.insurance_year_pence == 12_000 and row.not_yet_checked == "National Living Wage £13.20"
    )
    # The rows already there are untouched.
    assert {
        r.pk: r.national_living_wage_pence for r in EmployerCostRates.objects.exclude(pk=row.pk)
    } == before
    event = Event.objects.get(object_type="employercostrates", action=Action.CREATE)
    assert event.actor == council.users[Role.FINANCE]
    assert event.changes["national_living_wage_pence"] == [None, 1320]


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("national_living_wage_pence", "", "Enter the National Living Wage"),
        ("employer_ni_rate_bp", "fifteen", "Enter a percentage as a number, like 15 or 13.8"),
        (
            "employer_ni_rate_bp",
            "150",
            "Enter the employer's National Insurance rate of 100% or less",
        ),
        (
            "holiday_weeks_tenths",
            "5.65",
            "Enter the weeks as a number with at most one decimal place, like 5.6",
        ),
        ("pension_lower_year_pence", "60000", services.RATES_BAND_ORDER),
        ("national_living_wage_pence", "0", "Enter the National Living Wage, more than 0"),
        ("source", "", services.RATES_SOURCE_NEEDED),
    ],
)
def test_a_wrong_figure_is_named_and_nothing_is_added(
    client: Any, council: Any, field: str, typed: str, message: str
) -> None:
    client.force_login(council.users[Role.ADMIN])
    response = client.post(URL, _typed(NEXT_YEAR, **{field: typed}))
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in page
    assert f'href="#id_{field}"' in page
    assert message.replace("'", "&#x27;") in page
    assert not EmployerCostRates.objects.filter(effective_from=NEXT_YEAR).exists()


def test_the_rates_must_start_after_the_latest_row(client: Any, council: Any) -> None:
    client.force_login(council.users[Role.FINANCE])
    page = client.post(URL, _typed(dt.date(2026, 4, 6))).content.decode()
    assert "The rates must start after the latest rates, which start on 6 April 2026" in page
    assert 'href="#id_effective_from' in page
    with pytest.raises(Refused) as refused:
        services.cost_rates_add(
            actor=council.users[Role.FINANCE],
            effective_from=dt.date(2026, 1, 1),
            figures=_figures(),
            source="A correction of the past",
        )
    assert refused.value.field == "effective_from"
    assert EmployerCostRates.objects.count() == 2
    assert not Event.objects.filter(object_type="employercostrates").exists()


def test_no_one_else_sees_the_rates_page(client: Any, council: Any) -> None:
    for role in (Role.HOLDER, Role.PRACTITIONER, Role.COMMISSIONER):
        client.force_login(council.users[role])
        assert client.get(URL).status_code == 403


def test_the_holders_calculator_picks_the_new_row_from_its_date(council: Any) -> None:
    add_pa(council, hours_hundredths=3750, hourly_rate_pence=1250)
    person = council.holder_person
    services.cost_rates_add(
        actor=council.users[Role.FINANCE],
        effective_from=NEXT_YEAR,
        figures=_figures(employer_ni_rate_bp=1600),
        source="HMRC 2027 to 2028",
    )
    before = selectors.true_cost(person, on=NEXT_YEAR - dt.timedelta(days=1))
    after = selectors.true_cost(person, on=NEXT_YEAR)
    assert before is not None and after is not None
    assert (before.rates.tax_year, after.rates.tax_year) == ("2026/27", "2027/28")
    # 37.5 hours at £12.50: pay in the year £27,000; NI on £22,000 at 15% then 16%.
    assert before.cost.ni_year_pence == 330_000
    assert after.cost.ni_year_pence == 352_000


def test_the_holders_page_uses_rates_added_from_today(client: Any, council: Any) -> None:
    add_pa(council)
    today = timezone.localdate()
    services.cost_rates_add(
        actor=council.users[Role.FINANCE],
        effective_from=today,
        figures=_figures(employer_ni_rate_bp=1750),
        source="A correction from today",
        not_yet_checked="the corrected NI rate",
    )
    client.force_login(council.users[Role.HOLDER])
    page = client.get(reverse("employers:true_cost", args=[council.holder_person.pk])).content
    text = page.decode()
    assert "National Insurance is 17.5% of pay" in text
    assert "NOT YET CHECKED: the corrected NI rate" in text


def test_tax_years_start_on_6_april() -> None:
    assert services.tax_year_of(dt.date(2027, 4, 5)) == "2026/27"
    assert services.tax_year_of(dt.date(2027, 4, 6)) == "2027/28"
    assert services.tax_year_of(dt.date(2099, 12, 31)) == "2099/00"


def test_the_true_cost_page_links_to_the_rates_only_for_those_who_keep_them(
    client: Any, council: Any
) -> None:
    from selfdirect.budgets import services as budgets
    from tests.budgets.test_holding import _paid_to_person
    from tests.budgets.test_holding import _plan as _held_plan
    from tests.factories import make_user

    plan = _held_plan(council)
    add_pa(council)
    link_person = make_user("dp-link", [Role.FINANCE])
    budgets.direct_payment_agreement_create(
        actor=council.users[Role.PRACTITIONER],
        plan=plan,
        **_paid_to_person(),
        link_officer=link_person,
    )
    url = reverse("employers:true_cost", args=[council.holder_person.pk])
    client.force_login(link_person)
    assert 'id="keep-rates"' in client.get(url).content.decode()
    client.force_login(council.users[Role.HOLDER])
    assert 'id="keep-rates"' not in client.get(url).content.decode()
