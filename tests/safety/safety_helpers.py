"""Helpers for the safety tests: what a well-formed failure looks like."""

from __future__ import annotations

import contextlib
import io
import re
import subprocess

from microsite.cli import main

# `path:line[:column]: level: message`, or `path: level: message` when no line applies.
DIAGNOSTIC = re.compile(r"^(?P<path>[^\s:][^:]*?)(?::(?P<line>\d+)(?::(?P<column>\d+))?)?: (?P<level>error|warning): \S.*$")
# Under a problem with a line: that line of the file (`  12 | text`), then a caret under its column.
EXCERPT = re.compile(r"^  \d+ \| .*\S$|^ +\| +\^$")
SUMMARY = re.compile(r"^(built|checked) \d+ pages? in [\d.]+ s \(\d+ errors?, \d+ warnings?[^()]*\)$"
                     r"|^not built: \d+ errors?, \d+ warnings?[^()]*; the output folder was left as it was$")


def run_main(*args) -> subprocess.CompletedProcess:
    """The command line run in this process (faster than a subprocess), its result like a subprocess's."""
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse's usage errors
            code = exc.code
    return subprocess.CompletedProcess(args, code, "", stderr.getvalue())


def diagnostics(stderr: str) -> list[re.Match]:
    """The problem lines of a run's stderr; fails on any line that is neither a problem nor the summary."""
    assert "Traceback" not in stderr, stderr
    found = []
    for line in stderr.splitlines():
        match = DIAGNOSTIC.match(line)
        assert match or SUMMARY.match(line) or (found and EXCERPT.match(line)), \
            f"not a well-formed line: {line!r}\n{stderr}"
        if match:
            found.append(match)
    return found


def errors_of(result: subprocess.CompletedProcess) -> list[re.Match]:
    """The error lines of a run that must have failed cleanly: exit 1, well-formed lines only."""
    assert result.returncode == 1, (result.returncode, result.stderr)
    errors = [m for m in diagnostics(result.stderr) if m["level"] == "error"]
    assert errors, result.stderr
    return errors


def page(front_matter: str = "title: A page\ndescription: A test page.", body: str = "Some text.\n") -> str:
    return f"---\n{front_matter}\n---\n{body}"
