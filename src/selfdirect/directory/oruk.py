"""Services in and out of the Open Referral UK 3.0 JSON form (docs/directory.md, "How it
maps to Open Referral UK"). ``service_oruk`` writes one fully nested service;
``services_parse`` checks a whole file and returns what to save, or raises OrukRefused
naming the record and the field; directory.services.oruk_import saves it, all or nothing."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from selfdirect.directory.models import CostOption, Location, Service, TaxonomyTerm

# Ids ORUK needs that Selfdirect does not keep as rows are derived, so an export is the
# same every time and an import -> export gives back the same ids.
ID_SPACE = uuid.UUID("6f1b6c1e-3d0a-4c55-9a55-6f1ee0a4d001")
CQC_TAXONOMY = "CQC overall rating"
CQC_IDENTIFIER = "CQC location ID"
STATUSES = [s.value for s in Service.Status]
RATINGS = [r.value for r in Location.Rating]


def derived_id(*parts: object) -> str:
    return str(uuid.uuid5(ID_SPACE, ":".join(str(p) for p in parts)))


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _amount(pence: int) -> float:
    """ORUK's ``amount`` is a JSON number of pounds: converted here, at the edge, from exact
    pence (a two-decimal amount under 2^53 pence prints back exactly)."""
    return float(Decimal(pence) / 100)


def _cost_oruk(cost: CostOption, sid: str) -> dict[str, Any]:
    """A price; with no amount (ask the provider) ``amount`` is left out, as ORUK's number
    cannot be null. Free is an amount of 0."""
    oruk: dict[str, Any] = {
        "id": str(cost.id),
        "service_id": sid,
        "valid_from": _date(cost.valid_from),
        "valid_to": _date(cost.valid_to),
        "option": cost.option or None,
        "amount_description": cost.amount_description or None,
    }
    if cost.amount_pence is not None:
        oruk["amount"] = _amount(cost.amount_pence)
    return oruk


def term_oruk(term: TaxonomyTerm) -> dict[str, Any]:
    return {
        "id": str(term.id),
        "name": term.name,
        "description": term.description,
        "parent_id": str(term.parent_id) if term.parent_id else None,
        "taxonomy": term.taxonomy.name if term.taxonomy else None,
        "taxonomy_id": str(term.taxonomy_id) if term.taxonomy_id else None,
        "term_uri": term.term_uri or None,
        "term": term.code or None,
    }


def _attribute(link_id: object, link_type: str, term: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": derived_id("attribute", link_id, term["id"]),
        "link_id": str(link_id),
        "taxonomy_term_id": term["id"],
        "link_type": link_type,
        "taxonomy_term": term,
    }


def rating_term(rating: str) -> dict[str, Any]:
    return {
        "id": derived_id("cqc-rating", rating),
        "name": rating,
        "description": f"Care Quality Commission overall rating: {rating}",
        "parent_id": None,
        "taxonomy": CQC_TAXONOMY,
        "taxonomy_id": derived_id("taxonomy", CQC_TAXONOMY),
        "term_uri": None,
        "term": rating,
    }


def location_oruk(location: Location) -> dict[str, Any]:
    attributes = []
    if location.cqc_rating:
        attributes.append(_attribute(location.id, "location", rating_term(location.cqc_rating)))
    return {
        "id": str(location.id),
        "location_type": location.location_type,
        "name": location.name,
        "description": location.description,
        "latitude": float(location.latitude) if location.latitude is not None else None,
        "longitude": float(location.longitude) if location.longitude is not None else None,
        "external_identifier": location.cqc_location_id or None,
        "external_identifier_type": CQC_IDENTIFIER if location.cqc_location_id else None,
        "addresses": [
            {
                "id": str(location.address_id),
                "location_id": str(location.id),
                "address_1": location.address_1,
                "city": location.city,
                "state_province": location.state_province,
                "postal_code": location.postal_code,
                "country": location.country,
                "address_type": "physical",
            }
        ]
        if location.address_1 or location.postal_code
        else [],
        "accessibility": [
            {
                "id": derived_id("accessibility", location.id),
                "location_id": str(location.id),
                "description": location.accessibility,
            }
        ]
        if location.accessibility
        else [],
        "attributes": attributes,
    }


def organization_oruk(service: Service) -> dict[str, Any]:
    provider = service.organization
    return {
        "id": str(provider.oruk_id),
        "name": provider.name,
        # Required by ORUK: a provider without a description is described by its name.
        "description": provider.description or provider.name,
        "email": provider.email or None,
        "website": provider.url or None,
    }


def service_oruk(service: Service) -> dict[str, Any]:
    """One service, fully nested, as ORUK's ``GET /services/{id}`` gives it. Expects the
    prefetches of selectors.services_for_export."""
    sid = str(service.id)
    return {
        "id": sid,
        "organization_id": str(service.organization.oruk_id),
        "name": service.name,
        "description": service.description,
        "url": service.url or None,
        "email": service.email or None,
        "status": service.status,
        "accreditations": service.accreditations or None,
        "minimum_age": service.minimum_age,
        "maximum_age": service.maximum_age,
        "assured_date": _date(service.assured_date),
        "assurer_email": service.assurer_email or None,
        "alert": service.alert or None,
        "last_modified": service.last_modified.isoformat(timespec="milliseconds"),
        "organization": organization_oruk(service),
        "schedules": [
            {
                "id": str(s.id),
                "service_id": sid,
                "valid_from": _date(s.valid_from),
                "valid_to": _date(s.valid_to),
                "freq": s.freq,
                "interval": s.interval,
                "byday": s.byday or None,
                "opens_at": s.opens_at.isoformat() if s.opens_at else None,
                "closes_at": s.closes_at.isoformat() if s.closes_at else None,
                "description": s.description,
            }
            for s in service.schedules.all()
        ],
        "service_areas": [
            {
                "id": str(a.id),
                "service_id": sid,
                "name": a.name,
                "extent": a.extent or None,
                "extent_type": a.extent_type or None,
                "uri": a.uri or None,
            }
            for a in service.areas.all()
        ],
        "service_at_locations": [
            {
                "id": str(sal.id),
                "service_id": sid,
                "location_id": str(sal.location_id),
                "location": location_oruk(sal.location),
            }
            for sal in service.at_locations.all()
        ],
        "languages": [
            {"id": str(lang.id), "service_id": sid, "name": lang.name, "code": lang.code or None}
            for lang in service.languages.all()
        ],
        "cost_options": [_cost_oruk(c, sid) for c in service.cost_options.all()],
        "contacts": [
            {
                "id": str(c.id),
                "service_id": sid,
                "name": c.name,
                "title": c.title or None,
                "email": c.email or None,
                "phones": [
                    {
                        "id": str(p.id),
                        "contact_id": str(c.id),
                        "number": p.number,
                        "description": p.description or None,
                    }
                    for p in c.phones.all()
                ],
            }
            for c in service.contacts.all()
        ],
        "attributes": [_attribute(sid, "service", term_oruk(t)) for t in service.terms.all()],
        "funding": [],
    }


# Reading a file.


class OrukRefused(Exception):
    """A record the import cannot take: which one, which field, and why."""

    def __init__(self, where: str, field_name: str, message: str) -> None:
        self.where = where
        self.field = field_name
        super().__init__(f"{where}, field {field_name}: {message}")


@dataclass
class Parsed:
    """One service ready to save: its row values and its children's."""

    service: dict[str, Any]
    organization: dict[str, Any]
    schedules: list[dict[str, Any]] = field(default_factory=list)
    areas: list[dict[str, Any]] = field(default_factory=list)
    locations: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (sal id, loc)
    languages: list[dict[str, Any]] = field(default_factory=list)
    costs: list[dict[str, Any]] = field(default_factory=list)
    contacts: list[tuple[dict[str, Any], list[dict[str, Any]]]] = field(default_factory=list)
    terms: list[dict[str, Any]] = field(default_factory=list)


