"""``python -m tests.bench``: every benchmark, one after another.

One alone: ``python -m tests.bench.pages``, ``tests.bench.transcription``,
``tests.bench.drawings``, ``tests.bench.read_aloud`` or ``tests.bench.reports``.
"""

from __future__ import annotations

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
)


def main() -> int:
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
    return read_aloud.main() or status


if __name__ == "__main__":
    sys.exit(main())
