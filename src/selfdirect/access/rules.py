"""Who may do what: the access rules of Selfdirect as one readable table.

``CAPABILITIES`` says which roles may use each capability at all. Which *records* a
role reaches is ``PERSON_SCOPE``, applied in one place, ``people.selectors.people_visible_to``.
docs/access.md is this table in words; tests/access/test_matrix.py writes out by hand
what each role should get on every page and API route, and does not read this table.
"""

from __future__ import annotations

from typing import Final

from selfdirect.access.roles import Role

H, R, C = Role.HOLDER, Role.REPRESENTATIVE, Role.CARER
PR, M, PL = Role.PRACTITIONER, Role.MANAGER, Role.PLANNER
PV, F, CO, A = Role.PROVIDER, Role.FINANCE, Role.COMMISSIONER, Role.ADMIN
DPO = Role.DPO

CAPABILITIES: Final[dict[str, frozenset[Role]]] = {
    # Seeing a person's record (which records: PERSON_SCOPE).
    "person.view": frozenset({H, R, C, PR, M, PL, PV, F}),
    # The whole record (address, ethnicity, carers, consents...). A provider sees only what
    # it delivers, on its own pages (provider:person, decision 0040): not this.
    "person.record": frozenset({H, R, C, PR, M, PL, F}),
    # Searching a caseload at /people/.
    "person.search": frozenset({PR, M, PL, PV, F}),
    # Creating and changing people, their relationships and consents.
    "person.create": frozenset({PR, M}),
    "person.edit": frozenset({PR, M}),
    "relationship.edit": frozenset({PR, M}),
    "consent.record": frozenset({PR, M}),
    # Allocating a person's named worker (a manager of the person's team: people.services).
    "named_worker.allocate": frozenset({M}),
    # The history tab: every change to and view of the record.
    "person.history": frozenset({H, R, PR, M}),
    # Bringing people in from a legacy system.
    "person.import": frozenset({A}),
    # Users and teams.
    "users.manage": frozenset({A}),
    # Aggregate caseload figures (no one's details).
    "caseload.statistics": frozenset({M, CO, A}),
    # The market oversight dashboard (issue 14): spend, providers, switching and gaps for the
    # whole council, as figures only (docs/commissioner-guide.md).
    "market.view": frozenset({M, CO}),
    # Statutory returns (issue 15, docs/cld.md, docs/ascof.md): the commissioner or analyst
    # makes the NHS England Client Level Data return (every person in it, so no one else),
    # and reads the ASCOF self-directed support measures beside the market dashboard.
    "returns.cld": frozenset({CO}),
    "returns.ascof": frozenset({M, CO}),
    # The outcome survey reports (issue 15): POET holders' and carers' figures for the whole
    # council, never anyone's answers (docs/evaluation-guide.md).
    "evaluation.view": frozenset({M, CO}),
    # The IBSEN outcomes and cost-effectiveness reports (issue 15), figures only.
    "evaluation.ibsen": frozenset({CO}),
    # Outcome survey campaigns (docs/surveys.md): who is asked and the response rates, as
    # figures only; keying in a paper return by its reference; a team manager prints the
    # letters of the people in their teams. People answer their own invitations (a
    # representative for the person they act for, a carer the carers' survey).
    "survey.campaigns": frozenset({M, CO}),
    "survey.paper": frozenset({M, CO}),
    "survey.letters": frozenset({M}),
    "survey.answer": frozenset({H, R, C}),
    # Assessments: a person (or their representative) completing their own; a carer their
    # carer's assessment; staff reviewing answers and deciding eligibility.
    "assessment.complete_own": frozenset({H, R, C}),
    "assessment.view": frozenset({H, R, C, PR, M, PL}),
    "assessment.review": frozenset({PR, M}),
    "eligibility.decide": frozenset({PR, M}),
    # The front door: recording a contact about a person, triaging it and starting the
    # assessment it leads to; the team's queue of contacts.
    "contact.record": frozenset({PR, M}),
    # Case notes: written by the team; the person and their representative read the notes
    # shared with them (decision 0023).
    "casenote.view": frozenset({H, R, PR, M, PL}),
    "casenote.write": frozenset({PR, M, PL}),
    # Indicative budgets: worked out by practitioners, signed off by managers, seen by the
    # person, their representative and the team.
    # Finance reads them too (read only): it pays the budget (issue 12). A carer sees their
    # own carer's budget (which budgets: the assessment rule; not the cared-for person's).
    "allocation.view": frozenset({H, R, C, PR, M, PL, F}),
    "allocation.calculate": frozenset({PR, M}),
    "allocation.sign_off": frozenset({M}),
    # The panel: budgets above a manager's sign-off limit. Team managers sit on panels (at
    # least two, never the one who worked the budget out) and record the panel's decision.
    "panel.sit": frozenset({M}),
    "panel.decide": frozenset({M}),
    # The manager's queues: budgets and plans waiting for sign-off in their teams.
    "queues.view": frozenset({M}),
    # Asking the council to look again at an amount, and deciding such a request.
    "challenge.raise": frozenset({H, R}),
    "challenge.decide": frozenset({M}),
    # Taking down, for the person, a request to look again that came by phone, letter or in
    # person (the person sees it in their portal like one they sent).
    "challenge.log": frozenset({PR, M}),
    # Support plans: written with the person by practitioners and planners; approved by
    # practitioners within the budget and by managers above it.
    # Finance reads every plan, its versions and its PDF (read only): it pays the plan.
    # A carer reads their own carer's plan, and the plan, contingency and reviews of the
    # people who consent to share their record with them (issue 13).
    "plan.view": frozenset({H, R, C, PR, M, PL, F}),
    # Asking for a review of an approved plan: the person, their representative, a carer
    # they consent to share their record with (issue 13) and their team; not finance.
    "review.request": frozenset({H, R, C, PR, M, PL}),
    "plan.edit": frozenset({PR, M, PL}),
    "plan.approve": frozenset({PR, M}),
    # The person (or their representative) writing their own outcomes into a draft plan.
    "plan.contribute": frozenset({H, R}),
    # Flagging a safeguarding concern on a plan (it goes to the practitioner's manager).
    "plan.safeguarding": frozenset({PR, M, PL}),
    # How the budget is held: direct payment agreements, Individual Service Funds and
    # third-party managed accounts, and their statements.
    "holding.view": frozenset({H, R, PR, M, PL, PV, F}),
    # The page of how a plan's budget is held. A carer the person consents to share their
    # record with reads it without the money's details (decision 0039): the ways of holding,
    # who holds each part and the weekly amounts; never bank or card details, the council's
    # checks, the agreements' sides or statements (those need holding.view).
    "holding.summary": frozenset({H, R, C, PR, M, PL, PV, F}),
    "holding.edit": frozenset({PR, M, PL}),
    # The two sides of an ISF or third-party agreement: the person and the organisation.
    "holding.agree": frozenset({H, R, PV}),
    # The council's recorded decision that paying a close relative in the household is necessary.
    "holding.necessity_decide": frozenset({M}),
    # Statements of what an organisation holding a budget received and spent.
    "holding.statement_submit": frozenset({PV, F}),
    # Budgets pooled by several holders for a shared activity.
    "pool.view": frozenset({H, R, PR, M, PL}),
    "pool.manage": frozenset({PR, M, PL}),
    # Messages: the person (and those who act for them) read what the council told them;
    # the person's staff see what was sent and how (which records: PERSON_SCOPE).
    "messages.read": frozenset({H, R, C}),
    "messages.view": frozenset({PR, M, PL}),
    # Recording the assessed contribution from the council's financial assessment.
    "contribution.record": frozenset({PR, M, F}),
    # The financial assessment under the charging rules: started, filled in, deferred and
    # completed by finance and the person's team; its result and working (and its letter)
    # seen by them and by the person and their representative (docs/charging.md).
    "charging.assess": frozenset({PR, M, F}),
    "charging.view": frozenset({H, R, PR, M, F}),
    # The council's table of charging rates (capital limits, tariff, minimum income guarantee).
    "charging.rates": frozenset({F, A}),
    # A person's ledger: their budget accounts, balances and transactions (read only):
    # finance across the council, and the staff of the person's team.
    "ledger.view": frozenset({PR, M, PL, F}),
    # Invoices and statements from the providers and organisations holding part of a budget
    # (ISFs, managed accounts) or commissioned for it: sent by the provider (its own clients
    # only), checked against the plan, approved and paid by finance (docs/invoices.md).
    "invoice.view": frozenset({PV, F}),
    "invoice.submit": frozenset({PV}),
    "invoice.decide": frozenset({F}),
    # The provider's own pages (issue 13): the people it supports now and what it delivers
    # for each (its plan lines, the outcomes they serve, the contingency), the statements it
    # owes for the budgets it holds, and its guide. Which people: PERSON_SCOPE.
    "provider.home": frozenset({PV}),
    # The directory of services (docs/directory.md): anyone may search it; a provider keeps
    # its own organisation's listings up to date; commissioners approve those changes
    # (SELFDIRECT_DIRECTORY_APPROVE_CHANGES) and moderate reviews; a holder or representative
    # reviews a service of a provider that supports or supported the person.
    "directory.listing": frozenset({PV}),
    "directory.approve": frozenset({CO}),
    "directory.review": frozenset({H, R}),
    # Council staff keep the directory: practitioners read the staff list of every service
    # and the terms; managers and commissioners add and change services and terms.
    "directory.staff": frozenset({PR, M, CO}),
    "directory.manage": frozenset({M, CO}),
    # 'Your money': the holder's own and a representative's (the people they act for now)
    # balance, payments and alerts; the statement (PDF, CSV) also for the staff who see
    # the ledger (finance: everyone; the team: its people).
    "money.view": frozenset({H, R}),
    "money.statement": frozenset({H, R, PR, M, PL, F}),
    # Recovery of a direct payment surplus, with due process (docs/recovery.md): finance
    # opens, writes, decides (not the one who opened) and sets the plan; the person's team
    # reads; a team manager decides an appeal; the holder or representative explains and
    # appeals, and reads their case and letters.
    "recovery.view": frozenset({PR, M, PL, F}),
    "recovery.manage": frozenset({F}),
    "recovery.appeal_decide": frozenset({M}),
    "recovery.respond": frozenset({H, R}),
    "recovery.letter": frozenset({H, R, PR, M, PL, F}),
    # Requests to change a provider or how a plan line is held (docs/changes.md): asked by the
    # person, their representative or their team for them; decided by a practitioner or
    # manager of the person's team. Switches a provider's organisation is part of (its
    # notices), for the provider. A provider closing or failing is marked by a team manager.
    "change.request": frozenset({H, R, PR, M, PL}),
    "change.decide": frozenset({PR, M}),
    "change.provider_notices": frozenset({PV}),
    "provider.closure": frozenset({M}),
    # Peer support (docs/peer-support.md, decision 0052): a holder or carer asks for a budget
    # buddy (or their representative, or their team for them); an experienced holder or their
    # representative offers to be one; only the two sides agree or withdraw; a practitioner
    # or manager matches (the peer support coordinator). Anyone on the person's side, or
    # their team, asks a support organisation to contact them; the organisation (a
    # provider) reads and answers the referrals made to it.
    "peer.view": frozenset({H, R, C, PR, M}),
    "peer.ask": frozenset({H, R, C, PR, M}),
    "peer.offer": frozenset({H, R}),
    "peer.agree": frozenset({H, R, C}),
    "peer.coordinate": frozenset({PR, M}),
    "peer.refer": frozenset({H, R, C, PR, M}),
    "peer.referrals": frozenset({PV}),
    # Monitoring of direct payments: the finance list of who is due what check, the quarter's
    # random sample and the decision on a flag (finance); a person's tier and risk (the
    # team and finance); statements uploaded by the holder, their representative, their
    # support organisation or finance, and explained by the holder or representative.
    "monitoring.manage": frozenset({F}),
    "monitoring.view": frozenset({PR, M, PL, F}),
    "monitoring.risk": frozenset({PR, M, F}),
    "statement.view": frozenset({H, R, PR, M, PL, PV, F}),
    "statement.upload": frozenset({H, R, PV, F}),
    "statement.explain": frozenset({H, R}),
    # Payment runs: prepared by one finance officer, approved by another, then paid; their
    # bank files, remittance advice and reconciliation.
    "payments.run": frozenset({F}),
    # A person's payment dates for the year ahead: the person, their representative, their
    # team and finance.
    "payments.dates": frozenset({H, R, PR, M, PL, F}),
    # Setting how a budget is paid (its payment schedule): whoever sets up how the budget
    # is held (the person's team) and finance.
    "payments.schedule": frozenset({PR, M, PL, F}),
    # Personal-assistant employers (docs/pa-employers.md): the person and their
    # representative keep their PAs' records, insurance and timesheets; the person's team
    # reads them, and so does finance, but only the direct payments link person of the
    # person's agreement (which records: employers.selectors).
    "pa.view": frozenset({H, R, PR, M, F}),
    "pa.manage": frozenset({H, R}),
    # The tax years' rates the true cost uses (sources, what is not yet checked; new rows).
    "pa.rates": frozenset({F, A}),
    # Written notice before a budget or a direct payment is reduced or stopped.
    "notice.give": frozenset({PR, M}),
    # The funding streams and the rules in force for each (what it may pay for, and how).
    "streams.view": frozenset({PR, M, PL, F, CO, A}),
    # What-if of a new RAS over the caseload: figures only, no one's details.
    "ras.whatif": frozenset({CO, A}),
    "ras.calibrate": frozenset({CO, A}),
    # Questionnaires, RAS versions and other council configuration.
    "configuration.manage": frozenset({A}),
    # Who has looked at a record: the person (their own) and their representative (the
    # people they act for now); which records: audit.selectors / portal.selectors.
    "record.looks": frozenset({H, R}),
    # The audit trail of one person (subject access) or one member of staff, as CSV.
    "audit.export": frozenset({DPO}),
}

PERSON_SCOPE: Final[dict[Role, str]] = {
    H: "their own record",
    R: "the people they represent",
    C: (
        "the people they care for who consent to share their record with them (and of "
        "theirs only the plan, its reviews and notices); their own carer's assessment, "
        "budget and plan"
    ),
    PR: "the caseloads of their teams",
    M: "the caseloads of their teams (the teams they manage and work in)",
    PL: "the caseloads of their teams (brokerage teams)",
    PV: "the people their organisation currently supports",
    F: "everyone (read only: finance works across the council's budgets)",
    CO: (
        "no one's details: aggregate figures only; and the NHS England Client Level Data "
        "return, which names everyone in it (made and downloaded as a whole)"
    ),
    A: "no one's details, unless they also hold a role above",
    DPO: "no one's pages; the audit trail of any one person or member of staff, as a download",
}


def roles_with(capability: str) -> frozenset[Role]:
    return CAPABILITIES[capability]


def allows(roles: frozenset[str], capability: str) -> bool:
    """Whether any of ``roles`` has ``capability``."""
    return any(role in roles for role in CAPABILITIES[capability])
