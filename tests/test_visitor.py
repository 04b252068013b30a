"""What a visitor gets, proved in a real browser on every page of the default site.

The site is served with its own _headers applied (tests/sitehttp.py), so the browser enforces the
Content-Security-Policy a host would send: a violation shows as a console error, which fails the
test. Each check is a function that returns the problems it finds; the last tests run the same
functions on deliberately broken pages, so that none of them can pass by finding nothing.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from conftest import NODE_MODULES, REPO, need
from sitehttp import serve

AXE = NODE_MODULES / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
WIDTHS = (375, 1280)  # a phone and a desktop, for axe and the keyboard walk
LAYOUT_WIDTHS = (320, 375, 768, 1024, 1280)
BUDGET = 20_000  # bytes of HTML plus CSS per page, uncompressed
SITE = yaml.safe_load((REPO / "site.yaml").read_text(encoding="utf-8"))


def page_paths() -> list[str]:
    """The address of every page the default site publishes, from its content/ folder, and the 404 page."""
    paths = []
    for source in sorted((REPO / "content").rglob("*.md")):
        rel = source.relative_to(REPO / "content").with_suffix("").as_posix()
        if rel.startswith("_"):
            continue  # a snippet, not a page
        paths.append("/" if rel == "index" else f"/{rel}/")
    return paths + ["/404.html"]


PAGES = page_paths()


@pytest.fixture(scope="session")
def site_url(default_build):
    with serve(default_build) as url:
        yield url


@pytest.fixture(scope="session")
def strict(browser):
    """A browser context as a visitor has it: the site's CSP enforced."""
    context = browser.new_context()
    yield context
    context.close()


@pytest.fixture(scope="session")
def inspector(browser):
    """A context that may add axe's script to a page (the CSP would rightly refuse it)."""
    context = browser.new_context(bypass_csp=True)
    yield context
    context.close()


@dataclass
class Visit:
    """What loading a page made the browser do."""

    requests: list = field(default_factory=list)  # playwright Request objects
    console: list[str] = field(default_factory=list)  # errors and warnings, including CSP violations

    def foreign(self, site_url: str) -> list[str]:
        host = urlsplit(site_url).netloc
        return [r.url for r in self.requests if urlsplit(r.url).netloc != host and not r.url.startswith("data:")]


def open_page(context, url: str, width: int = 1280):
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    visit = Visit()
    page.on("request", lambda request: visit.requests.append(request))
    page.on("console", lambda m: visit.console.append(f"{m.type}: {m.text}") if m.type in ("error", "warning")
            else None)
    page.on("pageerror", lambda e: visit.console.append(f"pageerror: {e}"))
    page.goto(url, wait_until="load")
    return page, visit


# The checks. Each returns a list of problems (empty when all is well).

def axe_problems(page) -> list[str]:
    """axe-core's WCAG 2.2 A/AA and best-practice violations, at each width in light and dark."""
    page.add_script_tag(path=str(AXE))
    problems = []
    for width in WIDTHS:
        for scheme in ("light", "dark"):
            page.set_viewport_size({"width": width, "height": 900})
            page.emulate_media(color_scheme=scheme)
            result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
            problems += [f"{width}px {scheme}: {v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]}"
                         for v in result["violations"]]
    return problems


def hidden_from_screen_readers(page) -> list[str]:
    """Text a sighted visitor sees but that is hidden from screen readers."""
    return page.evaluate("""() => [...document.querySelectorAll('[aria-hidden="true"], [role="presentation"]')]
        .filter(e => e.checkVisibility() && e.textContent.trim()).map(e => e.outerHTML.slice(0, 80))""")


FOCUSED = """() => {
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    const s = getComputedStyle(e), r = e.getBoundingClientRect();
    return {link: [...document.querySelectorAll('a[href]')].indexOf(e), html: e.outerHTML.slice(0, 80),
            outline: [s.outlineStyle, s.outlineWidth, s.outlineColor].join(' '), width: parseFloat(s.outlineWidth),
            inView: r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth};
}"""


