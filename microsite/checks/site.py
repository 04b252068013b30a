"""What the checks read: the site as built (immutable), and where each visible text was written."""

from __future__ import annotations

import bisect
import datetime as dt
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import unquote, urljoin, urlsplit

import lxml.etree
import lxml.html

from ..config import CONFIG_FILE, SiteConfig
from ..diagnostics import Diagnostic
from ..model import PLACED, Glossary, Place
from ..pages import Listing, Page
from ..words import WORD, words
from ..yamldoc import YamlDoc, parse_yaml
from .html import Block, blocks, body, without_code

CONTEXT_WORDS = 6  # words of a paragraph that find where it starts in the source


@dataclass(frozen=True)
class SourceText:
    """Text of a source file, starting at `first_line` of `path`."""

    path: Path
    text: str
    first_line: int = 1

    @cached_property
    def line_starts(self) -> list[int]:
        return [0] + [m.end() for m in re.finditer("\n", self.text)]

    def offset(self, line: int, column: int) -> int:
        """The offset of (line, column), both from 1 and the line counted in this text."""
        return self.line_starts[line - 1] + column - 1

    @cached_property
    def _words(self) -> tuple[list[str], list[int], dict[str, list[int]]]:
        """Its words in lower case, where each starts, and the indexes of each word."""
        found = list(WORD.finditer(self.text.lower()))
        index: dict[str, list[int]] = {}
        for i, match in enumerate(found):
            index.setdefault(match.group(), []).append(i)
        return [m.group() for m in found], [m.start() for m in found], index

    def offsets(self, text: str, exact: bool = False, start: int = 0) -> Iterator[int]:
        """Where `text` is written from offset `start`: as is, or (not exact) as the same words with any
        markup or punctuation between them."""
        if exact:
            offset = self.text.find(text, start)
            while offset >= 0:
                yield offset
                offset = self.text.find(text, offset + 1)
            return
        wanted = words(text)
        if not wanted:
            return
        tokens, starts, index = self._words
        # Try only the places of the rarest word: the first is often 'the', written thousands of times.
        rarest = min(range(len(wanted)), key=lambda k: len(index.get(wanted[k], ())))
        places = index.get(wanted[rarest], [])
        # From the first word at `start` or after: a page's findings are placed in the order it is written.
        for i in places[bisect.bisect_left(places, bisect.bisect_left(starts, start) + rarest):]:
            first = i - rarest
            if tokens[first:first + len(wanted)] == wanted:
                yield starts[first]


@dataclass(frozen=True)
class Location:
    path: Path
    line: int
    column: int

    def diagnostic(self, level: str, message: str, check: str) -> Diagnostic:
        return Diagnostic(self.path, self.line, self.column, level, message, check)


