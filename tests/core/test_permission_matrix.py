"""Every role, and the anonymous, against every endpoint.

A new endpoint without a row here fails ``test_every_endpoint_is_in_the_matrix``.
"""

from __future__ import annotations

import copy
import shutil
import sqlite3
import tempfile
import uuid
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask

from tests.core import (
    matrix_alerts,
    matrix_child_copy,
    matrix_family,
    matrix_interpreting,
    matrix_plans,
    matrix_read_aloud,
    matrix_record,
    matrix_replies,
    matrix_reports,
    matrix_subject_access,
    matrix_uploads,
)
from tests.core.matrix import (
    ADMIN_ONLY,
    CASE_EDITORS_POST,
    CASE_READERS,
    CHILD_SPACE,
    FAMILY_ROLES,
    FAMILY_SIGN_IN,
    LOGIN,
    ROLES,
    Row,
    World,
    child_only,
    everyone,
    only,
    png_bytes,
    signed_in,
)
from tests.factories import AssignmentFactory, ChildFactory, TeamFactory, UserFactory
from voice_app.accounts.invitations import create_invitation
from voice_app.accounts.models import User
from voice_app.children.models import AssignmentRole
from voice_app.contributions.models import (
    AuthorKind,
    Contribution,
    ContributionKind,
    SharingChoice,
    Transcript,
    TranscriptStatus,
)
from voice_app.contributions.services import Author, Submission, add_contribution
from voice_app.core.db import utcnow
from voice_app.core.permissions import Role
from voice_app.core.queue import write_heartbeat
from voice_app.extensions import db


def _healthz_with_a_worker(w: World) -> str:
    write_heartbeat()  # as a running worker does: the app is ready, for everyone alike
    return "/healthz"


#: Areas that keep their rows in tests/core/matrix_<area>.py.
AREAS = (
    matrix_record,
    matrix_subject_access,
    matrix_alerts,
    matrix_replies,
    matrix_uploads,
    matrix_plans,
    matrix_family,
    matrix_reports,
    matrix_interpreting,
    matrix_read_aloud,
    matrix_child_copy,
)


def _build_world() -> World:
    """Matrix Child, the people around them and people who should not see them, with what
    each area's rows need."""
    team, other_team = TeamFactory(), TeamFactory()
    users = {
        "practitioner": UserFactory(team=team),
        "unassigned_practitioner": UserFactory(team=team),
        "manager": UserFactory(team=team, role=Role.MANAGER),
        "other_team_manager": UserFactory(team=other_team, role=Role.MANAGER),
        "interpreter": UserFactory(team=team, role=Role.INTERPRETER),
        "admin": UserFactory(team=None, role=Role.ADMIN),
    }
    child = ChildFactory(team=team, full_name="Matrix Child")
    assignment = AssignmentFactory(child=child, user=users["practitioner"])
    AssignmentFactory(
        child=child,
        user=users["interpreter"],
        role_on_case=AssignmentRole.INTERPRETER,
        ends_at=utcnow() + timedelta(days=7),
    )
    made = create_invitation(child, "matrix", users["practitioner"], timedelta(days=1))
    author = Author(AuthorKind.CHILD, invitation_id=made.invitation.id)
    drawing, _ = add_contribution(
        child,
        Submission(
            str(uuid.uuid4()), ContributionKind.DRAWING, SharingChoice.MY_WORKER, media=png_bytes()
        ),
        author,
    )
    voice = Contribution(
        child_id=child.id,
        client_id=str(uuid.uuid4()),
        kind=ContributionKind.VOICE,
        author_kind=AuthorKind.CHILD,
        language="en",
        sharing=SharingChoice.MY_WORKER,
        transcript=Transcript(status=TranscriptStatus.DRAFT, machine_text="I like school"),
    )
    db.session.add(voice)
    db.session.commit()
    world = World(
        child.id, users, assignment.id, made.invitation.id, made.token, drawing.id, voice.id
    )
    for area in AREAS:
        area.extend_world(world)
    db.session.commit()
    return world


@pytest.fixture
def world(app: Flask) -> World:
    """The world each case starts from: built once per test process, then restored before
    every case (its database and media, as they were once built), since a case may change
    it. Building it took 0.2 s a case, a quarter of the suite; restoring it takes a few ms.
    On PostgreSQL or with media in a bucket it is built for every case, as before."""
    if not _restorable(app):
        return _build_world()
    if _kept_world is None:
        world = _build_world()
        _keep_world(app, world)
        return world
    _restore_world(app)
    world = copy.deepcopy(_kept_world.world)
    world.users = {role: db.session.get_one(User, user_id) for role, user_id in world.users.items()}
    return world


@dataclass
class _KeptWorld:
    world: World
    database: sqlite3.Connection  # an in-memory copy of the built database
    folders: dict[str, Path]  # media and upload folders as built, by config key


_kept_world: _KeptWorld | None = None
_FOLDERS = ("MEDIA_ROOT", "UPLOAD_ROOT")