def keyboard_problems(page) -> list[str]:
    """Tab through the page: every visible link in order, each with a visible outline in view."""
    links = page.evaluate("""() => [...document.querySelectorAll('a[href]')].map(a => ({
        visible: a.checkVisibility({visibilityProperty: true}),
        outline: [getComputedStyle(a).outlineStyle, getComputedStyle(a).outlineWidth,
                  getComputedStyle(a).outlineColor].join(' ')}))""")
    expected = [i for i, link in enumerate(links) if link["visible"]]
    reached, problems = [], []
    for _ in range(len(links) + 3):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None or (reached and focused["link"] == reached[0]):
            break
        reached.append(focused["link"])
        if focused["link"] < 0:
            problems.append(f"focus on something that is not a link: {focused['html']}")
            continue
        if focused["outline"] == links[focused["link"]]["outline"] or focused["width"] < 2 \
                or focused["outline"].startswith("none"):
            problems.append(f"no visible focus ring ({focused['outline']}): {focused['html']}")
        if not focused["inView"]:
            problems.append(f"focused but out of view: {focused['html']}")
    if reached != expected:
        problems.append(f"Tab reached links {reached}, the page shows links {expected}")
    return problems


def skip_link_problems(page) -> list[str]:
    page.keyboard.press("Tab")
    first = page.evaluate("""() => ({cls: document.activeElement.className,
        top: document.activeElement.getBoundingClientRect().top})""")
    if "skip-link" not in first["cls"].split():
        return [f"the first Tab stop is not the skip link but {first['cls']!r}"]
    problems = [] if first["top"] >= 0 else ["the focused skip link is off screen"]
    page.keyboard.press("Enter")
    after = page.evaluate("() => [location.hash, document.activeElement.id]")
    if after != ["#main", "main"]:
        problems.append(f"after the skip link, the address ends {after[0]!r} and focus is on {after[1]!r}")
    page.keyboard.press("Tab")
    if not page.evaluate("() => document.querySelector('main').contains(document.activeElement)"):
        problems.append("the Tab after the skip link leaves the main content")
    return problems


def overflow_problems(page) -> list[str]:
    """Horizontal scrolling from 320 px up, and at 1280 px with the text at 200%."""
    problems = []
    for width in LAYOUT_WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        scroll = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        if scroll[0] > scroll[1]:
            problems.append(f"{width}px: the page is {scroll[0]}px wide")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.evaluate("() => document.documentElement.style.fontSize = '200%'")
    scroll = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    page.evaluate("() => document.documentElement.style.fontSize = ''")
    if scroll[0] > scroll[1]:
        problems.append(f"1280px, text at 200%: the page is {scroll[0]}px wide")
    return problems


def print_problems(pdf: bytes, url: str) -> list[str]:
    """A printed page: no site chrome anywhere; the clinic, its phone, the address and review date on page 1."""
    from pypdf import PdfReader

    pages = [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]
    every, first = " ".join(" ".join(pages).split()), " ".join(pages[0].split())
    problems = [f"printed chrome: {text!r}" for text in ("Skip to main content", "Opening hours", "Book a consultation",
                                                         "On this page", "This site gives general information")
                if text in every]
    problems += [f"page 1 lacks {text!r}" for text in (SITE["name"], SITE["contact"]["phone"], url) if text not in first]
    if not re.search(r"last reviewed:? \d{1,2} \w+ \d{4}", first, re.IGNORECASE):
        problems.append("page 1 lacks the review date")
    return problems


# The default site, every page.

def test_every_published_page_is_tested(default_build):
    built = {"/" + p.relative_to(default_build).as_posix().removesuffix("index.html")
             for p in default_build.rglob("*.html")}
    assert built == set(PAGES)


@pytest.mark.parametrize("path", PAGES)
def test_private_no_script_no_cookie_nothing_from_elsewhere(strict, site_url, path):
    page, visit = open_page(strict, site_url + path)
    try:
        assert visit.foreign(site_url) == []
        assert [r.url for r in visit.requests if r.resource_type == "script"] == []
        assert page.evaluate("() => document.querySelectorAll('script:not([type=\"application/ld+json\"])').length "
                             "+ document.querySelectorAll('[onload],[onclick],[onerror]').length") == 0
        assert strict.cookies() == [] and page.evaluate("() => document.cookie + localStorage.length") == "0"
        assert visit.console == []
        document = next(r for r in visit.requests if r.resource_type == "document").response()
        assert "default-src 'self'" in document.headers["content-security-policy"]  # the CSP was enforced
    finally:
        page.close()


@pytest.mark.parametrize("path", PAGES)
def test_html_and_css_within_the_weight_budget(strict, site_url, path):
    page, visit = open_page(strict, site_url + path)
    try:
        weight = {r.url: len(r.response().body()) for r in visit.requests
                  if r.resource_type in ("document", "stylesheet")}
    finally:
        page.close()
    assert len(weight) == 2 and sum(weight.values()) <= BUDGET, weight


