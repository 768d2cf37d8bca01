"""Chromium's own MediaRecorder output is accepted as a recording; a cut copy is not."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from voice_app.contributions.media import MediaRejected, RejectionReason, probe_audio

RECORD_IN_CHROMIUM = """async ([mimeType, milliseconds]) => {
  const context = new AudioContext();
  const tone = context.createOscillator();
  const sink = context.createMediaStreamDestination();
  tone.connect(sink);
  tone.start();
  const recorder = new MediaRecorder(sink.stream, {mimeType});
  const chunks = [];
  recorder.ondataavailable = (event) => chunks.push(event.data);
  const stopped = new Promise((resolve) => (recorder.onstop = resolve));
  recorder.start(250);
  await new Promise((resolve) => setTimeout(resolve, milliseconds));
  recorder.stop();
  await stopped;
  const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text);
}"""


@pytest.fixture(scope="module")
def chromium_recordings(browser: Browser) -> Iterator[dict[str, bytes]]:
    """Two-second recordings made by Chromium's MediaRecorder, by MIME type.

    The session's one Chromium (tests/e2e/conftest.py): a second Playwright driver in the
    same process fails whenever the test order puts it beside the first.
    """
    recordings = {}
    page = browser.new_page()
    for mime_type in ("audio/webm;codecs=opus", "audio/mp4"):
        if page.evaluate("(type) => MediaRecorder.isTypeSupported(type)", mime_type):
            encoded = page.evaluate(RECORD_IN_CHROMIUM, [mime_type, 2000])
            recordings[mime_type] = base64.b64decode(encoded)
    page.close()
    yield recordings


@pytest.mark.browser
@pytest.mark.parametrize(
    ("mime_type", "content_type"),
    [("audio/webm;codecs=opus", "audio/webm"), ("audio/mp4", "audio/mp4")],
)
def test_chromium_media_recorder_output_is_accepted_and_a_cut_copy_is_not(
    chromium_recordings: dict[str, bytes], mime_type: str, content_type: str
) -> None:
    if mime_type not in chromium_recordings:
        pytest.skip(f"this Chromium does not record {mime_type}")
    recording = chromium_recordings[mime_type]

    probed = probe_audio(recording)

    assert probed.content_type == content_type
    assert probed.duration_seconds == pytest.approx(2.0, abs=0.3)
    with pytest.raises(MediaRejected) as refused:
        probe_audio(recording[: len(recording) * 2 // 3])
    assert refused.value.reason is RejectionReason.CORRUPT_AUDIO
