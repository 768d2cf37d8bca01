"""The Whisper engine: faster-whisper's multilingual ``base`` model, int8 on the CPU.

A model is loaded once per process and shared; a transcription returns every segment with
the signs that it may be invented, so a screen can mark (never hide) doubtful text.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Files faster-whisper needs in a CTranslate2 model directory.
MODEL_FILES = ("model.bin", "config.json", "tokenizer.json", "vocabulary.txt")

# Whisper's own decoding thresholds: above/below these a segment is likely not real speech.
NO_SPEECH_THRESHOLD = 0.6
LOGPROB_THRESHOLD = -1.0
COMPRESSION_RATIO_THRESHOLD = 2.4


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
    #: The language spoken: detected, or the one the caller said it was.
    language: str
    language_probability: float
    language_was_given: bool
    duration: float
    speech_duration: float
    model_name: str
    segments: tuple[Segment, ...]
    seconds_taken: float

    @property
    def real_time_factor(self) -> float:
        return self.seconds_taken / self.duration if self.duration else 0.0


class WhisperEngine:
    """One loaded model; ``transcribe`` may be called from several threads."""

    def __init__(self, model_dir: str | Path, cpu_threads: int = 0) -> None:
        from faster_whisper import WhisperModel

        self.model_dir = Path(model_dir)
        self.model_name = f"faster-whisper:{self.model_dir.name}:int8"
        self._model = WhisperModel(
            str(self.model_dir), device="cpu", compute_type="int8", cpu_threads=cpu_threads
        )

    def transcribe(self, audio: str | Path, language: str | None = None) -> Transcription:
        started = time.perf_counter()
        raw_segments, info = self._model.transcribe(
            str(audio), language=language, beam_size=1, vad_filter=True
        )
        segments = tuple(_segment(raw) for raw in raw_segments)
        return Transcription(
            text=" ".join(segment.text for segment in segments).strip(),
            language=info.language,
            language_probability=float(info.language_probability),
            language_was_given=language is not None,
            duration=float(info.duration),
            speech_duration=float(info.duration_after_vad),
            model_name=self.model_name,
            segments=segments,
            seconds_taken=time.perf_counter() - started,
        )


def _segment(raw: Any) -> Segment:
    return Segment(
        start=float(raw.start),
        end=float(raw.end),
        text=raw.text.strip(),
        no_speech_prob=float(raw.no_speech_prob),
        avg_logprob=float(raw.avg_logprob),
        compression_ratio=float(raw.compression_ratio),
    )


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
