"""Resumable uploads: a dropped chunk is sent again, the item is checked whole, stored once."""

from __future__ import annotations

import hashlib
import io
import os
import random
import uuid

from PIL import Image
from sqlalchemy import func, select

from tests.child_space.test_child_space import media_files
from tests.conftest import uploads_waiting
from voice_app.contributions.models import Contribution
from voice_app.extensions import db


def noisy_png(width: int = 400, height: int = 300) -> bytes:
    """A drawing that does not compress: a few hundred KB, several chunks."""
    rng = random.Random(7)
    image = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def stored() -> int:
    return db.session.scalar(select(func.count()).select_from(Contribution)) or 0


def begin(tablet, client_id: str, data: bytes, **overrides):
    payload = {
        "client_id": client_id,
        "kind": "drawing",
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        **overrides,
    }
    return tablet.post(
        "/me/contributions/uploads", json=payload, headers={"X-CSRFToken": tablet.csrf_token()}
    )


def put_chunk(tablet, url: str, offset: int, chunk: bytes):
    return tablet.put(
        f"{url}?offset={offset}",
        data=chunk,
        content_type="application/octet-stream",
        headers={"X-CSRFToken": tablet.csrf_token()},
    )


def finish(tablet, client_id: str):
    return tablet.post(
        "/me/contributions",
        data={
            "client_id": client_id,
            "kind": "drawing",
            "sharing": "my_worker",
            "text": "my dog",
            "upload": "1",
        },
        content_type="multipart/form-data",
        headers={"X-CSRFToken": tablet.csrf_token()},
    )


def upload_folders(app) -> list[str]:
    """Uploads still arriving (``<child id>/<client id>``), in a folder or the bucket."""
    return list(uploads_waiting())


def test_a_dropped_chunk_is_sent_again_and_the_item_is_stored_once(app, family):
    _child, _sam, tablet, _made = family
    data = noisy_png()
    client_id = str(uuid.uuid4())
    started = begin(tablet, client_id, data).get_json()
    size = started["chunk_bytes"]
    assert started["offset"] == 0 and len(data) > 3 * size
    url = started["upload_url"]
    # Three chunks arrive; the fourth is lost with the connection.
    for offset in range(0, 3 * size, size):
        assert put_chunk(tablet, url, offset, data[offset : offset + size]).status_code == 200
    # The page comes back: the server says where to go on from, not from the start.
    again = begin(tablet, client_id, data).get_json()
    assert again["offset"] == 3 * size
    # A chunk sent again after its answer was lost is answered, not kept twice.
    repeated = put_chunk(tablet, url, 2 * size, data[2 * size : 3 * size])
    assert repeated.status_code == 409 and repeated.get_json()["offset"] == 3 * size
    # Finishing too early stores nothing and says how much is there.
    early = finish(tablet, client_id)
    assert early.status_code == 409 and early.get_json()["offset"] == 3 * size
    assert stored() == 0 and media_files(app) == []
    for offset in range(3 * size, len(data), size):
        assert put_chunk(tablet, url, offset, data[offset : offset + size]).status_code == 200
    first = finish(tablet, client_id)
    assert first.status_code == 201, first.get_data(as_text=True)
    assert first.get_json()["text"] == "my dog"
    # The answer was lost: the tablet finishes again and gets the same item back.
    assert begin(tablet, client_id, data).status_code == 200
    second = finish(tablet, client_id)
    assert second.status_code == 200 and second.get_json()["id"] == first.get_json()["id"]
    assert stored() == 1
    assert len(media_files(app)) == 2  # the drawing and its thumbnail
    assert upload_folders(app) == []
    picture = tablet.get(f"/me/media/{first.get_json()['id']}/original")
    assert picture.status_code == 200 and picture.data.startswith(b"\x89PNG")


def test_chunks_that_do_not_make_the_declared_file_store_nothing(app, family):
    _child, _sam, tablet, _made = family
    data = noisy_png(120, 80)
    client_id = str(uuid.uuid4())
    started = begin(tablet, client_id, data, sha256=hashlib.sha256(b"other").hexdigest())
    url, size = started.get_json()["upload_url"], started.get_json()["chunk_bytes"]
    for offset in range(0, len(data), size):
        assert put_chunk(tablet, url, offset, data[offset : offset + size]).status_code == 200
    damaged = finish(tablet, client_id)
    assert damaged.status_code == 409 and damaged.get_json()["reason"] == "upload_damaged"
    assert stored() == 0 and media_files(app) == [] and upload_folders(app) == []


def test_chunks_are_kept_encrypted_until_the_item_is_whole(app, family):
    _child, _sam, tablet, _made = family
    data = noisy_png(120, 80)
    started = begin(tablet, str(uuid.uuid4()), data).get_json()
    put_chunk(tablet, started["upload_url"], 0, data[: started["chunk_bytes"]])
    ((_item, chunks),) = uploads_waiting().items()
    kept = b"".join(chunks)
    assert kept
    assert data[:64] not in kept and data[1000:1064] not in kept


def test_too_large_is_refused_before_anything_is_kept(app, family):
    _child, _sam, tablet, _made = family
    refused = begin(tablet, str(uuid.uuid4()), b"x", size=app.config["MAX_IMAGE_BYTES"] + 1)
    assert refused.status_code == 413 and refused.get_json()["reason"] == "too_large"
    assert upload_folders(app) == []
    data = os.urandom(app.config["UPLOAD_CHUNK_BYTES"] + 10)
    started = begin(tablet, str(uuid.uuid4()), data).get_json()
    too_big_chunk = put_chunk(tablet, started["upload_url"], 0, data)
    assert too_big_chunk.status_code == 413
    again = begin(tablet, str(uuid.uuid4()), data).get_json()
    assert again["offset"] == 0
