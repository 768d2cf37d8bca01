"""Media keys an operator can rotate: several at once, new files under the newest,
``flask media rekey`` moving old files forward, and files from before media keys kept."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import Flask

from voice_app.config import load_config
from voice_app.core.storage import MediaCorrupt, key_id, media_key, media_store

MARKER = b"Qzxmedia-recording-of-a-child"


@pytest.fixture
def keyed(app: Flask, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setitem(app.config, "MEDIA_ROOT", str(tmp_path / "media"))
    monkeypatch.setitem(app.config, "MEDIA_KEYS", [])
    monkeypatch.delitem(app.config, "MEDIA_KEY", raising=False)

    def use(*keys: str) -> None:
        monkeypatch.setitem(app.config, "MEDIA_KEYS", list(keys))

    return use


def _key_id_of(media_id: str) -> bytes:
    """The key id in a stored file's header, read through the store (folder or bucket)."""
    store = media_store()
    return store.blobs.read_head(store.key_for(media_id), 9)[1:9]


def test_a_rotation_end_to_end(app: Flask, runner, keyed, monkeypatch) -> None:
    key_a, key_b = secrets.token_hex(32), secrets.token_hex(32)
    keyed(key_a)
    old = media_store().put(MARKER)
    assert _key_id_of(old) == key_id(bytes.fromhex(key_a))

    keyed(key_a, key_b)  # B added: new files under B, old ones still open
    new = media_store().put(MARKER + b"-new")
    assert _key_id_of(new) == key_id(bytes.fromhex(key_b))
    assert media_store().get(old) == MARKER

    check = runner.invoke(args=["media", "rekey", "--check"])
    assert "1 file(s) need moving, 1 already under it" in check.output
    result = runner.invoke(args=["media", "rekey"])
    assert result.exit_code == 0 and "1 file(s) moved, 1 already under it" in result.output

    keyed(key_b)  # A removed: everything still opens
    assert media_store().get(old) == MARKER
    assert media_store().get(new) == MARKER + b"-new"
    # The secret key can now change without losing anything.
    monkeypatch.setitem(app.config, "SECRET_KEY", "a-rotated-secret-key")
    assert media_store().get(old) == MARKER
    keyed(key_a)  # only the removed key: B's files do not open
    with pytest.raises(MediaCorrupt):
        media_store().get(old)


def test_files_written_before_media_keys_stay_readable_and_move_forward(
    app: Flask, runner, keyed
) -> None:
    # Today's format: version 1, no key id, sealed with the key derived from the secret key.
    legacy = media_key(app.config["SECRET_KEY"])
    media_id = "ab" * 16
    nonce = os.urandom(12)
    sealed = b"\x01" + nonce + AESGCM(legacy).encrypt(nonce, MARKER, b"\x01" + media_id.encode())
    store = media_store()
    store.blobs.write(store.key_for(media_id), sealed)

    new_key = secrets.token_hex(32)
    keyed(new_key)
    assert media_store().get(media_id) == MARKER
    assert runner.invoke(args=["media", "rekey"]).exit_code == 0
    assert _key_id_of(media_id) == key_id(bytes.fromhex(new_key))
    app.config["SECRET_KEY"], before = "rotated", app.config["SECRET_KEY"]
    try:
        assert media_store().get(media_id) == MARKER
    finally:
        app.config["SECRET_KEY"] = before


def test_keys_come_from_the_environment_or_the_instance_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runner, app: Flask
) -> None:
    monkeypatch.setenv("VOICE_APP_SECRET_KEY", "x")
    monkeypatch.delenv("VOICE_APP_MEDIA_KEY", raising=False)
    (tmp_path / "media_keys").write_text("# oldest first\naa\nbb\n")
    assert load_config(tmp_path)["MEDIA_KEYS"] == ["aa", "bb"]
    monkeypatch.setenv("VOICE_APP_MEDIA_KEY", "cc, dd")
    assert load_config(tmp_path)["MEDIA_KEYS"] == ["cc", "dd"]
    monkeypatch.setenv("VOICE_APP_MEDIA_DIR", str(tmp_path / "elsewhere"))
    assert load_config(tmp_path)["MEDIA_ROOT"] == str(tmp_path / "elsewhere")
    monkeypatch.delenv("VOICE_APP_MEDIA_KEY")
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    added = runner.invoke(args=["media", "new-key"])
    assert added.exit_code == 0, added.output
    lines = (tmp_path / "media_keys").read_text().splitlines()
    assert len(lines) == 4 and len(bytes.fromhex(lines[-1])) == 32
    assert lines[-1] not in added.output  # the key itself is never printed
