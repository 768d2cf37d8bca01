"""Read-aloud: rendering and caching every prompt's audio in every language, and its size.

``flask speech render``'s path (espeak-ng, then sox to Ogg/Vorbis 16 kHz mono, one file
per prompt and language, side by side on every core), cold and then with everything
cached; the same prompts as MP3 (the fallback for devices that cannot play Ogg) and as WAV
(the fallback where sox cannot write MP3) for comparison; and one request for a prompt not yet
rendered against one already on disk.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from tests.conftest import Client, test_config
from voice_app import create_app
from voice_app.i18n import LANGUAGES
from voice_app.read_aloud import speech
from voice_app.read_aloud.cli import render_all
from voice_app.read_aloud.prompts import prompts_in


def _timed(languages: list[str], fmt: str) -> tuple[float, dict[str, tuple[int, int]]]:
    started = time.perf_counter()
    totals = render_all(languages, fmt)
    return time.perf_counter() - started, totals


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(test_config(Path(folder), f"sqlite:///{folder}/bench.sqlite3"))
        languages = list(LANGUAGES)
        print(f"{os.cpu_count()} cores; languages {', '.join(languages)}")
        with app.app_context():
            cold, totals = _timed(languages, "ogg")
            warm, _ = _timed(languages, "ogg")
            wav_seconds, wav_totals = _timed(languages, "wav")
            mp3_seconds, mp3_totals = (
                _timed(languages, "mp3") if speech.can_make("mp3") else (0.0, {})
            )
            files = sum(count for count, _size in totals.values())
            size = sum(size for _count, size in totals.values())
            wav_size = sum(size for _count, size in wav_totals.values())
            print(
                f"Ogg/Vorbis, {files} prompts: cold {cold:.1f} s, all cached {warm * 1000:.0f} ms"
            )
            for language, (count, total) in totals.items():
                print(
                    f"  {language}: {count} prompts, {total / 1024:6.0f} KiB "
                    f"(WAV {wav_totals[language][1] / 1024:6.0f} KiB), "
                    f"mean {total / count / 1024:.1f} KiB a prompt"
                )
            print(
                f"on disk: Ogg {size / 1024:.0f} KiB; WAV {wav_size / 1024:.0f} KiB "
                f"({wav_seconds:.1f} s to render); Ogg is {wav_size / size:.1f}x smaller"
            )
            if mp3_totals:
                mp3_size = sum(size for _count, size in mp3_totals.values())
                print(
                    f"fallback: MP3 {mp3_size / 1024:.0f} KiB ({mp3_seconds:.1f} s to render), "
                    f"{wav_size / mp3_size:.1f}x smaller than WAV; Ogg/MP3 {size / mp3_size:.2f}"
                )
            else:
                print("fallback: WAV (this sox cannot write MP3: install libsox-fmt-mp3)")
            awaiting = [code for code in languages if not speech.speakable(code)]
            print(f"awaiting a person's recording: {', '.join(awaiting) or 'none'}")

        # One request: a prompt never rendered (espeak-ng + sox in the request) and a hit.
        shutil.rmtree(speech.cache_root_of(app) / "pl", ignore_errors=True)
        app.test_client_class = Client
        client: Client = app.test_client()  # type: ignore[assignment]
        with app.app_context():
            _staff(app)
        client.sign_in(STAFF_EMAIL, STAFF_PASSWORD)
        with app.test_request_context():
            items = list(prompts_in("pl").items())
        misses, hits = [], []
        fmt = speech.default_format()
        for key, _text in items[:20]:
            for store in (misses, hits):
                started = time.perf_counter()
                response = client.get(f"/read-aloud/pl/{key}.{fmt}")
                store.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, response.status_code
        print(
            f"one request ({fmt}): not yet rendered {statistics.median(misses):.0f} ms, "
            f"cached {statistics.median(hits):.1f} ms (median of {len(misses)})"
        )
    return 0


STAFF_EMAIL = "bench@read-aloud.example"
STAFF_PASSWORD = "correct horse battery staple"


def _staff(app) -> int:  # type: ignore[no-untyped-def]
    from flask_migrate import upgrade

    from voice_app.accounts import services as accounts
    from voice_app.core.permissions import Role
    from voice_app.extensions import db

    upgrade()
    user = accounts.create_user(
        email=STAFF_EMAIL,
        name="Bench",
        post_title="Social Worker",
        role=Role.PRACTITIONER,
        password=STAFF_PASSWORD,
        team=accounts.create_team("Bench"),
    )
    db.session.commit()
    return user.id


if __name__ == "__main__":
    sys.exit(main())
