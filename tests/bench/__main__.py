"""``python -m tests.bench``: every benchmark, one after another."""

from __future__ import annotations

import sys

from tests.bench import pages, plans, transcription, uploads


def main() -> int:
    print("== Pages: the app against a bare Flask app, both under gunicorn ==", flush=True)
    status = pages.main()
    print()
    print(
        "== A plan with 200 actions, 50 reviews and 40 contributions: page and PDF ==", flush=True
    )
    status = status or plans.main()
    print()
    print("== Transcription: the app's path against bare faster-whisper ==", flush=True)
    status = status or transcription.main()
    print()
    print("== Uploads: slow tablets, synchronous=FULL, the orphan sweep ==", flush=True)
    return status or uploads.main()


if __name__ == "__main__":
    sys.exit(main())
