"""Stage 2: find the Markdown files under content/ and split off their front matter."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic, error
from .sitepaths import SiteFile, scan_site_files
from .yamldoc import YamlDoc, parse_yaml

CONTENT_DIR = "content"
FENCE = "---"


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
        return None, [error(path, 1, "the file is empty: a page starts with front matter between '---' lines")]
    if lines[0].rstrip() != FENCE:
        return None, [error(path, 1, "missing front matter: the file must start with a line '---', "
                                     "then the page's settings (title: …), then another '---'")]
    end = next((i for i, line in enumerate(lines[1:], 1) if line.rstrip() in (FENCE, "...")), None)
    if end is None:
        return None, [error(path, 1, "front matter is not closed: add a line '---' after the page's settings")]
    doc, problems = parse_yaml("\n".join(lines[1:end]), path, first_line=2)
    if doc is None:
        return None, problems
    body = "\n".join(lines[end + 1:])
    return SourceFile(path, rel, doc, "\n".join(lines[:end + 1]), body, end + 2), []
