"""Reading a source file as text, with clear errors for what is not UTF-8 text."""

from __future__ import annotations

from pathlib import Path

from .diagnostics import Diagnostic, error

MAX_SOURCE_BYTES = 2 * 1024 * 1024  # far above any real page; stops a pasted video or log


def read_text(path: Path) -> tuple[str | None, list[Diagnostic]]:
    """The file's text with a BOM removed and line endings made '\\n', or the problem."""
    try:
        size = path.stat().st_size
        if size > MAX_SOURCE_BYTES:
            return None, [error(path, 0, f"file is {size:,} bytes; the limit is {MAX_SOURCE_BYTES:,} (is it really a text file?)")]
        data = path.read_bytes()
    except OSError as exc:
        return None, [error(path, 0, f"cannot read file: {exc.strerror or exc}")]
    if b"\0" in data:
        offset = data.index(b"\0")
        return None, [error(path, _line_at(data, offset), f"binary data (a NUL byte at byte {offset}); expected UTF-8 text")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [error(path, _line_at(data, exc.start),
                            f"not valid UTF-8 text (byte {exc.start}: 0x{data[exc.start]:02x}); save the file as UTF-8")]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def _line_at(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1
