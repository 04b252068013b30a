"""Reading a source file as text, with clear errors for what is not UTF-8 text."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from .diagnostics import Diagnostic, error
from .messages import say

MAX_SOURCE_BYTES = 2 * 1024 * 1024  # far above any real page; stops a pasted video or log
# Invisible characters that are not allowed in web pages: controls other than tab and line breaks
# (a vertical tab or escape pasted from a word processor or terminal), C1 controls (often curly
# quotes saved in the wrong encoding), lone surrogates and the non-characters U+FFFE and U+FFFF.
INVALID_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def read_text(path: Path) -> tuple[str | None, list[Diagnostic]]:
    """The file's text with a BOM removed and line endings made '\\n', or the problem."""
    try:
        size = path.stat().st_size
        if size > MAX_SOURCE_BYTES:
            return None, [error(path, 0, f"file is {size:,} bytes; the limit is {MAX_SOURCE_BYTES:,} (is it really a text file?)")]
        data = path.read_bytes()
    except OSError as exc:
        return None, [error(path, 0, f"cannot read file: {exc.strerror or exc}")]
    if data.startswith(UTF16_BOMS):
        return None, [error(path, 1, "the file is saved as UTF-16; save it as UTF-8")]
    if b"\0" in data:
        offset = data.index(b"\0")
        return None, [error(path, _line_at(data, offset), f"binary data (a NUL byte at byte {offset}); expected UTF-8 text")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [error(path, _line_at(data, exc.start),
                            f"not valid UTF-8 text (byte {exc.start}: 0x{data[exc.start]:02x}); save the file as UTF-8")]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if problem := invalid_character(text):
        line, column, message = problem
        return None, [error(path, line, message, column=column)]
    return text, []


def invalid_character(text: str) -> tuple[int, int, str] | None:
    """The line, column and description of the first character web pages cannot contain, if any."""
    found = INVALID_CHARACTER.search(text)
    if not found:
        return None
    line = text.count("\n", 0, found.start()) + 1
    column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    return line, column, say("bad_character", code=ord(found.group()))


def _line_at(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1
