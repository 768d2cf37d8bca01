"""The real Whisper model on short generated clips."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import speak
from voice_app.transcription.engine import Segment, get_engine, model_status

ENGLISH = "I want to live with my grandma. I feel happy at school and I like drawing."
POLISH = "Chcę mieszkać z babcią. W szkole jestem szczęśliwy i lubię rysować."


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("clips")
    silence = folder / "silence.wav"
    subprocess.run(
        ["sox", "-n", "-r", "16000", "-c", "1", str(silence), "trim", "0", "3"], check=True
    )
    return {
        "en": speak(ENGLISH, "en-gb", folder / "en.wav"),
        "pl": speak(POLISH, "pl", folder / "pl.wav"),
        "silence": silence,
    }


@pytest.fixture(scope="module")
def engine(app):
    assert model_status(app.config["WHISPER_MODEL_DIR"]) == "ready", "run `make install` first"
    return get_engine(app.config["WHISPER_MODEL_DIR"], cpu_threads=2)


def test_english_clip_is_transcribed_with_its_key_words(engine, clips):
    result = engine.transcribe(clips["en"])
    words = result.text.lower()
    for key_word in ("live", "grandma", "happy", "school", "drawing"):
        assert key_word in words, result.text
    assert result.language == "en" and not result.language_was_given
    assert result.model_name == "faster-whisper:whisper-base:int8"
    assert 4 < result.duration < 6
    assert all(not segment.doubts for segment in result.segments)


def test_a_polish_clip_is_detected_as_polish(engine, clips):
    result = engine.transcribe(clips["pl"])
    assert result.language == "pl"
    assert result.language_probability > 0.5
    # Whisper hears espeak's Polish less well than its English: some words come through.
    assert "jestem" in result.text.lower()


def test_the_childs_language_when_given_is_used_instead_of_detection(engine, clips):
    result = engine.transcribe(clips["pl"], language="pl")
    assert result.language == "pl" and result.language_was_given


def test_silence_gives_no_invented_text(engine, clips):
    result = engine.transcribe(clips["silence"])
    assert result.text == ""
    assert result.speech_duration == 0


def test_the_model_is_loaded_once_per_process(app, engine):
    assert get_engine(app.config["WHISPER_MODEL_DIR"]) is engine


def test_doubtful_segments_are_marked_with_reasons():
    invented = Segment(0, 1, "Thanks for watching!", 0.9, -1.4, 1.1)
    repeated = Segment(0, 1, "no no no no no no no no", 0.1, -0.2, 3.1)
    assert invented.doubts == ("no_speech", "low_confidence")
    assert repeated.doubts == ("repetition",)


def test_flask_transcribe_prints_the_transcript(runner, clips):
    result = runner.invoke(args=["transcribe", str(clips["en"])])
    assert result.exit_code == 0, result.output
    assert "grandma" in result.output.lower()
    assert "language en (detected" in result.output