@dataclass(frozen=True)
class PageView:
    """A page as the checks see it: its source, the page a visitor gets, and its Markdown's HTML."""

    page: Page
    html: str  # the rendered page
    content: str  # the HTML of the Markdown body alone
    places: tuple[Place, ...] = ()  # where each block of `content` is written (model.Content)
    snippets: tuple[SourceText, ...] = ()  # the snippets its Markdown includes, where their text is written

    @cached_property
    def tree(self):
        try:
            return lxml.html.document_fromstring(self.html)
        except lxml.etree.ParserError:  # a template that renders nothing, or only a comment
            return lxml.html.document_fromstring("<html></html>")

    @cached_property
    def content_tree(self):
        return lxml.html.fragment_fromstring(self.content or "<p></p>", create_parent="div")

    # Parsed and split into blocks once for every check that reads them.
    @cached_property
    def page_blocks(self) -> list[Block]:
        """The blocks of the page's body as a visitor reads it: menus and template text included."""
        return blocks(body(self.tree))

    @cached_property
    def content_blocks(self) -> list[Block]:
        return blocks(self.content_tree)

    @cached_property
    def prose_tree(self):
        """The content without code, which is not prose to read or to explain."""
        return without_code(self.content_tree)

    @cached_property
    def prose_blocks(self) -> list[Block]:
        return blocks(self.prose_tree)

    @cached_property
    def block_starts(self) -> dict[str, list[int]]:
        """Where each block of the content starts in the body's source, by the block's text, as the
        Markdown parser found it."""
        placed = dict(zip((e for e in self.content_tree.iter() if e.tag in PLACED), self.places))
        starts: dict[str, list[int]] = {}
        for block in self.content_blocks:
            line, column = placed.get(block.element, (0, 0))
            if line:
                starts.setdefault(block.text, []).append(self.body.offset(line, column))
        return starts

    @cached_property  # one per page: each keeps the index of its words
    def front_matter(self) -> SourceText:
        return SourceText(self.page.source, self.page.head)

    @cached_property
    def body(self) -> SourceText:
        return SourceText(self.page.source, self.page.body, self.page.body_line)

    def key_location(self, *keys: str) -> Location:
        """Where a front matter key is written (`reviewed`, `date` → the date inside reviewed), from the
        YAML parser's marks: else its nearest enclosing key, else the page's first line."""
        positions = self.page.front_matter.positions if self.page.front_matter else {}
        written = next((keys[:n] for n in range(len(keys), 0, -1) if keys[:n] in positions), None)
        return Location(self.page.source, *positions[written]) if written else self.start

    @property
    def body_start(self) -> Location:
        return Location(self.page.source, self.page.body_line, 1)

    @property
    def start(self) -> Location:
        """Where a finding about the whole page points: its first line."""
        return Location(self.page.source, 1, 1)


@dataclass(frozen=True)
class CheckSite:
    """What the checks read besides the page they check: the settings, the text around every page's
    content, and every page as listed. A page itself is read (`view`) only when a site-wide rule
    finds something on it."""

    config: SiteConfig
    listings: tuple[Listing, ...]
    outputs: frozenset[str]  # every file of the built site, relative to the output folder
    chrome: tuple[SourceText, ...]  # site.yaml and the templates: where text around the content comes from
    assets: tuple[SourceText, ...]  # the static style sheets and scripts
    glossary: Glossary | None
    today: dt.date
    view: Callable[[Listing], PageView | None]  # a page as the checks see it (checking.PageViews)
    page: Callable[[Listing], Page | None]  # a page as read (checking.PageViews.page)
    widened: set[str] = field(default_factory=set)  # pages whose findings were looked for in other pages' text

    @cached_property
    def config_doc(self) -> YamlDoc | None:
        """site.yaml with the position of every key: parsed only when a finding is placed in it."""
        source = next((text for text in self.chrome if text.path == self.config.root / CONFIG_FILE), None)
        return parse_yaml(source.text, source.path)[0] if source else None

    @cached_property
    def sources(self) -> tuple[SourceText, ...]:
        """Every page file's text, in site order: a page's menus and links show other pages' titles."""
        return tuple(SourceText(page.source, page.text) for listing in self.listings if (page := self.page(listing)))

    @property
    def home(self) -> Listing | None:
        return next((p for p in self.listings if p.url == ""), None)

    def of_kind(self, kind: str) -> list[Listing]:
        return [p for p in self.listings if p.kind == kind]

    def locator(self, view: PageView, front_matter_first: bool = False) -> Locator:
        body = [view.body, *view.snippets]  # an included snippet's text is found where the snippet is written
        own = [view.front_matter, *body] if front_matter_first else [*body, view.front_matter]
        return Locator(tuple(own + list(self.chrome)), view.start, lambda: self._others(view),
                       {text: [(view.body, start) for start in starts] for text, starts in view.block_starts.items()})

    def _others(self, view: PageView) -> tuple[SourceText, ...]:
        """The other pages' text; a page whose findings needed it is checked again when any page changes."""
        self.widened.add(view.page.rel)
        return tuple(source for source in self.sources if source.path != view.page.source)

    def internal_target(self, href: str, view: PageView) -> tuple[str, str] | None:
        """A link's target inside the site, as (URL relative to the site, fragment); None if it leads out."""
        url = urljoin(self.config.base_url + view.page.url, href.strip())
        parts, base = urlsplit(url), urlsplit(self.config.base_url)
        if parts.scheme not in ("http", "https") or parts.netloc.lower() != base.netloc.lower():
            return None
        if not parts.path.startswith(base.path):
            return None
        return unquote(parts.path[len(base.path):]), unquote(parts.fragment)

    def configured(self, *keys: str | int) -> bool:
        """Whether site.yaml sets this setting itself (rather than leaving it to the default)."""
        return bool(self.config_doc) and tuple(keys) in self.config_doc.positions

    def config_location(self, *keys: str | int) -> Location:
        """The line in site.yaml of a setting, or of the nearest enclosing key that is written there."""
        line, column = self.config_doc.position(keys) if self.config_doc else (1, 0)
        return Location(self.config.root / CONFIG_FILE, line, column or 1)


