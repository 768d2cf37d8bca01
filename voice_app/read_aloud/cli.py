"""``flask speech``: render every prompt's audio ahead, so no child waits for espeak-ng."""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor

import click
from flask.cli import AppGroup

from voice_app.i18n import LANGUAGES
from voice_app.read_aloud import speech
from voice_app.read_aloud.prompts import prompts_in

speech_cli = AppGroup("speech", help="Read-aloud audio for the child's space.")


def render_all(languages: list[str], fmt: str) -> dict[str, tuple[int, int]]:
    """Render what is not cached yet; ``{language: (files, bytes)}`` of what is on disk."""
    totals: dict[str, tuple[int, int]] = {}
    root = speech.cache_root()
    for language in languages:
        if not speech.speakable(language):
            continue
        prompts = prompts_in(language)
        # espeak-ng and sox run as processes: one per core renders them side by side.
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            paths = list(
                pool.map(
                    lambda key, text, language=language: speech.cached_audio(
                        language, key, text, fmt, root
                    ),
                    prompts.keys(),
                    prompts.values(),
                )
            )
        totals[language] = (len(paths), sum(path.stat().st_size for path in paths))
    return totals


@speech_cli.command("render")
@click.option("--language", "languages", multiple=True, help="Only these (default: all).")
def render_command(languages: tuple[str, ...]) -> None:
    """Render and cache every prompt in every shipped language espeak-ng speaks."""
    chosen = list(languages) or list(LANGUAGES)
    fmt = speech.default_format()
    started = time.perf_counter()
    totals = render_all(chosen, fmt)
    for language in chosen:
        if language in totals:
            files, size = totals[language]
            click.echo(f"{language}: {files} prompts, {size / 1024:.0f} KiB ({fmt})")
        else:
            click.echo(f"{language}: espeak-ng has no voice; awaiting a person's recording")
    click.echo(f"done in {time.perf_counter() - started:.1f} s")
