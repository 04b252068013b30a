"""Reading a rendered page as a visitor (and a search engine) sees it."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any, Iterator

INLINE = {"a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "dfn", "em", "i", "img", "kbd", "label",
          "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr"}
HIDDEN = {"script", "style", "template", "head"}
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


@dataclass(frozen=True)
class Block:
    """The text of one paragraph, list item, heading, cell or similar, as a visitor reads it."""

    element: Any
    text: str


@dataclass(frozen=True)
class Surface:
    """A text a visitor or a search engine sees outside the page body: its title, meta tags, alt text."""

    where: str  # 'the browser title', 'the Open Graph og:title tag', ...
    text: str
    element: Any


def squash(text: str) -> str:
    return " ".join(text.split())


def text_of(element) -> str:
    return squash("".join(element.itertext()))


def blocks(root) -> list[Block]:
    """The visible text of `root`, one block per paragraph-like element (nested blocks separate)."""
    found: list[Block] = []
    _walk(root, found)
    return [b for b in found if b.text]


def _walk(element, found: list[Block]) -> None:
    if not isinstance(element.tag, str) or element.tag in HIDDEN:
        return
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag not in INLINE:
            _walk(child, found)
        elif isinstance(child.tag, str) and child.tag not in HIDDEN:
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    found.append(Block(element, squash("".join(parts))))


def without_code(tree):
    """A copy of `tree` without code, which is not prose to read or to explain."""
    tree = copy.deepcopy(tree)
    for code in [*tree.iter("pre"), *tree.iter("code")]:
        code.drop_tree()
    return tree


def attribute_urls(value: str | None, srcset: bool = False) -> list[str]:
    """The addresses in an attribute: one, or each candidate of a srcset ('a.jpg 1x, b.jpg 2x')."""
    if not value or not value.strip():
        return []
    return [part.split()[0] for part in value.split(",") if part.strip()] if srcset else [value.strip()]


def body(root):
    found = root.find("body")
    return found if found is not None else root


def surfaces(root) -> list[Surface]:
    """The title, description, social and structured-data texts, and every image's alt text."""
    found = [Surface("the browser title", text_of(t), t) for t in root.iter("title")]
    for meta in root.iter("meta"):
        name = meta.get("property") or meta.get("name") or ""
        if name == "description" or name.startswith(("og:", "twitter:")):
            where = "the meta description" if name == "description" else f"the {name} tag"
            found.append(Surface(where, squash(meta.get("content", "")), meta))
    for script, data in json_ld(root):
        found += [Surface("the JSON-LD structured data", squash(text), script) for text in json_strings(data)]
    found += [Surface("an image's alt text", squash(img.get("alt", "")), img) for img in root.iter("img")]
    return [s for s in found if s.text]


def json_ld(root) -> Iterator[tuple[Any, Any]]:
    """Each `<script type="application/ld+json">` and its data (ones that do not parse are skipped)."""
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() == "application/ld+json":
            try:
                yield script, json.loads(script.text or "")
            except ValueError:
                continue


def json_strings(data: Any) -> Iterator[str]:
    """The human-readable strings of JSON-LD: values, not keys, @-keywords or addresses."""
    if isinstance(data, dict):
        for key, value in data.items():
            if not key.startswith("@"):
                yield from json_strings(value)
    elif isinstance(data, list):
        for item in data:
            yield from json_strings(item)
    elif isinstance(data, str) and not data.startswith(("http://", "https://", "/")):
        yield data


def json_types(data: Any) -> Iterator[str]:
    """Every @type and property name in JSON-LD, nested ones included."""
    if isinstance(data, dict):
        kind = data.get("@type", ())
        yield from [kind] if isinstance(kind, str) else kind
        for key, value in data.items():
            yield key
            yield from json_types(value)
    elif isinstance(data, list):
        for item in data:
            yield from json_types(item)
