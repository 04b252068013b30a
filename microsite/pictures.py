"""Pictures in page text: each <img> gets the size of its file (so nothing moves as it loads), its
fingerprinted address, lazy loading unless it may be on the first screen, and a srcset of narrower
copies when it is a large photo (assets.py makes them).
"""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit

from .config import SiteConfig
from .diagnostics import Diagnostic, error
from .links import link
from .pages import Page

IMG_TAG = re.compile(r"""<img\b(?:[^>"']|"[^"]*"|'[^']*')*>""", re.IGNORECASE)
# The start of each top-level block of rendered Markdown (each begins a line).
TOP_BLOCK = re.compile(r"^<(?:p|h[1-6]|ul|ol|dl|table|blockquote|pre|div|figure|hr)\b", re.MULTILINE)
EAGER_BLOCKS = 2  # the first picture, if in the text's first two blocks, may be on the first screen
# How wide the text column of the default stylesheet is, for the browser to choose from the srcset.
SIZES = "(min-width: 44rem) 41rem, calc(100vw - 3rem)"


def sized_pictures(html: str, config: SiteConfig, page: Page) -> tuple[str, list[Diagnostic]]:
    """`html` (a page's rendered text) with every picture of the site's static files sized and linked."""
    problems: list[Diagnostic] = []
    first = True

    def rewrite(match: re.Match) -> str:
        nonlocal first
        attributes = tag_attributes(match.group())
        src = attributes.get("src") or ""
        name = static_name(src, config, page.url) if src else None
        if name is not None:
            asset = config.assets.get(name)
            if asset is None:
                problems.append(error(page.source, source_line(page, name), f"picture {src!r}: no file static/{name}"))
                return match.group()
            attributes["src"] = link(config, asset.path)
            if asset.width and asset.height:
                attributes.update(box(attributes, asset.width, asset.height))
            if attributes.get("srcset"):
                attributes["srcset"] = author_srcset(attributes["srcset"], config, page.url)
            elif asset.variants:
                attributes["srcset"] = ", ".join([f"{link(config, v.path)} {v.width}w" for v in asset.variants]
                                                 + [f"{attributes['src']} {asset.width}w"])
                attributes.setdefault("sizes", SIZES)
        on_first_screen = first and len(TOP_BLOCK.findall(html, 0, match.start())) <= EAGER_BLOCKS
        first = False
        if not on_first_screen:
            attributes.setdefault("loading", "lazy")
        return "<img " + " ".join(k if v is None else f'{k}="{escape(v)}"' for k, v in attributes.items()) + ">"

    return IMG_TAG.sub(rewrite, html), problems


def author_srcset(srcset: str, config: SiteConfig, page_url: str) -> str:
    """An author's own srcset, each candidate that is a static file linked to its fingerprinted copy."""
    candidates = []
    for candidate in srcset.split(","):
        url, _, descriptor = candidate.strip().partition(" ")
        asset = config.assets.get(static_name(url, config, page_url) or "")
        candidates.append(f"{link(config, asset.path) if asset else url} {descriptor}".strip())
    return ", ".join(candidates)


def static_name(src: str, config: SiteConfig, page_url: str) -> str | None:
    """The path under static/ that `src` names, or None for a picture on another host or a data: address."""
    parts = urlsplit(urljoin(config.base_path + page_url, src))
    if parts.scheme or parts.netloc or not parts.path.startswith(config.base_path):
        return None
    return unquote(parts.path[len(config.base_path):])


def box(attributes: dict[str, str | None], width: int, height: int) -> dict[str, str]:
    """width and height: the file's, or the one the author gave with the other in proportion."""
    given_width, given_height = (attributes.get(k) or "" for k in ("width", "height"))
    if given_width.isdigit() and not given_height:
        return {"height": str(round(int(given_width) * height / width))}
    if given_height.isdigit() and not given_width:
        return {"width": str(round(int(given_height) * width / height))}
    if given_width or given_height:
        return {}
    return {"width": str(width), "height": str(height)}


def source_line(page: Page, name: str) -> int:
    """The line of the page file that names the picture (the text's first line if none does)."""
    for number, line in enumerate(page.body.splitlines(), page.body_line):
        if name in line:
            return number
    return page.body_line


class _TagReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.attributes: dict[str, str | None] = {}

    def handle_starttag(self, tag, attrs):
        self.attributes = dict(attrs)

    handle_startendtag = handle_starttag


def tag_attributes(tag: str) -> dict[str, str | None]:
    reader = _TagReader()
    reader.feed(tag)
    reader.close()
    return reader.attributes
