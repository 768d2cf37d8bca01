"""Logs that carry nothing personal: an exception is logged as its type and where it happened.

An exception's message can hold anything the code had in hand: a child's words in an SQL
error, a name in a ``ValueError``. Logs are copied and kept far longer than a record may
be, and a purge never reaches them. So every log record this process makes — the app's,
gunicorn's, the Huey worker's, a library's — has its exception replaced, as it is made,
by the exception's type and the file, line and function it came from, through the
chain of causes. Exceptions passed as arguments are reduced the same way, and
SQLAlchemy's DEBUG echo of result rows is blanked. Tracebacks keep the places (code, not
data) and lose the messages.
"""

from __future__ import annotations

import logging
import traceback
from pathlib import Path
from typing import Any

from voice_app.config import ROOT

_installed = False


def _place(frame: traceback.FrameSummary) -> str:
    path = frame.filename
    if path.startswith(str(ROOT)):
        path = str(Path(path).relative_to(ROOT))
    elif "site-packages/" in path:
        path = path.split("site-packages/", 1)[1]
    return f"{path}:{frame.lineno} in {frame.name}"


def _one(exc: BaseException) -> str:
    kind = type(exc)
    name = (
        kind.__qualname__
        if kind.__module__ == "builtins"
        else f"{kind.__module__}.{kind.__qualname__}"
    )
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return name
    ours = [frame for frame in frames if frame.filename.startswith(str(ROOT / "voice_app"))]
    raised = frames[-1]
    where = ours[-1] if ours else raised
    described = f"{name} at {_place(where)}"
    if where is not raised:
        described += f" (raised at {_place(raised)})"
    return described


def describe_exception(exc: BaseException) -> str:
    """``IntegrityError at voice_app/x.py:12 in add (raised at ...)`` and its causes, no message."""
    parts = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        parts.append(_one(current))
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    return "; from ".join(parts)


#: SQLAlchemy's DEBUG echo of each result row: the rows are the record itself. (Statements
#: are safe to echo: engines run with ``hide_parameters``, see ``create_app``.)
SQL_ROW_MESSAGE = "Row %r"


def _without_personal_data(record: logging.LogRecord) -> logging.LogRecord:
    if record.name.startswith("sqlalchemy.engine") and record.msg == SQL_ROW_MESSAGE:
        record.args = ("(row hidden)",)
    if record.exc_info and record.exc_info[1] is not None:
        exc = record.exc_info[1]
        record.msg = f"{record.getMessage()} [{describe_exception(exc)}]"
        record.args = None
        record.exc_info = None
        record.exc_text = None
    if isinstance(record.args, tuple) and any(
        isinstance(arg, BaseException) for arg in record.args
    ):
        record.args = tuple(
            describe_exception(arg) if isinstance(arg, BaseException) else arg
            for arg in record.args
        )
    return record


def install_safe_logging() -> None:
    """Make every log record in this process drop exception messages (idempotent)."""
    global _installed
    if _installed:
        return
    make_record = logging.getLogRecordFactory()

    def safe_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return _without_personal_data(make_record(*args, **kwargs))

    logging.setLogRecordFactory(safe_record)
    _installed = True
