"""The real Whisper model on short generated clips."""

from __future__ import annotations

import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import speak
from voice_app.transcription.engine import (
    Segment,
    choose_language,
    get_engine,
    model_status,
    token_limit,
    window_frames,
)

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


def test_the_childs_usual_language_is_kept_when_the_audio_allows_it(engine, clips):
    polish = engine.transcribe(clips["pl"], hint="pl")
    assert polish.language == "pl" and not polish.language_was_given
    assert "jestem" in polish.text.lower()
    # English words are not forced into Polish because the child usually speaks it.
    english = engine.transcribe(clips["en"], hint="pl")
    assert english.language == "en" and not english.language_was_hinted
    assert "grandma" in english.text.lower()


def test_a_hint_wins_over_the_best_guess_only_when_it_is_plausible():
    heard = [("ja", 0.4), ("pl", 0.3), ("en", 0.01)]
    assert choose_language(heard, "pl") == ("pl", 0.3, True)
    assert choose_language(heard, "en") == ("ja", 0.4, False)
    assert choose_language(heard, None) == ("ja", 0.4, False)


def test_the_encoder_window_is_the_speech_plus_a_margin_never_over_30_seconds():
    assert window_frames(16000 * 4) == 800  # 4 s of speech, 3 s after it, whole seconds
    assert window_frames(16000 * 60) == 3000


def test_a_short_window_has_a_token_budget_that_stops_a_repeating_decoder():
    assert token_limit(4.5, window_frames(16000 * 4)) == 24 + 72
    assert token_limit(25.0, window_frames(16000 * 25)) == 200
    assert token_limit(28.0, window_frames(16000 * 28)) is None  # the full window


def test_a_decode_is_tried_again_warmer_only_when_it_repeats_itself(engine, clips, monkeypatch):
    """A decode unsure of its words is not decoded again (it is marked doubtful); one that
    repeats itself is, once, warmer, on the same encoder output."""
    from faster_whisper import WhisperModel

    from voice_app.transcription import engine as engine_module

    decodes: list[list[float]] = []
    encodes: list[int] = []
    model = engine._model
    real_transcribe, real_encode = model.transcribe, WhisperModel.encode

    def transcribe(*args, **kwargs):
        decodes.append(kwargs["temperature"])
        return real_transcribe(*args, **kwargs)

    def encode(self, features):
        encodes.append(features.shape[-1])
        return real_encode(self, features)

    monkeypatch.setattr(model, "transcribe", transcribe)
    monkeypatch.setattr(WhisperModel, "encode", encode)
    # Every decode counts as unsure of its words: marked so, and not decoded again.
    monkeypatch.setattr(engine_module, "LOGPROB_THRESHOLD", 0.0)
    unsure = engine.transcribe(clips["pl"], language="pl")
    assert unsure.text and all("low_confidence" in s.doubts for s in unsure.segments)
    assert decodes == [[0.0]] and len(encodes) == 1
    monkeypatch.undo()
    monkeypatch.setattr(model, "transcribe", transcribe)
    monkeypatch.setattr(WhisperModel, "encode", encode)

    decodes.clear()
    encodes.clear()
    # Every decode counts as repeating itself: the greedy one, then one warmer retry.
    monkeypatch.setattr(engine_module, "COMPRESSION_RATIO_THRESHOLD", 0.5)
    retried = engine.transcribe(clips["en"], language="en")
    assert decodes == [[0.0], [0.4]] and len(encodes) == 1
    assert "school" in retried.text.lower()


def test_calls_from_several_threads_each_get_their_own_clip(engine, clips):
    order = ["en", "pl", "en", "pl"]
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda name: engine.transcribe(clips[name]), order))
    assert [result.language for result in results] == order
    assert all("grandma" in result.text.lower() for result in results[::2])


def test_silence_gives_no_invented_text(engine, clips):
    result = engine.transcribe(clips["silence"])
    assert result.text == "" and result.segments == ()
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
