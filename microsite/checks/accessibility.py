"""accessibility: what WCAG 2.2 asks of the page's structure that can be checked without a browser."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from ..diagnostics import ERROR, WARNING, Diagnostic
from ..links import authored
from .html import HEADINGS, body, text_of
from .base import Check
from .settings import AccessibilitySettings
from .site import CheckSite, Locator, PageView

NAME = "accessibility"
VAGUE_LINKS = {"click here", "here", "read more", "more", "link", "this page", "this link", "find out more"}
FILE_NAME = re.compile(r"\S+\.(?:png|jpe?g|gif|webp|avif|svg|bmp|tiff?)", re.IGNORECASE)
REDUNDANT_ALT = re.compile(r"^(?:an? )?(?:image|picture|photo|photograph|graphic) of\b", re.IGNORECASE)
BARE_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
DECORATIVE_ROLES = {"presentation", "none"}


def language(site: CheckSite, view: PageView) -> list[Diagnostic]:
    if (view.tree.get("lang") or "").strip():
        return []
    where = site.locator(view).locate("<html>", "<html", exact=True)
    return [where.diagnostic(ERROR, "the page has no language: write <html lang=\"{{ site.language }}\"> "
                                    "(WCAG 2.2 SC 3.1.1)", NAME)]


def headings(view: PageView, locator: Locator) -> list[Diagnostic]:
    found = [h for h in body(view.tree).iter(*HEADINGS)]
    problems = []
    if not any(h.tag == "h1" for h in found):
        problems.append(view.start.diagnostic(ERROR, "the page has no h1 heading (WCAG 2.2 SC 1.3.1)", NAME))
    level, h1s = 1, 0
    for heading in found:
        text, new = text_of(heading), int(heading.tag[1])
        h1s += new == 1
        if new == 1 and h1s > 1:
            problems.append(locator.locate(text).diagnostic(
                ERROR, f"second h1 heading \"{text}\": a page has one h1, its title; start sections at '##' "
                       "(WCAG 2.2 SC 1.3.1)", NAME))
        elif new > level + 1:
            problems.append(locator.locate(text).diagnostic(
                ERROR, f"heading \"{text}\" is an h{new} after an h{level}: heading levels must not skip "
                       f"(use {'#' * (level + 1)}) (WCAG 2.2 SC 1.3.1)", NAME))
        level = new
    return problems


def images(view: PageView, locator: Locator, site: CheckSite) -> list[Diagnostic]:
    problems = []
    alt_max = site.config.checks.accessibility.alt_max
    for img in body(view.tree).iter("img"):
        src, alt = authored(site.config, img.get("src", "")), img.get("alt")
        name = PurePosixPath(src.split("?")[0]).name
        where = locator.locate(src, name, exact=True)
        decorative = (img.get("role") or "") in DECORATIVE_ROLES or img.get("aria-hidden") == "true"
        if alt is None or (not alt.strip() and not decorative):
            problems.append(where.diagnostic(
                ERROR, f"image \"{name}\" has no alt text: describe what it shows, or mark it decorative with "
                       "{role=presentation} after the image (WCAG 2.2 SC 1.1.1)", NAME))
        elif FILE_NAME.fullmatch(alt.strip()) or alt.strip() == name:
            problems.append(where.diagnostic(
                ERROR, f"image \"{name}\" has a file name for alt text (\"{alt}\"): describe what it shows "
                       "(WCAG 2.2 SC 1.1.1)", NAME))
        elif len(alt) > alt_max:
            problems.append(where.diagnostic(
                WARNING, f"image \"{name}\" has alt text of {len(alt)} characters (over {alt_max}): keep it short "
                         "and put details in the text", NAME))
        elif REDUNDANT_ALT.match(alt):
            problems.append(where.diagnostic(
                WARNING, f"image \"{name}\" alt text starts \"{REDUNDANT_ALT.match(alt).group()}\": screen "
                         "readers already say it is an image", NAME))
    return problems


def links(view: PageView, locator: Locator) -> list[Diagnostic]:
    problems = []
    for a in body(view.tree).iter("a"):
        if a.get("href") is None:
            continue
        text = text_of(a) or " ".join(img.get("alt", "") for img in a.iter("img")).strip()
        name = (a.get("aria-label") or text).strip()
        if not name:
            problems.append(locator.locate(a.get("href"), exact=True).diagnostic(
                ERROR, f"link to \"{a.get('href')}\" has no text (WCAG 2.2 SC 2.4.4)", NAME))
        elif name.lower().strip(".!") in VAGUE_LINKS or BARE_URL.match(name):
            problems.append(locator.locate(text, context=text_of(a.getparent())).diagnostic(
                ERROR, f"link text \"{name}\" does not say where the link goes: name the page or document "
                       "(WCAG 2.2 SC 2.4.4)", NAME))
    return problems


def tables(view: PageView, locator: Locator) -> list[Diagnostic]:
    return [locator.locate(text_of(table)[:40]).diagnostic(
        ERROR, "table has no header cells: give it a header row (WCAG 2.2 SC 1.3.1)", NAME)
        for table in body(view.tree).iter("table") if not list(table.iter("th"))]


class Accessibility(Check[AccessibilitySettings]):
    NAME = NAME

    def check_page(self, site: CheckSite, view: PageView) -> list[Diagnostic]:
        locator = site.locator(view)
        return (language(site, view) + headings(view, locator) + images(view, locator, site) + links(view, locator)
                + tables(view, locator))
