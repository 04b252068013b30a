"""The values the stages hand each other, in one small module that imports no stage and no renderer:
reading `output.py` or a check never loads Jinja2 or Markdown.

A page as read and listed (`Page`, `Listing`) is in `pages.py`, the settings (`SiteConfig`) in
`config.py` and a finding (`Diagnostic`) in `diagnostics.py`; each is a frozen dataclass too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .diagnostics import Diagnostic
from .words import same_term

if TYPE_CHECKING:
    from .pages import Listing

GLOSSARY_KIND = "glossary"


@dataclass(frozen=True)
class OutputFile:
    """A file of the built site: where it goes under the output folder and its bytes."""

    path: str
    data: bytes


@dataclass(frozen=True)
class Deps:
    """The templates a render loaded (extends, include, import) and the context names it read."""

    templates: tuple[str, ...]
    names: tuple[str, ...]


PLACED = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "dt", "dd", "th", "td"}  # the blocks Content places
Place = tuple[int, int]  # (line, column) in a page's Markdown, both from 1; (0, 0) where not known


@dataclass(frozen=True)
class Content:
    """The HTML of a page's Markdown, and where each of its blocks (headings, paragraphs, list items,
    terms and definitions, table cells, in document order) is written, as the parser found them."""

    html: str
    places: tuple[Place, ...] = ()


@dataclass(frozen=True)
class RenderedPage:
    """One page's render: its file (None when it failed), its problems and what it used."""

    output: str
    data: bytes | None
    problems: tuple[Diagnostic, ...]
    deps: Deps
    content: Content | None = None  # its Markdown alone, which the checks read


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool


# The context names whose values list other pages, and the menu each lists.
MENUS = {"nav": "main", "footer_nav": "footer"}
Menus = dict[str, tuple["Listing", ...]]  # the pages each of those names lists, by name


@dataclass(frozen=True)
class Entry:
    """A glossary term."""

    names: tuple[str, ...]  # "Intense pulsed light (IPL)" → ("Intense pulsed light", "IPL")
    anchor: str
    line: int  # where the term is written in the glossary page

    def matches(self, term: str) -> bool:
        return any(same_term(term, name) for name in self.names)


@dataclass(frozen=True)
class Glossary:
    url: str  # the glossary page's URL, relative to the site: 'glossary/'
    entries: tuple[Entry, ...]

    def entry(self, term: str) -> Entry | None:
        return next((e for e in self.entries if e.matches(term)), None)
