"""Finding words and phrases in text: whole words, any case, common inflections, any spacing; and
writing a date in words."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Iterator, NamedTuple

# Spacing between the words of a phrase: "risk-free", "risk free", "walk-in, walk-out", "before/after".
# Each becomes one space (so offsets stay those of the original text) before phrases are matched.
SEPARATORS = str.maketrans({c: " " for c in "\t\n\r-,/\u00a0\u2010\u2011\u2013"})
GAP = "..."  # in a phrase: any words in between
WORD = re.compile(r"[^\W_]+")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


class Hit(NamedTuple):
    start: int
    end: int
    text: str  # as written in the text searched


def _inflected(word: str) -> str:
    """A regex for `word` and its plural, past and -ing/-ly forms (cure → cures, cured, curing)."""
    stem = re.escape(_stem(word))
    if not word[-1:].isalpha() or len(word) < 3 or word.isupper():
        return stem + r"s?"
    if word.endswith("e"):
        return stem + r"(?:e|es|ed|ing|ely|eing)"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return stem + r"(?:y|ies|ied|ying|ily)"
    return stem + r"(?:s|es|ed|ing|ly)?"


def _stem(word: str) -> str:
    """What every inflected form of `word` starts with (cure → cur: cures, cured, curing)."""
    changes_end = word[-1:].isalpha() and len(word) >= 3 and not word.isupper() and (
        word.endswith("e") or word.endswith("y") and word[-2:-1] not in "aeiou")
    return word[:-1] if changes_end else word


def _bounded(pattern: str, text: str) -> str:
    """Word boundaries only at edges that are word characters ('% off' matches '20% off')."""
    start = r"(?<!\w)" if re.match(r"\w", text) else ""
    end = r"(?!\w)" if re.search(r"\w$", text) else ""
    return start + pattern + end


def _pattern(phrase: str) -> str:
    """`phrase` as whole words, its last word inflected; '...' allows words between (within one text)."""
    parts = []
    for part in phrase.split(GAP):
        words = part.translate(SEPARATORS).split()
        if words:
            body = [re.escape(w) for w in words[:-1]] + [_inflected(words[-1])]
            parts.append(_bounded(" +".join(body), part.strip()))
    return r".*?".join(parts)


@lru_cache(maxsize=1024)
def phrases_regex(phrases: tuple[str, ...]) -> re.Pattern:
    """Any of `phrases`, the longest first ('no side effects' before 'no side')."""
    return re.compile("|".join(f"(?:{_pattern(p)})" for p in sorted(phrases, key=len, reverse=True)),
                      re.IGNORECASE | re.DOTALL)


def _regex(phrases: str | tuple[str, ...]) -> re.Pattern:
    return phrases_regex(_tuple(phrases))


def _tuple(phrases: str | tuple[str, ...]) -> tuple[str, ...]:
    return (phrases,) if isinstance(phrases, str) else tuple(phrases)


@lru_cache(maxsize=1024)
def _openings(phrases: tuple[str, ...]) -> tuple[str, ...]:
    """How each phrase's matches start, case-folded: its first word and a space, or a one-word
    phrase's stem. Empty when some phrase has no first word to go by."""
    openings = []
    for phrase in phrases:
        words = phrase.split(GAP)[0].translate(SEPARATORS).split()
        if not words:
            return ()
        openings.append((words[0] + " " if len(words) > 1 else _stem(words[0])).casefold())
    return tuple(openings)


@lru_cache(maxsize=4096)
def _spaced(text: str) -> tuple[str, str]:
    """`text` with SEPARATORS made spaces, and that case-folded: every check searches a page's texts
    for its own phrases, so each text is prepared once."""
    spaced = text.translate(SEPARATORS)
    return spaced, spaced.casefold()


def _matches(phrases: tuple[str, ...], text: str) -> Iterator[re.Match]:
    """The matches of `phrases` in `text` (prepared by _spaced), left to right as `finditer` finds them.

    The regex is tried only where some phrase's opening is written: trying its every phrase at every
    character cost most of a build with the checks on, and most texts say none of them."""
    spaced, folded = _spaced(text)
    regex, openings = phrases_regex(phrases), _openings(phrases)
    if not openings or len(folded) != len(spaced):  # a character that folds to two: offsets would differ
        yield from regex.finditer(spaced)
        return
    end = 0
    written = [opening for opening in openings if opening in folded]  # most texts: none
    for start in sorted({at for opening in written for at in _places(folded, opening)}):
        if start >= end and (match := regex.match(spaced, start)):
            yield match
            end = match.end()


def _places(text: str, part: str) -> Iterator[int]:
    at = text.find(part)
    while at >= 0:
        yield at
        at = text.find(part, at + 1)


def hits(phrases: str | tuple[str, ...], text: str) -> list[Hit]:
    """Every place `text` says one of `phrases`."""
    return [Hit(m.start(), m.end(), text[m.start():m.end()]) for m in _matches(_tuple(phrases), text)]


def first_hit(phrases: str | tuple[str, ...], text: str) -> Hit | None:
    match = next(_matches(_tuple(phrases), text), None)
    return Hit(match.start(), match.end(), text[match.start():match.end()]) if match else None


def same_term(a: str, b: str) -> bool:
    """Whether two names are the same term ('IPL' and 'IPLs', 'risk free' and 'risk-free')."""
    return bool(_regex(a).fullmatch(b.translate(SEPARATORS)) or _regex(b).fullmatch(a.translate(SEPARATORS)))


def mentions(phrases, texts, clinic: str = "") -> bool:
    """Whether any text says any of `phrases`; '{clinic}' in a phrase stands for the clinic's name."""
    wanted = tuple(p.replace("{clinic}", clinic) for p in phrases)
    return any(first_hit(wanted, text) for text in texts)


def words(text: str) -> list[str]:
    """The words of `text`, in lower case, without punctuation or markup."""
    return WORD.findall(text.lower())


def long_date(value: dt.date) -> str:
    """'12 March 2026', whatever the machine's locale."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
