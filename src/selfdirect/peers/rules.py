"""The fixed lists of peer support: the help support organisations give (directory taxonomy
terms shipped by peers' data migration) and the details a person may agree to share with an
organisation they ask to contact them."""

from __future__ import annotations

from typing import Any, Final

# The taxonomy of help with holding a budget (holders-experience REQ-36, REQ-55): its id,
# and each term as (code, name, synonyms). Shipped by migration 0002 with fixed ids.
HELP_TAXONOMY_ID: Final = "5e1f0c52-8d0a-4c0e-9a52-000000000000"
HELP_TERMS: Final[list[tuple[str, str, str, str]]] = [
    (
        "5e1f0c52-8d0a-4c0e-9a52-000000000001",
        "help.support_planning",
        "Support planning",
        "help to plan my support, write my support plan, support planner",
    ),
    (
        "5e1f0c52-8d0a-4c0e-9a52-000000000002",
        "help.brokerage",
        "Brokerage",
        "support broker, arrange my support, find services for me",
    ),
    (
        "5e1f0c52-8d0a-4c0e-9a52-000000000003",
        "help.payroll",
        "Payroll",
        "pay my personal assistant, wages, payslips, payroll service",
    ),
    (
        "5e1f0c52-8d0a-4c0e-9a52-000000000004",
        "help.managed_account",
        "Managed accounts",
        "managed account, someone to manage my budget money, third-party account",
    ),
    (
        "5e1f0c52-8d0a-4c0e-9a52-000000000005",
        "help.advocacy",
        "Advocacy",
        "advocate, someone to speak up for me, help to have my say",
    ),
    (
        "5e1f0c52-8d0a-4c0e-9a52-000000000006",
        "help.user_led",
        "User-led organisation",
        "run by disabled people, centre for independent living, peer support",
    ),
]
HELP_CODES: Final[dict[str, str]] = {code: name for _id, code, name, _s in HELP_TERMS}

# What a person may agree to share with a support organisation, in the words the form uses.
SHAREABLE: Final[dict[str, str]] = {
    "name": "Your name",
    "phone": "Your phone number",
    "email": "Your email address",
    "address": "Your address",
}


def shared_values(person: Any, fields: list[str]) -> dict[str, str]:
    """The values of the named ``fields`` of ``person`` as they are now, in the form's order
    (the organisation sees these and nothing else)."""
    values = {
        "name": person.full_name,
        "phone": person.phone,
        "email": person.email,
        "address": ", ".join(
            part
            for part in (person.address_line_1, person.address_line_2, person.town, person.postcode)
            if part.strip()
        ),
    }
    return {field: values[field] for field in SHAREABLE if field in fields}
