"""Issue 11's casework journey end to end in Chromium, as a council's staff would do it,
with axe-core on every page visited and the 320 px layout on the key pages: a contact,
triage, the assessment, eligibility, a budget above the manager's limit, the panel's
decision, a plan edited in its draft and approved, a review recorded in full that reduces
the personal budget, the new plan version it starts, and the notice letter whose figures
are that version's, the same four figures on the plan page, the budget page and the letter;
Ada reads the notice, its letter and the review in her own sign-in; then she asks the
council to look again, and an upheld request records a new decision, with its letter."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

from playwright.sync_api import Page, expect

from selfdirect.allocation.models import Allocation
from selfdirect.assessment.models import Assessment
from selfdirect.budgets.models import ChangeNotice
from selfdirect.planning.models import Review, SupportPlan
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import second_user


def _fits(page: Page) -> None:
    """At 320 px nothing is wider than the window, and axe still finds nothing."""
    page.set_viewport_size({"width": 320, "height": 800})
    wide = page.evaluate(
        """() => [...document.querySelectorAll('main *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
        .filter(e => !e.closest('.sd-table-scroll'))
        .slice(0, 3).map(e => e.tagName + '.' + e.className + ': ' + e.textContent.slice(0, 60))"""
    )
    fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert fits, f"{page.url} scrolls sideways at 320 px: {wide}"
    assert_accessible(page)
    page.set_viewport_size({"width": 1200, "height": 900})


def _as(page: Page, live_server: Any, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, live_server.url, username)
    assert_accessible(page)


def _fill_date(page: Page, group: str, when: dt.date) -> None:
    box = page.get_by_role("group", name=group)
    box.get_by_label("Day").fill(str(when.day))
    box.get_by_label("Month").fill(str(when.month))
    box.get_by_label("Year").fill(str(when.year))


def _text(page: Page) -> str:
    return re.sub(r"\s+", " ", page.locator("main").inner_text())


def _pdf_text(page: Page, url: str) -> str:
    """The text of a PDF the page links to, fetched with the signed-in user's cookies."""
    from pypdf import PdfReader

    response = page.request.get(url)
    assert response.status == 200, f"{url}: {response.status}"
    assert response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))


