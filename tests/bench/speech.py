"""Spoken clips, hidden-word recall, and the engine beside bare faster-whisper in-process.

"Before" is a bare faster-whisper call with the settings the app used until now (and
which the app path is compared with): the model loaded once, int8, beam 1, VAD, the
language detected. "After" is ``voice_app.transcription.engine`` with the child's
language as a hint, as the job calls it.

Hidden-word recall: the share of the words spoken in a clip that appear in its transcript
(lower-cased, punctuation ignored), averaged over the clips of each language.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from tests.bench.common import ROOT
from voice_app.transcription.engine import WhisperEngine

MODEL_DIR = Path(os.environ.get("VOICE_APP_WHISPER_MODEL") or ROOT / "instance/models/whisper-base")
CPU_THREADS = 2
#: (language, espeak-ng voice, words): the first of each language are the timed clips.
SENTENCES = [
    ("en", "en-gb", "I want to live with my grandma. I feel happy at school and I like drawing."),
    ("en", "en-gb", "My brother takes my toys and I do not like it when he shouts."),
    ("en", "en-gb", "I would like to see my dad more often, maybe every Saturday."),
    ("en", "en-gb", "At school my teacher helps me with reading and writing."),
    ("en", "en-gb", "I feel scared at night when the lights are off."),
    ("en", "en-gb", "My favourite food is pasta and I love my little dog."),
    ("pl", "pl", "Chcę mieszkać z babcią. W szkole jestem szczęśliwy i lubię rysować."),
    ("pl", "pl", "Mój brat zabiera moje zabawki i nie lubię, kiedy krzyczy."),
    ("pl", "pl", "Chciałbym częściej widywać tatę, może w każdą sobotę."),
    ("pl", "pl", "W szkole nauczycielka pomaga mi czytać i pisać."),
    ("pl", "pl", "Boję się w nocy, kiedy światło jest zgaszone."),
    ("pl", "pl", "Moje ulubione jedzenie to makaron i kocham mojego psa."),
]
LONG_WORDS = (
    "Sometimes I feel sad when mum and dad shout. I like it when my teacher reads to us. "
    "At the weekend I go to the park with my brother and we play football. "
    "I would like to see my dad more often, maybe every Saturday."
)


class Clip:
    def __init__(self, name: str, language: str, voice: str, words: str, folder: Path) -> None:
        self.name, self.language, self.words = name, language, words
        self.path = speak(voice, words, folder / f"{name}.wav")
        self.seconds = seconds_of(self.path)


def speak(voice: str, text: str, target: Path) -> Path:
    raw = target.with_suffix(".raw.wav")
    subprocess.run(["espeak-ng", "-v", voice, "-w", str(raw), text], check=True)
    subprocess.run(["sox", "-q", str(raw), "-r", "16000", "-c", "1", str(target)], check=True)
    raw.unlink()
    return target


def seconds_of(path: Path) -> float:
    out = subprocess.run(["soxi", "-D", str(path)], check=True, capture_output=True, text=True)
    return float(out.stdout)


def make_clips(folder: Path) -> list[Clip]:
    counts: dict[str, int] = {}
    clips = []
    for language, voice, words in SENTENCES:
        counts[language] = counts.get(language, 0) + 1
        clips.append(Clip(f"{language}-{counts[language]}", language, voice, words, folder))
    return clips


def recall(words: str, transcript: str) -> float:
    spoken = re.findall(r"\w+", words.lower())
    heard = set(re.findall(r"\w+", transcript.lower()))
    return sum(word in heard for word in spoken) / len(spoken)


class Bare:
    """Bare faster-whisper, as the app called it before: the ratio's baseline."""

    def __init__(self) -> None:
        from faster_whisper import WhisperModel

        self.model = WhisperModel(
            str(MODEL_DIR), device="cpu", compute_type="int8", cpu_threads=CPU_THREADS
        )

    def __call__(self, clip: Clip) -> str:
        segments, _info = self.model.transcribe(str(clip.path), beam_size=1, vad_filter=True)
        return " ".join(segment.text for segment in segments)


class Engine:
    """The app's engine, in this process, with the child's language as the job's hint."""

    def __init__(self) -> None:
        self.engine = WhisperEngine(MODEL_DIR, CPU_THREADS)

    def __call__(self, clip: Clip) -> str:
        return self.engine.transcribe(clip.path, hint=clip.language).text


def timed(call: Callable[[Clip], str], clip: Clip) -> tuple[float, str]:
    started = time.perf_counter()
    text = call(clip)
    return time.perf_counter() - started, text


def compare_in_process(clips: list[Clip], bare: Bare, engine: Engine, runs: int) -> None:
    """Recall before and after on every clip, and their timings, alternating the two."""
    times: dict[str, dict[str, list[float]]] = {"before": {}, "after": {}}
    recalls: dict[str, dict[str, list[float]]] = {"before": {}, "after": {}}
    for run in range(runs):
        for clip in clips:
            for label, call in (("before", bare), ("after", engine)):
                seconds, text = timed(call, clip)
                times[label].setdefault(clip.language, []).append(seconds / clip.seconds)
                if run == 0:
                    recalls[label].setdefault(clip.language, []).append(recall(clip.words, text))
    print(f"{'':<28} {'hidden-word recall':>20} {'real-time factor (median, range)':>36}")
    for language in recalls["before"]:
        for label, what in (("before", "bare faster-whisper"), ("after", "engine + hint")):
            rtf = times[label][language]
            print(
                f"{language} {len(recalls[label][language])} clips, {what:<20}"
                f" {statistics.mean(recalls[label][language]):>14.2f}"
                f" {statistics.median(rtf):>24.2f} ({min(rtf):.2f}-{max(rtf):.2f})"
            )
    RECALL.update(
        {
            label: {lang: statistics.mean(values) for lang, values in by_language.items()}
            for label, by_language in recalls.items()
        }
    )


#: Mean recall by "before"/"after" and language, filled by ``compare_in_process``.
RECALL: dict[str, dict[str, float]] = {}
