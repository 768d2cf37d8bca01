"""The family's home page runs the same queries for 3 contributions as for 30: none per
item (transcript, author, consent, picture), what every family request reads (the account
and its child, the confidential section) is read once, and no more statements than today."""

from __future__ import annotations

from flask_babel import force_locale, gettext

from tests.conftest import counted_queries
from tests.factories import (
    AssignmentFactory,
    ChildFactory,
    FamilyMemberFactory,
    TranscriptFactory,
    UserFactory,
)
from tests.family.helpers import family_account, maya_and_her_parents, sign_in
from tests.record.helpers import add_contribution, decide, place
from voice_app.contributions.models import AuthorKind, ContributionKind, TranscriptStatus
from voice_app.extensions import db
from voice_app.record.models import ConsentAnswer

#: A picture's bytes as the tests store them (the page shows its thumbnail's link only).
PICTURE = b"\x89PNG\r\n\x1a\n not really a picture"


def test_the_home_page_runs_no_query_per_contribution(make_client) -> None:
    practitioner, child, mother, father = maya_and_her_parents()
    account = family_account(mother, practitioner, "claire")
    claire = make_client()
    sign_in(claire, account)

    def add(first: int, rounds: int) -> None:
        """Each round: 3 items Claire sees (the child's words with a picture, an unchecked
        recording of the child's, Mark's words shared with the family) and her own checked
        recording; and 2 she does not (no consent, the confidential section)."""
        for n in range(first, first + rounds):
            picture = add_contribution(
                child, f"Mk-picture-{n}", kind=ContributionKind.DRAWING, media=PICTURE
            )
            recording = TranscriptFactory(contribution__child=child).contribution
            marks = add_contribution(child, f"Mk-mark-{n}", author_kind=AuthorKind.FAMILY_MEMBER)
            marks.family_member_id = father.id
            own = TranscriptFactory(
                contribution__child=child,
                contribution__author_kind=AuthorKind.FAMILY_MEMBER,
                contribution__family_member_id=mother.id,
                status=TranscriptStatus.CONFIRMED,
                confirmed_text=f"Mk-own-{n}",
            ).contribution
            refused = add_contribution(child, f"Mk-refused-{n}")
            secret = add_contribution(child, f"Mk-secret-{n}")
            # Her recording still to check: where each is checked is read in one query.
            TranscriptFactory(
                contribution__child=child,
                contribution__author_kind=AuthorKind.FAMILY_MEMBER,
                contribution__family_member_id=mother.id,
                status=TranscriptStatus.DRAFT,
            )
            db.session.commit()
            for item in (picture, recording, marks, secret):
                decide(item, practitioner, ConsentAnswer.GIVEN, share_with_family=True)
            decide(refused, practitioner, ConsentAnswer.REFUSED, share_with_family=True)
            place(child, practitioner, contribution=secret)
            assert own.family_member_id == mother.id
        db.session.commit()

    def home() -> tuple[str, list[str]]:
        with counted_queries() as seen:
            response = claire.get("/family/")
        assert response.status_code == 200
        return response.get_data(as_text=True), seen

    add(0, 1)
    home()  # the first visit renders the form's fields for the language once
    few, few_queries = home()
    add(1, 9)
    many, many_queries = home()

    assert few.count('class="card fs-item"') == 5
    assert many.count('class="card fs-item"') == 50
    assert many.count("Check what you said") == 10
    assert "Mark Thompson" in many and "Mk-own-9" in many and "Mk-picture-9" in many
    assert "Mk-refused" not in many and "Mk-secret" not in many
    assert len(many_queries) == len(few_queries), many_queries
    # The account with its child; the reports shared with her; the confidential section
    # (its placements, and the entries that follow them); what she may read, consent asked
    # in the same statement; where her recording is checked; the audit entry (the chain's
    # last hash, and the entry). Not counted: how each engine begins and locks (SQLite's
    # BEGINs, PostgreSQL's audit-lane lock).
    locking = ("BEGIN", "SELECT PG_ADVISORY_XACT_LOCK")
    statements = [q for q in many_queries if not q.lstrip().upper().startswith(locking)]
    assert len(statements) == 8, statements
    # The account comes with its child; the confidential section is read once.
    assert sum("FROM children" in q for q in many_queries) == 0, many_queries
    assert sum("FROM confidential_placements" in q for q in many_queries) == 1, many_queries


def test_the_form_rendered_once_per_language_speaks_each_readers_language(make_client) -> None:
    practitioner = UserFactory()
    child = ChildFactory(team=practitioner.team)
    AssignmentFactory(child=child, user=practitioner)
    claire = make_client()
    sign_in(claire, family_account(FamilyMemberFactory(child=child), practitioner, "claire"))
    mark = make_client()
    sign_in(mark, family_account(FamilyMemberFactory(child=child), practitioner, "mark"))
    with force_locale("pl"):
        type_it, own_words = gettext("Type it"), gettext("Your words")
    assert type_it != "Type it" and own_words != "Your words"  # Polish is translated

    assert "Type it" in claire.get("/family/").get_data(as_text=True)
    mark.submit("/family/settings", {"locale": "pl"})
    polish = mark.get("/family/").get_data(as_text=True)
    assert type_it in polish and own_words in polish and "Type it" not in polish
    assert "Type it" in claire.get("/family/").get_data(as_text=True)
