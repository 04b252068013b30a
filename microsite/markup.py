"""Markdown to HTML, with the extensions a content site needs."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .glossary import Glossary, GlossaryExtension

EXTENSIONS = ("tables", "attr_list", "def_list", "abbr", "sane_lists", "smarty", "toc")


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    text: str


@dataclass(frozen=True)
class Rendered:
    html: str
    headings: tuple[Heading, ...]


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
