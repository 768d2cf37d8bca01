"""The Whisper engine: faster-whisper's multilingual ``base`` model, int8 on the CPU.

A model is loaded once per process and shared; a transcription returns every segment with
the signs that it may be invented, so a screen can mark (never hide) doubtful text.

Children's clips are a few seconds long, and a bare faster-whisper call spends most of
its time on fixed costs: it pads every clip to a 30-second window and runs the encoder
over it twice (once to detect the language, once to transcribe). Here:

- silence is cut first (Silero VAD, as ``vad_filter=True`` does), and the encoder sees a
  window only as long as the speech plus ``WINDOW_MARGIN_FRAMES`` (3 s), not 30 s. A
  window that ends right where the speech ends makes Whisper repeat itself; with the
  margin, recall on spoken test clips is as good as with the full window (see
  ``tests/bench/transcription.py``);
- the encoder runs once: the language is read from the same encoder output (one decoder
  step), and the child's usual language (``hint``) is used unless that reading makes it
  unlikely;
- one transcription runs at a time per process (``_lock``), on as many threads as the
  process may use cores: the model already uses every core, and two calls side by side
  (the worker runs two Huey threads) only slow each other down. ``cpu_threads=0`` means
  one thread per usable core, not CTranslate2's own default of 4, which on 2 cores is
  oversubscribed.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

#: Files faster-whisper needs in a CTranslate2 model directory.
MODEL_FILES = ("model.bin", "config.json", "tokenizer.json", "vocabulary.txt")

# Whisper's own decoding thresholds: above/below these a segment is likely not real speech.
NO_SPEECH_THRESHOLD = 0.6
LOGPROB_THRESHOLD = -1.0
COMPRESSION_RATIO_THRESHOLD = 2.4

SAMPLING_RATE = 16000
#: Whisper's encoder window: 3000 mel frames of 10 ms.
FULL_WINDOW_FRAMES = 3000
#: Silence the encoder sees after the speech, so the decoder can tell where speech ends.
WINDOW_MARGIN_FRAMES = 300
#: Token budget for a short window (see ``token_limit``).
TOKENS_PER_SECOND = 16
MAX_SHORT_WINDOW_TOKENS = 200
#: Greedy first; one retry, warmer, only when the greedy decode repeats itself (Whisper's
#: known failure, which sampling breaks). faster-whisper also retries a decode unsure of
#: every word (average log-probability under -1), which on the spoken Polish clips is
#: most of them, and gained nothing: on 2026-11-28 (2-core machine, bare faster-whisper's
#: real-time factor 0.36 on the 4.5 s English clip), the 12 spoken clips three times over,
#: Polish recall 0.326 (0.306-0.336 from run to run) retrying when unsure, 0.321 not
#: (bare 0.205); worst Polish real-time factor 0.25 -> 0.18, the 4.8 s clip's 0.19 -> 0.11.
#: Unsure segments are still marked as doubtful (``Segment.doubts``), never hidden.
TEMPERATURES = (0.0, 0.4)
#: Candidates the warmer retry samples. faster-whisper's default of 5 decodes five at once;
#: one is enough. On a slow 2-core machine (2026-11-27 night, bare faster-whisper's
#: real-time factor 0.47 on the 4.5 s English clip), the engine on the 12 spoken clips,
#: three runs alternating: Polish worst real-time factor 0.73 with 5, 0.52 with 2, 0.37
#: with 1, 0.27 greedy alone (medians 0.19-0.20 whichever); recall 0.26, 0.25, 0.25 and
#: 0.23 (bare 0.22). English never retried (recall 0.90, median 0.16 whichever).
RETRY_CANDIDATES = 1
#: The hint is kept unless the audio gives it less than this probability. On the spoken
#: test clips a wrong hint (Polish for English speech, or the reverse) got at most 0.02,
#: and a right one at least 0.17, even where another language scored higher.
HINT_MIN_PROBABILITY = 0.1


def model_status(model_dir: str | Path) -> str:
    """``"ready"`` when every model file is present, else ``"missing"``."""
    directory = Path(model_dir)
    if all((directory / name).is_file() for name in MODEL_FILES):
        return "ready"
    return "missing"


@dataclass(frozen=True)
class Segment:
    start: float
    end: float
    text: str
    no_speech_prob: float
    avg_logprob: float
    compression_ratio: float

    @property
    def doubts(self) -> tuple[str, ...]:
        """Why this segment may be invented rather than heard: empty when it looks sound."""
        reasons = []
        if self.no_speech_prob > NO_SPEECH_THRESHOLD:
            reasons.append("no_speech")
        if self.avg_logprob < LOGPROB_THRESHOLD:
            reasons.append("low_confidence")
        if self.compression_ratio > COMPRESSION_RATIO_THRESHOLD:
            reasons.append("repetition")
        return tuple(reasons)


@dataclass(frozen=True)
class Transcription:
    text: str
    #: The language spoken: the one the caller said it was, the hint, or detected.
    language: str
    #: How likely the audio makes that language (1.0 when it was given).
    language_probability: float
    language_was_given: bool
    duration: float
    speech_duration: float
    model_name: str
    segments: tuple[Segment, ...]
    seconds_taken: float
    #: True when the caller's hint was used rather than the most likely language.
    language_was_hinted: bool = False

    @property
    def real_time_factor(self) -> float:
        return self.seconds_taken / self.duration if self.duration else 0.0


def window_frames(speech_samples: int) -> int:
    """The encoder window for this much speech: the speech plus a margin, at most 30 s."""
    frames = speech_samples // (SAMPLING_RATE // 100) + 1 + WINDOW_MARGIN_FRAMES
    return min(FULL_WINDOW_FRAMES, -(-frames // 100) * 100)


def token_limit(speech_seconds: float, window: int) -> int | None:
    """At most this many tokens for speech that fits one short window, else Whisper's own.

    Over twice what speech needs (the spoken test clips take 5 to 7 tokens a second, in
    English and Polish alike), it stops a decoder that repeats itself, and its retries at
    higher temperatures, early.
    """
    if window >= FULL_WINDOW_FRAMES:
        return None
    return min(MAX_SHORT_WINDOW_TOKENS, 24 + int(TOKENS_PER_SECOND * speech_seconds))


def choose_language(
    probabilities: list[tuple[str, float]], hint: str | None
) -> tuple[str, float, bool]:
    """``(language, probability, hinted)`` from detection's ``(code, p)`` pairs, best first."""
    detected, best = probabilities[0]
    if hint:
        hinted = dict(probabilities).get(hint, 0.0)
        if hinted >= HINT_MIN_PROBABILITY:
            return hint, hinted, hint != detected
    return detected, best, False