@dataclass
class Locator:
    """Finds where a text a visitor sees is written, searching the page's own source first, then the
    text around it, then (read only if needed) the other pages.

    Each place is given out once, so the second "results vary" on a page points at the second one.
    """

    texts: tuple[SourceText, ...]
    fallback: Location
    read_others: Callable[[], tuple[SourceText, ...]] = tuple
    blocks: dict[str, list[tuple[SourceText, int]]] = field(default_factory=dict)  # PageView.block_starts
    used: set = field(default_factory=set)

    @cached_property
    def others(self) -> tuple[SourceText, ...]:
        return self.read_others()

    def find(self, text: str, context: str = "", exact: bool = False) -> Location | None:
        """Where `text` is written (in the paragraph `context` if given), or None.

        As written first; then (unless `exact`) as the same words with markup or punctuation between.
        Within a paragraph, the place is the one a finding has not named yet, else the first: the
        page title is also its h1 and its navigation label, one place."""
        for as_is in (True,) if exact else (True, False):
            if context:
                candidates = [(source, found) for source, start in self._paragraph(context)
                              if (found := next(source.offsets(text, as_is, start), None)) is not None]
                if candidates:
                    fresh = [c for c in candidates if not self._used(*c)]
                    return self._at(*(fresh or candidates)[0])
            found = self._first(text, as_is)
            if found:
                return self._at(*found)
        return None

    def locate(self, *candidates: str, context: str = "", exact: bool = False) -> Location:
        """Where the first of `candidates` that is written anywhere is; else the page's first line."""
        for text in candidates:
            if text and (found := self.find(text, context, exact)):
                return found
        return self.fallback

    def _paragraph(self, text: str) -> list[tuple[SourceText, int]]:
        """Where the paragraph `text` starts: from the parse for a block of the page's Markdown, else
        every place in the first source that has its first words."""
        return self.blocks.get(text) or self._all(" ".join(text.split()[:CONTEXT_WORDS]))

    def _all(self, text: str) -> list[tuple[SourceText, int]]:
        """Every place in the first source (the page itself, before templates and other pages) that has `text`."""
        for source in self._sources():
            places = [(source, offset) for offset in source.offsets(text)]
            if places:
                return places
        return []

    def _first(self, text: str, exact: bool) -> tuple[SourceText, int] | None:
        """The first place not given out yet (else the first place) where `text` is written."""
        first = None
        for source in self._sources():
            for place in ((source, offset) for offset in source.offsets(text, exact)):
                if not self._used(*place):
                    return place
                first = first or place
        return first

    def _sources(self) -> Iterator[SourceText]:
        yield from self.texts
        yield from self.others

    def _used(self, source: SourceText, offset: int) -> bool:
        return (source.path, source.first_line, offset) in self.used

    def _at(self, source: SourceText, offset: int) -> Location:
        self.used.add((source.path, source.first_line, offset))
        line = bisect.bisect_right(source.line_starts, offset)
        return Location(source.path, source.first_line + line - 1, offset - source.line_starts[line - 1] + 1)


def build_date(environ=os.environ) -> dt.date:
    """The build's date: SOURCE_DATE_EPOCH when set (reproducible builds), else today, in UTC."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    now = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch.isdigit() else dt.datetime.now(dt.timezone.utc)
    return now.date()
