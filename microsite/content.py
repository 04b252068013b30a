"""Stage 2: find the Markdown files under content/ and split off their front matter."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic, error
from .messages import say
from .sitepaths import SiteFile, scan_site_files
from .yamldoc import YamlDoc, parse_yaml

CONTENT_DIR = "content"
FENCE = "---"
SETTING_LINE = re.compile(r"[A-Za-z_][\w-]*:(?: |$)")  # a top-level `name: value` line


@dataclass(frozen=True)
class SourceFile:
    """A page's source: its front matter (parsed, with positions) and its Markdown body."""

    path: Path
    rel: str  # the path under content/, with '/' separators
    front_matter: YamlDoc
    head: str  # the file's lines before the body: the front matter between its fences
    body: str
    body_line: int  # the file line the body starts on


def find_sources(root: Path) -> tuple[list[SiteFile], list[Diagnostic]]:
    """Every page file under `root/content`, sorted, leaving out hidden and editor files and links out of the site."""
    content = root / CONTENT_DIR
    if not content.is_dir():
        return [], [error(content, 0, "no content folder: pages go in content/, one Markdown file each")]
    return scan_site_files(content, root, ".md", skip=(".", "_"))


def parse_source(path: Path, rel: str, text: str) -> tuple[SourceFile | None, list[Diagnostic]]:
    """Split the text of the page file at `path` into front matter and body."""
    lines = text.split("\n")
    if not text.strip():
        return None, [error(path, 1, say("empty"))]
    if lines[0].rstrip() != FENCE:
        return None, [error(path, 1, say("no_front_matter"), column=1)]
    end = front_matter_end(lines)
    if end is None:
        return None, [error(path, 1, say("not_closed"), column=1)]
    if early_fence(lines, end):
        return None, [error(path, end + 1, say("third_fence"), column=1)]
    doc, problems = parse_yaml("\n".join(lines[1:end]), path, first_line=2)
    if doc is None:
        return None, problems
    if doc.value is None:
        return None, [error(path, 1, say("no_settings"), column=1)]
    if not isinstance(doc.value, dict):
        return None, [error(path, 2, say("not_settings"), column=1)]
    body = "\n".join(lines[end + 1:])
    return SourceFile(path, rel, doc, "\n".join(lines[:end + 1]), body, end + 2), []


def front_matter_end(lines: list[str]) -> int | None:
    """The index of the line that closes the front matter, if any."""
    return next((i for i, line in enumerate(lines[1:], 1) if line.rstrip() in (FENCE, "...")), None)


def early_fence(lines: list[str], end: int) -> bool:
    """Whether the lines after the closing fence, up to another fence, are settings too: a '---'
    typed in the middle of the settings would otherwise drop those below it into the text."""
    after = lines[end + 1:]
    close = next((i for i, line in enumerate(after) if line.rstrip() == FENCE), None)
    between = [line for line in after[:close] if line.strip()] if close else []
    return bool(between) and SETTING_LINE.match(between[0]) is not None and \
        all(SETTING_LINE.match(line) or line.startswith((" ", "#")) for line in between)
