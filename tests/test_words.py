"""Phrase search: the quick test that skips a text never skips one the phrases' regex would match."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO
from microsite.checks.claims import PHRASE_RULES
from microsite.checks.comparisons import COMPARATIVE
from microsite.checks.frequencies import FREQUENCIES
from microsite.checks.options import DOING_NOTHING
from microsite.config import load_config
from microsite.words import SEPARATORS, Hit, first_hit, hits, phrases_regex

GLOSSARY_TERMS = load_config(REPO)[0].checks.glossary.terms  # the default site's
PHRASES = tuple(sorted({term for rule in (*PHRASE_RULES, COMPARATIVE, FREQUENCIES, DOING_NOTHING) for term in rule.terms}
                       | set(GLOSSARY_TERMS)))
# Pieces of text near the phrases: their words in other cases and inflections, separators, non-ASCII.
PIECES = st.one_of(st.sampled_from(PHRASES), st.sampled_from(PHRASES).map(str.upper),
                   st.sampled_from(PHRASES).map(lambda p: p.replace(" ", "-")),
                   st.sampled_from(PHRASES).map(lambda p: p[:-1]),  # then an ending: 'cur' + 'ing'
                   st.sampled_from(["s", "es", "ed", "ing", "ly", "ies", " ", "-", "/", "\u00a0", "\n", "ſ", "İ",
                                    "ß", "K", "20", "%", "#"]),
                   st.text(max_size=4))


def unfiltered(phrases: tuple[str, ...], text: str) -> list[Hit]:
    return [Hit(m.start(), m.end(), text[m.start():m.end()])
            for m in phrases_regex(phrases).finditer(text.translate(SEPARATORS))]


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(PIECES, max_size=8), chosen=st.lists(st.sampled_from(PHRASES), min_size=1, max_size=4))
def test_the_quick_test_never_hides_a_match(pieces, chosen):
    text = "".join(pieces)
    for phrases in (tuple(chosen), PHRASES):
        assert hits(phrases, text) == unfiltered(phrases, text)
        assert first_hit(phrases, text) == next(iter(unfiltered(phrases, text)), None)


ENDINGS = ("", "s", "es", "ed", "ing", "ly", "y", "ies", "ied", "ying", "ily", "ely", "eing")


def test_every_form_of_every_phrase_passes_the_quick_test():
    for phrase in PHRASES:
        for form in {phrase + ending for ending in ENDINGS} | {phrase[:-1] + ending for ending in ENDINGS}:
            for text in (form, form.upper(), f"x {form.replace(' ', '-')}."):
                assert hits((phrase,), text) == unfiltered((phrase,), text), (phrase, text)


def test_inflected_and_spaced_forms_are_found():
    text = "Results GUARANTEED, risk free and no  downtime; it cures nothing, curing nothing."
    assert [h.text for h in hits(PHRASES, text)] == ["GUARANTEED", "risk free", "no  downtime", "cures", "curing"]
