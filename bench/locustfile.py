"""The users bench/load.py sends at the server (locust). Not run on its own: load.py writes
the accounts file (BENCH_CREDENTIALS) and starts locust with this file.

Browser users sign in by the real form (with its CSRF token) and, for staff, the
authenticator app's code; API clients send a bearer token. Each request is named by the
page it asks for: those names are the keys of p95_ms in the bench's JSON.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from binascii import unhexlify
from typing import Any

import gevent
from django_otp.oath import totp
from locust import HttpUser, between, task
from locust.env import Environment

DATA: dict[str, Any] = json.loads(open(os.environ["BENCH_CREDENTIALS"]).read())  # noqa: SIM115
THINK = between(0.5, 1.5)
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_next: dict[str, itertools.count[int]] = {}
USERS = int(os.environ.get("BENCH_USERS", "50"))
MEASURE_SECONDS = float(os.environ.get("BENCH_DURATION", "60"))
_started = itertools.count(1)


def _ready(environment: Environment) -> None:
    """Once every user has signed in (or failed to), the figures start again from zero and
    the run ends MEASURE_SECONDS later: sign-ins (a deliberately slow password hash) are
    not what is measured, and on a busy machine they outlast the ramp-up."""
    if next(_started) == USERS and environment.runner is not None:
        environment.stats.reset_all()
        gevent.spawn_later(MEASURE_SECONDS, environment.runner.quit)


def _account(kind: str) -> dict[str, Any]:
    """A different account for each user of a kind (an authenticator code works once)."""
    pool = DATA["accounts"][kind]
    counter = _next.setdefault(kind, itertools.count())
    account: dict[str, Any] = pool[next(counter) % len(pool)]
    return account


class _Browser(HttpUser):
    abstract = True
    wait_time = THINK
    kind = ""

    def on_start(self) -> None:
        try:
            self._sign_in()
        finally:
            _ready(self.environment)

    def _sign_in(self) -> None:
        self.account = _account(self.kind)
        page = self.client.get("/accounts/login/", name="sign in: form")
        csrf = _CSRF.search(page.text)
        answer = self.client.post(
            "/accounts/login/",
            data={
                "username": self.account["username"],
                "password": DATA["password"],
                "csrfmiddlewaretoken": csrf.group(1) if csrf else "",
            },
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="sign in: password",
        )
        if "key" in self.account:
            csrf = _CSRF.search(answer.text)
            code = f"{totp(unhexlify(self.account['key'])):06d}"
            answer = self.client.post(
                "/accounts/two-factor/code/",
                data={"code": code, "csrfmiddlewaretoken": csrf.group(1) if csrf else ""},
                headers={"Referer": f"{self.host}/accounts/two-factor/code/"},
                name="sign in: code",
            )
        if "/accounts/" in answer.url:
            raise RuntimeError(f"{self.account['username']} could not sign in: {answer.url}")


class _Staff(_Browser):
    abstract = True

    def on_start(self) -> None:
        super().on_start()
        self.sample = DATA["teams"][str(self.account["team"])]

    def _record(self) -> list[int]:
        record: list[int] = random.choice(self.sample["records"])
        return record

    @task(3)
    def home(self) -> None:
        self.client.get("/home/", name="staff home")

    @task(4)
    def search(self) -> None:
        name = random.choice(self.sample["names"])
        self.client.get(f"/people/?q={name}", name="search")

    @task(1)
    def caseload(self) -> None:
        self.client.get("/people/", name="caseload")

    @task(4)
    def person(self) -> None:
        self.client.get(f"/people/{self._record()[0]}/", name="person summary")

    @task(2)
    def budget(self) -> None:
        self.client.get(f"/budgets/{self._record()[1]}/", name="budget")

    @task(2)
    def plan(self) -> None:
        self.client.get(f"/plans/{self._record()[2]}/", name="support plan")

    @task(2)
    def reviews(self) -> None:
        self.client.get("/plans/reviews/", name="review queue")


class Practitioner(_Staff):
    weight = 4
    kind = "practitioner"


class Manager(_Staff):
    weight = 1
    kind = "manager"


class Holder(_Browser):
    weight = 3
    kind = "holder"

    @task(3)
    def home(self) -> None:
        self.client.get("/home/", name="holder home")

    @task(2)
    def budget(self) -> None:
        self.client.get(f"/budgets/{self.account['budget']}/", name="holder budget")

    @task(2)
    def plan(self) -> None:
        self.client.get(f"/plans/{self.account['plan']}/", name="holder plan")


class ApiClient(HttpUser):
    weight = 2
    wait_time = THINK

    def on_start(self) -> None:
        self.account = _account("api")
        self.client.headers["Authorization"] = f"Bearer {self.account['token']}"
        self.sample = DATA["teams"][str(self.account["team"])]
        _ready(self.environment)

    @task(2)
    def people(self) -> None:
        name = random.choice(self.sample["names"])
        self.client.get(f"/api/v1/people?q={name}", name="API people list")

    @task(2)
    def plans(self) -> None:
        self.client.get("/api/v1/plans", name="API plans list")
