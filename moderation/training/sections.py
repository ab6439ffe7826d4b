"""Blocks of lines from a text file beside the training modules, by [section] name."""

from __future__ import annotations

from pathlib import Path


def read(name: str) -> dict[str, tuple[str, ...]]:
    """Each `[section]` of the file `name` as its lines, stripped.

    Blank lines and lines that start with "#" are skipped, so a file can explain itself.
    """
    text = Path(__file__).with_name(name).read_text(encoding="utf-8")
    out: dict[str, list[str]] = {}
    lines: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            lines = out.setdefault(line[1:-1], [])
        else:
            lines.append(line)
    return {section: tuple(block) for section, block in out.items()}