class _Reader:
    """Reads one object's fields, each refusal naming ``where`` and the field."""

    def __init__(self, obj: Any, where: str) -> None:
        if not isinstance(obj, dict):
            raise OrukRefused(where, "(whole record)", "must be a JSON object")
        self.obj = obj
        self.where = where

    def refuse(self, name: str, message: str) -> OrukRefused:
        return OrukRefused(self.where, name, message)

    def uuid(self, name: str, required: bool = True) -> str | None:
        value = self.obj.get(name)
        if value in (None, ""):
            if required:
                raise self.refuse(name, "is required")
            return None
        try:
            return str(uuid.UUID(str(value)))
        except ValueError:
            raise self.refuse(name, "must be a UUID") from None

    def text(self, name: str, max_length: int | None = None, required: bool = False) -> str:
        value = self.obj.get(name)
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise self.refuse(name, "must be text")
        value = value.strip()
        if required and not value:
            raise self.refuse(name, "is required")
        if max_length is not None and len(value) > max_length:
            raise self.refuse(name, f"must be {max_length} characters or fewer")
        return value

    def choice(self, name: str, choices: list[str], default: str | None = None) -> str:
        value = self.obj.get(name, default)
        if value not in choices:
            raise self.refuse(name, "must be one of " + ", ".join(choices))
        return str(value)

    def whole(self, name: str, low: int = 0, high: int = 150) -> int | None:
        value = self.obj.get(name)
        if value is None:
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self.refuse(name, f"must be a whole number from {low} to {high}")
        return value

    def date(self, name: str) -> dt.date | None:
        value = self.obj.get(name)
        if value in (None, ""):
            return None
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise self.refuse(name, "must be a date, YYYY-MM-DD") from None

    def time(self, name: str) -> dt.time | None:
        value = self.obj.get(name)
        if value in (None, ""):
            return None
        try:
            return dt.time.fromisoformat(str(value).removesuffix("Z"))
        except ValueError:
            raise self.refuse(name, "must be a time, HH:MM") from None

    def degrees(self, name: str, limit: int) -> Decimal | None:
        value = self.obj.get(name)
        if value is None:
            return None
        try:
            number = Decimal(str(value)).quantize(Decimal("0.000001"))
        except InvalidOperation:
            raise self.refuse(name, "must be a number") from None
        if isinstance(value, bool) or abs(number) > limit:
            raise self.refuse(name, f"must be a number from -{limit} to {limit}")
        return number

    def pence(self, name: str) -> int | None:
        value = self.obj.get(name)
        if value is None:
            return None
        try:
            pounds = Decimal(str(value))
        except InvalidOperation:
            raise self.refuse(name, "must be an amount in pounds, like 18.50") from None
        if isinstance(value, bool) or pounds < 0 or pounds != pounds.quantize(Decimal("0.01")):
            raise self.refuse(name, "must be an amount in pounds, like 18.50")
        return int(pounds * 100)

    def items(self, name: str) -> list[Any]:
        value = self.obj.get(name)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.refuse(name, "must be a list")
        return value


