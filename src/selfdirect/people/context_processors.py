"""Who a person can talk to, on every page they see: their named worker (or, for someone
acting for others, each person's), and the council's adult social care line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from selfdirect.access.roles import Role
from selfdirect.access.selectors import roles_of
from selfdirect.people.models import Person
from selfdirect.people.selectors import people_visible_to
from selfdirect.templatetags_builtins import council_contact

PEOPLES_ROLES = frozenset({Role.HOLDER, Role.REPRESENTATIVE, Role.CARER})
# A representative of many people sees the first few; the rest are on their home page.
SHOWN = 4


@dataclass(frozen=True)
class Contact:
    person: Person
    is_self: bool

    @property
    def whose(self) -> str:
        return "Your" if self.is_self else f"{self.person.given_name}'s"

    @property
    def worker_name(self) -> str:
        worker = self.person.named_worker
        return (worker.get_full_name() or worker.get_username()) if worker else ""

    @property
    def worker_email(self) -> str:
        return self.person.named_worker.email if self.person.named_worker else ""


def who_to_contact(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", AnonymousUser())
    context: dict[str, Any] = {"council_contact": council_contact()}
    if not roles_of(user) & PEOPLES_ROLES or roles_of(user) - PEOPLES_ROLES:
        return context  # staff have their own ways; a person who is also staff too
    profile = getattr(user, "profile", None)
    own_id = getattr(profile, "person_id", None)
    people = people_visible_to(user).select_related("named_worker", "team").order_by("pk")
    shown = list(people[:SHOWN])
    context["contacts"] = [Contact(person=p, is_self=p.pk == own_id) for p in shown]
    # Whether a person the reader is (or acts for) needs easy read: the pages about no one
    # (help and information, guides) then show their easy-read version first.
    context["reader_needs_easy_read"] = any(p.needs_easy_read for p in shown)
    # A person whose record says large print reads every page in larger text (the whole
    # page scales: GOV.UK Frontend sizes text in rem).
    context["reader_large_print"] = any(p.needs_large_print for p in shown if p.pk == own_id)
    # The person (or someone acting for them) reads the page: their communication needs
    # adapt it (easy read first, docs/easy-read.md) rather than showing as a warning.
    context["reads_as_person"] = True
    return context
