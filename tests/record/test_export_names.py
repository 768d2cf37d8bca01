"""Recordings and drawings in the subject-access zip are named by their real format."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.record.helpers import add_contribution
from tests.record.test_subject_access import (  # noqa: F401 - fixtures
    ask,
    case,
    manager_of,
    requests_of,
)
from voice_app.contributions.models import ContributionKind
from voice_app.subject_access.export import media_extension


@pytest.mark.parametrize(
    ("content_type", "extension"),
    [
        ("audio/wav", ".wav"),
        ("audio/webm", ".webm"),
        ("audio/webm;codecs=opus", ".webm"),
        ("audio/ogg", ".ogg"),
        ("audio/mp4", ".m4a"),
        ("image/png", ".png"),
        (None, ".bin"),
    ],
)
def test_each_stored_format_has_its_extension(content_type, extension):
    assert media_extension(content_type) == extension


def test_the_zip_names_recordings_by_their_format(make_client, case, manager_of):  # noqa: F811
    child, practitioner, _manager, _parent = case
    for content_type in ("audio/wav", "audio/webm", "audio/ogg"):
        add_contribution(
            child, None, kind=ContributionKind.VOICE, media=b"RIFF", content_type=content_type
        )
    browser = make_client(practitioner.email)
    ask(browser, child)
    (request,) = requests_of(child)
    manager_of(child).submit(f"/children/{child.id}/subject-access/{request.id}/authorise")
    archive = browser.get(f"/children/{child.id}/subject-access/{request.id}/zip")
    with zipfile.ZipFile(io.BytesIO(archive.data)) as opened:
        media = sorted(n for n in opened.namelist() if n.startswith("media/"))
    assert [name.rsplit(".", 1)[1] for name in media] == ["wav", "webm", "ogg"]
