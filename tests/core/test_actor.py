"""core.actor: who is acting, the child before a practitioner still signed in."""

from __future__ import annotations

from flask import Flask, session

from tests.factories import UserFactory
from voice_app.core.actor import CHILD_SPACE_KEY, ActorKind, current_actor


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
