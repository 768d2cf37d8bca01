"""The README's configuration table lists every VOICE_APP_* setting the code reads."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def table_settings() -> set[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Configuration", 1)[1].split("\n### ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `VOICE_APP_")]
    return {
        name
        for row in rows
        for name in re.findall(r"`(VOICE_APP_[A-Z0-9_]+)`", row.split(" | ")[0])
    }


def settings_read_by_the_code() -> set[str]:
    config = (ROOT / "voice_app" / "config.py").read_text(encoding="utf-8")
    names = {f"VOICE_APP_{n}" for n in re.findall(r'_env(?:_bool)?\(\s*"([A-Z0-9_]+)"', config)}
    for path in (ROOT / "voice_app").rglob("*.py"):
        names |= set(re.findall(r"VOICE_APP_[A-Z0-9_]+", path.read_text(encoding="utf-8")))
    return names - {"VOICE_APP_"}


def test_the_table_lists_every_setting_config_reads():
    config = (ROOT / "voice_app" / "config.py").read_text(encoding="utf-8")
    from_config = {
        f"VOICE_APP_{n}" for n in re.findall(r'_env(?:_bool)?\(\s*"([A-Z0-9_]+)"', config)
    }
    assert from_config, "config.py reads its settings through _env()"
    assert from_config - table_settings() == set()


def test_the_table_lists_nothing_the_code_does_not_read():
    assert table_settings() - settings_read_by_the_code() == set()
    assert settings_read_by_the_code() - table_settings() == set()
