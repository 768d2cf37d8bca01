"""A long recording played in real Chromium: its player asks for ranges and seeks to the
end without fetching the whole file."""

from __future__ import annotations

import io
import math
import struct
import wave

import pytest
from flask import Flask
from playwright.sync_api import Page
from sqlalchemy import select

from tests.e2e.test_practitioner_pages import sign_in
from voice_app.accounts.models import User
from voice_app.children.models import CaseAssignment
from voice_app.contributions.models import AuthorKind, Contribution, ContributionKind, SharingChoice
from voice_app.core.storage import FRAME_BYTES, media_store
from voice_app.extensions import db

pytestmark = pytest.mark.browser

SECONDS = 300


def tone() -> bytes:
    """Five minutes of a 400 Hz tone, 16 kHz mono WAV: 9.6 MB, which no player fetches
    whole just to show its length."""
    cycle = b"".join(
        struct.pack("<h", int(8000 * math.sin(2 * math.pi * n / 40))) for n in range(40)
    )
    out = io.BytesIO()
    with wave.open(out, "wb") as clip:
        clip.setnchannels(1)
        clip.setsampwidth(2)
        clip.setframerate(16_000)
        clip.writeframes(cycle * (400 * SECONDS))
    return out.getvalue()


def test_the_player_seeks_with_range_requests(page: Page, live_app: Flask) -> None:
    data = tone()
    assert len(data) > 5 * FRAME_BYTES
    with live_app.app_context():
        sam = db.session.scalar(select(User).where(User.email == "practitioner@demo.example"))
        assert sam is not None
        child_id = db.session.scalar(
            select(CaseAssignment.child_id).where(CaseAssignment.user_id == sam.id).limit(1)
        )
        contribution = Contribution(
            child_id=child_id,
            client_id="6b1f2c36-6a70-4e39-9d0c-0d5a4c1e9a11",
            kind=ContributionKind.VOICE,
            author_kind=AuthorKind.CHILD,
            language="en",
            sharing=SharingChoice.MY_WORKER,
            media_id=media_store().put(data),
            media_content_type="audio/wav",
            duration_seconds=float(SECONDS),
        )
        db.session.add(contribution)
        db.session.commit()
        url = f"/children/{child_id}/contributions/{contribution.id}/media/original"
        made = contribution.id
        db.session.remove()
    try:
        _play_and_seek(page, url, len(data))
    finally:
        # The demo data is shared by every browser test: leave the child's timeline as it was.
        with live_app.app_context():
            row = db.session.get_one(Contribution, made)
            media_store().delete(row.media_id or "")
            db.session.delete(row)
            db.session.commit()
            db.session.remove()


def _play_and_seek(page: Page, url: str, size: int) -> None:
    sign_in(page)
    answers: list[tuple[int, str | None]] = []
    page.on(
        "response",
        lambda response: (
            answers.append((response.status, response.headers.get("content-range")))
            if "/media/original" in response.url
            else None
        ),
    )

    played = page.evaluate(
        """async (url) => {
            const audio = new Audio(url);
            audio.preload = "metadata";
            await new Promise((ok, fail) => {
                audio.onloadedmetadata = ok; audio.onerror = () => fail(audio.error.code);
            });
            const duration = audio.duration;
            audio.currentTime = duration - 1;
            await new Promise((ok) => { audio.onseeked = ok; });
            return {duration, at: audio.currentTime,
                    seekable: audio.seekable.length ? audio.seekable.end(0) : 0};
        }""",
        url,
    )

    assert abs(played["duration"] - SECONDS) < 0.1
    assert played["at"] > SECONDS - 2 and played["seekable"] > SECONDS - 0.1
    assert answers and all(status in (200, 206) for status, _range in answers)
    partial = [found for status, found in answers if status == 206]
    assert len(partial) >= 2, f"the player did not seek with a range: {answers}"
    assert all(found and found.endswith(f"/{size}") for found in partial)
    print(f"the player's requests: {answers}")
