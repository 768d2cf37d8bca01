"""The family reads the plan agreed with them, on their phone, in their space.

Only the newest agreed version, never the working draft; the child's words in it only as
this family member may read them (consent, the child's "only Mum", the confidential
section), as the rest of their space answers it.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tests.factories import FamilyMemberFactory
from tests.family.helpers import family_account, sign_in
from tests.plans.helpers import marker, plan_scene
from tests.record.helpers import add_contribution, decide_sharing, place
from voice_app.audit.models import AuditAction, AuditEntry
from voice_app.children.models import Relationship
from voice_app.extensions import db
from voice_app.plans.models import ActionStatus, Outcome, OwnerKind, Section
from voice_app.plans.services import drafting, versions


def _scene():  # type: ignore[no-untyped-def]
    """A plan agreed with Mum and Dad's words in it, a new draft, and a confidential item."""
    scene = plan_scene()
    by = scene.practitioner
    mum = FamilyMemberFactory(child=scene.child, relationship_to_child=Relationship.MOTHER)
    dad = FamilyMemberFactory(child=scene.child, relationship_to_child=Relationship.FATHER)
    db.session.commit()
    accounts = {"mum": family_account(mum, by), "dad": family_account(dad, by)}
    marks = {
        name: marker(name)
        for name in ("item", "action", "for_mum", "for_dad", "for_all", "meeting_only")
    }
    shared = {
        "for_mum": {"family": True, "member_id": mum.id},
        "for_dad": {"family": True, "member_id": dad.id},
        "for_all": {"family": True},
        "meeting_only": {"family": False},
        "confidential": {"family": True},
    }
    marks["confidential"] = marker("confidential")
    placed = {}
    for name, decision in shared.items():
        placed[name] = add_contribution(scene.child, f"I said {marks[name]}")
        decide_sharing(placed[name], by, **decision)
        drafting.place_words(scene.plan, placed[name], Section.STRENGTH, by)
    drafting.save_item(scene.plan, drafting.ItemDraft(Section.HARM, f"Worry {marks['item']}"))
    drafting.save_action(
        scene.plan,
        drafting.ActionDraft(
            what=f"Visit grandad {marks['action']}",
            owner_kind=OwnerKind.FAMILY,
            owner_name="Grandad",
            outcome=Outcome.STAY_SAFE,
            status=ActionStatus.UNDER_WAY,
            due_on=date(2026, 12, 18),
        ),
    )
    versions.agree_draft(scene.plan, by)
    db.session.commit()
    # After it was agreed: one of the words goes into the confidential section, and the
    # next draft gains a line nobody has agreed yet.
    place(scene.child, by, contribution=placed["confidential"])
    marks["draft"] = marker("draft")
    drafting.save_item(scene.plan, drafting.ItemDraft(Section.HARM, f"Draft {marks['draft']}"))
    db.session.commit()
    return scene, accounts, marks


def test_each_parent_reads_the_agreed_plan_with_only_the_words_they_may_see(
    make_client,
) -> None:
    scene, accounts, marks = _scene()
    pages = {}
    for name, account in accounts.items():
        phone = make_client()
        sign_in(phone, account)
        home = phone.get("/family/")
        assert 'href="/family/plan"' in home.get_data(as_text=True)
        response = phone.get("/family/plan")
        assert response.status_code == 200
        pages[name] = response.get_data(as_text=True)
    for page in pages.values():
        for everyone_sees in ("item", "action", "for_all"):
            assert marks[everyone_sees] in page, everyone_sees
        assert "Grandad" in page and "Under way" in page
        # When the plan is next reviewed, from the procedures' timetable.
        assert "The next meetings to review the plan:" in page
        assert "Review child protection conference: by " in page
        for nobody_sees in ("meeting_only", "confidential", "draft"):
            assert marks[nobody_sees] not in page, nobody_sees
    assert marks["for_mum"] in pages["mum"] and marks["for_mum"] not in pages["dad"]
    assert marks["for_dad"] in pages["dad"] and marks["for_dad"] not in pages["mum"]

    read = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == AuditAction.FAMILY_PLAN_VIEWED)
    ).all()
    assert {entry.details_dict["family_account"] for entry in read} == {
        accounts["mum"].id,
        accounts["dad"].id,
    }
    assert all(entry.child_id == scene.child.id for entry in read)


def test_before_a_plan_is_agreed_the_family_is_told_so_and_sees_no_draft(make_client) -> None:
    scene = plan_scene()
    mum = FamilyMemberFactory(child=scene.child)
    db.session.commit()
    account = family_account(mum, scene.practitioner)
    secret = marker("draft")
    drafting.save_item(scene.plan, drafting.ItemDraft(Section.HARM, f"Draft {secret}"))
    db.session.commit()
    phone = make_client()
    sign_in(phone, account)
    page = phone.get("/family/plan").get_data(as_text=True)
    assert "No plan has been agreed with the family yet." in page
    assert secret not in page


def test_the_plan_page_is_in_the_family_members_language(make_client) -> None:
    _, accounts, marks = _scene()
    phone = make_client()
    sign_in(phone, accounts["mum"])
    phone.submit("/family/settings", {"locale": "ar"})
    page = phone.get("/family/plan").get_data(as_text=True)
    assert 'dir="rtl"' in page and 'lang="ar"' in page
    assert marks["item"] in page
