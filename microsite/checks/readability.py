"""readability: the Flesch-Kincaid grade of each page's text, and sentences and paragraphs that run long.

Only the Markdown's text counts: not code, addresses or front matter, and not the template around it.
Headings, list items and table cells each end a sentence, as the NHS advises when scoring.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..diagnostics import WARNING, Diagnostic
from .base import Check
from .settings import ReadabilitySettings
from .site import CheckSite, PageView

NAME = "readability"
RULE = "NHS content guide: short sentences and paragraphs, a low reading age"
SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")
WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*")
URL = re.compile(r"\b(?:https?://|www\.)\S+")
HARDEST = 3


@dataclass(frozen=True, eq=False)  # two equal sentences in two places are two sentences
class Sentence:
    text: str
    words: int
    syllables: int
    paragraph: str  # the text of the block it is in, to find it in the source

    @property
    def grade(self) -> float:
        return flesch_kincaid_grade(self.words, 1, self.syllables)


@lru_cache(maxsize=65536)  # prose repeats its words
def syllables(word: str) -> int:
    """Syllables in an English word, by vowel groups with the usual silent endings (a number counts one)."""
    word = re.sub(r"[^a-z]", "", word.lower())
    if len(word) <= 3:
        return 1
    word = re.sub(r"(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$", "", word)
    word = re.sub(r"^y", "", word)
    return max(1, len(re.findall(r"[aeiouy]{1,2}", word)))


def flesch_kincaid_grade(words: int, sentences: int, syllable_count: int) -> float:
    """Kincaid et al. (1975): 0.39 × words per sentence + 11.8 × syllables per word − 15.59."""
    if not words or not sentences:
        return 0.0
    return 0.39 * words / sentences + 11.8 * syllable_count / words - 15.59


def sentences_of(text: str, paragraph: str) -> list[Sentence]:
    found = []
    for part in SENTENCE_END.split(URL.sub("", text)):
        words = WORD.findall(part)
        if words:
            found.append(Sentence(" ".join(part.split()), len(words), sum(map(syllables, words)), paragraph))
    return found


class Places(dict):
    """Where each sentence is written, found only for the sentences a finding names."""

    def __init__(self, locator):
        super().__init__()
        self.locator = locator

    def __missing__(self, sentence: Sentence):
        place = self[sentence] = self.locator.locate(" ".join(sentence.text.split()[:6]), context=sentence.paragraph)
        return place


def grade(sentences: list[Sentence], where: Places, limit: int) -> list[Diagnostic]:
    words = sum(s.words for s in sentences)
    score = flesch_kincaid_grade(words, len(sentences), sum(s.syllables for s in sentences))
    if score <= limit:
        return []
    hardest = sorted(sentences, key=lambda s: s.grade, reverse=True)[:HARDEST]
    places = [where[s] for s in hardest]
    listed = "; ".join(f"line {where.line} (grade {s.grade:.1f}) \"{_quote(s.text)}\""
                       for s, where in zip(hardest, places))
    return [places[0].diagnostic(
        WARNING, f"reading grade {score:.1f} is above {limit} (Flesch-Kincaid); the hardest sentences: {listed}",
        NAME)]


def _quote(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


class Readability(Check[ReadabilitySettings]):
    NAME = NAME

    def check_page(self, site: CheckSite, view: PageView) -> list[Diagnostic]:
        settings = self.settings(site)
        paragraphs = [(b, sentences_of(b.text, b.text)) for b in view.prose_blocks]
        sentences = [s for _, group in paragraphs for s in group]
        where = Places(site.locator(view))
        problems = grade(sentences, where, settings.grade)
        for sentence in sentences:
            if sentence.words > settings.sentence_words:
                problems.append(where[sentence].diagnostic(
                    WARNING, f"sentence of {sentence.words} words (over {settings.sentence_words}): "
                             f"\"{_quote(sentence.text)}\"; split it ({RULE})", NAME))
        for block, group in paragraphs:
            if block.element.tag == "p" and len(group) > settings.paragraph_sentences:
                problems.append(where[group[0]].diagnostic(
                    WARNING, f"paragraph of {len(group)} sentences (over {settings.paragraph_sentences}), "
                             f"starting \"{_quote(group[0].text)}\"; split it ({RULE})", NAME))
        return problems
