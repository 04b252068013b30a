"""glossary: medical terms used on a page have an entry on the glossary page (the build links them)."""

from __future__ import annotations

from ..diagnostics import WARNING, Diagnostic
from ..glossary import GLOSSARY_KIND
from ..words import first_hit
from .html import blocks, without_code
from .site import CheckSite, PageView

NAME = "glossary"
RULE = "NHS content guide: explain medical words the first time you use them"
TERMS = ("sclerotherapy", "microsclerotherapy", "sclerosant", "telangiectasia", "hyperpigmentation",
         "thrombophlebitis", "phlebitis", "matting", "DVT", "deep vein thrombosis", "pulmonary embolism",
         "extravasation", "compression hosiery", "compression stockings", "anaesthetic", "reticular veins",
         "varicose veins", "venous insufficiency", "haemosiderin", "ulceration")


def check_page(site: CheckSite, view: PageView) -> list[Diagnostic]:
    if view.page.meta.kind == GLOSSARY_KIND:
        return []
    locator = site.locator(view)
    texts = [b.text for b in blocks(without_code(view.content_tree))]
    problems = []
    for term in TERMS + site.config.checks.glossary.terms:
        if site.glossary and site.glossary.entry(term):
            continue
        first = next(((hit, text) for text in texts if (hit := first_hit(term, text))), None)
        if first:
            hit, text = first
            advice = ("add it to the glossary page" if site.glossary
                      else "add a page with 'kind: glossary' that explains it")
            problems.append(locator.locate(hit.text, context=text).diagnostic(
                WARNING, f"medical term \"{hit.text}\" has no glossary entry: {advice} ({RULE})", NAME))
    return problems
