"""Prompt audio rendered on the server by espeak-ng, compressed by sox, cached on disk.

One file per language, text and format under ``READ_ALOUD_CACHE``: the file name is the
prompt's digest, so a changed translation is a new file and an old one is never stale.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask import Flask, current_app

#: What a browser is sent; Ogg/Vorbis is about a seventh of the WAV espeak-ng writes.
#: Devices that cannot play Ogg (older Safari) ask for the fallback: MP3, which every
#: browser plays and is smaller still, when sox can write it (Debian's libsox-fmt-mp3),
#: else WAV straight from espeak-ng.
FORMATS = {"ogg": "audio/ogg", "mp3": "audio/mpeg", "wav": "audio/wav"}
#: sox's arguments for each compressed format: speech needs no more than 16 kHz mono.
#: Vorbis quality 2 and MP3 at 32 kbit/s keep it clear and small.
_SOX_OUTPUT = {
    "ogg": ["-t", "ogg", "-C", "2", "-r", "16000", "-c", "1"],
    "mp3": ["-t", "mp3", "-C", "32", "-r", "16000", "-c", "1"],
}
_TIMEOUT_SECONDS = 30


class SpeechUnavailable(Exception):
    """espeak-ng cannot speak this language (or is not installed)."""


@dataclass(frozen=True)
class Voice:
    language: str
    name: str


@cache
def espeak_languages() -> dict[str, Voice]:
    """The languages espeak-ng says it speaks (``espeak-ng --voices``), by language tag.

    MBROLA voices are left out: they need separately installed voice data.
    """
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        return {}
    listing = subprocess.run(  # noqa: S603 - a fixed command
        [espeak, "--voices"], capture_output=True, text=True, check=True, timeout=10
    ).stdout
    voices: dict[str, Voice] = {}
    for line in listing.splitlines()[1:]:
        fields = line.split()
        if len(fields) >= 5 and not fields[4].startswith("mb/"):
            voices.setdefault(fields[1].lower(), Voice(fields[1].lower(), fields[3]))
    return voices


def voice_for(language: str) -> str | None:
    """The espeak-ng voice for one of our language codes, or None if it has none.

    ``en`` is spoken as British English: the app serves UK children.
    """
    voices = espeak_languages()
    code = language.lower()
    for candidate in (code, f"{code}-gb"):
        if candidate in voices:
            return candidate
    regional = sorted(tag for tag in voices if tag.startswith(f"{code}-"))
    return regional[0] if regional else None


@cache
def sox_formats() -> frozenset[str]:
    """The file types this machine's sox can write (``sox -h``: "AUDIO FILE FORMATS")."""
    sox = shutil.which("sox")
    if sox is None:
        return frozenset()
    listing = subprocess.run(  # noqa: S603 - a fixed command
        [sox, "-h"], capture_output=True, text=True, check=False, timeout=10
    ).stdout
    for line in listing.splitlines():
        if line.startswith("AUDIO FILE FORMATS:"):
            return frozenset(line.split(":", 1)[1].split())
    return frozenset()


def can_make(fmt: str) -> bool:
    """Whether prompt audio can be served in ``fmt`` here."""
    return fmt == "wav" or (fmt in _SOX_OUTPUT and fmt in sox_formats())


def default_format() -> str:
    """Ogg when sox can make it, else WAV straight from espeak-ng."""
    return "ogg" if can_make("ogg") else "wav"


def fallback_format() -> str:
    """For devices that cannot play Ogg: MP3 when sox can make it, else WAV."""
    return "mp3" if can_make("mp3") else "wav"


def speakable(language: str) -> bool:
    return voice_for(language) is not None


def cache_root() -> Path:
    return cache_root_of(current_app)


def cache_root_of(app: Flask) -> Path:
    return Path(app.config["READ_ALOUD_CACHE"])


def cache_path(language: str, key: str, fmt: str, root: Path | None = None) -> Path:
    return (root or cache_root()) / language / f"{key}.{fmt}"


def _encode(wav: bytes, fmt: str) -> bytes:
    sox = shutil.which("sox")
    if fmt == "wav" or sox is None:
        return wav
    return subprocess.run(  # noqa: S603 - fixed arguments, the sound goes in on stdin
        [sox, "-t", "wav", "-", *_SOX_OUTPUT[fmt], "-"],
        input=wav,
        capture_output=True,
        check=True,
        timeout=_TIMEOUT_SECONDS,
    ).stdout


def render(language: str, text: str, fmt: str = "ogg") -> bytes:
    """Speak ``text`` in ``language`` and encode it; ``SpeechUnavailable`` if it cannot."""
    voice = voice_for(language)
    espeak = shutil.which("espeak-ng")
    if voice is None or espeak is None:
        raise SpeechUnavailable(language)
    if not can_make(fmt):
        raise SpeechUnavailable(fmt)
    # The words go in on stdin, never as an argument: nothing in them is an option.
    wav = subprocess.run(  # noqa: S603 - fixed arguments
        [espeak, "-v", voice, "-s", "150", "--stdout", "--stdin"],
        input=text.encode(),
        capture_output=True,
        check=True,
        timeout=_TIMEOUT_SECONDS,
    ).stdout
    return _encode(wav, fmt)


def cached_audio(
    language: str, key: str, text: str, fmt: str = "ogg", root: Path | None = None
) -> Path:
    """The file for this prompt, rendered now if it is not on disk yet (``root``: the
    cache folder, for threads outside the app context)."""
    path = cache_path(language, key, fmt, root)
    if path.exists():
        return path
    audio = render(language, text, fmt)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written aside and renamed: two requests rendering at once never serve half a file.
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    with os.fdopen(handle, "wb") as out:
        out.write(audio)
    os.replace(temporary, path)
    return path
