"""``flask transcribe FILE``: print what the configured model hears in one recording."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app

from voice_app.transcription.engine import get_engine


@click.command("transcribe")
@click.argument("audio", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--language", default=None, help="Skip detection: the language spoken, e.g. pl.")
def transcribe_command(audio: Path, language: str | None) -> None:
    """Transcribe AUDIO with the configured Whisper model."""
    engine = get_engine(current_app.config["WHISPER_MODEL_DIR"])
    result = engine.transcribe(audio, language=language)
    how = "given" if result.language_was_given else f"detected, p={result.language_probability:.2f}"
    click.echo(f"# {result.model_name}; language {result.language} ({how})")
    click.echo(
        f"# {result.duration:.1f} s of audio, {result.speech_duration:.1f} s of speech, "
        f"transcribed in {result.seconds_taken:.1f} s "
        f"(real-time factor {result.real_time_factor:.2f})"
    )
    for segment in result.segments:
        flag = f"  [doubtful: {', '.join(segment.doubts)}]" if segment.doubts else ""
        click.echo(f"[{segment.start:6.2f}-{segment.end:6.2f}] {segment.text}{flag}")
