"""A long recording taken in without ever being held whole: from its temporary file (the
form's, or the joined chunked upload) it is checked, measured and sealed into the store,
and a refused one leaves nothing behind."""

from __future__ import annotations

import hashlib
import random
import tracemalloc
import uuid
import wave
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.factories import ChildFactory
from voice_app.contributions import services as contributions
from voice_app.contributions import upload_sessions
from voice_app.contributions.models import (
    AuthorKind,
    Contribution,
    ContributionKind,
    SharingChoice,
)
from voice_app.core.storage import media_store
from voice_app.extensions import db

#: CD-quality stereo PCM: 176,400 bytes a second, so 125 s is about 21 MiB.
RATE, CHANNELS, SECONDS = 44_100, 2, 125


@pytest.fixture(autouse=True)
def in_request(app):
    """The services audit what they store, as in a request."""
    with app.test_request_context():
        yield


@pytest.fixture(scope="module")
def long_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real, playable WAV recording of more than 20 MiB, written a second at a time."""
    path = tmp_path_factory.mktemp("long") / "long.wav"
    rng = random.Random(5)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(CHANNELS)
        out.setsampwidth(2)
        out.setframerate(RATE)
        for _second in range(SECONDS):
            out.writeframes(rng.randbytes(RATE * CHANNELS * 2))
    assert path.stat().st_size > 20 * 1024 * 1024
    return path


def _digest_of_stored(media_id: str) -> str:
    digest = hashlib.sha256()
    for piece in media_store().open(media_id).stream():
        digest.update(piece)
    return digest.hexdigest()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _voice(media) -> contributions.Submission:
    return contributions.Submission(
        client_id=str(uuid.uuid4()),
        kind=ContributionKind.VOICE,
        sharing=SharingChoice.MY_WORKER,
        media=media,
    )


def _rows() -> int:
    return db.session.scalar(select(func.count()).select_from(Contribution)) or 0


def _peak_of(work):
    tracemalloc.start()
    try:
        result = work()
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


def test_a_long_recording_from_its_temporary_file_is_checked_and_stored_in_bounded_memory(
    app, long_wav
):
    child = ChildFactory()
    db.session.commit()
    size = long_wav.stat().st_size
    author = contributions.Author(AuthorKind.CHILD)

    with long_wav.open("rb") as upload:
        (contribution, created), peak = _peak_of(
            lambda: contributions.add_contribution(child, _voice(upload), author)
        )
    db.session.commit()

    print(f"{size / 2**20:.1f} MiB recording stored with a peak of {peak / 2**20:.2f} MiB")
    assert created and contribution.media_id
    # Far below the recording (on S3 the client's own buffers and its first connection
    # count too: 2.7 MiB there, 0.4 MiB in a folder).
    assert peak < size / 4
    assert contribution.duration_seconds == pytest.approx(SECONDS, abs=0.05)
    assert contribution.media_content_type == "audio/wav"
    assert _digest_of_stored(contribution.media_id) == _sha256(long_wav)


def test_a_long_chunked_upload_is_joined_checked_and_stored_in_bounded_memory(app, long_wav):
    child = ChildFactory()
    db.session.commit()
    size = long_wav.stat().st_size
    client_id = str(uuid.uuid4())
    session = upload_sessions.begin(child.id, client_id, size, _sha256(long_wav), size)
    with long_wav.open("rb") as source:
        offset = 0
        while chunk := source.read(app.config["UPLOAD_CHUNK_BYTES"]):
            offset = upload_sessions.add_chunk(session, offset, chunk)
    assert offset == size
    author = contributions.Author(AuthorKind.CHILD)

    def finish():
        joined = upload_sessions.assemble(session)
        return contributions.add_contribution(child, _voice(joined), author)

    (contribution, created), peak = _peak_of(finish)
    db.session.commit()

    print(f"{size / 2**20:.1f} MiB chunked upload stored with a peak of {peak / 2**20:.2f} MiB")
    assert created
    assert peak < size / 4  # as above
    assert contribution.duration_seconds == pytest.approx(SECONDS, abs=0.05)
    assert _digest_of_stored(contribution.media_id) == _sha256(long_wav)


@pytest.mark.parametrize(
    ("damage", "reason", "words"),
    [
        ("cut", "corrupt_audio", "It may not have finished sending"),
        ("too_long", "audio_too_long", "longer than 1 minutes"),
    ],
)
def test_a_long_recording_refused_from_its_file_leaves_no_blob_and_no_row(
    app, long_wav, tmp_path, monkeypatch, damage, reason, words
):
    child = ChildFactory()
    db.session.commit()
    path = tmp_path / "refused.wav"
    with long_wav.open("rb") as source, path.open("wb") as out:
        while block := source.read(1 << 20):
            out.write(block)
        if damage == "cut":  # the last second never arrived
            out.truncate(long_wav.stat().st_size - RATE * CHANNELS * 2)
    if damage == "too_long":
        monkeypatch.setitem(app.config, "MAX_AUDIO_SECONDS", 60)
    before = set(media_store().media_ids())

    with path.open("rb") as upload, pytest.raises(contributions.SubmissionRejected) as refused:
        contributions.add_contribution(
            child, _voice(upload), contributions.Author(AuthorKind.CHILD)
        )
    db.session.rollback()

    assert refused.value.reason == reason
    assert words in refused.value.message
    assert set(media_store().media_ids()) == before
    assert _rows() == 0


def test_an_empty_file_is_refused_as_not_arrived(app, tmp_path):
    child = ChildFactory()
    db.session.commit()
    empty = tmp_path / "empty.webm"
    empty.write_bytes(b"")
    with empty.open("rb") as upload, pytest.raises(contributions.SubmissionRejected) as refused:
        contributions.add_contribution(
            child, _voice(upload), contributions.Author(AuthorKind.CHILD)
        )
    assert refused.value.reason == "no_media"
    assert upload.closed  # the service closes the file it was given
    assert media_store().media_ids() == []
