"""Symbols mode's pictures: OpenMoji (CC BY-SA 4.0), from the npm package ``openmoji``.

``make install`` runs ``python -m voice_app.child_space.symbols <openmoji.tgz>``, which
copies only the pictures named here into ``static/img/openmoji/`` (git-ignored), so the
repository holds none of the package's thousands of files.
"""

from __future__ import annotations

import sys
import tarfile
from pathlib import Path

from voice_app.config import ROOT

OPENMOJI_VERSION = "17.0.0"
SERVED = ROOT / "static" / "img" / "openmoji"

#: What each picture stands for in the child's space, and its OpenMoji code point.
SYMBOLS = {
    "voice": "1F5E3",  # speaking head
    "drawing": "1F58D",  # crayon
    "text": "270F",  # pencil
    "feeling": "1F60A",  # smiling face
    "house": "1F3E0",  # house
    "scale": "1F6E1",  # shield: how safe
    "unsafe": "1F917",  # a hug: thank you for telling us
    "hello": "1F44B",  # waving hand
    "who-sees": "1F440",  # eyes
    "sharing": "1F465",  # people
    "back": "2B05",
    "next": "27A1",
    "send": "1F4E8",
    "record": "1F3A4",
    "stop": "23F9",
    "again": "1F501",
    "finished": "2705",
    "plan": "1F4CB",
    "listen": "1F50A",
}


def symbol_file(name: str) -> str:
    """The picture's path under ``static/``."""
    return f"img/openmoji/{SYMBOLS[name]}.svg"


def missing() -> list[str]:
    return [code for code in SYMBOLS.values() if not (SERVED / f"{code}.svg").exists()]


def install(package: Path, served: Path = SERVED) -> int:
    """Copy the pictures in ``SYMBOLS`` (and the licence) out of the npm tarball."""
    served.mkdir(parents=True, exist_ok=True)
    wanted = {f"package/color/svg/{code}.svg": f"{code}.svg" for code in SYMBOLS.values()}
    wanted["package/LICENSE.txt"] = "LICENSE.txt"
    copied = 0
    with tarfile.open(package, "r:gz") as archive:
        for member in archive.getmembers():
            target = wanted.get(member.name)
            if target and member.isfile():
                source = archive.extractfile(member)
                if source is not None:
                    (served / target).write_bytes(source.read())
                    copied += 1
    if copied != len(wanted):
        raise SystemExit(f"openmoji: {len(wanted) - copied} pictures missing from {package}")
    return copied


if __name__ == "__main__":
    print(f"openmoji: {install(Path(sys.argv[1]))} files into {SERVED}")
