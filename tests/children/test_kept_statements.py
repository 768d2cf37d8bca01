"""The case list and the child page keep their SQL per reader between requests: what a
reader sees must still follow the data and the clock of each request."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.conftest import counted_queries
from tests.factories import AssignmentFactory, ChildFactory, UserFactory
from voice_app.children import services
from voice_app.children.models import Child
from voice_app.core.db import utcnow
from voice_app.core.permissions import Role
from voice_app.extensions import db
from voice_app.replies.services import uk_today
from voice_app.reports.models import ReportKind
from voice_app.reports.services import drafting


def test_an_assignment_window_opens_and_closes_on_time_for_a_kept_statement(
    make_client, monkeypatch
):
    began = utcnow()
    interpreter = UserFactory(role=Role.INTERPRETER)
    child = ChildFactory(team=interpreter.team, full_name="Window Child")
    AssignmentFactory(
        child=child,
        user=interpreter,
        starts_at=began + timedelta(hours=1),
        ends_at=began + timedelta(hours=2),
    )
    db.session.commit()
    browser = make_client(interpreter.email)

    def at(moment):  # type: ignore[no-untyped-def]
        monkeypatch.setattr(services, "utcnow", lambda: moment)
        return (
            browser.get(f"/children/{child.id}").status_code,
            browser.get("/children/").status_code,
        )

    assert at(began)[0] == 404  # not yet: the statement is now built and kept
    assert at(began + timedelta(minutes=90))[0] == 200
    assert at(began + timedelta(minutes=150))[0] == 404


def test_the_case_list_follows_each_requests_data_and_page(make_client, monkeypatch):
    sam = UserFactory()
    for n in range(3):
        ChildFactory(team=sam.team, full_name=f"Kept {n}", lead_practitioner=sam)
    browser = make_client(sam.email)
    monkeypatch.setitem(browser.application.config, "CASE_LIST_PAGE_SIZE", 2)
    first = browser.get("/children/").get_data(as_text=True)
    assert "Kept 0" in first and "Kept 1" in first and "Kept 2" not in first
    second = browser.get("/children/?page=2").get_data(as_text=True)
    assert "Kept 2" in second and "Kept 0" not in second
    ChildFactory(team=sam.team, full_name="Kept 00 new", lead_practitioner=sam)
    db.session.commit()
    again = browser.get("/children/").get_data(as_text=True)
    assert "Kept 00 new" in again and "4 children" in again
    browser.submit("/children/search", {"q": "kept 2"})
    found = browser.get("/children/").get_data(as_text=True)
    assert "Kept 2" in found and "Kept 1" not in found


def test_the_case_list_reads_as_many_queries_for_one_report_draft_as_for_four(make_client):
    sam = UserFactory()
    browser = make_client(sam.email)

    def selects_after_a_new_draft() -> int:
        child = ChildFactory(team=sam.team, lead_practitioner=sam)
        meeting_on = uk_today() + timedelta(days=3)
        report = drafting.start_report(child, ReportKind.ASSESSMENT, meeting_on, sam)
        db.session.commit()
        browser.get("/children/")
        with counted_queries() as seen:
            page = browser.get("/children/").get_data(as_text=True)
        assert f"/reports/{report.id}#sharing" in page  # listed as due: it was read
        return sum(1 for s in seen if s.lstrip().upper().startswith("SELECT"))

    one = selects_after_a_new_draft()
    for _ in range(2):
        selects_after_a_new_draft()
    assert selects_after_a_new_draft() == one


def test_a_practitioners_children_in_parts_are_exactly_the_children_they_may_open(app):
    now = utcnow()
    sam = UserFactory()
    other = UserFactory(team=sam.team)
    led = ChildFactory(team=sam.team, lead_practitioner=sam)
    led_and_assigned = ChildFactory(team=sam.team, lead_practitioner=sam)
    AssignmentFactory(child=led_and_assigned, user=sam)
    assigned_led_by_other = ChildFactory(team=sam.team, lead_practitioner=other)
    AssignmentFactory(child=assigned_led_by_other, user=sam)
    assigned_no_lead = ChildFactory(team=sam.team, lead_practitioner=None)
    AssignmentFactory(child=assigned_no_lead, user=sam)
    ended = ChildFactory(team=sam.team, lead_practitioner=other)
    AssignmentFactory(child=ended, user=sam, ends_at=now - timedelta(minutes=1))
    not_yet = ChildFactory(team=sam.team, lead_practitioner=None)
    AssignmentFactory(child=not_yet, user=sam, starts_at=now + timedelta(hours=1))
    ChildFactory(team=sam.team, lead_practitioner=sam, purged_at=now)  # purged: never
    purged_assigned = ChildFactory(team=sam.team, lead_practitioner=other, purged_at=now)
    AssignmentFactory(child=purged_assigned, user=sam)
    ChildFactory(team=sam.team, lead_practitioner=other)
    db.session.commit()

    def ids(condition) -> list[int]:  # type: ignore[no-untyped-def]
        return list(db.session.scalars(select(Child.id).where(condition)))

    at = utcnow()  # after the assignments began
    key = services.reader_key(sam)
    parts = [ids(part) for part in services.visible_parts(key, at)]
    every = [child_id for part in parts for child_id in part]
    assert len(every) == len(set(every))  # no child in two parts
    assert sorted(every) == sorted(ids(services.visible_to(sam, at)))
    assert sorted(every) == sorted(
        [led.id, led_and_assigned.id, assigned_led_by_other.id, assigned_no_lead.id]
    )


def test_a_practitioners_case_list_pages_the_children_they_lead_and_those_assigned(
    make_client, monkeypatch
):
    sam = UserFactory()
    other = UserFactory(team=sam.team)
    names = []
    for n in range(7):
        child = ChildFactory(team=sam.team, full_name=f"Part {n}", lead_practitioner=sam)
        names.append(child.full_name)
    for n in (1, 4):  # assigned, led by someone else: between the children Sam leads
        child = ChildFactory(team=sam.team, full_name=f"Part {n}b", lead_practitioner=other)
        AssignmentFactory(child=child, user=sam)
        names.append(child.full_name)
    ChildFactory(team=sam.team, full_name="Part 2b", lead_practitioner=other)  # not Sam's
    db.session.commit()
    browser = make_client(sam.email)
    monkeypatch.setitem(browser.application.config, "CASE_LIST_PAGE_SIZE", 4)
    shown = []
    for page in (1, 2, 3):
        html = browser.get(f"/children/?page={page}").get_data(as_text=True)
        assert "9 children" in html
        shown += [name for name in sorted(names) if f"<bdi>{name}</bdi></a>" in html]
    assert shown == sorted(names)


def test_a_practitioners_search_finds_names_in_any_case_in_both_parts(make_client):
    sam = UserFactory()
    other = UserFactory(team=sam.team)
    ChildFactory(team=sam.team, full_name="Élodie Brún", lead_practitioner=sam)
    assigned = ChildFactory(team=sam.team, full_name="Brúna Other", lead_practitioner=other)
    AssignmentFactory(child=assigned, user=sam)
    ChildFactory(team=sam.team, full_name="Brúno Elsewhere", lead_practitioner=other)
    ChildFactory(team=sam.team, full_name="Zed Mine", lead_practitioner=sam)
    db.session.commit()
    browser = make_client(sam.email)
    for query in ("BRÚN", "brún", "Brú"):
        browser.submit("/children/search", {"q": query})
        found = browser.get("/children/").get_data(as_text=True)
        assert "Élodie Brún" in found and "Brúna Other" in found, query
        assert "Brúno Elsewhere" not in found and "Zed Mine" not in found
        assert "2 children match" in found


def test_a_short_page_is_counted_by_its_rows_and_only_a_full_one_by_the_database(
    make_client, monkeypatch
):
    """The last page, or a search that finds a few, knows its total from its own rows: no
    second pass over every child the reader sees. A full page, or one past the end, counts."""
    manager = UserFactory(role=Role.MANAGER)
    for n in range(5):
        ChildFactory(team=manager.team, full_name=f"Counted {n}")
    db.session.commit()
    browser = make_client(manager.email)
    monkeypatch.setitem(browser.application.config, "CASE_LIST_PAGE_SIZE", 2)

    def shown(path: str) -> tuple[str, bool]:
        browser.get(path)  # the reader's statements built and kept
        with counted_queries() as seen:
            page = browser.get(path).get_data(as_text=True)
        return page, any("count(children.id)" in statement.lower() for statement in seen)

    full, counted = shown("/children/")
    assert "5 children" in full and "Page 1 of 3" in full and counted
    last, counted = shown("/children/?page=3")
    assert "5 children" in last and "Counted 4" in last and not counted
    past_the_end, counted = shown("/children/?page=9")
    assert "5 children" in past_the_end and counted
    browser.submit("/children/search", {"q": "counted 3"})
    found, counted = shown("/children/")
    assert "1 child matches" in found and "Counted 3" in found and not counted
    browser.submit("/children/search", {"q": "nobody at all"})
    nothing, counted = shown("/children/")
    assert "No child you can see matches" in nothing and not counted
