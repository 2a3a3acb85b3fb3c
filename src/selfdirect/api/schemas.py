"""API schemas: people and relationships, with Client Level Data code values as strings."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class PersonOut(Schema):
    id: int
    la_person_id: str
    nhs_number: str | None
    given_name: str
    family_name: str
    date_of_birth: dt.date
    date_of_death: dt.date | None
    gender: str
    ethnicity: str
    address_line_1: str
    address_line_2: str
    town: str
    postcode: str
    phone: str
    email: str
    client_type: str
    primary_support_reason: str
    user_group: str
    accommodation_status: str
    employment_status: str
    has_unpaid_carer: str
    autism: str
    visual_impairment: str
    hearing_impairment: str
    dementia: str
    needs_easy_read: bool
    needs_large_print: bool
    needs_bsl: bool
    interpreter_language: str
    preferred_contact_method: str
    communication_notes: str
    communication_needs: list[str]
    team: int | None = Field(None, alias="team_id")
    updated_at: dt.datetime


class PersonChanges(Schema):
    """Fields to set; on PATCH only those given change. Dates as YYYY-MM-DD."""

    given_name: str | None = None
    family_name: str | None = None
    date_of_birth: str | None = None
    date_of_death: str | None = None
    nhs_number: str | None = None
    gender: str | None = None
    ethnicity: str | None = None
    address_line_1: str | None = None
    address_line_2: str | None = None
    town: str | None = None
    postcode: str | None = None
    phone: str | None = None
    email: str | None = None
    client_type: str | None = None
    primary_support_reason: str | None = None
    user_group: str | None = None
    accommodation_status: str | None = None
    employment_status: str | None = None
    has_unpaid_carer: str | None = None
    autism: str | None = None
    visual_impairment: str | None = None
    hearing_impairment: str | None = None
    dementia: str | None = None
    needs_easy_read: bool | None = None
    needs_large_print: bool | None = None
    needs_bsl: bool | None = None
    interpreter_language: str | None = None
    preferred_contact_method: str | None = None
    communication_notes: str | None = None
    team: int | None = None


class PersonPage(Schema):
    items: list[PersonOut]
    count: int
    page: int
    pages: int


class RelationshipOut(Schema):
    id: int
    person_id: int
    related_person_id: int
    related_person_name: str
    kind: str
    legal_basis: str
    description: str
    is_main_carer: bool
    shares_household: bool
    can_see_record: bool
    start_date: dt.date
    end_date: dt.date | None


class RelationshipIn(Schema):
    """Required fields are checked with the page's form after the permission check, so a
    caller without access learns nothing from validation messages."""

    related_la_person_id: str = ""
    kind: str = ""
    legal_basis: str = ""
    description: str = ""
    is_main_carer: bool = False
    shares_household: bool = False
    can_see_record: bool = False
    start_date: str = ""


class ErrorOut(Schema):
    detail: str
