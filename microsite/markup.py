"""Markdown to HTML, with the extensions a content site needs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser

import markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor

from .glossary import Glossary, GlossaryExtension

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


def render_markdown(text: str, base_path: str = "/", glossary: Glossary | None = None) -> Rendered:
    """The HTML of `text`; root-relative links and images are moved under `base_path`, and the
    first use of each `glossary` term links to its entry."""
    converter = _converter(base_path, glossary)
    converter.reset()
    html = converter.convert(text)
    return Rendered(html, tuple(_flatten(converter.toc_tokens)))


@lru_cache(maxsize=4)
def _converter(base_path: str, glossary: Glossary | None) -> markdown.Markdown:
    # One converter per base path and glossary, reset before each page: building one costs more than a page.
    site_extensions = [BasePathExtension(base_path)] + ([GlossaryExtension(glossary)] if glossary else [])
    return markdown.Markdown(extensions=[*EXTENSIONS, *site_extensions],
                             extension_configs={"toc": {"permalink": False}}, output_format="html")


def _flatten(tokens: list[dict]):
    for token in tokens:
        yield Heading(token["level"], token["id"], token["name"])
        yield from _flatten(token["children"])


class BasePathExtension(Extension):
    """Rewrites '/risks/' to '/clinic/risks/' when the site is published under a sub-path.

    It works on the finished HTML, so links in raw HTML (`<a href="/risks/">`) and every
    candidate of a `srcset` move too; text in code blocks is escaped and left alone.
    """

    def __init__(self, base_path: str):
        super().__init__()
        self.base_path = base_path

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        if self.base_path != "/":
            # After the raw HTML is put back (priority 30) and before the converter returns.
            md.postprocessors.register(_BasePathPostprocessor(self.base_path), "base_path", 5)


TAG = re.compile(r"<[a-zA-Z][^<>]*>")
URL_ATTRIBUTE = re.compile(r"""(\s(?:href|src|srcset|poster)\s*=\s*)(["'])(.*?)\2""", re.IGNORECASE)


class _BasePathPostprocessor(Postprocessor):
    def __init__(self, base_path: str):
        super().__init__()
        self.base_path = base_path

    def run(self, text: str) -> str:
        return TAG.sub(lambda tag: URL_ATTRIBUTE.sub(self._attribute, tag.group()), text)

    def _attribute(self, match: re.Match) -> str:
        prefix, quote, value = match.groups()
        if prefix.strip().lower().startswith("srcset"):
            value = ", ".join(self._candidate(c) for c in value.split(","))
        else:
            value = self._url(value)
        return f"{prefix}{quote}{value}{quote}"

    def _candidate(self, candidate: str) -> str:
        """One 'url 2x' item of a srcset."""
        url, _, descriptor = candidate.strip().partition(" ")
        return f"{self._url(url)} {descriptor}".rstrip()

    def _url(self, url: str) -> str:
        if url.startswith("/") and not url.startswith("//"):
            return self.base_path + url[1:]
        return url


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
