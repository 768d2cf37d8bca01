"""Family sign-in: lockout, rate limit, idle sign-out, assisted sign-in and the way back."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from tests.factories import AssignmentFactory, ChildFactory, FamilyMemberFactory, UserFactory
from tests.family.helpers import PASSPHRASE, family_account, sign_in, signed_out
from voice_app.audit.labels import ACTION_LABELS
from voice_app.audit.models import AuditAction, AuditEntry
from voice_app.contributions.models import Contribution
from voice_app.core.db import utcnow
from voice_app.core.permissions import Role
from voice_app.extensions import db
from voice_app.family.models import FamilyAccount, FamilyInvitation


@pytest.fixture
def family():
    practitioner = UserFactory(name="Sam Okafor")
    child = ChildFactory(team=practitioner.team, preferred_name="Maya")
    AssignmentFactory(child=child, user=practitioner)
    mother = FamilyMemberFactory(child=child, name="Claire Thompson", preferred_language="pl")
    return practitioner, child, family_account(mother, practitioner, "claire")


def entries(action: AuditAction) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_the_name_is_locked_after_too_many_wrong_passphrases(app, make_client, family):
    phone = make_client()
    wrong = {"sign_in_name": "claire", "passphrase": "not it at all"}
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        page = phone.submit("/family/sign-in", wrong).get_data(as_text=True)
        assert "do not match" in page
    right = {"sign_in_name": "claire", "passphrase": PASSPHRASE}
    locked = phone.submit("/family/sign-in", right)
    assert locked.status_code == 200
    assert "Too many tries" in locked.get_data(as_text=True)
    assert signed_out(phone.get("/family/"))
    assert len(entries(AuditAction.FAMILY_LOGIN_FAILED)) == app.config["LOGIN_MAX_FAILURES"] + 1


def test_sign_in_attempts_are_rate_limited(app, make_client, family):
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    try:
        phone = make_client()
        statuses = [
            phone.submit(
                "/family/sign-in", {"sign_in_name": f"x{n}", "passphrase": "y"}
            ).status_code
            for n in range(4)
        ]
    finally:
        app.config["LOGIN_RATE_LIMIT"] = "20 per minute"
    assert statuses == [200, 200, 200, 429]


def test_an_idle_family_session_ends(app, make_client, family):
    phone = make_client()
    sign_in(phone, family[2])
    assert phone.get("/family/").status_code == 200
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(seconds=1)
    try:
        time.sleep(2.1)
        response = phone.get("/family/")
    finally:
        app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(minutes=30)
    assert signed_out(response)


def test_the_space_is_in_the_family_members_own_language(make_client, family):
    phone = make_client()
    sign_in(phone, family[2])
    assert '<html lang="pl"' in phone.get("/family/").get_data(as_text=True)
    phone.submit("/family/settings", {"locale": "ar"})
    page = phone.get("/family/").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl"' in page
    db.session.refresh(family[2])
    assert family[2].locale == "ar"


def test_sign_out_and_a_closed_case_end_the_session(make_client, family):
    _sam, child, account = family
    phone = make_client()
    sign_in(phone, account)
    assert phone.submit("/family/sign-out").headers["Location"] == "/family/sign-in"
    assert signed_out(phone.get("/family/"))
    sign_in(phone, account)
    child.closed_at = utcnow()
    db.session.commit()
    assert signed_out(phone.get("/family/"))


def test_assisted_sign_in_keeps_the_tablet_in_the_family_space(make_client, family):
    sam, child, account = family
    tablet = make_client(sam.email)
    handed = tablet.submit(
        f"/children/{child.id}/family-accounts/{account.family_member_id}/assisted"
    )
    assert handed.headers["Location"] == "/family/"
    home = tablet.get("/family/").get_data(as_text=True)
    # Her page is in her language (Polish): the way back is there, signing out is not.
    assert 'action="/family/give-back"' in home or 'href="/family/give-back"' in home
    assert "/family/sign-out" not in home
    # Nothing of the practitioner's is reachable from the handed-over tablet.
    for url in ("/children/", f"/children/{child.id}", "/account"):
        assert tablet.get(url).headers["Location"] == "/family/"
    # What the family member writes is theirs, with the practitioner recorded as present.
    tablet.submit("/family/contributions", {"kind": "text", "text": "Mornings are better."})
    written = db.session.scalar(select(Contribution))
    assert written.family_member_id == account.family_member_id
    assert written.with_practitioner_id == sam.id
    added = entries(AuditAction.CONTRIBUTION_ADDED)[-1]
    # The chain names her without her name: it can never be edited, and her name must
    # not outlive the record. The manager's page shows the name while the record exists.
    assert added.actor_id is None
    assert added.actor_label == f"family member #{account.family_member_id} (mother)"
    # Only the practitioner's password gives the tablet back.
    wrong = tablet.submit("/family/give-back", {"password": "guess"})
    with force_locale("pl"):  # the handed-over tablet speaks her language
        refused = gettext("That password is not right.")
    assert refused in wrong.get_data(as_text=True)
    assert tablet.get("/children/").headers["Location"] == "/family/"
    back = tablet.submit("/family/give-back", {"password": "correct horse battery staple"})
    assert back.headers["Location"] == f"/children/{child.id}/contributions"
    assert tablet.get("/children/").status_code == 200
    assert signed_out(tablet.get("/family/"))
    assert entries(AuditAction.FAMILY_ASSISTED_ENDED)[-1].actor_id == sam.id
    # On the practitioner's timeline, attributed as the practitioner sees it.
    timeline = tablet.get(f"/children/{child.id}/contributions").get_data(as_text=True)
    assert "Claire Thompson, mother, typed, " in timeline


def test_the_retention_purge_takes_the_family_account_with_the_record(runner, make_client, family):
    sam, child, account = family
    phone = make_client()
    sign_in(phone, account)
    child.closed_at, child.closed_by_id = utcnow() - timedelta(days=3000), sam.id
    child.closing_summary = "Closed."
    child.destroy_on = utcnow().date() - timedelta(days=1)
    db.session.commit()
    result = runner.invoke(args=["records", "purge-expired"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.scalar(select(FamilyAccount)) is None
    assert db.session.scalar(select(FamilyInvitation)) is None
    assert signed_out(phone.get("/family/"))


def test_ending_access_signs_the_family_member_out_and_keeps_their_words(make_client, family):
    sam, child, account = family
    phone = make_client()
    sign_in(phone, account)
    phone.submit(
        "/family/contributions", {"kind": "text", "text": "Mk-kept", "sharing": "my_worker"}
    )
    staff = make_client(sam.email)
    page = staff.get(f"/children/{child.id}/family-accounts").get_data(as_text=True)
    assert "Signs in with their own passphrase" in page
    ended = staff.submit(f"/children/{child.id}/family-accounts/{account.family_member_id}/end")
    assert ended.status_code == 302
    assert signed_out(phone.get("/family/"))
    refused = make_client().submit(
        "/family/sign-in", {"sign_in_name": "claire", "passphrase": PASSPHRASE}
    )
    assert "do not match" in refused.get_data(as_text=True)
    assert "Access ended" in staff.get(f"/children/{child.id}/family-accounts").get_data(
        as_text=True
    )
    assert "Mk-kept" in staff.get(f"/children/{child.id}/contributions").get_data(as_text=True)
    assert entries(AuditAction.FAMILY_ACCESS_ENDED)[-1].actor_id == sam.id


def test_the_manager_sees_family_reads_in_the_audit_log_under_their_name(make_client, family):
    sam, _child, account = family
    phone = make_client()
    sign_in(phone, account)
    phone.get("/family/")
    # A name of her own: a generated one ("Claire Evans") would put "Claire" in the chain.
    manager = UserFactory(team=sam.team, role=Role.MANAGER, name="Priya Shah")
    log = make_client(manager.email).get("/audit/").get_data(as_text=True)
    assert "A family member read what is shared with them" in log
    assert "Claire Thompson (family member: mother)" in log
    chain = db.session.scalars(select(AuditEntry)).all()
    assert not [e.id for e in chain if "Claire" in f"{e.actor_label} {e.details}"]
    assert set(AuditAction) <= set(ACTION_LABELS)
