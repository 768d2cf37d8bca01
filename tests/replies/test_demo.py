"""The demo gives Maya one "you said, we did" reply that she sees in her space."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from voice_app.accounts.invitations import create_invitation
from voice_app.accounts.models import User
from voice_app.children.models import Child
from voice_app.core.demo import DEMO_PASSWORD
from voice_app.extensions import db
from voice_app.replies.demo import MAYA_SAID, SAM_REPLIED


def test_maya_sees_sams_reply_in_her_space(runner, make_client):
    assert runner.invoke(args=["demo"]).exit_code == 0
    maya = db.session.scalars(select(Child).where(Child.preferred_name == "Maya")).one()
    sam = db.session.scalars(select(User).where(User.email == "practitioner@demo.example")).one()
    made = create_invitation(maya, "demo", sam, timedelta(days=1))
    db.session.commit()
    tablet = make_client()
    tablet.get(f"/i/{made.token}")
    page = tablet.get("/me").get_data(as_text=True)
    assert MAYA_SAID in page and SAM_REPLIED in page
    office = make_client()
    office.sign_in(sam.email, DEMO_PASSWORD)
    timeline = office.get(f"/children/{maya.id}/contributions")
    assert SAM_REPLIED in timeline.get_data(as_text=True)
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
