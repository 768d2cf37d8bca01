"""``python -m tests.bench``: every benchmark, one after another.

One alone: ``python -m tests.bench weak_link`` (any module's name), or
``python -m tests.bench.pages``, ``tests.bench.transcription``, ``tests.bench.drawings``,
``tests.bench.read_aloud`` or ``tests.bench.reports``.
"""

from __future__ import annotations

import importlib
import sys

from tests.bench import (
    audit_lanes,
    drawings,
    pages,
    plans,
    read_aloud,
    reports,
    transcription,
    uploads,
    weak_link,
)


def main() -> int:
    if len(sys.argv) > 1:
        bench = importlib.import_module(f"tests.bench.{sys.argv[1]}")
        return int(bench.main() or 0)
    print("== Pages: the app against a bare Flask app, both under gunicorn ==", flush=True)
    status = pages.main()
    print()
    print("== Audited pages on PostgreSQL: one audit chain against 64 lanes ==", flush=True)
    status = audit_lanes.main() or status
    print()
    print(
        "== A plan with 200 actions, 50 reviews and 40 contributions: page and PDF ==", flush=True
    )
    status = status or plans.main()
    print()
    print("== A 20-page report with 10 drawings as a PDF; the family's home page ==", flush=True)
    status = reports.main() or status
    print()
    print("== Transcription: the app's path against bare faster-whisper ==", flush=True)
    status = transcription.main() or status
    print()
    print(
        "== Drawings: processing a 2048x1536 canvas; our PNG encoder beside Pillow's ==", flush=True
    )
    status = drawings.main() or status
    print()
    print("== Uploads: slow tablets, synchronous=FULL, the orphan sweep ==", flush=True)
    status = uploads.main() or status
    print()
    print("== Read-aloud: every prompt's audio in every language, rendered and cached ==")
    status = read_aloud.main() or status
    print()
    print("== A weak link in Chromium: static files cached and compressed, or not ==", flush=True)
    return weak_link.main() or status


if __name__ == "__main__":
    sys.exit(main())