@pytest.mark.parametrize("path", PAGES)
def test_accessible_at_phone_and_desktop_width_in_light_and_dark(inspector, site_url, path):
    need(AXE.is_file(), "axe-core (node_modules)")
    page, _ = open_page(inspector, site_url + path)
    try:
        assert axe_problems(page) == []
        assert hidden_from_screen_readers(page) == []
    finally:
        page.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", PAGES)
def test_keyboard_reaches_every_link_with_a_visible_focus_ring(strict, site_url, path, width):
    page, _ = open_page(strict, site_url + path, width)
    try:
        assert keyboard_problems(page) == []
        page.goto(site_url + path)
        assert skip_link_problems(page) == []
    finally:
        page.close()


@pytest.mark.parametrize("path", PAGES)
def test_no_horizontal_scroll_from_320_px_and_at_200_percent_text(inspector, site_url, path):
    page, _ = open_page(inspector, site_url + path)
    try:
        assert overflow_problems(page) == []
    finally:
        page.close()


def test_follows_the_system_colour_scheme_and_reduced_motion(strict, site_url):
    page, _ = open_page(strict, site_url + "/aftercare/")
    try:
        colours = {}
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            colours[scheme] = page.evaluate("() => [getComputedStyle(document.body).backgroundColor, "
                                            "getComputedStyle(document.body).color]")
        assert colours["light"] != colours["dark"]
        assert luminance(colours["dark"][0]) < luminance(colours["dark"][1])  # light text on a dark page
        assert luminance(colours["light"][0]) > luminance(colours["light"][1])
        page.emulate_media(reduced_motion="reduce")
        moving = page.evaluate("""() => [...document.querySelectorAll('*')].flatMap(e => [null, '::before', '::after']
            .map(p => getComputedStyle(e, p)).filter(s => s.animationName !== 'none'
                || s.transitionDuration.split(',').some(d => parseFloat(d) > 0)).map(() => e.tagName))""")
        assert moving == [] and page.evaluate("() => getComputedStyle(document.documentElement).scrollBehavior") == "auto"
    finally:
        page.close()


def luminance(rgb: str) -> float:
    r, g, b = (int(c) / 255 for c in re.findall(r"\d+", rgb)[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_the_printed_aftercare_page_is_a_clean_sheet(strict, site_url):
    page, _ = open_page(strict, site_url + "/aftercare/")
    try:
        pdf = page.pdf(format="A4")
    finally:
        page.close()
    assert print_problems(pdf, SITE["base_url"] + "aftercare/") == []


# The same checks on broken pages: each must find what is wrong.

BROKEN_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Broken</title>
<link rel="stylesheet" href="https://cdn.example.com/theme.css"><link rel="stylesheet" href="/broken.css"></head>
<body><nav><a href="/">Skip to main content</a> <a href="/a/">Opening hours</a></nav>
<main id="main"><h1>Broken</h1><img src="/photo.png"><p><a href="/b/">Unringed</a></p>
<div class="wide">{name} {phone}</div></main></body></html>
"""
BROKEN_CSS = "a:focus, a:focus-visible { outline: none; } .wide { width: 2000px; }\n"


@pytest.fixture(scope="module")
def broken_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("broken")
    (folder / "index.html").write_text(BROKEN_PAGE.format(name=SITE["name"], phone=SITE["contact"]["phone"]))
    (folder / "broken.css").write_text(BROKEN_CSS)
    return folder


def test_the_checks_find_what_is_wrong(broken_site, strict, inspector):
    need(AXE.is_file(), "axe-core (node_modules)")
    with serve(broken_site) as url:
        page, visit = open_page(strict, url + "/")
        assert visit.foreign(url) == ["https://cdn.example.com/theme.css"]
        assert keyboard_problems(page)[0].startswith("no visible focus ring")
        page.goto(url + "/")
        assert skip_link_problems(page)[0].startswith("the first Tab stop is not the skip link")
        page.close()
        page, _ = open_page(inspector, url + "/")
        assert "image-alt" in " ".join(axe_problems(page))
        assert overflow_problems(page)[0].startswith("320px")
        page.close()
        page, _ = open_page(strict, url + "/")
        problems = print_problems(page.pdf(), SITE["base_url"])
        page.close()
    assert "printed chrome: 'Skip to main content'" in problems and "page 1 lacks the review date" in problems


def test_a_csp_violation_shows_in_the_console(broken_site, default_build, strict):
    (broken_site / "_headers").write_text((default_build / "_headers").read_text())
    try:
        with serve(broken_site) as url:
            page, visit = open_page(strict, url + "/")
            page.close()
    finally:
        (broken_site / "_headers").unlink()
    assert any("Content Security Policy" in line and "cdn.example.com" in line for line in visit.console)