def _term(obj: Any, where: str) -> dict[str, Any]:
    r = _Reader(obj, where)
    return {
        "id": r.uuid("id"),
        "name": r.text("name", 200, required=True),
        "description": r.text("description"),
        "parent_id": r.uuid("parent_id", required=False),
        "taxonomy": r.text("taxonomy", 200),
        "taxonomy_id": r.uuid("taxonomy_id", required=False),
        "term_uri": r.text("term_uri", 200),
        "code": r.text("term", 100),
    }


def _location(obj: Any, where: str) -> dict[str, Any]:
    r = _Reader(obj, where)
    values: dict[str, Any] = {
        "id": r.uuid("id"),
        "location_type": r.text("location_type", 20) or "physical",
        "name": r.text("name", 200),
        "description": r.text("description"),
        "latitude": r.degrees("latitude", 90),
        "longitude": r.degrees("longitude", 180),
        "cqc_location_id": r.text("external_identifier", 20),
        "cqc_rating": "",
        "accessibility": "",
    }
    addresses = r.items("addresses")
    if len(addresses) > 1:
        raise r.refuse("addresses", "may hold one address (Selfdirect keeps one per location)")
    for i, address in enumerate(addresses):
        a = _Reader(address, f"{where}, address {i + 1}")
        values |= {
            "address_id": a.uuid("id"),
            "address_1": a.text("address_1", 200),
            "city": a.text("city", 100),
            "state_province": a.text("state_province", 100),
            "postal_code": a.text("postal_code", 10),
            "country": a.text("country", 2) or "GB",
        }
    values["accessibility"] = "\n".join(
        _Reader(item, f"{where}, accessibility {i + 1}").text("description")
        for i, item in enumerate(r.items("accessibility"))
    )
    for i, attribute in enumerate(r.items("attributes")):
        a = _Reader(attribute, f"{where}, attribute {i + 1}")
        term = _Reader(a.obj.get("taxonomy_term"), f"{where}, attribute {i + 1} taxonomy_term")
        if term.text("taxonomy") == CQC_TAXONOMY:
            values["cqc_rating"] = term.choice("name", RATINGS)
    return values


