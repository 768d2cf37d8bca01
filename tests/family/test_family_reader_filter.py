"""The family's home page asks the disclosure owner for its rule as a statement built once
(``Disclosure.family_filter``): it lets each parent see exactly what the rule every other
page asks (``contribution_filter``) lets them see, in every case the rule knows."""

from __future__ import annotations

from sqlalchemy import select

from tests.factories import (
    ChildFactory,
    ConsentDecisionFactory,
)
from tests.family.helpers import family_account, maya_and_her_parents, sign_in
from tests.record.helpers import add_contribution, decide, decide_sharing, place
from voice_app.contributions.models import AuthorKind, Contribution, SharingChoice
from voice_app.extensions import db
from voice_app.record.disclosure import Reader, disclosure_for
from voice_app.record.models import ConsentAnswer, ShareWithoutConsentReason


def test_each_parent_sees_what_the_disclosure_rule_shares_with_them(make_client) -> None:
    sam, child, mum, dad = maya_and_her_parents()
    other_child = ChildFactory(team=sam.team)
    elsewhere = add_contribution(other_child, "Fr-elsewhere")
    decide(elsewhere, sam, ConsentAnswer.GIVEN, share_with_family=True)

    def words(text: str, author: int | None = None) -> Contribution:
        kind = AuthorKind.FAMILY_MEMBER if author else AuthorKind.CHILD
        made = add_contribution(child, text, author_kind=kind)
        made.family_member_id = author
        db.session.commit()
        return made

    decide(words("Fr-shared"), sam, ConsentAnswer.GIVEN, share_with_family=True)
    decide(words("Fr-refused"), sam, ConsentAnswer.REFUSED, share_with_family=True)
    withdrawn = words("Fr-withdrawn")
    decide(withdrawn, sam, ConsentAnswer.GIVEN, share_with_family=True)
    decide(withdrawn, sam, ConsentAnswer.WITHDRAWN, share_with_family=True)
    ConsentDecisionFactory(
        contribution=words("Fr-without-consent"),
        by=sam,
        answer=ConsentAnswer.REFUSED,
        share_with_family=True,
        shared_without_consent=True,
        reason_category=ShareWithoutConsentReason.RISK_OF_SIGNIFICANT_HARM,
        reasons="to keep her safe",
    )
    secret = words("Fr-secret")
    decide(secret, sam, ConsentAnswer.GIVEN, share_with_family=True)
    place(child, sam, contribution=secret)
    decide_sharing(words("Fr-for-mum"), sam, member_id=mum.id)
    decide_sharing(words("Fr-for-dad"), sam, member_id=dad.id)
    chosen = words("Fr-child-chose-dad")
    chosen.shared_with_member_id = dad.id
    decide(chosen, sam, ConsentAnswer.GIVEN, share_with_family=True)
    worker_only = words("Fr-worker-only")
    worker_only.sharing = SharingChoice.MY_WORKER
    decide(worker_only, sam, ConsentAnswer.GIVEN, share_with_family=True)
    words("Fr-mum-own", author=mum.id)
    words("Fr-dad-own", author=dad.id)
    decide(words("Fr-dad-shared", author=dad.id), sam, ConsentAnswer.GIVEN, share_with_family=True)
    place(child, sam, contribution=words("Fr-mum-own-secret", author=mum.id))
    db.session.commit()

    everyone = {"Fr-shared", "Fr-without-consent", "Fr-dad-shared"}
    expected = {
        mum.id: everyone | {"Fr-for-mum", "Fr-mum-own"},
        dad.id: everyone | {"Fr-for-dad", "Fr-child-chose-dad", "Fr-dad-own"},
    }
    for member_id, sees in expected.items():
        seen = disclosure_for(Reader.family(member_id), child.id)
        condition, values = seen.family_filter()
        built_once = set(db.session.scalars(select(Contribution.text).where(condition), values))
        rule = set(
            db.session.scalars(
                select(Contribution.text).where(
                    Contribution.child_id == child.id, seen.contribution_filter()
                )
            )
        )
        assert built_once == rule == sees, (member_id, built_once, rule)

    claire = make_client()
    sign_in(claire, family_account(mum, sam, "claire"))
    page = claire.get("/family/").get_data(as_text=True)
    shown = {text for text in page.split(">") if text.startswith("Fr-")}
    assert {text.split("<")[0] for text in shown} == expected[mum.id]
