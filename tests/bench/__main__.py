"""``python -m tests.bench``: every benchmark, one after another."""

from __future__ import annotations

import sys

from tests.bench import pages, transcription


def main() -> int:
    print("== Pages: the app against a bare Flask app, both under gunicorn ==", flush=True)
    status = pages.main()
    print()
    print("== Transcription: the app's path against bare faster-whisper ==", flush=True)
    return status or transcription.main()


if __name__ == "__main__":
    sys.exit(main())
