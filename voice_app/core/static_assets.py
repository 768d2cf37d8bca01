"""Static files for weak links: fingerprinted URLs cached for a year, and gzip for text.

Tablets on school Wi-Fi and phones on a poor signal pay a round trip (300 ms and more) for
every stylesheet and script a page names, even when the answer is "304 not modified".

- ``url_for('static', filename=...)`` adds ``?v=<content hash>``. A request that carries the
  file's current hash is answered ``Cache-Control: public, max-age=31536000, immutable``:
  the browser keeps it and never asks again, and a changed file gets a new URL. A request
  without the hash, or with a stale one (a page rendered before a deploy), still gets the
  file, with ``no-cache``: kept, but revalidated (a 304) before each use.
- ES modules import each other by relative URL (``import ... from "./outbox.js"``), which
  carries no hash. The child's and the family's pages carry an import map
  (``import_map()``) that maps each module's plain URL to its fingerprinted one, so the
  modules an entry module imports are cached for a year too: a second visit on school
  Wi-Fi asks for none of them, where it used to wait one round trip per level of imports
  for a 304. The map is inline, so the Content-Security-Policy names its hash
  (``script_src()``) and still allows no other inline script. A page without the map (a
  staff page) fetches those modules without the hash: they are answered ``no-cache``, so
  a new entry module never runs beside a stale module it imports.
- CSS, JS, SVG and JSON under ``static/`` are gzipped when the browser accepts it (cached
  per file and modification time). HTML pages and JSON API responses are never compressed
  here: they carry case data and CSRF tokens beside what a person typed, and compressing
  secrets beside reflected input leaks them to anyone who can watch the sizes (BREACH).
  Recordings and drawings are served by permission-checked views, not from ``static/``,
  and are compressed already.

``STATIC_ASSETS_FAST`` (``VOICE_APP_STATIC_ASSETS_FAST``, on by default) switches all of it
off, for the weak-link benchmark's "before" figures.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, request, url_for
from markupsafe import Markup
from werkzeug.security import safe_join

#: The query argument that carries a static file's fingerprint.
FINGERPRINT_ARG = "v"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
#: Text worth gzipping. Images other than SVG, audio and fonts are compressed already.
COMPRESSIBLE = frozenset(
    {
        "text/css",
        "text/javascript",
        "application/javascript",
        "image/svg+xml",
        "application/json",
        "application/manifest+json",
    }
)
#: Below this, gzip's header and a round of CPU buy nothing.
MIN_COMPRESS_BYTES = 512
#: Larger files are sent as they are rather than held in memory.
MAX_COMPRESS_BYTES = 2 * 1024 * 1024

# (mtime_ns, size) -> value, by absolute path. A changed file has a new stat and is read again.
_fingerprints: dict[str, tuple[int, int, str]] = {}
_gzipped: dict[str, tuple[int, int, bytes]] = {}
#: The folder under ``static/`` whose ES modules the import map names.
MODULES_FOLDER = "js"


def init_static_assets(app: Flask) -> None:
    """Fingerprint static URLs and cache and compress static files, unless switched off."""
    default = os.environ.get("VOICE_APP_STATIC_ASSETS_FAST", "1").strip().lower()
    app.config.setdefault("STATIC_ASSETS_FAST", default in {"1", "true", "yes", "on"})
    app.url_defaults(add_fingerprint)
    app.after_request(cache_and_compress_static)
    app.jinja_env.globals["import_map"] = import_map


def _static_path(filename: str) -> str | None:
    folder = current_app.static_folder
    path = safe_join(folder, filename) if folder else None
    return path if path and os.path.isfile(path) else None


def fingerprint(filename: str) -> str | None:
    """A short hash of the static file's content, or None when there is no such file."""
    path = _static_path(filename)
    if path is None:
        return None
    stat = os.stat(path)
    cached = _fingerprints.get(path)
    if cached and cached[:2] == (stat.st_mtime_ns, stat.st_size):
        return cached[2]
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]
    _fingerprints[path] = (stat.st_mtime_ns, stat.st_size, digest)
    return digest