def test_contact_to_notice_letter_with_matching_figures(
    page: Page, live_server: Any, live_council: Any
) -> None:
    base = live_server.url
    today = dt.date.today()
    second_user(live_council, "manager")
    manager = live_council.users["manager"]

    # An administrator sets the manager's sign-off limit: £500.00 a week.
    _as(page, live_server, "admin")
    page.goto(f"{base}/admin/users/{manager.pk}/")
    assert_accessible(page)
    page.get_by_label("First name").fill("Mona")
    page.get_by_label("Last name").fill("Manager")
    page.get_by_label("Largest weekly budget they may sign off (managers, optional)").fill("500.00")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("main")).to_contain_text("The changes to manager have been saved")
    assert_accessible(page)
    manager.profile.refresh_from_db()
    assert manager.profile.sign_off_limit_weekly_pence == 50000

    # The team manager allocates Ada's named worker from her page.
    _as(page, live_server, "manager")
    page.goto(f"{base}/people/{live_council.holder_person.pk}/")
    page.get_by_role("link", name=re.compile("^Allocate")).first.click()
    assert_accessible(page)
    page.get_by_label("practitioner").check()
    page.get_by_label("Reason for the allocation").fill("New referral")
    page.get_by_role("button", name="Save the named worker").click()
    expect(page.locator("#named-worker")).to_contain_text("practitioner")
    assert_accessible(page)
    _fits(page)

    # Contact → triage → the assessment, from the front door.
    _as(page, live_server, "practitioner")
    page.get_by_role("link", name="Front door").click()
    assert_accessible(page)
    page.get_by_label("Name, date of birth or NHS number").fill("Ada Holder")
    page.get_by_role("button", name="Find").click()
    assert_accessible(page)
    page.get_by_role("link", name="Record a contact for Ada Holder").click()
    assert_accessible(page)
    page.get_by_label("The person themselves").check()
    page.get_by_label("Phone").check()
    page.get_by_label("Routine").check()
    page.get_by_label("What it is about").select_option(label="Needs have changed")
    page.get_by_label("What they told you").fill("I can no longer cook or wash on my own")
    page.get_by_role("button", name="Record the contact").click()
    expect(page.locator("h1")).to_contain_text("Contact of")
    assert_accessible(page)
    page.get_by_label("Refer for an assessment").check()
    page.get_by_role("button", name="Record the decision").click()
    assert_accessible(page)
    page.get_by_role("button", name="Start the assessment").click()
    expect(page.locator("main")).to_contain_text("The assessment has been started")
    assert_accessible(page)
    _fits(page)

    # The practitioner records the answers agreed with Ada, the highest need on each.
    expect(page.locator("h1")).to_contain_text("self-assessment")
    assessment = Assessment.objects.filter(person=live_council.holder_person).latest("id")
    sections = list(assessment.version.parsed.sections_for(assessment.user_group))
    for section in sections:
        page.get_by_role("link", name=f"Review {section.title.lower()}").click()
        highest = section.options[-1].text
        page.get_by_role("group", name="Your view as the worker").get_by_label(
            highest, exact=True
        ).check()
        page.get_by_role("group", name="The answer agreed with the person").get_by_label(
            highest, exact=True
        ).check()
        if section is sections[0]:
            assert_accessible(page)
        page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Agree the assessment").click()
    expect(page.get_by_role("alert")).to_contain_text("The assessment has been agreed")
    assert_accessible(page)

    # Eligibility, in words.
    page.get_by_role("link", name="Decide eligibility").click()
    assert_accessible(page)
    page.get_by_role(
        "group",
        name="Do the needs arise from or relate to a physical or mental impairment or illness?",
    ).get_by_label("Yes").check()
    for outcome in ("Managing and maintaining nutrition", "Maintaining personal hygiene"):
        page.get_by_role("group", name=outcome).get_by_label(
            "Cannot achieve it without help"
        ).check()
    page.get_by_role(
        "group",
        name="As a consequence, is there (or is there likely to be) a significant impact on their wellbeing?",
    ).get_by_label("Yes").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("alert")).to_contain_text("Eligible: the decision has been recorded")
    assert_accessible(page)
    _fits(page)
    href = page.get_by_role("link", name=re.compile("Download the eligibility decision letter"))
    eligibility = _pdf_text(page, base + str(href.get_attribute("href")))
    for words in (
        "Our decision about your eligibility for care and support",
        "Your needs are eligible.",
        "Managing and maintaining nutrition",
        "Maintaining personal hygiene",
        "Your named worker is practitioner, North team",
        "Ombudsman",
    ):
        assert words in eligibility, (words, eligibility)

    # The indicative budget, above the manager's limit.
    page.get_by_role("link", name="Work out the indicative budget").click()
    assert_accessible(page)
    page.get_by_role("button", name="Work out the indicative budget").click()
    assert_accessible(page)
    allocation = Allocation.objects.get(assessment=assessment)
    indicative = allocation.indicative_weekly_pence
    assert indicative > 50000, indicative
    expect(page.locator(".govuk-panel__title")).to_contain_text("a week")
    _fits(page)

    # The manager may not sign it off alone: it goes to the panel.
    _as(page, live_server, "manager")
    page.goto(f"{base}/budgets/{allocation.pk}/")
    assert_accessible(page)
    page.get_by_role("button", name="Sign off").click()
    assert_accessible(page)
    page.get_by_label("Approve the indicative amount").check()
    page.get_by_label("Explain your decision").fill("The needs are met by this amount.")
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "This amount is above your sign-off limit of £500.00 a week: it needs the panel"
    )
    assert_accessible(page)
    page.goto(f"{base}/budgets/{allocation.pk}/")
    page.get_by_role("link", name="Send to the panel").click()
    assert_accessible(page)
    page.get_by_label("Why does this budget need the panel?").fill("Above my sign-off limit")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Sent to the panel on")
    assert_accessible(page)

    # The second manager records the panel's decision: agreed at £600.00 a week.
    _as(page, live_server, "second-manager")
    page.goto(f"{base}/budgets/panel/")
    assert_accessible(page)
    _fits(page)
    page.get_by_role("link", name="Record the decision for Ada Holder").click()
    assert_accessible(page)
    page.get_by_label("Mona Manager").check()
    page.get_by_label("second-manager").check()
    _fill_date(page, "Date of the panel", today)
    page.get_by_label("Agreed at a different amount").check()
    page.get_by_label("Weekly amount the panel agreed, if different").fill("600.00")
    page.get_by_label("The panel's reasons").fill(
        "Personal assistants and a day centre meet the needs for less."
    )
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("h1")).to_have_text("The panel's decision")
    assert_accessible(page)
    _fits(page)
    allocation.refresh_from_db()

    # The practitioner writes the plan with Ada: an outcome and two lines, one changed in
    # the draft.
    _as(page, live_server, "practitioner")
    page.goto(f"{base}/budgets/{allocation.pk}/")
    expect(page.locator("main")).to_contain_text("£600.00 a week")
    page.get_by_role("link", name="Start a support plan").click()
    assert_accessible(page)
    page.get_by_label("Support plan", exact=True).check()
    page.get_by_label("The person", exact=True).check()
    _fill_date(page, "Start date", today)
    for way in (
        "Direct payment",
        "Managed account held by the council",
        "Individual Service Fund held by a provider",
        "Third-party managed account",
        "Council-commissioned service",
    ):
        page.get_by_label(way).check()
    page.get_by_role("button", name="Start the plan").click()
    expect(page.locator("h1")).to_have_text("Support plan")
    assert_accessible(page)
    plan = SupportPlan.objects.get(allocation=allocation)
    page.get_by_role("link", name="Add an outcome").click()
    assert_accessible(page)
    page.get_by_label("What the person wants to achieve, in their own words").fill(
        "I want to cook my own meals again"
    )
    page.get_by_label("The eligibility outcome it relates to (optional)").select_option(
        label="Managing and maintaining nutrition"
    )
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("I want to cook my own meals again")
    for description, category, unit, cost, quantity, held in (
        ("Personal assistant", "personal_assistant", "hour", "20.00", "20", "direct_payment"),
        ("Day centre", "day_activity", "day", "45.00", "4", "isf"),
    ):
        page.get_by_role("link", name="Add costed support").click()
        page.get_by_label("What it is").fill(description)
        page.get_by_label("Kind of support").select_option(category)
        page.locator(f"input[name=unit][value={unit}]").check()
        page.get_by_label("Cost of each unit (£)").fill(cost)
        page.get_by_label("How many units a week (or how many items, for a one-off)").fill(quantity)
        page.get_by_label("Paid for by").select_option("adult_social_care")
        page.locator(f"input[name=deployment][value={held}]").check()
        page.get_by_role("button", name="Add").click()
        expect(page.get_by_role("alert")).to_contain_text("The line has been added")
    page.get_by_role("link", name="Change Personal assistant").click()
    assert_accessible(page)
    page.get_by_label("How many units a week").fill("18")
    page.get_by_role("button", name="Save the change").click()
    expect(page.locator("h1")).to_have_text("Support plan")
    # 18 hours at £20.00 and 4 days at £45.00: £540.00 of £600.00.
    expect(page.locator("main")).to_contain_text("£540.00 a week")
    assert_accessible(page)
    _fits(page)
    page.get_by_role("button", name="Send for sign-off").click()
    assert_accessible(page)

    # Another worker approves it (nobody approves a plan they wrote).
    _as(page, live_server, "manager")
    page.goto(f"{base}/plans/{plan.pk}/")
    page.get_by_role("button", name="Approve the plan").click()
    expect(page.get_by_role("alert")).to_contain_text("The plan has been approved")
    assert_accessible(page)

    # The assessed contribution from the financial assessment: £30.00 a week.
    _as(page, live_server, "practitioner")
    page.goto(f"{base}/plans/{plan.pk}/")
    page.get_by_role(
        "link", name="Record the assessed contribution from the financial assessment"
    ).click()
    assert_accessible(page)
    page.get_by_label("What the person pays a week (£)").fill("30.00")
    _fill_date(page, "From when", today)
    page.get_by_label("The financial assessment's reference").fill("FA-2026-001")
    page.get_by_role("button", name="Record the contribution").click()
    assert_accessible(page)

    # The light-touch review, recorded in full, reduces the personal budget to £450.00.
    page.goto(f"{base}/plans/{plan.pk}/")
    page.get_by_role("link", name="Light-touch review after the plan starts").click()
    assert_accessible(page)
    page.get_by_label("In person").check()
    page.get_by_label("Who took part").fill("Ada Holder, the person\nCarl Carer, her husband")
    page.get_by_label("The person's views, in their own words").fill(
        "I cook most days now; I need less help."
    )
    page.get_by_label("The carer's views, in their own words (optional)").fill(
        "She manages breakfast and lunch herself."
    )
    page.get_by_role("group", name="“I want to cook my own meals again”: was it met?").get_by_label(
        "Partly met"
    ).check()
    page.get_by_label("Changes needed (optional)").fill("Fewer personal assistant hours.")
    page.get_by_label("New personal budget a week, if the review changes it (optional)").fill(
        "450.00"
    )
    page.get_by_label("Why the personal budget changes (optional)").fill(
        "Ada now cooks most of her meals herself."
    )
    _fill_date(page, "Date of the review", today)
    assert_accessible(page)
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_role("alert")).to_contain_text("The review has been recorded")
    main = page.locator("main")
    for words in (
        "Carl Carer (her husband)",
        "I cook most days now; I need less help.",
        "She manages breakfast and lunch herself.",
        "Partly met",
        "Fewer personal assistant hours.",
        "£450.00 a week",
    ):
        expect(main).to_contain_text(words)
    assert_accessible(page)
    _fits(page)
    review = Review.objects.get(plan=plan, kind="light_touch")
    assert review.status == "done" and review.new_budget_weekly_pence == 45000

    # The new plan version the review started: edited to fit £450.00.
    page.get_by_role("link", name="plan version 2").click()
    expect(page.locator("h1")).to_have_text("Support plan")
    assert_accessible(page)
    new = SupportPlan.objects.get(allocation=allocation, version=2)
    assert new.status == "draft"
    page.get_by_role("link", name="Change Personal assistant").click()
    page.get_by_label("How many units a week").fill("13")
    page.get_by_role("button", name="Save the change").click()
    expect(page.locator("h1")).to_have_text("Support plan")
    # 13 hours at £20.00 and 4 days at £45.00: £440.00 of £450.00.
    expect(page.locator("main")).to_contain_text("£440.00 a week")
    assert_accessible(page)
    _fits(page)

    # Notice of the reduction, from the recorded review, tied to the new version.
    page.get_by_role("link", name="Version 1").click()
    page.get_by_role("link", name="Light-touch review after the plan starts").click()
    page.get_by_role("link", name="Give notice of a reduction or stop").click()
    assert_accessible(page)
    page.get_by_label("Reduce it").check()
    page.get_by_label("Reasons for the change").fill(
        "At the review Ada told us she now cooks most of her meals herself."
    )
    page.get_by_role("button", name=re.compile("notice", re.I)).click()
    expect(page.get_by_role("alert")).to_contain_text("The notice has been recorded")
    assert_accessible(page)
    _fits(page)
    notice_url = page.url
    assert "Plan cost a week from then £440.00" in _text(page)

    # The letter's figures: the plan in force until the change, and version 2 from it.
    letter = _pdf_text(page, f"{notice_url}letter.pdf")
    until = [("Personal budget", "£600.00"), ("Plan cost", "£540.00")]
    until += [("Assessed contribution", "£30.00"), ("Council's contribution", "£510.00")]
    after = [("Personal budget", "£450.00"), ("Plan cost", "£440.00")]
    after += [("Assessed contribution", "£30.00"), ("Council's contribution", "£410.00")]
    for (words, now), (_same, then) in zip(until, after, strict=True):
        assert f"{words} {now} a week {then} a week" in letter, (words, letter)
    assert "are those of version 2 of your support plan" in letter
    assert "Plan cost until" in letter and "£540.00 a week" in letter

    # The same four figures on version 2's page (from the change) and on version 1's page
    # and the budget page (until it).
    def four(figures: list[tuple[str, str]]) -> list[str]:
        return [f"{words} {amount} a week" for words, amount in figures]

    page.goto(f"{base}/plans/{new.pk}/")
    for line in four(after):
        assert line in _text(page), ("plan version 2", line)
    for url in (f"{base}/plans/{plan.pk}/", f"{base}/budgets/{allocation.pk}/"):
        page.goto(url)
        for line in four(until):
            assert line in _text(page), (url, line)
    assert_accessible(page)
    _fits(page)

    # Version 2 is sent for sign-off and approved by a manager: it starts when the notice
    # takes effect, and until then the budget page still reads the letter's "until" column.
    page.goto(f"{base}/plans/{new.pk}/")
    page.get_by_role("button", name="Send for sign-off").click()
    assert_accessible(page)
    _as(page, live_server, "manager")
    page.goto(f"{base}/plans/{new.pk}/")
    page.get_by_role("button", name="Approve the plan").click()
    expect(page.get_by_role("alert")).to_contain_text("The plan has been approved")
    notice = ChangeNotice.objects.get(new_plan=new)
    takes_effect = f"{notice.takes_effect_on:%-d %B %Y}"
    text = _text(page)
    assert f"From {takes_effect}" in text
    for line in four(after):
        assert line in text, ("approved version 2", line)
    assert_accessible(page)
    page.goto(f"{base}/budgets/{allocation.pk}/")
    for line in four(until):
        assert line in _text(page), ("budget page after approval", line)
    assert_accessible(page)

    # Ada reads the recorded review and the notice in her own sign-in.
    _as(page, live_server, "holder")
    home = _text(page)
    assert "Your personal budget: £600.00 a week" in home
    assert f"Your personal budget will be reduced from {takes_effect}" in home
    page.get_by_role(
        "link", name=f"Your personal budget will be reduced from {takes_effect}"
    ).click()
    text = _text(page)
    assert "Plan cost a week now £540.00" in text and "Plan cost a week from then £440.00" in text
    assert "At the review Ada told us she now cooks most of her meals herself." in text
    assert_accessible(page)
    _fits(page)
    assert _pdf_text(page, f"{page.url}letter.pdf") == letter  # the same letter as staff's
    page.goto(f"{base}/home/")
    page.get_by_role("link", name=re.compile("Your support plan, version 2")).click()
    page.get_by_role("link", name="Version 1").click()
    page.get_by_role("link", name="Light-touch review after the plan starts").click()
    main = page.locator("main")
    for words in (
        "Carl Carer (her husband)",
        "I cook most days now; I need less help.",
        "She manages breakfast and lunch herself.",
        "Partly met",
        "£450.00 a week",
    ):
        expect(main).to_contain_text(words)
    assert_accessible(page)
    _fits(page)

    # Ada asks the council to look again at her budget; a manager upholds it with a
    # recorded new decision, and the decision letter gives the amounts.
    page.goto(f"{base}/budgets/{allocation.pk}/")
    page.get_by_role("link", name="Ask us to look again at this amount").click()
    assert_accessible(page)
    page.get_by_label("Why do you think the amount is wrong?").fill("I still need help at night.")
    page.get_by_label("What weekly amount do you think is right? (optional)").fill("650.00")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("alert")).to_contain_text("We have your request")
    assert_accessible(page)
    _as(page, live_server, "second-manager")  # no sign-off limit
    page.goto(f"{base}/budgets/{allocation.pk}/")
    page.get_by_role("link", name="Decide this request").click()
    assert_accessible(page)
    page.get_by_label("Upheld: the amount will change").check()
    page.get_by_label("New weekly amount, if upheld or partly upheld").fill("650.00")
    page.get_by_label("Explain the decision").fill("The night care answers were missed.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("alert")).to_contain_text("The decision has been recorded")
    text = _text(page)
    assert "The personal budget went from £600.00 to £650.00 a week" in text
    # The recorded decision is the personal budget from today, on the budget page.
    assert "Personal budget £650.00 a week Plan cost £540.00 a week" in text
    assert "Support plan, version 3: being written" in text
    assert_accessible(page)
    _fits(page)
    href = page.get_by_role("link", name=re.compile("Download the decision letter"))
    look_again = _pdf_text(page, base + str(href.first.get_attribute("href")))
    for words in (
        "your request is upheld, and we have changed your personal budget",
        "The night care answers were missed.",
        "Your personal budget before £600.00 £31,200.00",
        f"Your personal budget from {today:%-d %B %Y} £650.00 £33,800.00",
        "Ombudsman",
    ):
        assert words in look_again, (words, look_again)
    version_3 = SupportPlan.objects.get(person=live_council.holder_person, version=3)
    assert (version_3.status, version_3.budget_weekly_pence) == ("draft", 65000)
