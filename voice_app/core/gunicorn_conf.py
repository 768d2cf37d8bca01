"""gunicorn's settings for voice_app: `make run` and the README's production recipe use this file.

Threads (``gthread``), not sync workers. A tablet on weak school Wi-Fi may take minutes to
send a recording; a sync worker is held by that one client for all of it, and is killed
(a 500 for the child) when it passes ``timeout``. With threads, the worker's main loop
keeps answering gunicorn's heartbeat while a thread reads the slow body, so ``timeout``
only catches a worker that is really stuck; and one slow tablet holds one thread, not a
whole worker. The app reads a body before it touches the database, so a thread waiting
on a slow client holds no SQLite lock (see voice_app/child_space/uploads.py).

``VOICE_APP_WEB_WORKERS`` and ``VOICE_APP_WEB_THREADS`` change the counts.
"""

import os

worker_class = "gthread"
workers = int(os.environ.get("VOICE_APP_WEB_WORKERS", "2"))
#: Each slow upload in flight holds one thread; these are cheap (they mostly wait).
threads = int(os.environ.get("VOICE_APP_WEB_THREADS", "32"))
#: Seconds a worker's main loop may be silent before it is restarted (not a request limit).
timeout = 30
graceful_timeout = 30
keepalive = 5
