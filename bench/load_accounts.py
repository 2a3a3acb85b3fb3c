"""Accounts and samples for bench/load.py, written as JSON for bench/locustfile.py.

Usage: load_accounts.py OUT.json USERS (DATABASE_URL set). Production refuses the demo
password (decision 0014), so the bench makes accounts of its own, ``bench-*``, with a fresh
random password each run: staff (practitioners, managers over two teams, API clients) with
an authenticator app whose secret goes into the file so the locust users can give its code,
and people holding a budget, linked to people of the council who have an approved plan.
Each locust user has an account of its own (an authenticator code works once). Run again,
it keeps the accounts and gives them a new password, secrets and API tokens.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selfdirect.settings")


def main(out: Path, users: int) -> None:
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User
    from django.db import transaction
    from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

    from selfdirect.access.models import ApiToken, Profile, Team, TeamMembership
    from selfdirect.access.roles import Role
    from selfdirect.access.tokens import api_token_create
    from selfdirect.people.models import Person
    from selfdirect.planning.models import SupportPlan

    password = secrets.token_urlsafe(24)
    hashed = make_password(password)
    teams = list(
        Team.objects.filter(caseload__isnull=False)
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not teams:
        raise SystemExit("the council has no teams with people")
    accounts: dict[str, list[dict[str, object]]] = {
        "practitioner": [],
        "manager": [],
        "holder": [],
        "api": [],
    }

    def staff(username: str, role: Role, team_ids: list[int], manager: bool) -> User:
        user, _ = User.objects.update_or_create(
            username=username, defaults={"password": hashed, "is_active": True}
        )
        Profile.objects.update_or_create(
            user=user,
            defaults={
                "roles": [str(role)],
                "job_title": "Bench",
                "sign_off_limit_weekly_pence": 200_000 if manager else None,
            },
        )
        TeamMembership.objects.filter(user=user).exclude(team_id__in=team_ids).delete()
        for team_id in team_ids:
            TeamMembership.objects.update_or_create(
                user=user, team_id=team_id, defaults={"is_manager": manager}
            )
        return user

    def app_secret(user: User) -> str:
        key = default_key()
        TOTPDevice.objects.filter(user=user).delete()
        TOTPDevice.objects.create(user=user, name="Authenticator app", key=key, confirmed=True)
        return key

    with transaction.atomic():
        for i in range(users):
            team = teams[i % len(teams)]
            user = staff(f"bench-practitioner-{i + 1}", Role.PRACTITIONER, [team], False)
            accounts["practitioner"].append(
                {"username": user.username, "key": app_secret(user), "team": team}
            )
            two = [team, teams[(i + 1) % len(teams)]]
            user = staff(f"bench-manager-{i + 1}", Role.MANAGER, sorted(set(two)), True)
            accounts["manager"].append(
                {"username": user.username, "key": app_secret(user), "team": team}
            )
            user = staff(f"bench-api-{i + 1}", Role.PRACTITIONER, [team], False)
            ApiToken.objects.filter(user=user).delete()
            token = api_token_create(actor=None, user=user, name="Load bench", days=1)
            accounts["api"].append({"username": user.username, "token": token, "team": team})

        # People holding a budget: each with an approved plan, and an account of their own.
        holders = dict(
            Profile.objects.filter(user__username__startswith="bench-holder-").values_list(
                "user__username", "person_id"
            )
        )
        if len(holders) < users:
            taken = Profile.objects.exclude(person=None).values("person_id")
            fresh = list(
                SupportPlan.objects.filter(status=SupportPlan.Status.APPROVED)
                .exclude(person_id__in=taken)
                .order_by("person_id")
                .values_list("person_id", flat=True)
                .distinct()[: users - len(holders)]
            )
            for person_id in fresh:
                username = f"bench-holder-{len(holders) + 1}"
                user, _ = User.objects.update_or_create(
                    username=username, defaults={"password": hashed}
                )
                Profile.objects.update_or_create(
                    user=user, defaults={"roles": [str(Role.HOLDER)], "person_id": person_id}
                )
                holders[username] = person_id
        User.objects.filter(username__startswith="bench-holder-").update(password=hashed)
        for username, person_id in sorted(holders.items()):
            plan = (
                SupportPlan.objects.filter(person_id=person_id, status=SupportPlan.Status.APPROVED)
                .values("pk", "allocation_id")
                .first()
            )
            if plan is not None:
                accounts["holder"].append(
                    {"username": username, "plan": plan["pk"], "budget": plan["allocation_id"]}
                )

    # What staff open: for each team, people with their budget and plan, and search words.
    samples: dict[str, dict[str, list[object]]] = {}
    for team in teams:
        plans = list(
            SupportPlan.objects.filter(person__team_id=team, status=SupportPlan.Status.APPROVED)
            .order_by("pk")
            .values_list("person_id", "allocation_id", "pk")[:200]
        )
        names = list(
            Person.objects.filter(team_id=team)
            .order_by("family_name")
            .values_list("family_name", flat=True)
            .distinct()[:40]
        )
        samples[str(team)] = {"records": [list(row) for row in plans], "names": names}
    size = Person.objects.filter(client_type="Service User").count()
    out.write_text(
        json.dumps({"password": password, "accounts": accounts, "teams": samples, "size": size})
    )
    out.chmod(0o600)
    print(
        f"bench accounts: {users} each of practitioner, manager, API client; "
        f"{len(accounts['holder'])} holders"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
