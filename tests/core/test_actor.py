"""core.actor: who is acting, the child before a practitioner still signed in."""

from __future__ import annotations

from flask import Flask, session

from tests.factories import UserFactory
from voice_app.core.actor import (
    CHILD_SPACE_KEY,
    FAMILY_SPACE_KEY,
    ActorKind,
    actor_key,
    current_actor,
)


def test_outside_a_request_nobody_is_acting(app: Flask) -> None:
    assert current_actor().kind is ActorKind.NOBODY


def test_a_child_in_their_space_acts_even_while_a_practitioner_is_signed_in(app: Flask) -> None:
    from flask_login import login_user

    user = UserFactory()
    with app.test_request_context("/"):
        login_user(user)
        assert current_actor().kind is ActorKind.STAFF
        assert current_actor().user.id == user.id
        session[CHILD_SPACE_KEY] = {"child_id": 1, "locale": "en"}
        acting = current_actor()
        assert acting.kind is ActorKind.CHILD
        assert acting.user is None


def test_each_kind_of_person_has_a_key_of_their_own(app: Flask) -> None:
    from flask_login import login_user

    user = UserFactory()
    with app.test_request_context("/"):
        assert actor_key() is None
        login_user(user)
        assert actor_key() == f"staff:{user.id}"
        session[FAMILY_SPACE_KEY] = {"account_id": 3, "label": "family member #9 (mother)"}
        assert actor_key() == "family:3"
        session[CHILD_SPACE_KEY] = {"child_id": 7, "locale": "en"}
        assert actor_key() == "child:7"


def test_the_key_that_seals_typed_words_is_each_persons_own_and_lasts(app: Flask) -> None:
    import base64

    from voice_app.core.security import typed_words_key

    with app.test_request_context("/"):
        sam, priya = typed_words_key("staff:1"), typed_words_key("staff:2")
        assert len(base64.b64decode(sam)) == 32  # AES-256
        assert sam == typed_words_key("staff:1") and sam != priya
        assert typed_words_key("family:1") not in (sam, priya)
