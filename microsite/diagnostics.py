"""Problems found in a site, as values: a file, a line, a level and a message."""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ERROR = "error"
WARNING = "warning"
NOTICE = "notice"  # a line the command prints, which fails nothing
# Characters that would break the one-line format or the terminal: controls, and lone surrogates
# (from file names that are not UTF-8, or escapes in YAML).
UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem, located in a source file (line and column are 1-based, 0 when unknown)."""

    path: Path
    line: int
    column: int
    level: str
    message: str
    check: str = ""

    def format(self, base: Path | None = None) -> str:
        """`path:line[:column]: level: message [check]`, like a compiler, path relative to `base`."""
        location = display_path(self.path, base)
        if self.line:
            location += f":{self.line}"
            if self.column:
                location += f":{self.column}"
        suffix = f" [{self.check}]" if self.check else ""
        return printable(f"{location}: {self.level}: {self.message}{suffix}")

    def order(self) -> tuple:
        """The key problems are listed by: file, line, column, then the rest (the dataclass's own
        order, computed once per problem rather than at each comparison)."""
        return self.path.parts, self.line, self.column, self.level, self.message, self.check

    def as_dict(self, base: Path | None = None) -> dict:
        return {"file": display_path(self.path, base), "line": self.line, "column": self.column,
                "level": self.level, "message": self.message, "check": self.check}

    def github_annotation(self, base: Path | None = None) -> str:
        """A GitHub Actions workflow command, so the problem shows on the pull request's line."""
        where = [f"file={_escape(display_path(self.path, base), True)}"]
        where += [f"line={self.line}"] if self.line else []
        where += [f"col={self.column}"] if self.line and self.column else []
        where += [f"title={_escape(self.check, True)}"] if self.check else []
        return f"::{self.level} {','.join(where)}::{_escape(self.message)}"


class SourceLines:
    """The lines of source files, read once each, to show under the problems found in them."""

    LIMIT = 2 * 1024 * 1024  # textfile.MAX_SOURCE_BYTES: a larger file has no lines worth showing

    def __init__(self):
        self.files: dict[Path, list[str]] = {}

    def line(self, path: Path, number: int) -> str | None:
        if path not in self.files:
            self.files[path] = self._read(path)
        lines = self.files[path]
        return lines[number - 1] if 0 < number <= len(lines) else None

    def _read(self, path: Path) -> list[str]:
        try:
            data = path.read_bytes() if path.is_file() and path.stat().st_size <= self.LIMIT else b""
        except OSError:
            data = b""
        if b"\0" in data:  # not text: nothing to show
            return []
        return data.decode("utf-8-sig", errors="replace").replace("\r\n", "\n").replace("\r", "\n").split("\n")


@dataclass(frozen=True)
class Excerpt:
    """A problem's source line as shown under it, and where its caret goes (-1: no column)."""

    number: int
    text: str
    caret: int

    WIDTH = 100  # a longer line is shown around the column

    @classmethod
    def of(cls, problem: Diagnostic, sources: SourceLines) -> Excerpt | None:
        line = sources.line(problem.path, problem.line) if problem.line else None
        if line is None or not line.strip():
            return None
        column = min(problem.column, len(line) + 1)  # 0: no column
        start = max(0, column - cls.WIDTH // 2) if len(line) > cls.WIDTH else 0
        lead, tail = "…" if start else "", "…" if start + cls.WIDTH < len(line) else ""
        text = lead + _visible(line[start:start + cls.WIDTH]).rstrip() + tail
        return cls(problem.line, text, len(lead + _visible(line[start:column - 1])) if column else -1)

    def lines(self, paint=lambda text, _: text) -> list[str]:
        """The line under a gutter of its number, then the caret; `paint(text, part)` may colour each part."""
        gutter = " " * len(str(self.number))
        shown = [f"  {paint(f'{self.number} |', 'gutter')} {self.text}"]
        if self.caret >= 0:
            shown.append(f"  {paint(f'{gutter} |', 'gutter')} {' ' * self.caret}{paint('^', 'caret')}")
        return shown


def _visible(text: str) -> str:
    """Text as the terminal shows it under a problem: tabs as spaces, invisible characters escaped."""
    return printable(text.expandtabs(4))


COLOURS = {"path": "1", ERROR: "1;31", WARNING: "1;33", "gutter": "34"}


def use_colour(stream) -> bool:
    """Colour on a terminal only, unless NO_COLOR is set (https://no-color.org)."""
    return stream.isatty() and not os.environ.get("NO_COLOR")


def format_text(problem: Diagnostic, sources: SourceLines, base: Path | None = None, colour: bool = False) -> str:
    """The problem's line, then its source line and a caret at its column, as a compiler shows them."""
    def paint(text: str, part: str) -> str:
        code = COLOURS[problem.level if part == "caret" else part]  # the caret in the colour of its level
        return f"\033[{code}m{text}\033[0m" if colour else text

    line = problem.format(base)
    if colour:
        location, _, rest = line.partition(f": {problem.level}: ")
        line = f"{paint(location, 'path')}: {paint(problem.level, problem.level)}: {rest}"
    excerpt = Excerpt.of(problem, sources)
    return "\n".join([line, *(excerpt.lines(paint) if excerpt else [])])


def error(path: Path, line: int, message: str, column: int = 0, check: str = "") -> Diagnostic:
    return Diagnostic(path, line, column, ERROR, message, check)


def warning(path: Path, line: int, message: str, column: int = 0, check: str = "") -> Diagnostic:
    return Diagnostic(path, line, column, WARNING, message, check)


def _escape(text: str, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text


def display_path(path: Path, base: Path | None = None) -> str:
    """The path as a person would type it from `base` (default: the working directory)."""
    return _relative(os.fspath(path), os.fspath(base) if base else os.getcwd())


@lru_cache(maxsize=4096)  # a site's problems are in a few files each: worth it at thousands of problems
def _relative(path: str, base: str) -> str:
    try:
        return Path(os.path.relpath(path, base)).as_posix()
    except ValueError:  # another drive on Windows
        return Path(path).as_posix()


def printable(text: str) -> str:
    """`text` on one line, with invisible characters written as escapes (\\n, \\x1b, \\ud800)."""
    return UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], text)


class InternalError(Exception):
    """An unexpected exception (a bug, not bad input) while processing `path`."""

    def __init__(self, path: Path):
        super().__init__(path)
        self.path = path


@contextmanager
def processing(path: Path):
    """Name `path` in any unexpected exception raised inside, so the report can say which file."""
    try:
        yield
    except InternalError:
        raise
    except Exception as exc:
        raise InternalError(path) from exc


def internal_error(exc: Exception, site: Path, hint: str = "") -> Diagnostic:
    """An unexpected exception (a bug) as one problem, naming the file being processed (else the site)."""
    path = exc.path if isinstance(exc, InternalError) else site
    cause = exc.__cause__ if isinstance(exc, InternalError) and exc.__cause__ else exc
    return error(path, 0, f"internal error while processing this file ({type(cause).__name__}: {cause}); "
                          f"please report it{hint}")


def count(diagnostics: list[Diagnostic], level: str) -> int:
    return sum(1 for d in diagnostics if d.level == level)


def has_errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.level == ERROR for d in diagnostics)


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")