def _restorable(app: Flask) -> bool:
    return db.engine.url.get_backend_name() == "sqlite" and not app.config.get("MEDIA_URL")


def _keep_world(app: Flask, world: World) -> None:
    global _kept_world
    db.session.remove()
    copy_of = sqlite3.connect(":memory:", check_same_thread=False)
    with db.engine.connect() as connection:
        connection.connection.driver_connection.backup(copy_of)  # type: ignore[union-attr]
    kept = Path(tempfile.mkdtemp(prefix="matrix-world-"))
    folders = {}
    for key in _FOLDERS:
        folders[key] = kept / key
        if Path(app.config[key]).exists():
            shutil.copytree(app.config[key], folders[key])
    # Users by id: each case loads them again in its own session.
    users = {role: user.id for role, user in world.users.items()}
    _kept_world = _KeptWorld(copy.deepcopy(replace(world, users=users)), copy_of, folders)


def _restore_world(app: Flask) -> None:
    assert _kept_world is not None
    db.session.remove()
    with db.engine.connect() as connection:
        _kept_world.database.backup(connection.connection.driver_connection)  # type: ignore[arg-type]
    for key, folder in _kept_world.folders.items():
        if folder.exists():
            shutil.copytree(folder, app.config[key], dirs_exist_ok=True)


MATRIX: dict[str, list[Row]] = {
    "static": [Row("GET", lambda w: "/static/css/app.css", everyone(200))],
    "core.index": [Row("GET", lambda w: "/", signed_in(302))],
    "core.favicon": [Row("GET", lambda w: "/favicon.ico", everyone(200))],
    # Staff and a family's phone; never an ended session. A child's device stays in its space.
    "core.still_here": [
        Row(
            "POST",
            lambda w: "/still-here",
            {**everyone(204), "anonymous": 401, "child": CHILD_SPACE},
        )
    ],
    "health.healthz": [Row("GET", _healthz_with_a_worker, everyone(200))],
    "i18n.set_language": [
        Row("POST", lambda w: "/language", everyone(302), lambda w: {"locale": "cy"})
    ],
    "accounts.login": [
        Row(
            "GET",
            lambda w: "/login",
            {
                **everyone(302),
                "anonymous": 200,
                "child": CHILD_SPACE,
                "family": 200,
                "other_family": 200,
            },
        )
    ],
    "accounts.logout": [Row("POST", lambda w: "/logout", signed_in(302))],
    "accounts.logout_everywhere": [Row("POST", lambda w: "/logout-everywhere", signed_in(302))],
    "accounts.account": [Row("GET", lambda w: "/account", signed_in(200))],
    "admin.users": [Row("GET", lambda w: "/admin/users", ADMIN_ONLY)],
    "admin.new_user": [Row("GET", lambda w: "/admin/users/new", ADMIN_ONLY)],
    "admin.edit_user": [
        Row("GET", lambda w: f"/admin/users/{w.users['practitioner'].id}", ADMIN_ONLY)
    ],
    "admin.teams": [Row("GET", lambda w: "/admin/teams", ADMIN_ONLY)],
    "children.case_list": [
        Row("GET", lambda w: "/children/", {**signed_in(200), "admin": 403}),
    ],
    "children.search_cases": [
        Row(
            "POST",
            lambda w: "/children/search",
            {**signed_in(302), "admin": 403},
            lambda w: {"q": "Matrix"},
        ),
    ],
    "children.new_child": [
        Row("GET", lambda w: "/children/new", {**signed_in(200), "admin": 403, "interpreter": 403})
    ],
    "children.child_page": [
        Row("GET", lambda w: f"/children/{w.child_id}", only({**CASE_READERS, "interpreter": 200})),
        # A child who does not exist looks exactly like one the reader may not see.
        Row(
            "GET",
            lambda w: "/children/999999",
            only(dict.fromkeys(CASE_READERS, 404) | {"interpreter": 404}),
        ),
    ],
    "children.edit_child": [
        Row("GET", lambda w: f"/children/{w.child_id}/edit", only(CASE_READERS))
    ],
    "children.set_band": [
        Row(
            "POST",
            lambda w: f"/children/{w.child_id}/band",
            only(CASE_EDITORS_POST),
            lambda w: {"band": "teen", "reason": "Prefers the teenage screens."},
        )
    ],
    "children.new_family_member": [
        Row("GET", lambda w: f"/children/{w.child_id}/family/new", only(CASE_READERS))
    ],
    "children.add_assignment": [
        Row(
            "POST",
            lambda w: f"/children/{w.child_id}/assignments",
            only({"manager": 302, "other_team_manager": 404}),
            lambda w: {
                "user_id": str(w.users["unassigned_practitioner"].id),
                "role_on_case": "practitioner",
            },
        )
    ],
    "children.end_assignment": [
        Row(
            "POST",
            lambda w: f"/children/{w.child_id}/assignments/{w.assignment_id}/end",
            only({"manager": 302, "other_team_manager": 404}),
        )
    ],
    "audit.audit_log": [
        Row("GET", lambda w: "/audit/", only({"manager": 200, "other_team_manager": 200}))
    ],
    "contributions.timeline": [
        Row("GET", lambda w: f"/children/{w.child_id}/contributions", only(CASE_READERS))
    ],
    "contributions.media": [
        Row(
            "GET",
            lambda w: f"/children/{w.child_id}/contributions/{w.drawing_id}/media/original",
            only(CASE_READERS),
        )
    ],
    "contributions.confirm": [
        Row(
            "POST",
            lambda w: f"/children/{w.child_id}/contributions/{w.voice_id}/confirm",
            only(CASE_EDITORS_POST),
            lambda w: {"text": "I like school"},
        )
    ],
    "contributions.respond_to_unsafe_flag": [
        Row(
            "POST",
            lambda w: f"/children/{w.child_id}/contributions/{w.voice_id}/safety-response",
            only(CASE_EDITORS_POST),
            lambda w: {"note": "I spoke with her at school the same afternoon."},
        )
    ],
    "contributions.invitations_page": [
        Row("GET", lambda w: f"/children/{w.child_id}/invitations", only(CASE_READERS))
    ],
    "contributions.revoke_invitation": [
        Row(
            "POST",
            lambda w: f"/children/{w.child_id}/invitations/{w.invitation_id}/revoke",
            only(CASE_EDITORS_POST),
        )
    ],
    "contributions.handover": [
        Row("POST", lambda w: f"/children/{w.child_id}/handover", only(CASE_EDITORS_POST))
    ],
    # Opening an invitation turns any browser into that child's space.
    "child_space.open_invitation": [
        Row("GET", lambda w: f"/i/{w.invitation_token}", everyone(302))
    ],
    "child_space.join": [Row("GET", lambda w: "/join", everyone(200))],
    "child_space.home": [Row("GET", lambda w: "/me", child_only(200))],
    "child_space.upload": [
        Row(
            "POST",
            lambda w: "/me/contributions",
            child_only(201),
            lambda w: {"client_id": str(uuid.uuid4()), "kind": "text", "text": "hello"},
        )
    ],
    "child_space.status": [
        Row("GET", lambda w: f"/me/contributions/{w.voice_id}", child_only(200))
    ],
    "child_space.confirm": [
        Row(
            "POST",
            lambda w: f"/me/contributions/{w.voice_id}/confirm",
            child_only(200),
            lambda w: {"text": "I like school"},
            as_json=True,
        )
    ],
    "child_space.media": [
        Row("GET", lambda w: f"/me/media/{w.drawing_id}/thumbnail", child_only(200))
    ],
    "child_space.exit": [Row("GET", lambda w: "/me/exit", child_only(200))],
    # Without an invitation waiting for its pictures, there is nothing to enter here.
    "child_space.enter_pin": [Row("GET", lambda w: "/pin", everyone(302))],
    "child_space.choose_pin": [Row("GET", lambda w: "/me/pin", child_only(200))],
}

