"""``python -m tests.bench``: every benchmark, one after another.

One alone: ``python -m tests.bench.pages``, ``tests.bench.transcription`` or
``tests.bench.drawings``.
"""

from __future__ import annotations

import sys

from tests.bench import drawings, pages, transcription


def main() -> int:
    print("== Pages: the app against a bare Flask app, both under gunicorn ==", flush=True)
    status = pages.main()
    print()
    print("== Transcription: the app's path against bare faster-whisper ==", flush=True)
    status = transcription.main() or status
    print()
    print(
        "== Drawings: processing a 2048x1536 canvas; our PNG encoder beside Pillow's ==", flush=True
    )
    return drawings.main() or status


if __name__ == "__main__":
    sys.exit(main())
