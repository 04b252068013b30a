"""What HTML a page may hold: the tags and attributes site.yaml may allow, and the links that are never allowed."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

# Tags site.yaml's allowed_html may let pages use, and the attributes they may carry: text-level
# markup with no scripts, styles, frames or forms.
ALLOWABLE_TAGS = ("a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "del", "dfn", "em", "i", "img",
                  "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u",
                  "var", "wbr")
SAFE_ATTRIBUTES = ("alt", "class", "datetime", "dir", "height", "href", "id", "lang", "src", "srcset", "title",
                   "value", "width")
URL_ATTRIBUTES = ("href", "src", "srcset", "action", "formaction", "poster", "cite", "background", "xlink:href")
UNSAFE_SCHEMES = ("javascript", "vbscript", "data")
# Jinja2 expressions, statements and comments: blanked before a template is read as HTML, keeping
# every line and column where it was.
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
DATA_SCRIPT = "application/ld+json"  # structured data: read by search engines, never run


class RawHtmlScanner(HTMLParser):
    """Collects what is not allowed in pieces of raw HTML, as messages."""

    def __init__(self, allowed_html: tuple[str, ...]):
        super().__init__(convert_charrefs=True)
        self.allowed_html = allowed_html
        self.found: list[str] = []

    def scan(self, chunk: str) -> None:
        self.reset()
        self.feed(chunk)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag in self.allowed_html:
            self.found += attribute_problems(tag, attrs, allowed=SAFE_ATTRIBUTES)
        else:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag not in self.allowed_html:
            self.found.append(f"raw HTML <{tag}> is not allowed in Markdown; write it in Markdown"
                              + (f" (or add {tag} to allowed_html in site.yaml)" if tag in ALLOWABLE_TAGS else ""))

    def handle_comment(self, data):
        self.found.append("an HTML comment (<!-- -->) would be published in the page's source; delete it")

    def handle_decl(self, decl):
        self.found.append(f"raw HTML <!{decl[:20]}> is not allowed in Markdown")

    def handle_pi(self, data):
        self.found.append(f"raw HTML <?{data[:20]}> is not allowed in Markdown")

    unknown_decl = handle_decl


def attribute_problems(tag: str, attributes, allowed: tuple[str, ...] | None) -> list[str]:
    """What is unsafe in an element's attributes: script handlers, unsafe links, and any attribute
    outside `allowed` (None: only the first two are checked)."""
    problems = []
    for name, value in attributes:
        name = name.lower()
        if name.startswith("on") or (allowed is not None and name not in allowed):
            problems.append(f"attribute {name}= is not allowed on <{tag}>")
        elif name in URL_ATTRIBUTES and (scheme := unsafe_scheme(value or "", name == "srcset")):
            problems.append(f"{scheme}: addresses are not allowed in links and images ({name}= on <{tag}>): "
                            "they can run code in the visitor's browser")
    return problems


def unsafe_scheme(url: str, srcset: bool = False) -> str:
    """'javascript', 'vbscript' or 'data' if a browser would open `url` (or any URL of a srcset) with that
    scheme, else ''."""
    for candidate in unescape(url).split(",") if srcset else [unescape(url)]:
        plain = re.sub(r"[\x00-\x20]", "", candidate).lower()  # browsers ignore these characters
        if scheme := next((s for s in UNSAFE_SCHEMES if plain.startswith(s + ":")), ""):
            return scheme
    return ""


class TemplateScanner(HTMLParser):
    """Finds what would run script on every page made from a template: an inline <script> (but data),
    an on…= attribute or a javascript: address, as (line, column, message)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, int, str]] = []

    def handle_starttag(self, tag, attrs):
        line, offset = self.getpos()
        named = dict(attrs)
        if tag == "script" and "src" not in named and (named.get("type") or "").strip().lower() != DATA_SCRIPT:
            self.found.append((line, offset + 1, "inline <script> in a template: the site promises no JavaScript, "
                                                 "and its security policy blocks inline scripts; delete it"))
        self.found += [(line, offset + 1, problem) for problem in attribute_problems(tag, attrs, allowed=None)]

    handle_startendtag = handle_starttag


def template_script(template: str) -> list[tuple[int, int, str]]:
    """Where a template's HTML would run script: (line, column, message) for each place."""
    scanner = TemplateScanner()
    scanner.feed(JINJA.sub(lambda match: re.sub(r"[^\n]", " ", match[0]), template))
    scanner.close()
    return scanner.found
