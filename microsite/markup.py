"""Markdown to HTML, with the extensions a content site needs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

EXTENSIONS = ("tables", "attr_list", "def_list", "abbr", "sane_lists", "smarty", "toc")
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
BLOCKS = {"p", "li", "dt", "dd", "blockquote", "pre", "th", "td"}


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    text: str


@dataclass(frozen=True)
class Rendered:
    html: str
    headings: tuple[Heading, ...]


@dataclass(frozen=True)
class QuestionAnswer:
    question: str
    answer: str  # plain text, one blank line between paragraphs


def render_markdown(text: str, base_path: str = "/") -> Rendered:
    """The HTML of `text`; root-relative links and images are moved under `base_path`."""
    converter = _converter(base_path)
    converter.reset()
    html = converter.convert(text)
    return Rendered(html, tuple(_flatten(converter.toc_tokens)))


@lru_cache(maxsize=4)
def _converter(base_path: str) -> markdown.Markdown:
    # One converter per base path, reset before each page: building one costs more than a page.
    return markdown.Markdown(extensions=[*EXTENSIONS, BasePathExtension(base_path)],
                             extension_configs={"toc": {"permalink": False}}, output_format="html")


def _flatten(tokens: list[dict]):
    for token in tokens:
        yield Heading(token["level"], token["id"], token["name"])
        yield from _flatten(token["children"])


class BasePathExtension(Extension):
    """Rewrites '/risks/' to '/clinic/risks/' when the site is published under a sub-path."""

    def __init__(self, base_path: str):
        super().__init__()
        self.base_path = base_path

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        if self.base_path != "/":
            md.treeprocessors.register(_BasePathTreeprocessor(md, self.base_path), "base_path", 5)


class _BasePathTreeprocessor(Treeprocessor):
    def __init__(self, md: markdown.Markdown, base_path: str):
        super().__init__(md)
        self.base_path = base_path

    def run(self, root):
        for element in root.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value and value.startswith("/") and not value.startswith("//"):
                    element.set(attribute, self.base_path + value[1:])


def questions_and_answers(html: str) -> tuple[QuestionAnswer, ...]:
    """Every heading that ends in '?', with the text of the paragraphs under it up to the next heading."""
    reader = _QuestionReader()
    reader.feed(html)
    reader.close()
    return tuple(QuestionAnswer(q, "\n\n".join(paragraphs)) for q, paragraphs in reader.found if paragraphs)


@dataclass
class _Text:
    parts: list[str] = field(default_factory=list)

    def text(self) -> str:
        return re.sub(r"\s+", " ", "".join(self.parts)).strip()


class _QuestionReader(HTMLParser):
    """Reads rendered Markdown: headings and the outermost text blocks under them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[str]]] = []
        self.heading: _Text | None = None
        self.block: _Text | None = None
        self.depth = 0  # of nested blocks inside the current one
        self.answering = False

    def handle_starttag(self, tag, attrs):
        if tag in HEADINGS:
            self.heading, self.answering = _Text(), False
        elif tag in BLOCKS and self.answering:
            self.depth += 1
            self.block = self.block or _Text()

    def handle_endtag(self, tag):
        if tag in HEADINGS and self.heading:
            text = self.heading.text()
            self.heading, self.answering = None, text.endswith("?")
            if self.answering:
                self.found.append((text, []))
        elif tag in BLOCKS and self.block:
            self.depth -= 1
            if self.depth == 0:
                self.found[-1][1].append(self.block.text())
                self.block = None

    def handle_data(self, data):
        target = self.heading or self.block
        if target:
            target.parts.append(data)