def service_parse(obj: Any, where: str) -> Parsed:
    r = _Reader(obj, where)
    sid = r.uuid("id")
    where = f"{where} (id {sid})"
    r.where = where
    organization = _Reader(obj.get("organization"), f"{where}, organization")
    org = {
        "oruk_id": organization.uuid("id"),
        "name": organization.text("name", 200, required=True),
        "description": organization.text("description"),
        "email": organization.text("email", 254),
        "url": organization.text("website", 200),
    }
    given = r.obj.get("organization_id")
    if given not in (None, org["oruk_id"]) and r.uuid("organization_id") != org["oruk_id"]:
        raise r.refuse("organization_id", "must be the id of the nested organization")
    service = {
        "id": sid,
        "name": r.text("name", 200, required=True),
        "description": r.text("description"),
        "url": r.text("url", 200),
        "email": r.text("email", 254),
        "status": r.choice("status", STATUSES),
        "accreditations": r.text("accreditations"),
        "minimum_age": r.whole("minimum_age"),
        "maximum_age": r.whole("maximum_age"),
        "assured_date": r.date("assured_date"),
        "assurer_email": r.text("assurer_email", 254),
        "alert": r.text("alert"),
    }
    low, high = r.whole("minimum_age"), r.whole("maximum_age")
    if low is not None and high is not None and low > high:
        raise r.refuse("maximum_age", "must be the same as or more than minimum_age")
    parsed = Parsed(service=service, organization=org)
    for i, item in enumerate(r.items("schedules")):
        s = _Reader(item, f"{where}, schedule {i + 1}")
        parsed.schedules.append(
            {
                "id": s.uuid("id"),
                "valid_from": s.date("valid_from"),
                "valid_to": s.date("valid_to"),
                "freq": s.choice("freq", ["WEEKLY", "MONTHLY"], "WEEKLY"),
                "interval": s.whole("interval", 1, 52) or 1,
                "byday": s.text("byday", 40),
                "opens_at": s.time("opens_at"),
                "closes_at": s.time("closes_at"),
                "description": s.text("description"),
            }
        )
    for i, item in enumerate(r.items("service_areas")):
        a = _Reader(item, f"{where}, service area {i + 1}")
        parsed.areas.append(
            {
                "id": a.uuid("id"),
                "name": a.text("name", 200),
                "extent": a.text("extent"),
                "extent_type": a.text("extent_type", 40),
                "uri": a.text("uri", 200),
            }
        )
    for i, item in enumerate(r.items("service_at_locations")):
        sal = _Reader(item, f"{where}, service at location {i + 1}")
        sal_id = sal.uuid("id")
        location = _location(sal.obj.get("location"), f"{where}, location {i + 1}")
        parsed.locations.append((str(sal_id), location))
    for i, item in enumerate(r.items("languages")):
        lang = _Reader(item, f"{where}, language {i + 1}")
        parsed.languages.append(
            {
                "id": lang.uuid("id"),
                "name": lang.text("name", 100, required=True),
                "code": lang.text("code", 12),
            }
        )
    for i, item in enumerate(r.items("cost_options")):
        c = _Reader(item, f"{where}, cost option {i + 1}")
        parsed.costs.append(
            {
                "id": c.uuid("id"),
                "valid_from": c.date("valid_from"),
                "valid_to": c.date("valid_to"),
                "option": c.text("option", 200),
                "amount_pence": c.pence("amount"),
                "amount_description": c.text("amount_description", 200),
            }
        )
    for i, item in enumerate(r.items("contacts")):
        c = _Reader(item, f"{where}, contact {i + 1}")
        contact = {
            "id": c.uuid("id"),
            "name": c.text("name", 200),
            "title": c.text("title", 200),
            "email": c.text("email", 254),
        }
        phones = []
        for j, phone in enumerate(c.items("phones")):
            p = _Reader(phone, f"{where}, contact {i + 1} phone {j + 1}")
            phones.append(
                {
                    "id": p.uuid("id"),
                    "number": p.text("number", 40, required=True),
                    "description": p.text("description", 200),
                }
            )
        parsed.contacts.append((contact, phones))
    for i, item in enumerate(r.items("attributes")):
        a = _Reader(item, f"{where}, attribute {i + 1}")
        parsed.terms.append(
            _term(a.obj.get("taxonomy_term"), f"{where}, attribute {i + 1} taxonomy_term")
        )
    return parsed


def services_parse(document: Any) -> list[Parsed]:
    """A file's services: a list of services, a page (``contents``) or one service."""
    if isinstance(document, dict) and "contents" in document:
        items = document["contents"]
    elif isinstance(document, dict):
        items = [document]
    else:
        items = document
    if not isinstance(items, list):
        raise OrukRefused("The file", "contents", "must be a list of services")
    parsed = [service_parse(item, f"Service {i + 1}") for i, item in enumerate(items)]
    seen: set[str] = set()
    for i, p in enumerate(parsed):
        if p.service["id"] in seen:
            raise OrukRefused(f"Service {i + 1} (id {p.service['id']})", "id", "appears twice")
        seen.add(p.service["id"])
    return parsed
