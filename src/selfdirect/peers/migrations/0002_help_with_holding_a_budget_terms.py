"""The terms support and user-led organisations are found by in the directory: the help they
give with holding a budget (issue 14, "Peer support and information"; holders-experience
REQ-36, REQ-55). Shipped with fixed ids so every council, and the ORUK export, names them
the same; peers.rules.HELP_TERMS is the same list (a test keeps them equal). Terms only:
which services give which help is the council's directory data."""

from django.db import migrations

TAXONOMY_ID = "5e1f0c52-8d0a-4c0e-9a52-000000000000"
TERMS = [
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


def ship(apps, schema_editor):
    Taxonomy = apps.get_model("directory", "Taxonomy")
    TaxonomyTerm = apps.get_model("directory", "TaxonomyTerm")
    taxonomy, _ = Taxonomy.objects.get_or_create(
        id=TAXONOMY_ID,
        defaults={
            "name": "Help with holding a budget",
            "description": "What support and user-led organisations help people with",
            "version": "1",
        },
    )
    for term_id, code, name, synonyms in TERMS:
        TaxonomyTerm.objects.get_or_create(
            id=term_id,
            defaults={"taxonomy": taxonomy, "code": code, "name": name, "synonyms": synonyms},
        )


def unship(apps, schema_editor):
    TaxonomyTerm = apps.get_model("directory", "TaxonomyTerm")
    TaxonomyTerm.objects.filter(id__in=[t[0] for t in TERMS]).delete()
    apps.get_model("directory", "Taxonomy").objects.filter(id=TAXONOMY_ID).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("peers", "0001_budget_buddies_and_referrals"),
        ("directory", "0001_directory"),
    ]

    operations = [migrations.RunPython(ship, unship)]
