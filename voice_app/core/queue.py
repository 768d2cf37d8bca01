"""The background-job queue: Huey, on a SQLite file by default and on Redis at scale.

Huey is created here, once, so tasks can be declared with ``@job`` at import time; its
storage is chosen from ``QUEUE_URL`` when the app is created. Tasks run inside an app
context of the app that configured the queue.

A service that creates work for a job queues it with ``after_commit``: the job is sent
when the transaction commits, and dropped if it rolls back.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Any, TypeVar
from urllib.parse import urlparse

from flask import Flask, current_app, has_app_context
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey, crontab
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from voice_app.extensions import db

F = TypeVar("F", bound=Callable[..., Any])

HEARTBEAT_KEY = "worker-heartbeat"
#: A worker writes its heartbeat every minute; older than this means no worker is running.
HEARTBEAT_STALE_AFTER = 150

huey: Huey = MemoryHuey("voice_app", immediate=True)
_bound_app: Flask | None = None


def init_queue(app: Flask) -> None:
    """Point the shared Huey instance at the storage named by ``QUEUE_URL``."""
    global _bound_app
    _bound_app = app
    url = app.config["QUEUE_URL"]
    immediate = bool(app.config.get("QUEUE_IMMEDIATE", False))
    parsed = urlparse(url)
    configured: Huey
    if parsed.scheme == "sqlite":
        configured = SqliteHuey("voice_app", filename=parsed.path, immediate=immediate)
    elif parsed.scheme in {"redis", "rediss"}:
        configured = RedisHuey("voice_app", url=url, immediate=immediate)
    elif parsed.scheme == "memory":
        configured = MemoryHuey("voice_app", immediate=immediate)
    else:
        raise ValueError(f"unsupported QUEUE_URL scheme: {parsed.scheme!r}")
    # Tasks registered against the module-level instance keep working: swap its storage.
    huey.immediate_use_memory = False
    huey.immediate = immediate
    huey.storage = configured.storage


def bound_app() -> Flask:
    """The app whose configuration the queue runs with (periodic tasks need its context)."""
    if _bound_app is None:
        raise RuntimeError("the queue has not been initialised with an app")
    return _bound_app


def task_context() -> AbstractContextManager[Any]:
    """The app context a periodic task runs in: the caller's, else the queue's app.

    A worker has no app context of its own; a caller that already has one (a command, a
    test) keeps it, so the task sees the same database as the caller.
    """
    return nullcontext() if has_app_context() else bound_app().app_context()


def job(**task_options: Any) -> Callable[[F], F]:
    """Declare a background task that runs inside the configured app's context."""

    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        def run_in_app(*args: Any, **kwargs: Any) -> Any:
            if has_app_context() or _bound_app is None:
                return fn(*args, **kwargs)
            with _bound_app.app_context():
                return fn(*args, **kwargs)

        return huey.task(**task_options)(run_in_app)

    return decorate


#: ``Session.info`` key of the jobs waiting for their transaction to commit.
_WAITING_JOBS = "jobs_after_commit"


def after_commit(task: Callable[..., Any], *args: Any) -> None:
    """Queue ``task(*args)`` once the current transaction commits; nothing if it rolls back.

    A job must never see (or miss) rows its caller has not committed yet.
    """
    waiting: list[tuple[Callable[..., Any], tuple[Any, ...]]]
    waiting = db.session.info.setdefault(_WAITING_JOBS, [])
    waiting.append((task, args))


@event.listens_for(Session, "after_commit")
def _send_waiting_jobs(session: Session) -> None:
    """Send the committed transaction's jobs.

    Each is sent from an app context of its own: a job that runs at once
    (``QUEUE_IMMEDIATE``, as in the tests) then has a session of its own, as in a worker,
    since the committing session can run no SQL here. A job that cannot be queued is
    logged; its periodic sweep queues it again.
    """
    for task, args in session.info.pop(_WAITING_JOBS, []):
        try:
            if has_app_context():
                with current_app._get_current_object().app_context():  # type: ignore[attr-defined]
                    task(*args)
            else:
                task(*args)
        except Exception:
            logger = current_app.logger if has_app_context() else bound_app().logger
            logger.exception("could not queue %s%r", getattr(task, "name", task), args)


@event.listens_for(Session, "after_transaction_end")
def _drop_waiting_jobs(session: Session, transaction: SessionTransaction) -> None:
    """A transaction that ended without committing takes its jobs with it."""
    if transaction.parent is None:
        session.info.pop(_WAITING_JOBS, None)


@huey.periodic_task(crontab(minute="*"))
def write_heartbeat() -> None:
    """Tell ``/healthz`` that a worker is alive."""
    huey.put(HEARTBEAT_KEY, time.time())


@huey.on_startup()
def heartbeat_on_start() -> None:
    huey.put(HEARTBEAT_KEY, time.time())


def queue_status() -> dict[str, Any]:
    """State of the queue for ``/healthz``: reachable, pending jobs, worker seen recently."""
    try:
        pending = huey.pending_count()
        last_seen = huey.get(HEARTBEAT_KEY, peek=True)
    except Exception as exc:  # the broker itself is down
        return {"status": "unavailable", "error": type(exc).__name__}
    worker_alive = last_seen is not None and time.time() - last_seen < HEARTBEAT_STALE_AFTER
    return {
        "status": "ok" if worker_alive else "no_worker",
        "pending": pending,
        "worker_last_seen_seconds_ago": None
        if last_seen is None
        else round(time.time() - last_seen),
    }
