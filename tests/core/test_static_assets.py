"""Static files on a weak link: fingerprinted URLs kept for a year, gzip for static text only.

Pages about children stay uncompressed (BREACH) and uncached (shared tablets); static
files carry no cookie, and no ``Vary: Cookie`` that would make a browser fetch them again.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import re
from pathlib import Path

import pytest
from flask import Flask, url_for

from tests.factories import AssignmentFactory, ChildFactory, TeamFactory, UserFactory
from voice_app.core.static_assets import IMMUTABLE

ROOT = Path(__file__).resolve().parents[2]
APP_CSS = (ROOT / "static/css/app.css").read_bytes()
GZIP = {"Accept-Encoding": "gzip, deflate, br"}


def static_url(app: Flask, filename: str) -> str:
    with app.test_request_context():
        return url_for("static", filename=filename)


def test_a_static_url_carries_the_hash_of_the_file_and_changes_when_the_file_does(
    app: Flask, client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(app, "static_folder", str(tmp_path))
    sheet = tmp_path / "css" / "page.css"
    sheet.parent.mkdir()
    sheet.write_text("body { color: black; }\n")
    first = static_url(app, "css/page.css")
    assert re.fullmatch(r"/static/css/page\.css\?v=[0-9a-f]{12}", first)
    assert static_url(app, "css/page.css") == first

    sheet.write_text("body { color: navy; }\n")  # the same size: only the content differs
    stat = sheet.stat()
    os.utime(sheet, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    second = static_url(app, "css/page.css")
    assert second != first

    new = client.get(second, buffered=True)
    assert new.get_data() == b"body { color: navy; }\n"
    assert new.headers["Cache-Control"] == IMMUTABLE
    # A page rendered before the change asks with the old hash: it gets the new file,
    # but only to revalidate, never kept for a year under the old URL.
    stale = client.get(first, buffered=True)
    assert stale.status_code == 200
    assert stale.get_data() == b"body { color: navy; }\n"
    assert stale.headers["Cache-Control"] == "no-cache"


def test_only_the_right_fingerprint_is_cached_for_a_year(app: Flask, client):
    current = static_url(app, "css/app.css")
    assert "?v=" in current
    answers = {
        "current": client.get(current, buffered=True),
        "none": client.get("/static/css/app.css", buffered=True),
        "stale": client.get("/static/css/app.css?v=0123456789ab", buffered=True),
    }
    assert {name: r.status_code for name, r in answers.items()} == dict.fromkeys(answers, 200)
    assert answers["current"].headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert answers["none"].headers["Cache-Control"] == "no-cache"
    assert answers["stale"].headers["Cache-Control"] == "no-cache"
    assert all(r.get_data() == APP_CSS for r in answers.values())
    assert all("Expires" not in r.headers for r in answers.values())


def test_a_module_imported_by_relative_url_is_revalidated_not_kept(app: Flask, client):
    # space.js imports "./outbox.js": the import's URL has no hash, so the browser must ask
    # again each time (a cheap 304) and never run a new space.js beside an old outbox.js.
    assert "?v=" in static_url(app, "js/child_space/space.js")
    assert 'from "./outbox.js"' in (ROOT / "static/js/child_space/space.js").read_text()
    imported = client.get("/static/js/child_space/outbox.js", buffered=True, headers=GZIP)
    assert imported.headers["Cache-Control"] == "no-cache"
    again = client.get(
        "/static/js/child_space/outbox.js",
        buffered=True,
        headers={**GZIP, "If-None-Match": imported.headers["ETag"]},
    )
    assert again.status_code == 304
    assert again.headers["Cache-Control"] == "no-cache"


def test_static_text_is_gzipped_only_when_the_browser_accepts_it(app: Flask, client):
    url = static_url(app, "css/app.css")
    zipped = client.get(url, buffered=True, headers=GZIP)
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert int(zipped.headers["Content-Length"]) == len(zipped.get_data()) < len(APP_CSS) / 2
    assert gzip.decompress(zipped.get_data()) == APP_CSS
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert zipped.headers["ETag"].startswith('W/"')

    for headers in ({}, {"Accept-Encoding": "identity"}, {"Accept-Encoding": "gzip;q=0"}):
        plain = client.get(url, buffered=True, headers=headers)
        assert "Content-Encoding" not in plain.headers, headers
        assert plain.get_data() == APP_CSS
        assert "Accept-Encoding" in plain.headers["Vary"]

    picture = "img/child_space/houses.svg"
    svg = client.get(static_url(app, picture), buffered=True, headers=GZIP)
    assert svg.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(svg.get_data()) == (ROOT / "static" / picture).read_bytes()

    script = client.get(static_url(app, "js/child_space/space.js"), buffered=True, headers=GZIP)
    assert script.headers["Content-Encoding"] == "gzip"


def test_a_revalidation_of_the_gzipped_file_is_answered_304(app: Flask, client):
    first = client.get("/static/css/app.css", buffered=True, headers=GZIP)
    again = client.get(
        "/static/css/app.css",
        buffered=True,
        headers={**GZIP, "If-None-Match": first.headers["ETag"]},
    )
    assert again.status_code == 304
    assert again.get_data() == b""


def test_pages_and_json_are_never_compressed_and_pages_never_stored(app: Flask, make_client):
    team = TeamFactory()
    sam = UserFactory(team=team)
    AssignmentFactory(child=ChildFactory(team=team, full_name="Maya Mine"), user=sam)
    browser = make_client(sam.email)
    case_list = browser.get("/children/", buffered=True, headers=GZIP)
    assert case_list.status_code == 200
    assert "Maya Mine" in case_list.get_data(as_text=True)  # not gzip: readable as it is
    assert "Content-Encoding" not in case_list.headers
    assert case_list.headers["Cache-Control"] == "no-store"

    sign_in = make_client().get("/login", headers=GZIP)
    assert 'name="csrf-token"' in sign_in.get_data(as_text=True)
    assert "Content-Encoding" not in sign_in.headers
    assert sign_in.headers["Cache-Control"] == "no-store"

    health = make_client().get("/healthz", headers=GZIP)
    assert health.mimetype == "application/json"
    assert "Content-Encoding" not in health.headers


def test_static_files_carry_no_cookie_and_no_vary_cookie_for_a_signed_in_person(
    app: Flask, make_client
):
    sam = UserFactory()
    browser = make_client(sam.email)
    page = browser.get("/children/", buffered=True)
    assert "Cookie" in page.headers["Vary"]  # the page does depend on who is signed in
    for url in (static_url(app, "css/app.css"), "/static/js/child_space/outbox.js"):
        answer = browser.get(url, buffered=True, headers=GZIP)
        assert answer.status_code == 200
        assert "Set-Cookie" not in answer.headers
        assert "Cookie" not in answer.headers.get("Vary", "")


def test_switched_off_the_app_serves_static_files_as_flask_does(
    app: Flask, client, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setitem(app.config, "STATIC_ASSETS_FAST", False)
    assert static_url(app, "css/app.css") == "/static/css/app.css"
    answer = client.get("/static/css/app.css", buffered=True, headers=GZIP)
    assert "Content-Encoding" not in answer.headers
    assert answer.get_data() == APP_CSS
    assert answer.headers["Cache-Control"] == "no-cache"


def _import_map(page: str) -> tuple[str, dict[str, str]]:
    found = re.search(r'<script type="importmap">(.*?)</script>', page, re.S)
    assert found, "the page carries no import map"
    return found.group(1), json.loads(found.group(1))["imports"]


def test_the_familys_pages_map_every_module_to_its_fingerprinted_url_allowed_by_hash(
    app: Flask, client
):
    response = client.get("/family/sign-in")
    text, imports = _import_map(response.get_data(as_text=True))
    modules = sorted(
        p.relative_to(ROOT / "static").as_posix() for p in ROOT.glob("static/js/**/*.js")
    )
    assert "js/child_space/outbox.js" in modules
    for name in modules:
        plain = f"/static/{name}"
        assert imports[plain] == static_url(app, name), name
        assert re.fullmatch(rf"{re.escape(plain)}\?v=[0-9a-f]{{12}}", imports[plain])
    # The policy allows this inline map by its hash, and no other inline script.
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    policy = response.headers["Content-Security-Policy"]
    assert f"script-src 'self' 'sha256-{digest}';" in policy
    assert "unsafe-inline" not in policy


def test_a_module_named_by_the_map_is_kept_for_a_year(app: Flask, client):
    _text, imports = _import_map(client.get("/family/sign-in").get_data(as_text=True))
    kept = client.get(imports["/static/js/child_space/outbox.js"], buffered=True)
    assert kept.status_code == 200
    assert kept.headers["Cache-Control"] == IMMUTABLE


def test_switched_off_there_is_no_import_map_and_no_hash_in_the_policy(app: Flask, client):
    app.config["STATIC_ASSETS_FAST"] = False
    try:
        response = client.get("/family/sign-in")
    finally:
        app.config["STATIC_ASSETS_FAST"] = True
    assert "importmap" not in response.get_data(as_text=True)
    assert "script-src 'self';" in response.headers["Content-Security-Policy"]
