"""The invoice pages, the CSV upload (all or nothing, problems by row and column, the file
limits every upload has) and the API: a provider sends, finance decides."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from selfdirect.access.roles import Role
from selfdirect.invoices.models import Invoice
from selfdirect.ledger import services as ledger
from tests.budgets.test_holding import _plan

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
START = TODAY - dt.timedelta(days=27)


def _date_post(prefix: str, on: dt.date) -> dict[str, str]:
    return {
        f"{prefix}_day": str(on.day),
        f"{prefix}_month": str(on.month),
        f"{prefix}_year": str(on.year),
    }


def test_a_provider_sends_an_invoice_on_the_page_and_finance_approves_it(
    client: Any, council: Any
) -> None:
    plan = _plan(council)
    home_care = plan.lines.get(description="Home care")
    client.force_login(council.users[Role.PROVIDER])
    chosen = client.post("/invoices/new/", {"person": str(plan.person.pk)})
    assert chosen.status_code == 302 and chosen["Location"] == f"/invoices/new/{plan.person.pk}/"
    form = client.get(chosen["Location"]).content.decode()
    assert f'name="units_{home_care.pk}"' in form
    assert "Taxi to the lunch club" not in form  # not Acme Care's: a third-party account
    assert "Personal assistant" not in form  # a direct payment
    future = client.post(
        chosen["Location"],
        {
            "reference": "ACME-9",
            **_date_post("period_start", START),
            **_date_post("period_end", TODAY + dt.timedelta(days=1)),
            f"units_{home_care.pk}": "4",
            f"rate_{home_care.pk}": "20.00",
        },
    ).content.decode()
    assert "The end of the period must be today or in the past" in future
    assert "<title>Error: " in future and not Invoice.objects.exists()
    bad = client.post(
        chosen["Location"],
        {
            "reference": "ACME-9",
            **_date_post("period_start", START),
            **_date_post("period_end", TODAY),
            f"units_{home_care.pk}": "4",
            f"rate_{home_care.pk}": "twenty",
        },
    ).content.decode()
    assert "Home care: Enter the rate in pounds, like 18.50" in bad
    sent = client.post(
        chosen["Location"],
        {
            "reference": "ACME-9",
            **_date_post("period_start", START),
            **_date_post("period_end", TODAY),
            f"units_{home_care.pk}": "4",
            f"rate_{home_care.pk}": "20.00",
        },
    )
    invoice = Invoice.objects.get()
    assert sent["Location"] == f"/invoices/{invoice.pk}/"
    assert (invoice.total_pence, invoice.exceptions, invoice.source) == (8000, 0, "page")
    client.force_login(council.users[Role.FINANCE])
    queue = client.get("/invoices/").content.decode()
    assert "ACME-9" in queue and "Waiting for approval" in queue
    detail = client.get(f"/invoices/{invoice.pk}/").content.decode()
    assert "Every check passed" in detail and f"/invoices/{invoice.pk}/approve/" in detail
    assert client.post(f"/invoices/{invoice.pk}/approve/", {"reason": ""}).status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == "approved"
    assert ledger.payable_account(invoice.provider).balance_pence == 8000
    # Rejecting needs a reason, shown on the form; an approved invoice is not rejected.
    page = client.post(f"/invoices/{invoice.pk}/reject/", {"reason": ""}).content.decode()
    assert "This invoice is not waiting for a decision" in page


CSV_HEAD = "invoice_number,person_id,period_start,period_end,plan_line_id,units,unit_rate\n"


def _upload(client: Any, text: str | bytes, name: str = "invoices.csv") -> Any:
    data = text.encode() if isinstance(text, str) else text
    return client.post("/invoices/upload/", {"file": SimpleUploadedFile(name, data, "text/csv")})


def test_the_upload_sends_every_invoice_or_none(client: Any, council: Any) -> None:
    plan = _plan(council)
    home, nursing = (
        plan.lines.get(description="Home care"),
        plan.lines.get(description="Nursing support at home"),
    )
    pid = plan.person.pk
    client.force_login(council.users[Role.PROVIDER])
    bad = _upload(
        client,
        CSV_HEAD
        + f"A-1,{pid},{START},{TODAY},{home.pk},4,20.00\n"
        + f"A-1,{pid},{START},{TODAY},{nursing.pk},4,ten\n"
        + f"A-2,{pid},{START},2026-13-01,{home.pk},1,10.00\n",
    ).content.decode()
    assert "no invoice was sent" in bad
    assert "Enter the rate in pounds, like 18.50" in bad and "unit_rate" in bad
    assert "Enter a date as YYYY-MM-DD" in bad and "period_end" in bad
    assert not Invoice.objects.exists()
    # A service refusal (a period ending in the future) undoes the good invoice too.
    future = _upload(
        client,
        CSV_HEAD
        + f"A-1,{pid},{START},{TODAY},{home.pk},4,20.00\n"
        + f"A-2,{pid},{START},{TODAY + dt.timedelta(days=3)},{nursing.pk},4,10.00\n",
    ).content.decode()
    assert "The end of the period must be today or in the past" in future
    assert not Invoice.objects.exists()
    stranger = _upload(
        client, CSV_HEAD + f"A-3,{council.other_person.pk},{START},{TODAY},{home.pk},1,1\n"
    )
    assert "No person you support has this id" in stranger.content.decode()
    assert "is not UTF-8 text" in _upload(client, b"\xff\xfe bad").content.decode()
    missing = _upload(client, "invoice_number,units\nA,1\n").content.decode()
    assert "person_id, period_start, period_end, plan_line_id, unit_rate are missing" in missing
    good = _upload(
        client,
        CSV_HEAD
        + f"A-1,{pid},{START},{TODAY},{home.pk},4,20.00\n"
        + f"A-1,{pid},{START},{TODAY},{nursing.pk},4,10.00\n"
        + f"A-2,{pid},{START},{TODAY},{home.pk},1,20.00\n",
    )
    assert good.status_code == 302
    made = {i.reference: i for i in Invoice.objects.all()}
    assert set(made) == {"A-1", "A-2"} and made["A-1"].total_pence == 12000
    assert made["A-1"].source == "csv" and made["A-2"].exceptions == 1  # a duplicate


def test_the_api_sends_and_reads_invoices(client: Any, council: Any) -> None:
    plan = _plan(council)
    home = plan.lines.get(description="Home care")
    client.force_login(council.users[Role.PROVIDER])
    body = {
        "person_id": plan.person.pk,
        "reference": "API-1",
        "period_start": START.isoformat(),
        "period_end": TODAY.isoformat(),
        "lines": [{"plan_line_id": home.pk, "units": "5", "unit_rate": "20.00"}],
    }
    made = client.post("/api/v1/invoices", json.dumps(body), content_type="application/json")
    assert made.status_code == 201, made.content
    out = made.json()
    assert out["total_pence"] == 10000 and out["exceptions"] == 1 and out["status"] == "checked"
    assert [c["ok"] for c in out["lines"][0]["checks"]] == [True, True, False, True]
    again = client.post("/api/v1/invoices", json.dumps(body), content_type="application/json")
    assert again.status_code == 422
    assert again.json()["detail"][0]["loc"] == ["body", "reference"]
    listed = client.get("/api/v1/invoices").json()
    assert [i["reference"] for i in listed["items"]] == ["API-1"]
    assert client.get(f"/api/v1/invoices/{out['id']}").json()["reference"] == "API-1"
    assert Invoice.objects.get().source == "api"


def test_a_ledger_refusal_on_payment_is_shown_on_the_form_not_a_500(
    client: Any, council: Any
) -> None:
    from selfdirect.invoices import services as S
    from selfdirect.ledger.models import Transaction
    from tests.factories import second_user

    plan = _plan(council)
    home = plan.lines.get(description="Home care")
    invoice = S.invoice_submit(
        actor=council.users[Role.PROVIDER],
        provider=council.users[Role.PROVIDER].profile.provider,
        person=plan.person,
        period_start=START,
        period_end=TODAY,
        reference="R-1",
        lines=[S.LineIn(home.pk, 400, 2000)],
    )
    finance = council.users[Role.FINANCE]
    S.invoice_approve(actor=finance, invoice=invoice)
    # The invoice's posting reversed in the ledger: nothing is owed to the provider now.
    posted = Transaction.objects.get(kind=Transaction.Kind.INVOICE)
    ledger.transaction_reverse(actor=finance, original=posted, effective_date=TODAY)
    client.force_login(second_user(council, Role.FINANCE))
    response = client.post(f"/invoices/{invoice.pk}/paid/", _date_post("paid_on", TODAY))
    assert response.status_code == 200
    assert "The payment is more than is owed to Acme Care" in response.content.decode()
    invoice.refresh_from_db()
    assert invoice.status == "approved"