for area in AREAS:
    MATRIX.update(area.ROWS)

CASES = [
    pytest.param(endpoint, index, role, id=f"{endpoint}[{index}]-{role}")
    for endpoint, rows in MATRIX.items()
    for index in range(len(rows))
    for role in ROLES
]


def test_every_endpoint_is_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - set(MATRIX) == set(), "add the new endpoint to MATRIX"
    assert set(MATRIX) - endpoints == set(), "MATRIX lists an endpoint that no longer exists"


@pytest.mark.parametrize(("endpoint", "index", "role"), CASES)
def test_role_gets_expected_answer(make_client, world, endpoint, index, role):
    row = MATRIX[endpoint][index]
    staff = role not in ("anonymous", "child", *FAMILY_ROLES)
    client = make_client(world.users[role].email if staff else None)
    if role == "child":
        client.get(f"/i/{world.invitation_token}")
    if role in FAMILY_ROLES:
        matrix_family.sign_in_as(client, world, role)
    url = row.url(world)
    if row.method == "GET":
        response = client.get(url)
    elif row.method == "PUT":
        # A raw body, as the outbox's chunks are sent.
        response = client.put(
            url, data=row.data(world)["body"], headers={"X-CSRFToken": client.csrf_token()}
        )
    elif row.as_json:
        response = client.send_json(url, row.data(world))
    else:
        response = client.submit(url, row.data(world))
    expected = row.expected[role]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login")
    elif expected == CHILD_SPACE:
        assert response.status_code == 302
        assert response.headers["Location"] == "/me"
    elif expected == FAMILY_SIGN_IN:
        assert response.status_code == 302
        assert response.headers["Location"] == "/family/sign-in"
    else:
        assert response.status_code == expected, response.get_data(as_text=True)[-1500:]
    if response.status_code in (403, 404):
        assert "Matrix Child" not in response.get_data(as_text=True)
    response.close()
