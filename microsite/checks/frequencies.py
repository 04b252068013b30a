"""frequencies: the risks page says how often its side effects happen ("common", "rare", "1 in 100").

A patient weighs a risk by how likely it is as much as by what it is: consent guidance asks for
both, and medicine leaflets give every side effect a frequency word, from very common (more than
1 in 10) to very rare (fewer than 1 in 10,000).
"""

from __future__ import annotations

import re

from ..diagnostics import WARNING, Diagnostic
from ..words import first_hit
from .claims import Rule, cite
from .base import Check
from .settings import FrequenciesSettings
from .site import CheckSite, PageView

NAME = "frequencies"
RISKS_KIND = "risks"
FREQUENCIES = Rule("risks without frequencies", WARNING, (
    "very common", "common", "uncommon", "rare", "very rare", "most people", "many people", "some people",
    "few people", "per cent", "percent"),
    (("uk", "GMC Decision making and consent (2020); frequency words as in medicine leaflets, EU SmPC guideline 4.8"),
     ("us", "AMA Code of Medical Ethics 2.1.1; frequencies as in drug labels, 21 CFR 201.57(c)(7)")),
    "give each one a frequency, such as \"common (up to 1 in 10 people)\" or \"rare (up to 1 in 1,000)\", from a "
    "source")
NUMBERS = re.compile(r"\b\d[\d,]*\s+(?:in|out of)\s+(?:every\s+)?\d[\d,]*\b|\d\s?%")


class Frequencies(Check[FrequenciesSettings]):
    NAME = NAME

    def check_page(self, site: CheckSite, view: PageView) -> list[Diagnostic]:
        if view.page.meta.kind != RISKS_KIND:
            return []
        texts = [block.text for block in view.prose_blocks]
        if any(first_hit(FREQUENCIES.terms, text) or NUMBERS.search(text) for text in texts):
            return []
        return [view.body_start.diagnostic(
            FREQUENCIES.level, "the risks page does not say how often its side effects happen: "
                               f"{FREQUENCIES.advice} ({cite(FREQUENCIES, site.config.jurisdictions)})", NAME)]
