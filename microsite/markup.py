"""Markdown to HTML, with the extensions a content site needs, refusing what is unsafe in a page."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from html import unescape
from html.parser import HTMLParser

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

EXTENSIONS = ("tables", "attr_list", "def_list", "abbr", "sane_lists", "smarty", "toc")
# Tags site.yaml's allowed_html may let pages use, and the attributes they may carry: text-level
# markup with no scripts, styles, frames or forms.
ALLOWABLE_TAGS = ("a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "del", "dfn", "em", "i", "img",
                  "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u",
                  "var", "wbr")
SAFE_ATTRIBUTES = ("alt", "class", "datetime", "dir", "height", "href", "id", "lang", "src", "srcset", "title",
                   "value", "width")
URL_ATTRIBUTES = ("href", "src", "srcset", "action", "formaction", "poster", "cite", "background", "xlink:href")
UNSAFE_SCHEMES = ("javascript", "vbscript", "data")
NEUTRAL = str.maketrans("<&:{", "\u2039+;(")  # what every unsafe construct needs, made harmless
MAX_LOCATED = 10  # lines located per page; finding each costs a few renders
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
BLOCKS = {"p", "li", "dt", "dd", "blockquote", "pre", "th", "td"}


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    text: str


@dataclass(frozen=True)
class MarkupProblem:
    line: int  # 1-based, in the text given to render_markdown
    message: str


@dataclass(frozen=True)
class Rendered:
    html: str
    headings: tuple[Heading, ...]
    problems: tuple[MarkupProblem, ...] = ()  # raw HTML or unsafe links: the page must not be published


@dataclass(frozen=True)
class QuestionAnswer:
    question: str
    answer: str  # plain text, one blank line between paragraphs


def render_markdown(text: str, base_path: str = "/", allowed_html: tuple[str, ...] = ()) -> Rendered:
    """The HTML of `text`; root-relative links and images are moved under `base_path`.

    Raw HTML (other than the `allowed_html` tags) and javascript:, vbscript: and data: links
    are reported as problems, each on its line.
    """
    converter = _converter(base_path, tuple(allowed_html))
    result, unsafe = _convert(converter, text)
    if unsafe:
        return Rendered(result.html, result.headings, _locate(converter, text, unsafe))
    return result


def _convert(converter: markdown.Markdown, text: str) -> tuple[Rendered, list[str]]:
    """The rendering of `text` and what is unsafe in it."""
    converter.reset()
    html_text = converter.convert(text)
    return Rendered(html_text, tuple(_flatten(converter.toc_tokens))), converter.safety.found()


def _locate(converter: markdown.Markdown, text: str, unsafe: list[str]) -> tuple[MarkupProblem, ...]:
    """The lines of the unsafe constructs, found by Markdown itself rather than guessed from the text.

    Making the characters that every unsafe construct needs (<, &, :, {) harmless in the first N
    lines and rendering again tells whether those lines hold one; a galloping binary search finds
    the line. Text in code spans and code blocks never counts, as Markdown never took it for HTML.
    """
    lines = text.split("\n")

    @lru_cache(maxsize=None)
    def left_after(count: int) -> list[str]:
        neutral = [line.translate(NEUTRAL) for line in lines[:count]] + lines[count:]
        return _convert(converter, "\n".join(neutral))[1]

    problems: list[MarkupProblem] = []
    done = 0
    unlocatable = len(left_after(len(lines)))
    while len(unsafe) > unlocatable and len(problems) < MAX_LOCATED:
        # Unsafe constructs remain after `low` lines, fewer after `high`; such lines are often close together.
        low, high = done, done + 1
        while len(left_after(high)) == len(unsafe):
            low, high = high, min(len(lines), done + 2 * (high - done))
        while high - low > 1:
            middle = (low + high) // 2
            low, high = (low, middle) if len(left_after(middle)) < len(unsafe) else (middle, high)
        remaining = left_after(high)
        problems += [MarkupProblem(high, message) for message in sorted(set(Counter(unsafe) - Counter(remaining)))]
        done, unsafe = high, remaining
    if unsafe:  # beyond the lines located, or in no line alone (then reported at the first)
        more = "and more after this line: " if problems else ""
        problems.append(MarkupProblem(done + 1, more + "; ".join(sorted(set(unsafe)))))
    return tuple(problems)


@lru_cache(maxsize=4)
def _converter(base_path: str, allowed_html: tuple[str, ...]) -> markdown.Markdown:
    # One converter per base path, reset before each page: building one costs more than a page.
    return markdown.Markdown(extensions=[*EXTENSIONS, BasePathExtension(base_path), SafetyExtension(allowed_html)],
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


class SafetyExtension(Extension):
    """Finds raw HTML that is not allowed and links that would run a script or embed a document."""

    def __init__(self, allowed_html: tuple[str, ...]):
        super().__init__()
        self.allowed_html = allowed_html
        self.md: markdown.Markdown | None = None
        self.links: list[str] = []

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        self.md = md
        md.safety = self
        md.registerExtension(self)  # so that md.reset() calls self.reset()
        md.treeprocessors.register(_LinkTreeprocessor(md, self), "safety", 1)  # after links and attr_list

    def reset(self) -> None:
        self.links = []

    def found(self) -> list[str]:
        """Every unsafe construct of the last conversion, as the message to show."""
        # Markdown stashes every piece of raw HTML it finds (and the entities it writes, which hold no tags).
        scanner = _RawHtmlScanner(self.allowed_html)
        for chunk in self.md.htmlStash.rawHtmlBlocks:
            scanner.scan(str(chunk))
        return scanner.found + self.links


class _LinkTreeprocessor(Treeprocessor):
    def __init__(self, md: markdown.Markdown, safety: SafetyExtension):
        super().__init__(md)
        self.safety = safety

    def run(self, root):
        for element in root.iter():
            self.safety.links += attribute_problems(element.tag, element.attrib.items(), allowed=None)


class _RawHtmlScanner(HTMLParser):
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
