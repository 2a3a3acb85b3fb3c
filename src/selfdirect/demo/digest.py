"""A digest of the demo council's content, to show that a seed gives the same council on
SQLite and PostgreSQL: for each main table its row count and a SHA-256 of every row in id
order, all fields but the times of day (stamped by the clock as rows are written)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.apps import apps
from django.db import models

TABLES = (
    "people.Person",
    "people.Relationship",
    "people.Consent",
    "providers.Provider",
    "providers.ProviderClient",
    "access.Team",
    "access.TeamMembership",
    "access.WorkItem",
    "assessment.Assessment",
    "assessment.Answer",
    "assessment.EligibilityDecision",
    "allocation.Allocation",
    "planning.SupportPlan",
    "planning.PlanOutcome",
    "planning.PlanLine",
    "planning.Review",
    "budgets.DirectPaymentAgreement",
    "budgets.FundAgreement",
    "payments.PaymentSchedule",
    "payments.PaymentRun",
    "payments.PaymentLine",
    "ledger.Account",
    "ledger.Transaction",
    "ledger.Posting",
    "ledger.PeriodPayment",
    "monitoring.Statement",
    "monitoring.StatementTransaction",
    "monitoring.Flag",
    "monitoring.QuarterSample",
    "monitoring.SampleMember",
    "monitoring.RiskRecord",
    "recovery.RecoveryCase",
    "recovery.RecoveryInstalment",
    "invoices.Invoice",
    "invoices.InvoiceLine",
    "charging.FinancialAssessment",
    "planning.AssessedContribution",
    "employers.PersonalAssistant",
    "employers.Timesheet",
    "surveys.Response",
    "surveys.Answer",
    "audit.Event",
)
# The audit log's times and hashes follow the clock: its digest covers what happened.
_AUDIT_SKIPPED = {"prev_hash", "hash"}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def council_digest() -> dict[str, list[Any]]:
    """``{table: [rows, sha256]}`` for the main tables of the council."""
    digest: dict[str, list[Any]] = {}
    for label in TABLES:
        model = apps.get_model(label)
        names = [
            f.attname
            for f in model._meta.concrete_fields
            if not isinstance(f, models.DateTimeField)
            and not (label == "audit.Event" and f.attname in _AUDIT_SKIPPED)
        ]
        sha = hashlib.sha256()
        count = 0
        for row in model._default_manager.order_by("pk").values_list(*names).iterator(5000):
            sha.update(
                json.dumps([_plain(v) for v in row], sort_keys=True, default=str).encode() + b"\n"
            )
            count += 1
        digest[label] = [count, sha.hexdigest()]
    return digest