def add_fingerprint(endpoint: str, values: dict[str, Any]) -> None:
    if endpoint != "static" or FINGERPRINT_ARG in values or "filename" not in values:
        return
    if not current_app.config["STATIC_ASSETS_FAST"]:
        return
    digest = fingerprint(values["filename"])
    if digest:
        values[FINGERPRINT_ARG] = digest


def _gzipped_file(path: str) -> bytes | None:
    stat = os.stat(path)
    if not MIN_COMPRESS_BYTES <= stat.st_size <= MAX_COMPRESS_BYTES:
        return None
    cached = _gzipped.get(path)
    if cached and cached[:2] == (stat.st_mtime_ns, stat.st_size):
        return cached[2]
    # mtime=0: the same file always gives the same bytes, whichever worker gzipped it.
    body = gzip.compress(Path(path).read_bytes(), compresslevel=9, mtime=0)
    _gzipped[path] = (stat.st_mtime_ns, stat.st_size, body)
    return body


def cache_and_compress_static(response: Response) -> Response:
    if request.endpoint != "static" or not current_app.config["STATIC_ASSETS_FAST"]:
        return response
    filename = (request.view_args or {}).get("filename", "")
    path = _static_path(filename)
    if path is None or response.status_code not in (200, 304):
        return response
    asked = request.args.get(FINGERPRINT_ARG)
    current = fingerprint(filename)
    response.headers["Cache-Control"] = IMMUTABLE if asked and asked == current else REVALIDATE
    response.headers.pop("Expires", None)
    if response.mimetype not in COMPRESSIBLE:
        return response
    response.vary.add("Accept-Encoding")
    if response.status_code != 200 or response.headers.get("Content-Encoding"):
        return response
    if request.accept_encodings["gzip"] <= 0:
        return response
    body = _gzipped_file(path)
    if body is None or len(body) >= (response.content_length or 0):
        return response
    response.close()  # the open file Flask would have streamed
    response.direct_passthrough = False
    response.set_data(body)
    response.headers["Content-Encoding"] = "gzip"
    # The same ETag as the plain file, made weak: a revalidation still matches it (a 304),
    # and no cache takes the gzipped bytes for the plain ones.
    etag, _weak = response.get_etag()
    if etag:
        response.set_etag(etag, weak=True)
    return response


def _modules() -> tuple[tuple[str, str], ...]:
    """Every ES module under ``static/js``, by its name under ``static/``, with its hash."""
    folder = current_app.static_folder
    if not folder:
        return ()
    root = Path(folder)
    found = []
    for path in sorted((root / MODULES_FOLDER).rglob("*.js")):
        name = path.relative_to(root).as_posix()
        digest = fingerprint(name)
        if digest:
            found.append((name, digest))
    return tuple(found)


def _current_import_map() -> tuple[str, str] | None:
    """The import map's JSON text and its ``'sha256-...'`` CSP source, or None when off.

    Every HTML response's policy names it, so it is made once per process and kept: the
    files under ``static/`` change only with a deploy, which starts new processes. Under
    the debugger (files edited as the app runs) it is made again for every response.
    """
    if not current_app.config["STATIC_ASSETS_FAST"]:
        return None
    where = (request.script_root, current_app.static_url_path, current_app.static_folder)
    kept: dict[Any, tuple[str, str]] = current_app.extensions.setdefault("import_map", {})
    if where in kept and not current_app.debug:
        return kept[where]
    imports = {}
    for name, digest in _modules():
        plain = url_for("static", filename=name, **{FINGERPRINT_ARG: None})
        imports[plain] = f"{plain}?{FINGERPRINT_ARG}={digest}"
    text = json.dumps({"imports": imports}, separators=(",", ":"), sort_keys=True)
    sha = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    kept[where] = (text, f"'sha256-{sha}'")
    return kept[where]


def import_map() -> Markup:
    """The ``<script type="importmap">`` for a page's modules (before any module script)."""
    current = _current_import_map()
    if current is None:
        return Markup("")
    # The JSON holds only static paths and hex digests: nothing to escape in a script.
    return Markup(f'<script type="importmap">{current[0]}</script>')  # noqa: S704


def script_src() -> str:
    """The policy's ``script-src``: this site's files, and the import map by its hash."""
    current = _current_import_map()
    return "script-src 'self'" + (f" {current[1]}" if current else "")
