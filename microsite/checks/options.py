"""options: the page that sets out the options (kind benefits) includes doing nothing.

A patient can only weigh a treatment against the alternatives if not treating is one of them: for
a harmless condition it is often a sensible choice. Consent guidance asks for it in so many words.
Wordings that count include "doing nothing", "no treatment", "leave them alone" and "choose not to".
"""

from __future__ import annotations

from ..diagnostics import WARNING, Diagnostic
from ..words import mentions
from .claims import Rule, cite
from .base import Check
from .settings import OptionsSettings
from .site import CheckSite, PageView

NAME = "options"
OPTIONS_KIND = "benefits"
DOING_NOTHING = Rule("no option to do nothing", WARNING, (
    "doing nothing", "do nothing", "no treatment", "not having treatment", "not to have treatment",
    "without treatment", "leave them alone", "leave them as they are", "choose not to", "take no action",
    "forgo treatment", "forgoing treatment", "decide against treatment"),
    (("uk", "GMC Decision making and consent (2020), paragraph 11: reasonable alternatives, including the option "
            "to take no action"),
     ("us", "AMA Code of Medical Ethics 2.1.1: the risks and benefits of all options, including forgoing treatment")),
    "say what happens without treatment, so that doing nothing is one of the options a patient weighs")


class Options(Check[OptionsSettings]):
    NAME = NAME

    def check_page(self, site: CheckSite, view: PageView) -> list[Diagnostic]:
        if view.page.meta.kind != OPTIONS_KIND:
            return []
        texts = [block.text for block in view.prose_blocks]
        if mentions(DOING_NOTHING.terms + self.settings(site).phrases, texts):
            return []
        return [view.body_start.diagnostic(
            DOING_NOTHING.level, f"the options page never mentions doing nothing: {DOING_NOTHING.advice} "
                                 f"({cite(DOING_NOTHING, site.config.jurisdictions)})", NAME)]
