"""Media served as a stream: range requests for seeking, the same permission checks and
audit entries as a whole read, and a long recording never held whole in memory."""

from __future__ import annotations

import hashlib
import os
import random
import tracemalloc
from collections.abc import Iterator

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import select

from tests.child_space.test_child_space import upload
from tests.factories import ContributionFactory, UserFactory
from tests.uploads.test_chunked import noisy_png
from voice_app.audit.models import AuditAction, AuditEntry
from voice_app.contributions.models import ContributionKind
from voice_app.core.storage import FRAME_BYTES, ONE_PIECE_VERSION, key_id, media_store
from voice_app.extensions import db


def _stored_drawing(family) -> tuple[int, str, bytes]:
    """A drawing of several frames, stored through the child's space; its id, the
    practitioner's URL for it, and the bytes the store keeps."""
    child, _sam, tablet, _made = family
    answer = upload(tablet, {"kind": "drawing", "text": "my house"}, noisy_png(), "d.png")
    assert answer.status_code == 201
    contribution_id = answer.get_json()["id"]
    whole = tablet.get(f"/me/media/{contribution_id}/original")
    assert whole.status_code == 200 and len(whole.data) > 2 * FRAME_BYTES
    url = f"/children/{child.id}/contributions/{contribution_id}/media/original"
    return contribution_id, url, whole.data


def _media_reads() -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEntry.target).where(AuditEntry.action == AuditAction.MEDIA_VIEWED)
        )
    )


def test_a_range_is_answered_with_only_those_bytes(family, make_client):
    contribution_id, url, whole = _stored_drawing(family)
    _child, sam, tablet, _made = family
    size = len(whole)
    staff = make_client(sam.email)

    plain = staff.get(url)
    assert plain.status_code == 200 and plain.data == whole
    assert plain.headers["Accept-Ranges"] == "bytes"
    assert plain.headers["Content-Length"] == str(size)
    assert plain.headers["Cache-Control"] == "private, no-store"

    across = staff.get(url, headers={"Range": f"bytes={FRAME_BYTES - 5}-{FRAME_BYTES + 4}"})
    assert across.status_code == 206
    assert across.data == whole[FRAME_BYTES - 5 : FRAME_BYTES + 5]
    assert across.headers["Content-Range"] == f"bytes {FRAME_BYTES - 5}-{FRAME_BYTES + 4}/{size}"
    assert across.headers["Content-Disposition"] == "inline"
    assert across.mimetype == "image/png"

    tail = staff.get(url, headers={"Range": "bytes=-10"})
    assert tail.status_code == 206 and tail.data == whole[-10:]
    rest = staff.get(url, headers={"Range": f"bytes={size - 3}-"})
    assert rest.status_code == 206 and rest.data == whole[-3:]
    beyond = staff.get(url, headers={"Range": f"bytes={size}-"})
    assert beyond.status_code == 416 and beyond.headers["Content-Range"] == f"bytes */{size}"
    assert beyond.data == b""
    several = staff.get(url, headers={"Range": "bytes=0-1,5-6"})
    assert several.status_code == 200 and several.data == whole
    not_matched = staff.get(url, headers={"Range": "bytes=0-1", "If-Range": '"old"'})
    assert not_matched.status_code == 200 and not_matched.data == whole

    # The child's own view seeks the same way.
    own = tablet.get(f"/me/media/{contribution_id}/original", headers={"Range": "bytes=1-3"})
    assert own.status_code == 206 and own.data == whole[1:4]


def test_each_range_read_is_audited_as_a_read_and_checked_like_one(family, make_client):
    contribution_id, url, whole = _stored_drawing(family)
    _child, sam, _tablet, _made = family
    staff = make_client(sam.email)
    before = len(_media_reads())

    assert staff.get(url, headers={"Range": "bytes=0-99"}).status_code == 206
    assert staff.get(url, headers={"Range": "bytes=100-199"}).status_code == 206

    assert _media_reads()[before:] == [f"contribution:{contribution_id}"] * 2
    # A range past the end sends nothing of the file: it is no read.
    beyond = staff.get(url, headers={"Range": f"bytes={len(whole) + 10}-"})
    assert beyond.status_code == 416 and beyond.data == b""
    assert len(_media_reads()) == before + 2
    stranger = UserFactory(name="Pat Not-Assigned")
    db.session.commit()
    refused = make_client(stranger.email).get(url, headers={"Range": "bytes=0-99"})
    assert refused.status_code in (403, 404) and whole[:100] not in refused.data
    assert len(_media_reads()) == before + 2


def _pseudo_random(size: int) -> Iterator[bytes]:
    rng = random.Random(11)
    left = size
    while left:
        piece = rng.randbytes(min(left, 256 * 1024))
        left -= len(piece)
        yield piece


def test_a_long_recording_is_served_without_holding_it_in_memory(family, make_client):
    child, sam, _tablet, _made = family
    size = 24 * 1024 * 1024 + 5
    expected = hashlib.sha256()
    for piece in _pseudo_random(size):
        expected.update(piece)
    contribution = ContributionFactory(
        child=child,
        kind=ContributionKind.VOICE,
        text=None,
        media_id=media_store().put_stream(_pseudo_random(size)),
        media_content_type="audio/webm",
    )
    db.session.commit()
    staff = make_client(sam.email)
    url = f"/children/{child.id}/contributions/{contribution.id}/media/original"

    tracemalloc.start()
    try:
        response = staff.get(url)
        received, length = hashlib.sha256(), 0
        for piece in response.response:
            received.update(piece)
            length += len(piece)
        response.close()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    print(f"24 MiB recording served with a peak of {peak / 2**20:.2f} MiB")
    assert response.status_code == 200 and response.mimetype == "audio/webm"
    assert length == size and received.hexdigest() == expected.hexdigest()
    assert peak < 4 * 1024 * 1024, "the recording was held whole"
    seek = staff.get(url, headers={"Range": f"bytes={size - 100}-"})
    assert seek.status_code == 206 and len(seek.data) == 100


def test_a_recording_stored_before_frames_is_still_served_and_seekable(family, make_client):
    child, sam, _tablet, _made = family
    store = media_store()
    data = os.urandom(3 * FRAME_BYTES)
    media_id = "9a" * 16
    header = bytes([ONE_PIECE_VERSION]) + key_id(store_key()) + os.urandom(12)
    sealed = header + AESGCM(store_key()).encrypt(
        header[-12:], data, header[:-12] + media_id.encode()
    )
    store.blobs.write(store.key_for(media_id), sealed)
    contribution = ContributionFactory(
        child=child,
        kind=ContributionKind.VOICE,
        text=None,
        media_id=media_id,
        media_content_type="audio/ogg",
    )
    db.session.commit()
    staff = make_client(sam.email)
    url = f"/children/{child.id}/contributions/{contribution.id}/media/original"

    assert staff.get(url).data == data
    seek = staff.get(url, headers={"Range": f"bytes={FRAME_BYTES}-{FRAME_BYTES + 9}"})
    assert seek.status_code == 206 and seek.data == data[FRAME_BYTES : FRAME_BYTES + 10]


def store_key() -> bytes:
    """The key the app's store seals new files with (the test app's legacy key)."""
    from flask import current_app

    from voice_app.core.storage import configured_media_keys, media_key

    configured = configured_media_keys(current_app.config)
    return media_key(current_app.config["SECRET_KEY"], configured[-1] if configured else None)
