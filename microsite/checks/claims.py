"""claims: wording that advertising rules forbid in health and cosmetic advertising.

Read over everything a visitor or a search engine sees: the page text, its title, meta and Open Graph
tags, JSON-LD structured data and image alt text. The rules of the site's `jurisdictions` apply: `uk`
(ASA/CAP) and `us` (FTC). The prescription-only medicines are a list in the package (data/).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import PurePosixPath

import yaml

from ..diagnostics import ERROR, WARNING, Diagnostic
from ..words import first_hit, hits
from .html import body, json_ld, json_types, surfaces, text_of
from .base import Check
from .settings import ClaimsSettings
from .site import CheckSite, Locator, PageView

NAME = "claims"
MEDICINES = "data/prescription-medicines.yaml"  # in the package


def prescription_medicines() -> tuple[str, ...]:
    """Every name in the package's list of prescription-only medicines (generic names and brands)."""
    text = resources.files("microsite").joinpath(MEDICINES).read_text(encoding="utf-8")
    return tuple(name for names in yaml.safe_load(text).values() for name in names)


@dataclass(frozen=True)
class Rule:
    what: str  # how a finding names it
    level: str
    terms: tuple[str, ...]
    sources: tuple[tuple[str, str], ...]  # (jurisdiction, the rule that forbids it)
    advice: str


ABSOLUTE = Rule("absolute claim", ERROR, (
    "guarantee", "permanent", "cure", "eliminate", "erase", "forever", "never come back", "risk-free", "no risk",
    "zero risk", "completely safe", "totally safe", "100% safe", "safe and effective", "no side effects",
    "side-effect free", "painless", "pain-free", "no pain", "no downtime", "no recovery time", "instant results",
    "immediate results", "miracle", "revolutionary", "breakthrough", "best", "number one", "#1", "leading",
    "world-class", "scar-free"),
    (("uk", "CAP Code 3.7, 3.11 and 12.1"), ("us", "FTC Act s.5 and FTC Health Products Compliance Guidance")),
    "health claims need evidence and must not overstate; say what usually happens")
EVIDENCE = Rule("evidence claim without a source", ERROR, ("clinically proven", "FDA approved", "FDA cleared"),
                (("uk", "CAP Code 3.7 and 12.1"), ("us", "FTC Health Products Compliance Guidance")),
                "link the evidence in the same paragraph, or leave the claim out")
PRESSURE = Rule("pressure or promotion", ERROR, (
    "limited time", "today only", "offer ends", "hurry", "last chance", "book now and save", "% off", "discount",
    "sale", "special offer", "free treatment", "2 for 1", "BOGO", "voucher", "prize", "giveaway", "Black Friday"),
    (("uk", "CAP Code 1.3; ASA guidance on cosmetic interventions"),),
    "no time-limited offers, discounts or prizes for a medical treatment")
TRIVIALISING = Rule("trivialising or body-image wording", WARNING, (
    "lunchtime", "quick fix", "walk-in walk-out", "flawless", "perfect legs", "beach-ready", "bikini-ready",
    "unsightly", "embarrassing", "ugly", "hide your legs"),
    (("uk", "CAP Code 1.3; ASA guidance on cosmetic interventions"),),
    "describe the treatment plainly, without playing on how people feel about their bodies")
PRESCRIPTION_ONLY = Rule("prescription-only medicine", ERROR, prescription_medicines(), (("uk", "CAP Code 12.12"),),
                         "prescription-only medicines may not be advertised to the public; name the condition and "
                         "the consultation instead")
HOME_LEAD = Rule("home page leads with a treatment:", WARNING, ("injection", "injections"),
                 (("uk", "CAP Code 12.12; ASA advice on prescription-only medicines on websites"),),
                 "the home page promotes a consultation for the condition, not a treatment")
BEFORE_AFTER = Rule("before-and-after image", ERROR, (),
                    (("uk", "CAP Code 12.12; ASA advice on prescription-only medicines on websites"),
                     ("us", "16 CFR 255.2: results shown are taken as typical")),
                    "leave before-and-after pictures out")
REVIEW_MARKUP = Rule("review or star-rating markup", ERROR, (),
                     (("uk", "CAP Code 3.45"), ("us", "16 CFR 465")),
                     "a clinic's own reviews of itself are not independent; leave them out")

PHRASE_RULES = (ABSOLUTE, EVIDENCE, PRESSURE, TRIVIALISING, PRESCRIPTION_ONLY)
BEFORE_AFTER_WORDS = re.compile(r"\bbefore\W{0,5}(?:and|&|n)?\W{0,5}after\b|\b(?:before|after)\W+(?:treatment|"
                                r"sessions?|procedures?|injections?)\b", re.IGNORECASE)
RATING_TYPES = {"Review", "AggregateRating", "Rating", "aggregateRating", "review", "reviewRating"}
STARS = re.compile(r"[★☆⭐]{3,}")
ARTICLES = re.compile(r"^(?:the|a|an|our|your)\s+", re.IGNORECASE)
# Where a prescription-only medicine's name must never be, even on the deeper pages.
ADVERTISING = ("the browser title", "the meta description", "the navigation", "the page heading",
               "the JSON-LD structured data", "an image's alt text")


@dataclass(frozen=True)
class Text:
    """A text to check, where it is seen and the paragraph it is in."""

    text: str
    where: str
    element: object


def cite(rule: Rule, jurisdictions: tuple[str, ...]) -> str:
    """The rules that forbid it where the site advertises: '' if none does."""
    return "; ".join(source for where, source in rule.sources if where in jurisdictions)


