"""Markdown to HTML, with the extensions a content site needs, refusing what is unsafe in a page.

Two additions to Markdown: `{% include "name" %}` on a line of its own puts in the snippet
content/_snippets/name.md, and a callout (an urgent, important or tip box with its own heading) is
written between a line `::: urgent Get urgent help` and a line `:::`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from xml.etree.ElementTree import SubElement

import markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension, abbr, attr_list, def_list, sane_lists, smarty, tables, toc
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from .glossary import Glossary, GlossaryExtension
from .htmlpolicy import RawHtmlScanner, attribute_problems
from .model import PLACED, Place
from .snippets import Snippets, expand

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
    places: tuple[Place, ...] = ()  # where each block is written (model.Content)
    problems: tuple[MarkupProblem, ...] = ()  # raw HTML or unsafe links: the page must not be published


@dataclass(frozen=True)
class QuestionAnswer:
    question: str
    answer: str  # plain text, one blank line between paragraphs


def render_markdown(text: str, base_path: str = "/", glossary: Glossary | None = None,
                    allowed_html: tuple[str, ...] = (), snippets: Snippets = Snippets()) -> Rendered:
    """The HTML of `text`; root-relative links and images are moved under `base_path`, the first
    use of each `glossary` term links to its entry, and `snippets` are included where asked for.

    Raw HTML (other than the `allowed_html` tags), javascript:, vbscript: and data: links, includes
    of missing snippets and callouts written wrong are reported as problems, each on its line (a
    problem inside a snippet, on the line that includes it).
    """
    converter = _converter(base_path, glossary, tuple(allowed_html), snippets)
    result, unsafe = _convert(converter, text)
    if unsafe:
        return Rendered(result.html, result.headings, result.places, _locate(converter, text, unsafe))
    return result


def _convert(converter: markdown.Markdown, text: str) -> tuple[Rendered, list[str]]:
    """The rendering of `text` and what is unsafe in it."""
    converter.reset()
    html_text = converter.convert(text)
    return (Rendered(html_text, tuple(_flatten(converter.toc_tokens)), converter.source_places.found),
            converter.safety.found())


def _locate(converter: markdown.Markdown, text: str, unsafe: list[str]) -> tuple[MarkupProblem, ...]:
    """The lines of the unsafe constructs, found by Markdown itself rather than guessed from the text.

    Making the characters that every unsafe construct needs (<, &, :, {) harmless in the first N
    lines and rendering again tells whether those lines hold one; a galloping binary search finds
    the line. Text in code spans and code blocks never counts, as Markdown never took it for HTML.
    (An include or a callout needs '{' or ':' too.)
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
def _converter(base_path: str, glossary: Glossary | None, allowed_html: tuple[str, ...],
               snippets: Snippets) -> markdown.Markdown:
    # One converter per base path and glossary, reset before each page: building one costs more than a page.
    # Extensions given as objects, not by name: a name is looked up among every installed package's
    # entry points first, which costs more than rendering a page.
    extensions = [tables.TableExtension(), attr_list.AttrListExtension(), def_list.DefListExtension(),
                  abbr.AbbrExtension(), sane_lists.SaneListExtension(), smarty.SmartyExtension(),
                  toc.TocExtension(permalink=False), BasePathExtension(base_path), SnippetExtension(snippets),
                  SourcePlacesExtension(),
                  CalloutExtension()]
    extensions += [GlossaryExtension(glossary)] if glossary else []
    return markdown.Markdown(extensions=[*extensions, SafetyExtension(allowed_html)], output_format="html")


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


class SourcePlacesExtension(Extension):
    """Records where each block is written while the page is parsed, so that a check's finding points
    at its line without searching the page for it.

    Between the block parser and the inline patterns (priority 25 > 20) each block's text is still
    its Markdown as written, and the blocks come in the order they are written: each is found after
    the one before, so the whole page is scanned once.
    """

    def __init__(self):
        super().__init__()
        self.text = ""
        self.found: tuple[Place, ...] = ()
        self.origin: list[int] = []  # the page's line of each line the parser gets, where snippets moved them

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.source_places = self
        md.registerExtension(self)
        md.preprocessors.register(_KeepSource(md, self), "source_places", 0)  # last: the lines the parser gets
        md.treeprocessors.register(_PlaceBlocks(md, self), "source_places", 25)

    def reset(self) -> None:
        self.text, self.found, self.origin = "", (), []

    def placed(self, line: int, column: int) -> Place:
        """The place in the page's own Markdown of a place in the text the parser got."""
        if not self.origin:
            return line, column
        page_line = self.origin[line - 1] if line <= len(self.origin) else 0
        return (page_line, column) if page_line else (0, 0)


class _KeepSource(Preprocessor):
    def __init__(self, md: markdown.Markdown, places: SourcePlacesExtension):
        super().__init__(md)
        self.places = places

    def run(self, lines: list[str]) -> list[str]:
        self.places.text = "\n".join(lines)
        return lines


class _PlaceBlocks(Treeprocessor):
    def __init__(self, md: markdown.Markdown, places: SourcePlacesExtension):
        super().__init__(md)
        self.places = places

    def run(self, root):
        text, line, counted, searched, found = self.places.text, 1, 0, 0, []
        for element in root.iter():
            if element.tag not in PLACED:
                continue
            first = (element.text or "").strip().split("\n", 1)[0].rstrip()
            at = text.find(first, searched) if first else -1
            if at < 0:  # a block of nested blocks only, or text the parser changed (a stashed piece of HTML)
                found.append((0, 0))
                continue
            line += text.count("\n", counted, at)
            found.append(self.places.placed(line, at - text.rfind("\n", 0, at)))
            counted, searched = at, at + len(first)
        self.places.found = tuple(found)


class SafetyExtension(Extension):
    """Finds raw HTML that is not allowed and links that would run a script or embed a document, and
    keeps the problems the other extensions report (a missing snippet, a callout written wrong)."""

    def __init__(self, allowed_html: tuple[str, ...]):
        super().__init__()
        self.allowed_html = allowed_html
        self.md: markdown.Markdown | None = None
        self.problems: list[str] = []

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        self.md = md
        md.safety = self
        md.registerExtension(self)  # so that md.reset() calls self.reset()
        md.treeprocessors.register(_LinkTreeprocessor(md, self), "safety", 1)  # after links and attr_list

    def reset(self) -> None:
        self.problems = []

    def found(self) -> list[str]:
        """Every unsafe construct of the last conversion, as the message to show."""
        # Markdown stashes every piece of raw HTML it finds (and the entities it writes, which hold no tags).
        scanner = RawHtmlScanner(self.allowed_html)
        for chunk in self.md.htmlStash.rawHtmlBlocks:
            scanner.scan(str(chunk))
        return scanner.found + self.problems


class _LinkTreeprocessor(Treeprocessor):
    def __init__(self, md: markdown.Markdown, safety: SafetyExtension):
        super().__init__(md)
        self.safety = safety

    def run(self, root):
        for element in root.iter():
            self.safety.problems += attribute_problems(element.tag, element.attrib.items(), allowed=None)


class SnippetExtension(Extension):
    """Puts in each snippet a page includes, before Markdown reads the page's blocks and raw HTML."""

    def __init__(self, snippets: Snippets):
        super().__init__()
        self.snippets = snippets

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # After whitespace is normalised (30), before raw HTML is stashed (20): a snippet is checked like a page.
        md.preprocessors.register(_SnippetPreprocessor(md, self.snippets), "snippets", 25)


class _SnippetPreprocessor(Preprocessor):
    def __init__(self, md: markdown.Markdown, snippets: Snippets):
        super().__init__(md)
        self.snippets = snippets

    def run(self, lines: list[str]) -> list[str]:
        expanded, origin, problems = expand(lines, self.snippets)
        self.md.safety.problems += problems
        self.md.source_places.origin = origin  # every converter places blocks (_converter)
        return expanded


CALLOUT_KINDS = ("urgent", "important", "tip")
CALLOUT_FENCE = ":::"
CALLOUT_START = re.compile(r"^:::[ \t]*(\S*)[ \t]*(.*?)[ \t]*$")


class CalloutExtension(Extension):
    """A box with its own heading: `::: urgent Get urgent help`, its Markdown, then `:::`.

    It becomes `<section class="callout callout-urgent" aria-labelledby="…"><h2 id="…">`, so a
    screen reader names the box by its heading, and the heading is listed under "On this page".
    """

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.parser.blockprocessors.register(_CalloutProcessor(md.parser, md), "callout", 105)  # before code blocks
        md.treeprocessors.register(_CalloutLabels(md), "callout_labels", 4)  # after toc (5) gives headings ids


class _CalloutProcessor(BlockProcessor):
    def __init__(self, parser, md: markdown.Markdown):
        super().__init__(parser)
        self.md = md

    def test(self, parent, block) -> bool:
        return block.startswith(CALLOUT_FENCE)

    def run(self, parent, blocks) -> None:
        first, _, rest = blocks.pop(0).partition("\n")
        kind, heading = CALLOUT_START.match(first).groups()
        if not kind:
            self.md.safety.problems.append(f"'{CALLOUT_FENCE}' closes no callout: a callout starts with a line "
                                           f"such as '::: urgent Get urgent help'")
            return
        if kind not in CALLOUT_KINDS or not heading:
            self.md.safety.problems.append(
                f"a callout starts with '{CALLOUT_FENCE}', its kind ({', '.join(CALLOUT_KINDS)}) and its heading, "
                f"such as '::: urgent Get urgent help'; this one has {f'the kind {kind!r}' if heading else 'no heading'}")
        section = SubElement(parent, "section", {"class": f"callout callout-{kind}"})
        SubElement(section, "h2").text = heading
        self.parser.parseBlocks(section, self._inner(rest, blocks))

    def _inner(self, first: str, blocks: list[str]) -> list[str]:
        """The callout's blocks up to its closing line, taken from `blocks`; what follows that line stays there."""
        inner, block = [], first
        while True:
            lines = block.split("\n")
            ends = [line.strip() for line in lines]
            if CALLOUT_FENCE in ends:
                end = ends.index(CALLOUT_FENCE)
                inner.append("\n".join(lines[:end]))
                if lines[end + 1:]:
                    blocks.insert(0, "\n".join(lines[end + 1:]))
                break
            inner.append(block)
            if not blocks:
                self.md.safety.problems.append(f"a callout is not closed: add a line '{CALLOUT_FENCE}' after its text")
                break
            block = blocks.pop(0)
        return [part for part in inner if part.strip()]


class _CalloutLabels(Treeprocessor):
    def run(self, root):
        for section in root.iter("section"):
            heading = section.find("h2")
            if "callout" in section.get("class", "") and heading is not None and heading.get("id"):
                section.set("aria-labelledby", heading.get("id"))


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