class WhisperEngine:
    """One loaded model; ``transcribe`` may be called from several threads (one runs)."""

    def __init__(self, model_dir: str | Path, cpu_threads: int = 0) -> None:
        self.model_dir = Path(model_dir)
        self.model_name = f"faster-whisper:{self.model_dir.name}:int8"
        self.cpu_threads = cpu_threads or len(os.sched_getaffinity(0))
        self._model = _windowed_model(self.model_dir, self.cpu_threads)
        self._lock = threading.Lock()

    def transcribe(
        self, audio: str | Path, language: str | None = None, hint: str | None = None
    ) -> Transcription:
        """Transcribe ``audio``; ``language`` skips detection, ``hint`` is the likely one."""
        with self._lock:
            started = time.perf_counter()
            try:
                return self._transcribe(audio, language, hint, started)
            finally:
                self._model.ready = None

    def translate(self, audio: str | Path, language: str | None = None) -> str:
        """A draft English translation of ``audio`` (Whisper's ``task="translate"``), spoken
        in ``language`` (detected when None): for an interpreter to check, never final."""
        with self._lock:
            model = self._model
            model.window, model.ready = FULL_WINDOW_FRAMES, None
            raw, _info = model.transcribe(
                # A wider beam than transcription's: greedy translation of short clips
                # drifts into invented sentences far more often.
                str(audio),
                language=language,
                task="translate",
                beam_size=5,
                vad_filter=True,
            )
            return " ".join(segment.text.strip() for segment in raw).strip()

    def _transcribe(
        self, audio: str | Path, language: str | None, hint: str | None, started: float
    ) -> Transcription:
        from faster_whisper import decode_audio
        from faster_whisper.audio import pad_or_trim
        from faster_whisper.transcribe import restore_speech_timestamps
        from faster_whisper.vad import collect_chunks, get_speech_timestamps

        model = self._model
        samples = decode_audio(str(audio), sampling_rate=SAMPLING_RATE)
        chunks = get_speech_timestamps(samples)
        speech = np.concatenate(collect_chunks(samples, chunks)[0]) if chunks else samples[:0]
        duration = len(samples) / SAMPLING_RATE
        if not len(speech):
            return self._result(
                [], language or hint or "", 1.0, language, False, duration, 0.0, started
            )

        model.window = window_frames(len(speech))
        features = model.feature_extractor(speech)
        model.ready = model.encode(pad_or_trim(features[:, :-1], model.window))
        if language:
            chosen, probability, hinted = language, 1.0, False
        else:
            found = model.model.detect_language(model.ready)[0]
            chosen, probability, hinted = choose_language(
                [(token[2:-2], p) for token, p in found], hint
            )
        speech_duration = len(speech) / SAMPLING_RATE
        encoded = model.ready

        def decode(temperatures: tuple[float, ...]) -> list[Any]:
            model.ready = encoded  # the encoder ran once; every decode reads its output
            raw, _info = model.transcribe(
                speech,
                language=chosen,
                beam_size=1,
                vad_filter=False,
                max_new_tokens=token_limit(speech_duration, model.window),
                temperature=list(temperatures),
                best_of=RETRY_CANDIDATES,
                log_prob_threshold=LOGPROB_THRESHOLD,
                no_speech_threshold=NO_SPEECH_THRESHOLD,
                compression_ratio_threshold=COMPRESSION_RATIO_THRESHOLD,
            )
            return list(raw)

        raw = decode(TEMPERATURES[:1])
        if _repeats_itself(raw):
            warmer = decode(TEMPERATURES[1:])
            # As faster-whisper chooses among its own retries: the warmer decode, unless it
            # repeats itself too and is less sure of its words than the greedy one.
            if not _repeats_itself(warmer) or _sureness(warmer) > _sureness(raw):
                raw = warmer
        segments = list(restore_speech_timestamps(raw, chunks, SAMPLING_RATE))
        return self._result(
            segments, chosen, probability, language, hinted, duration, speech_duration, started
        )

    def _result(
        self,
        raw: list[Any],
        language: str,
        probability: float,
        given: str | None,
        hinted: bool,
        duration: float,
        speech_duration: float,
        started: float,
    ) -> Transcription:
        segments = tuple(_segment(one) for one in raw)
        return Transcription(
            text=" ".join(segment.text for segment in segments).strip(),
            language=language,
            language_probability=float(probability),
            language_was_given=given is not None,
            language_was_hinted=hinted,
            duration=duration,
            speech_duration=speech_duration,
            model_name=self.model_name,
            segments=segments,
            seconds_taken=time.perf_counter() - started,
        )


