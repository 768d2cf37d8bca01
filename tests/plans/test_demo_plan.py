"""`flask demo` gives Maya a plan: two reviews, her words in two sections, three scales."""

from __future__ import annotations

from sqlalchemy import select

from voice_app.children.models import Child
from voice_app.core.demo import DEMO_PASSWORD
from voice_app.extensions import db
from voice_app.plans.services import drafting


def test_the_demo_has_a_plan_for_maya_built_from_her_words(runner, client) -> None:
    assert runner.invoke(args=["demo"]).exit_code == 0
    maya = db.session.scalars(select(Child).where(Child.preferred_name == "Maya")).one()
    plan = drafting.plan_of(maya.id)
    assert plan is not None
    assert len(plan.reviews) == 2
    assert [v.agreed for v in plan.versions] == [True, True, False]
    assert {str(p.section) for p in plan.versions[-1].words} == {"harm", "strength"}
    names = {s.participant_name for r in plan.reviews for s in r.scales}
    assert names == {"Maya", "Claire Thompson", "Sam Okafor"}
    client.sign_in("practitioner@demo.example", DEMO_PASSWORD)
    page = client.get(f"/children/{maya.id}/plan").text
    assert "I worry when Mum and Dad shout at night" in page
    assert "The child's own words are in this plan." in page
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
