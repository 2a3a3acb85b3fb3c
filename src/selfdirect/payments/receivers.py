"""What payments adds to lower apps' pages: a direct payment agreement's amount and
schedule on the holding page (budgets sends ``direct_payment_shown``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.dispatch import receiver
from django.utils import timezone

from selfdirect.budgets.signals import direct_payment_shown
from selfdirect.money import pounds
from selfdirect.payments.models import PaymentSchedule
from selfdirect.payments.selectors import dues_of

NO_SCHEDULE = "No payment schedule yet: the finance team sets it up"


@receiver(direct_payment_shown)
def direct_payment_amount_and_schedule(sender: type, agreement: Any, **_: Any) -> dict[str, str]:
    """The amount of the next payment and the schedule it is paid on."""
    schedule = PaymentSchedule.objects.filter(
        person_id=agreement.person_id, deployment="direct_payment"
    ).first()
    if schedule is None:
        return {"payment_schedule": NO_SCHEDULE, "payment_amount": "Not set"}
    today = timezone.localdate()
    upcoming = [
        d for d in dues_of([schedule], today, today + dt.timedelta(days=62)) if d.due.total_pence
    ]
    words = (
        f"{schedule.get_frequency_display()}, in advance, from {schedule.anchor_date:%-d %B %Y}"
        f" (first day paid {schedule.starts_on:%-d %B %Y}"
        + (f", last day paid {schedule.ends_on:%-d %B %Y}" if schedule.ends_on else "")
        + f"), into the account of {schedule.payee_name}"
    )
    if not upcoming:
        return {"payment_schedule": words, "payment_amount": "Nothing due in the next two months"}
    first = upcoming[0]
    return {
        "payment_schedule": words,
        "payment_amount": f"{pounds(first.due.total_pence)} on {first.period.starts_on:%-d %B %Y}"
        f" for {first.period.starts_on:%-d %B} to {first.period.ends_on:%-d %B %Y}",
    }