def terms(rule: Rule, settings) -> tuple[str, ...]:
    extra = {ABSOLUTE: settings.absolute, PRESSURE: settings.pressure, TRIVIALISING: settings.trivialising,
             PRESCRIPTION_ONLY: settings.prescription_only, HOME_LEAD: settings.treatment_names}.get(rule, ())
    allowed = {a.lower() for a in settings.allow}
    return tuple(t for t in rule.terms + extra if t.lower() not in allowed)


def visible(view: PageView) -> list[Text]:
    found = []
    for block in view.page_blocks:
        element = block.element
        where = "the page text"
        if element.tag == "h1":
            where = "the page heading"
        elif any(a.tag == "nav" for a in element.iterancestors()) or element.tag == "nav":
            where = "the navigation"
        found.append(Text(block.text, where, element))
    return found


def phrases(rule: Rule, view: PageView, texts: list[Text], settings, jurisdictions: tuple[str, ...],
            locator: Locator) -> list[Diagnostic]:
    if not cite(rule, jurisdictions):
        return []
    # One finding per place: a description shows in the meta, Open Graph and JSON-LD alike.
    found: dict = {}
    wanted = terms(rule, settings)
    for text in texts:
        if rule is PRESCRIPTION_ONLY and not view.page.is_home and text.where not in ADVERTISING:
            continue  # a factual mention in the body of a deeper page is allowed
        if rule is EVIDENCE and links_out(text.element):
            continue
        for hit in hits(wanted, text.text) if wanted else ():
            where = locator.locate(hit.text, context=text.text)
            found.setdefault(where, finding(rule, where, f"\"{hit.text}\" in {text.where}", jurisdictions))
    return list(found.values())


def home_lead(view: PageView, site: CheckSite, settings, jurisdictions: tuple[str, ...],
              locator: Locator) -> list[Diagnostic]:
    if not cite(HOME_LEAD, jurisdictions):
        return []
    names = terms(HOME_LEAD, settings) + terms(PRESCRIPTION_ONLY, settings) + (site.config.treatment,)
    headings = [("the page title", view.page.meta.title)] + [("the page heading", text_of(h))
                                                             for h in body(view.tree).iter("h1")]
    problems: dict = {}  # the title is also the h1: one finding per place
    for where, text in headings:
        hit = first_hit(tuple(n for n in names if n), ARTICLES.sub("", text))
        if hit and hit.start == 0:
            place = locator.locate(hit.text, context=text)
            problems.setdefault(place, finding(HOME_LEAD, place, f"{where} \"{text}\" starts with \"{hit.text}\"",
                                               jurisdictions))
    return list(problems.values())


def before_after(view: PageView, jurisdictions: tuple[str, ...], locator: Locator) -> list[Diagnostic]:
    if not cite(BEFORE_AFTER, jurisdictions):
        return []
    problems = []
    for img in body(view.tree).iter("img"):
        src = img.get("src", "")
        name = PurePosixPath(src.split("?")[0]).name
        figure = next((a for a in img.iterancestors() if a.tag == "figure"), None)
        caption = figure.find(".//figcaption") if figure is not None else None
        for label, text in (("file name", re.sub(r"[-_.]", " ", name)), ("alt text", img.get("alt", "")),
                            ("caption", text_of(caption) if caption is not None else "")):
            if BEFORE_AFTER_WORDS.search(text):
                where = locator.locate(name if label == "file name" else text, exact=label == "file name")
                problems.append(finding(BEFORE_AFTER, where, f"image {label} \"{text.strip()}\"", jurisdictions))
                break
    return problems


def review_markup(view: PageView, jurisdictions: tuple[str, ...], locator: Locator) -> list[Diagnostic]:
    if not cite(REVIEW_MARKUP, jurisdictions):
        return []
    found = [t for _, data in json_ld(view.tree) for t in json_types(data) if t in RATING_TYPES]
    for element in view.tree.iter():
        if not isinstance(element.tag, str):
            continue
        kind = (element.get("itemtype") or "") + " " + (element.get("itemprop") or "")
        found += [t for t in re.findall(r"\w+", kind) if t in RATING_TYPES]
    found += [m.group() for m in STARS.finditer(text_of(body(view.tree)))]
    once = {label.lower(): label for label in reversed(found)}  # 'aggregateRating' holds an 'AggregateRating'
    return [finding(REVIEW_MARKUP, locator.locate(label, exact=True), f"\"{label}\"", jurisdictions)
            for label in once.values()]


def links_out(element) -> bool:
    """Whether a paragraph links to a source on another site."""
    return any(a.get("href", "").startswith(("http://", "https://")) for a in element.iter("a"))


def finding(rule: Rule, where, what: str, jurisdictions: tuple[str, ...]) -> Diagnostic:
    return where.diagnostic(rule.level, f"{rule.what} {what}: {rule.advice} ({cite(rule, jurisdictions)})", NAME)


class Claims(Check[ClaimsSettings]):
    NAME = NAME

    def check_page(self, site: CheckSite, view: PageView) -> list[Diagnostic]:
        settings, jurisdictions = self.settings(site), site.config.jurisdictions
        texts = visible(view) + [Text(s.text, s.where, s.element) for s in surfaces(view.tree)]
        locator = site.locator(view)
        problems = []
        for rule in PHRASE_RULES:
            problems += phrases(rule, view, texts, settings, jurisdictions, locator)
        if view.page.is_home:
            problems += home_lead(view, site, settings, jurisdictions, locator)
        return problems + before_after(view, jurisdictions, locator) + review_markup(view, jurisdictions, locator)
