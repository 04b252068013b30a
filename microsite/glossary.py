"""The glossary: entries read from the page of kind `glossary`, and the Markdown extension that
links the first use of each term on a page to its entry."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .model import GLOSSARY_KIND, Entry, Glossary
from .pages import Page, url_segment
from .words import first_hit

# Where a term is never linked: inside links, code, headings (their ids come from their text)
# and the glossary's own terms.
NOT_LINKED = {"a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "abbr", "script", "style"}
DEFINITION = re.compile(r"^:\s")


def read_glossary(pages: tuple[Page, ...]) -> Glossary | None:
    """The entries of the site's glossary page: its definition-list terms ('Term' then ':   meaning')."""
    page = next((p for p in pages if p.meta.kind == GLOSSARY_KIND), None)
    if page is None:
        return None
    lines = page.body.split("\n")
    entries = []
    for i, line in enumerate(lines):
        following = next((l for l in lines[i + 1:i + 3] if l.strip()), "")
        if line.strip() and not line[0].isspace() and not DEFINITION.match(line) and DEFINITION.match(following):
            names = entry_names(line)
            entries.append(Entry(names, "term-" + url_segment(names[0]), page.body_line + i))
    return Glossary(page.url, tuple(entries))


def entry_names(term: str) -> tuple[str, ...]:
    """A term and the other names in its brackets: 'Intense pulsed light (IPL)'."""
    plain = re.sub(r"[*_`]", "", term).strip()
    main, *others = re.split(r"\s*[()]\s*", plain)
    return tuple(name for name in (main, *others) if name)


class GlossaryExtension(Extension):
    def __init__(self, glossary: Glossary):
        super().__init__()
        self.glossary = glossary

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # 5.5: after smarty (6) has set the final text, before toc and base_path (5), so heading ids
        # are untouched and the links it adds are moved under the base path like any other.
        md.treeprocessors.register(_GlossaryTreeprocessor(md, self.glossary), "glossary", 5.5)


class _GlossaryTreeprocessor(Treeprocessor):
    def __init__(self, md: markdown.Markdown, glossary: Glossary):
        super().__init__(md)
        self.glossary = glossary

    def run(self, root: etree.Element) -> None:
        for dt in root.iter("dt"):
            entry = self.glossary.entry("".join(dt.itertext()).split("(")[0].strip())
            if entry:
                dt.set("id", entry.anchor)
        self.pending = list(self.glossary.entries)  # each entry is linked once per page
        self._link_within(root)

    def _link_within(self, element: etree.Element) -> None:
        pieces = self._split(element.text or "")
        element.text = pieces.pop(0)
        for position, link in enumerate(pieces):
            element.insert(position, link)
        for child in list(element):
            if child.tag not in NOT_LINKED:
                self._link_within(child)
            pieces = self._split(child.tail or "")
            child.tail = pieces.pop(0)
            index = list(element).index(child)
            for offset, link in enumerate(pieces, 1):
                element.insert(index + offset, link)

    def _split(self, text: str) -> list:
        """`text` cut at the first use of each pending term: [text before, link, link, ...]."""
        found = []
        for entry in self.pending:
            uses = [hit for hit in (first_hit(name, text) for name in entry.names) if hit]
            if uses:
                found.append((min(uses), entry))
        found.sort(key=lambda use: use[0].start)
        pieces, end, links = [], 0, []
        for hit, entry in found:
            if hit.start < end:
                continue
            link = etree.Element("a", {"href": f"/{self.glossary.url}#{entry.anchor}"})
            link.text = hit.text
            if links:
                links[-1].tail = text[end:hit.start]
            else:
                pieces.append(text[:hit.start])
            links.append(link)
            end = hit.end
            self.pending.remove(entry)
        if links:
            links[-1].tail = text[end:]
            return pieces + links
        return [text]
