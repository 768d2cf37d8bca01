"""Any two versions of a report side by side: staff, and the family over what they were given."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import select

from tests.family.helpers import sign_in
from tests.record.helpers import add_entry, place
from tests.reports.helpers import child_words, marker, report_scene
from voice_app.audit.models import AuditAction, AuditEntry
from voice_app.extensions import db
from voice_app.reports.compare import diff_words
from voice_app.reports.models import AnalysisPoint
from voice_app.reports.services import drafting


def test_word_level_changes_in_any_script() -> None:
    old, new = diff_words("نحن قلقون بشأن الليالي", "نحن قلقون بشأن ليلة واحدة")
    assert [p.text for p in old if p.changed] == ["الليالي"]
    assert [p.text for p in new if p.changed] == ["ليلة واحدة"]
    assert "".join(p.text for p in old) == "نحن قلقون بشأن الليالي"
    old, new = diff_words("same words", "same words")
    assert not any(p.changed for p in old + new)


def _two_versions(make_client: Any) -> tuple[Any, Any, str, dict[str, str]]:
    scene = report_scene()
    by = scene.practitioner
    secret = marker("secret")
    entry = add_entry(scene.child, by, f"Disclosure {secret}")
    place(scene.child, by, entry=entry)
    meeting_only = child_words(scene.child, by, marker("meetingonly"), family=False)
    db.session.commit()
    staff = make_client(by.email)
    base = f"/children/{scene.child.id}/reports/{scene.report.id}"
    staff.submit(f"{base}/words", {"contribution_id": meeting_only.id})
    staff.submit(f"{base}/sections/worried", {"body": "We worry about the nights at home."})
    staff.submit(f"{base}/sections/working_well", {"body": "School is going well."})
    staff.submit(f"{base}/no-words", {"reason": "Maya chose not to take part this time."})
    assert staff.submit(f"{base}/share", {"accounts": [scene.account.id]}).status_code == 302
    manager = make_client(scene.manager.email)
    assert manager.submit(f"{base}/sign-off").status_code == 302
    assert staff.submit(f"{base}/versions").status_code == 302
    staff.submit(f"{base}/sections/worried", {"body": "We worry about one night at home."})
    version = drafting.draft_of(scene.report)
    assert version is not None and version.number == 2
    # A point resting on a confidential entry, as if written by someone with a grant.
    db.session.add(
        AnalysisPoint(
            version_id=version.id, kind="judgement", body=f"Rests {secret}", entry_ids=str(entry.id)
        )
    )
    db.session.commit()
    return scene, staff, base, {"secret": secret, "meeting_only": meeting_only.text or ""}


def test_staff_compare_two_versions_section_by_section(app: Flask, make_client: Any) -> None:
    _scene, staff, base, secrets = _two_versions(make_client)
    assert "Compare versions" in staff.get(base).text
    page = staff.get(f"{base}/compare?old=1&new=2")
    assert page.status_code == 200
    text = page.text
    assert "Version 1" in text and "Version 2" in text
    assert '<del><span class="visually-hidden">[removed: </span>the nights</del>' in text.replace(
        '<span class="visually-hidden">]</span>', ""
    )
    assert '<ins><span class="visually-hidden">[added: </span>one night</ins>' in text.replace(
        '<span class="visually-hidden">]</span>', ""
    )
    assert "(changed)" in text and "(no change)" in text
    assert "School is going well." in text
    assert secrets["secret"] not in text  # the practitioner holds no grant
    assert secrets["meeting_only"] in text  # the meeting may see these words
    assert staff.get(f"{base}/compare?old=1&new=9").status_code == 404
    actions = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == AuditAction.REPORT_COMPARED)
    ).all()
    assert [json.loads(a.details) for a in actions] == [{"old": 1, "new": 2}]


def test_family_compare_only_what_was_shared_with_them(app: Flask, make_client: Any) -> None:
    scene, staff, base, secrets = _two_versions(make_client)
    phone = make_client()
    sign_in(phone, scene.account)
    report_page = phone.get(f"/family/reports/{scene.report.id}").text
    assert "Compare versions" in report_page
    page = phone.get(f"/family/reports/{scene.report.id}/compare")
    assert page.status_code == 200
    assert "one night" in page.text and "the nights" in page.text
    assert "<del>" in page.text and "<ins>" in page.text
    assert secrets["secret"] not in page.text
    assert secrets["meeting_only"] not in page.text  # kept from the family by consent
    assert db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == AuditAction.FAMILY_REPORT_COMPARED)
    ).all()

    # The father gets the draft only now, at version 2: version 1 was never his to read.
    staff.submit(f"{base}/share", {"accounts": [scene.other_account.id]})
    father = make_client()
    sign_in(father, scene.other_account)
    only_one = father.get(f"/family/reports/{scene.report.id}/compare")
    assert only_one.status_code == 200
    assert "nothing to compare" in only_one.text
    assert "the nights" not in only_one.text
    assert father.get(f"/family/reports/{scene.report.id}/compare?old=1&new=2").status_code == 404


def test_the_family_compare_page_is_right_to_left_in_arabic(app: Flask, make_client: Any) -> None:
    scene, _staff, _base, _secrets = _two_versions(make_client)
    scene.account.locale = "ar"
    db.session.commit()
    phone = make_client()
    sign_in(phone, scene.account)
    page = phone.get(f"/family/reports/{scene.report.id}/compare").text
    assert '<html lang="ar" dir="rtl">' in page
    assert 'class="compare-text" dir="auto"' in page
    css = (Path(app.static_folder or "") / "css" / "reports.css").read_text()
    # Logical properties only: the columns mirror without a rule of their own.
    assert not re.search(r"(margin|padding|border)-(left|right)|text-align:\s*(left|right)", css)
    assert "border-inline-start" in css
