"""Prompts with the child's name in them ("Hello, Cerys!") are spoken by the server too,
on demand: the audio holds a name, so it is kept as case data (encrypted in the media
store, heard only in the child's space and by staff who may read the child, destroyed
with the record), and no file name, URL or log line carries the name."""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from html import unescape
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.factories import AssignmentFactory, ChildFactory, UserFactory
from voice_app.accounts.invitations import create_invitation
from voice_app.audit.models import AuditAction, AuditEntry
from voice_app.core.db import utcnow
from voice_app.core.permissions import Role
from voice_app.core.storage import media_store
from voice_app.extensions import db
from voice_app.read_aloud.models import NamedPromptAudio
from voice_app.read_aloud.prompts import named_prompt_ids, normalise

NAME = "Cerys"


def _hello(page: str) -> str:
    """The greeting the child's home page shows, as its text reads out."""
    found = re.search(r'<h1 id="hello-title">(.*?)</h1>', page, re.S)
    assert found, "no greeting on the child's page"
    return normalise(unescape(re.sub(r"<[^>]+>", "", found.group(1))))


def _named_entries(device, language: str = "cy") -> dict[str, dict]:
    index = device.get(f"/read-aloud/{language}/prompts.json").get_json()["prompts"]
    return {text: entry for text, entry in index.items() if NAME in text}


def test_prompts_with_a_name_are_found_where_they_are_written(app):
    found = named_prompt_ids()
    assert "Hello, %(name)s!" in found and "Hi %(name)s" in found
    assert "%(name)s's plan" in found and "%(name)s's words and pictures" in found
    # A number or another placeholder is not a name.
    assert not [m for m in found if "%(n)s" in m or "%(when)s" in m]


def test_the_childs_greeting_is_heard_from_the_server_and_kept_as_case_data(tablet, app, caplog):
    device, child, _sam = tablet
    caplog.set_level(logging.DEBUG)
    greeting = _hello(device.get("/me").get_data(as_text=True))
    assert NAME in greeting
    named = _named_entries(device)
    assert greeting in named, f"{greeting!r} has no audio: {sorted(named)}"
    entry = named[greeting]
    assert entry["human"] is False
    assert NAME not in entry["url"] and NAME.lower() not in entry["url"].lower()
    assert entry["url"].startswith(f"/read-aloud/children/{child.id}/cy/")

    heard = device.get(entry["url"])
    assert heard.status_code == 200 and heard.mimetype == "audio/ogg"
    assert heard.data[:4] == b"OggS" and len(heard.data) > 1000
    assert "public" not in heard.headers["Cache-Control"]
    fallback = device.get(entry["fallback"])
    assert fallback.status_code == 200 and fallback.mimetype == "audio/mpeg"

    # Kept once per format, in the media store, under the child: rendered once.
    assert device.get(entry["url"]).data == heard.data
    rows = db.session.scalars(select(NamedPromptAudio)).all()
    assert sorted(r.fmt for r in rows) == ["mp3", "ogg"] and {r.child_id for r in rows} == {
        child.id
    }
    ogg = next(r for r in rows if r.fmt == "ogg")
    assert media_store().get(ogg.media_id) == heard.data
    # Not in the shared prompt cache, and no file anywhere is named after the child.
    cache = Path(app.config["READ_ALOUD_CACHE"])
    assert not [p for p in cache.rglob("*") if ogg.key in p.name]
    media_root = Path(app.config["MEDIA_ROOT"])
    assert not [p for p in media_root.rglob("*") if NAME.lower() in str(p).lower()]
    assert not [r for r in caplog.records if NAME in r.getMessage()]


def test_only_the_childs_space_and_staff_who_read_the_child_hear_it(tablet, make_client):
    device, child, sam = tablet
    url = _named_entries(device)[_hello(device.get("/me").get_data(as_text=True))]["url"]

    assert make_client(sam.email).get(url).status_code == 200
    heard = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == AuditAction.MEDIA_VIEWED)
    ).all()
    assert [(e.actor_id, e.child_id) for e in heard] == [(sam.id, child.id)]
    assert NAME not in (heard[0].target or "") + heard[0].details
    stranger = UserFactory(team=sam.team)  # a practitioner not assigned to Cerys
    assert make_client(stranger.email).get(url).status_code == 404
    assert make_client(UserFactory(role=Role.ADMIN).email).get(url).status_code == 404
    assert make_client().get(url).status_code == 401
    # Another child's tablet: neither Cerys's audio nor her prompts in its index.
    other = ChildFactory(team=sam.team, preferred_name="Dylan", preferred_language="cy")
    AssignmentFactory(child=other, user=sam)
    made = create_invitation(other, "read aloud", sam, timedelta(days=3))
    db.session.commit()
    theirs = make_client()
    theirs.get(f"/i/{made.token}")
    assert theirs.get(url).status_code == 404
    assert _named_entries(theirs) == {}
    # Staff get no named prompts in the index: there is no child there.
    assert _named_entries(make_client(sam.email)) == {}


def test_words_that_are_not_a_named_prompt_of_the_child_are_never_spoken(tablet):
    device, child, _sam = tablet
    url = next(iter(_named_entries(device).values()))["url"]
    key = url.rsplit("/", 1)[1].split(".")[0]
    assert device.get(f"/read-aloud/children/{child.id}/cy/{'0' * 40}.ogg").status_code == 404
    assert device.get(f"/read-aloud/children/{child.id}/cy/{key}.mp4").status_code == 404
    # The Welsh key is not the Polish prompt's, and nothing was stored for either.
    assert device.get(f"/read-aloud/children/{child.id}/pl/{key}.ogg").status_code == 404
    assert db.session.scalar(select(func.count()).select_from(NamedPromptAudio)) == 0


def test_a_purge_destroys_the_named_audio(tablet, runner):
    device, child, sam = tablet
    for entry in _named_entries(device).values():
        assert device.get(entry["url"]).status_code == 200
        break
    row = db.session.scalars(select(NamedPromptAudio)).one()
    media_id = row.media_id
    child.closed_at, child.closed_by_id = utcnow() - timedelta(days=3000), sam.id
    child.closing_summary, child.destroy_on = "Closed.", utcnow().date() - timedelta(days=1)
    db.session.commit()
    result = runner.invoke(args=["records", "purge-expired"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count()).select_from(NamedPromptAudio)) == 0
    with pytest.raises(Exception):  # noqa: B017 - whichever error the store gives for a missing file
        media_store().get(media_id)
