"""Prompt audio from the server: every prompt in every language, cached, served only to
the child's device and staff, and never for words that are not a prompt."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.read_aloud.conftest import PROMPT, prompt_in
from voice_app.i18n import LANGUAGES
from voice_app.read_aloud import services, speech
from voice_app.read_aloud.prompts import digest, prompt_ids, prompts_in


def test_the_catalogue_holds_the_prompts_of_every_screen(app):
    found = set(prompt_ids())
    # From the panels, the macros, the labels module and the feelings of contributions.
    for prompt in (
        "How do you feel?",
        "Who can see this?",
        "Next",
        "Send",
        "I don't feel safe",
        "Only my worker",
        "This tablet cannot read out loud in your language.",
    ):
        assert prompt in found
    # Words with a name or a number in them cannot be spoken ahead.
    assert not [p for p in found if "%(" in p]


def test_espeak_ng_is_asked_which_languages_it_speaks(app):
    spoken = speech.espeak_languages()
    assert {"cy", "pl", "ar", "en-gb"} <= spoken.keys()
    assert speech.voice_for("en") == "en-gb"
    assert speech.voice_for("so") is None  # Somali: no espeak-ng voice
    assert services.awaiting_human_recording() == [
        code for code in LANGUAGES if not speech.speakable(code)
    ]


# One test a language, so the suite's processes share the rendering (about 8 s each on
# 2 cores; all twelve in one test was the suite's longest, 71-88 s, often the last to end).
@pytest.mark.parametrize("language", list(LANGUAGES))
def test_every_prompt_has_audio_in_every_language_not_awaiting_a_recording(app, runner, language):
    """`flask speech render` renders them all; each file is real, compressed sound."""
    awaiting = services.awaiting_human_recording()
    assert "so" in awaiting
    result = runner.invoke(args=["speech", "render", "--language", language])
    assert result.exit_code == 0, result.output
    cache = Path(app.config["READ_ALOUD_CACHE"])
    prompts = prompts_in(language)
    assert len(prompts) > 150
    if language in awaiting:
        assert f"{language}: espeak-ng has no voice" in result.output
        return
    assert f"{language}: {len(prompts)} prompts" in result.output
    for key in prompts:
        audio = (cache / language / f"{key}.ogg").read_bytes()
        assert audio[:4] == b"OggS" and len(audio) > 1000, (language, prompts[key])
    with app.test_request_context():
        assert services.audio_index(language).keys() == set(prompts.values())


def test_the_childs_tablet_gets_the_prompt_index_and_the_audio(tablet, app):
    device, _child, _sam = tablet
    key, text = prompt_in("cy")
    index = device.get("/read-aloud/cy/prompts.json")
    assert index.status_code == 200
    entry = index.get_json()["prompts"][text]
    assert entry == {
        "url": f"/read-aloud/cy/{key}.ogg",
        "fallback": f"/read-aloud/cy/{key}.mp3",
        "human": False,
    }
    audio = device.get(entry["url"])
    assert audio.status_code == 200
    assert audio.mimetype == "audio/ogg"
    assert audio.data[:4] == b"OggS"
    assert "immutable" in audio.headers["Cache-Control"]
    assert (Path(app.config["READ_ALOUD_CACHE"]) / "cy" / f"{key}.ogg").exists()
    # Kept by the device: asked again, nothing is sent.
    again = device.get(entry["url"], headers={"If-None-Match": audio.headers["ETag"]})
    assert again.status_code == 304
    wav = device.get(f"/read-aloud/cy/{key}.wav")
    assert wav.mimetype == "audio/wav" and wav.data[:4] == b"RIFF"
    assert len(audio.data) * 3 < len(wav.data)  # compressed


def test_devices_that_cannot_play_ogg_get_mp3_not_wav(tablet):
    """Every browser plays MP3; it is several times smaller than the WAV it replaces."""
    assert speech.can_make("mp3"), "sox cannot write MP3: `make install` adds libsox-fmt-mp3"
    assert speech.fallback_format() == "mp3"
    device, _child, _sam = tablet
    key, text = prompt_in("cy")
    entry = device.get("/read-aloud/cy/prompts.json").get_json()["prompts"][text]
    mp3 = device.get(entry["fallback"])
    assert mp3.status_code == 200 and mp3.mimetype == "audio/mpeg"
    # An MPEG audio frame (after an ID3 tag, if any): 11 sync bits set.
    data = mp3.data
    if data[:3] == b"ID3":  # the tag's size: four bytes of seven bits
        data = data[10 + sum(b << (7 * (3 - i)) for i, b in enumerate(data[6:10])) :]
    frame = data
    assert frame[0] == 0xFF and frame[1] & 0xE0 == 0xE0
    wav = device.get(f"/read-aloud/cy/{key}.wav")
    assert len(mp3.data) * 5 < len(wav.data)


def test_words_that_are_no_prompt_are_never_spoken(tablet):
    device, _child, _sam = tablet
    made_up = digest("cy", "Anything a stranger wants said")
    assert device.get(f"/read-aloud/cy/{made_up}.ogg").status_code == 404
    key, _text = prompt_in("cy")
    assert device.get(f"/read-aloud/xx/{key}.ogg").status_code == 404
    assert device.get(f"/read-aloud/cy/{key}.mp4").status_code == 404
    # A prompt's English audio is not its Welsh key.
    assert device.get(f"/read-aloud/en/{key}.ogg").status_code == 404


def test_the_page_points_speech_at_the_index_and_credits_the_pictures(tablet):
    device, _child, _sam = tablet
    page = device.get("/me").get_data(as_text=True)
    assert 'name="cs-read-aloud" content="/read-aloud/cy/prompts.json"' in page
    assert 'href="/about/pictures-and-voices"' in page
    about = device.get("/about/pictures-and-voices").get_data(as_text=True)
    assert "OpenMoji" in about and "CC BY-SA 4.0" in about and "eSpeak NG" in about


def test_the_prompt_in_english_is_spoken_from_its_english_words(tablet):
    device, _child, _sam = tablet
    index = device.get("/read-aloud/en/prompts.json").get_json()["prompts"]
    assert PROMPT in index