def _windowed_model(model_dir: Path, cpu_threads: int) -> Any:
    """A ``WhisperModel`` whose encoder sees ``window`` frames and reuses ``ready`` once."""
    from faster_whisper import WhisperModel

    class WindowedModel(WhisperModel):
        window = FULL_WINDOW_FRAMES
        #: The encoder output already computed for the first window, used once.
        ready: Any = None

        def encode(self, features: np.ndarray) -> Any:
            if self.ready is not None:
                ready, self.ready = self.ready, None
                return ready
            return super().encode(features[..., : self.window])

    return WindowedModel(str(model_dir), device="cpu", compute_type="int8", cpu_threads=cpu_threads)


def _segment(raw: Any) -> Segment:
    return Segment(
        start=float(raw.start),
        end=float(raw.end),
        text=raw.text.strip(),
        no_speech_prob=float(raw.no_speech_prob),
        avg_logprob=float(raw.avg_logprob),
        compression_ratio=float(raw.compression_ratio),
    )


def _repeats_itself(raw: list[Any]) -> bool:
    return any(one.compression_ratio > COMPRESSION_RATIO_THRESHOLD for one in raw)


def _sureness(raw: list[Any]) -> float:
    return sum(one.avg_logprob for one in raw) / len(raw) if raw else float("-inf")


_engines: dict[Path, WhisperEngine] = {}
_engines_lock = threading.Lock()


def get_engine(model_dir: str | Path, cpu_threads: int = 0) -> WhisperEngine:
    """The process's engine for ``model_dir``, loading the model on first use only."""
    key = Path(model_dir).resolve()
    with _engines_lock:
        if key not in _engines:
            if model_status(key) != "ready":
                raise FileNotFoundError(f"no Whisper model in {key}: run `make install`")
            _engines[key] = WhisperEngine(key, cpu_threads)
        return _engines[key]
