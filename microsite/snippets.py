"""Shared snippets: Markdown files in content/_snippets/ that pages include with {% include "name" %}.

A text several pages must give alike (where to get urgent help) is written once, so the pages can
never disagree. Files whose names start with '_' are not pages, so a snippet is never published alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic
from .sitepaths import site_files
from .textfile import read_text

SNIPPETS_DIR = "_snippets"  # under content/
INCLUDE = re.compile(r"""^[ \t]*\{%[ \t]*include[ \t]+["']([^"']*)["'][ \t]*%\}[ \t]*$""")


@dataclass(frozen=True)
class Snippet:
    name: str  # its file name under content/_snippets/, without '.md'
    path: Path
    text: str


@dataclass(frozen=True)
class Snippets:
    """Every snippet of the site (hashable: the Markdown converter is kept per set of snippets)."""

    items: tuple[Snippet, ...] = ()

    def get(self, name: str) -> Snippet | None:
        return next((s for s in self.items if s.name == name), None)

    def names(self) -> str:
        return ", ".join(s.name for s in self.items) or "none yet"

    def used_by(self, body: str) -> tuple[Snippet, ...]:
        """The snippets a page's Markdown includes, in the order it includes them."""
        names = dict.fromkeys(m[1] for line in body.split("\n") if (m := INCLUDE.match(line)))
        return tuple(snippet for name in names if (snippet := self.get(name)))


def read_snippets(content: Path, root: Path) -> tuple[Snippets, list[Diagnostic]]:
    """The snippets in `content`/_snippets/ (none when there is no such folder)."""
    folder = content / SNIPPETS_DIR
    if not folder.is_dir():
        return Snippets(), []
    paths, problems = site_files(folder, root, ".md")
    items = []
    for path in paths:
        text, unreadable = read_text(path)
        problems += unreadable
        if text is not None:
            items.append(Snippet(path.relative_to(folder).with_suffix("").as_posix(), path, text))
    return Snippets(tuple(items)), problems


def expand(lines: list[str], snippets: Snippets) -> tuple[list[str], list[int], list[str]]:
    """`lines` with each include line replaced by its snippet's lines; for each line of the result,
    its line number in `lines` (from 1; 0 for a snippet's lines, which are placed in the snippet's
    own file); and the problems found."""
    expanded, origin, problems = [], [], []
    for number, line in enumerate(lines, 1):
        match = INCLUDE.match(line)
        if not match:
            expanded.append(line)
            origin.append(number)
            continue
        snippet = snippets.get(match[1])
        if snippet is None:
            problems.append(f'no snippet "{match[1]}": a snippet is a file in content/{SNIPPETS_DIR}/ '
                            f"(this site has: {snippets.names()})")
            continue
        inner = snippet.text.split("\n")
        if any(INCLUDE.match(inner_line) for inner_line in inner):
            problems.append(f'the snippet "{snippet.name}" includes another snippet; a snippet can only be '
                            "included by a page")
            continue
        block = ["", *inner, ""]  # a snippet is a block of its own
        expanded += block
        origin += [0] * len(block)
    return expanded, origin, problems
