"""privacy: a health page loads nothing from other hosts, stores nothing, and has a privacy page.

Why: a request to another host tells it who read which treatment page (HHS guidance on online tracking
technologies; the FTC's GoodRx and BetterHelp cases); storing anything on the device needs consent
(UK PECR regulation 6, EU ePrivacy Directive article 5(3)).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ..diagnostics import ERROR, Diagnostic
from ..words import mentions
from .html import attribute_urls
from .base import Check
from .settings import PrivacySettings
from .site import CheckSite, Location, Locator, PageView, SourceText

NAME = "privacy"
PageFacts = tuple[Location, tuple[int, ...]]  # the privacy page's: where its text starts, what it does not say
RULE = "HHS tracking-technology guidance; FTC GoodRx and BetterHelp orders; UK PECR"
LOADING_RELS = {"stylesheet", "icon", "apple-touch-icon", "mask-icon", "manifest", "preconnect", "dns-prefetch",
                "preload", "prefetch", "prerender", "modulepreload"}
LOADING_ATTRIBUTES = ("src", "srcset", "data", "poster", "action", "formaction", "background")
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""")
SCRIPT_URL = re.compile(r"""(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}[^\s'"`)]*""", re.IGNORECASE)
STORAGE = re.compile(r"\b(document\.cookie|localStorage|sessionStorage|indexedDB|navigator\.sendBeacon|"
                     r"caches\.open)\b")
KNOWN_HOSTS = (
    ("googletagmanager.com", "Google Tag Manager, a tracker"), ("google-analytics.com", "Google Analytics"),
    ("doubleclick.net", "Google advertising"), ("connect.facebook.net", "the Meta Pixel"),
    ("facebook.com", "Meta"), ("fonts.googleapis.com", "Google Fonts"), ("fonts.gstatic.com", "Google Fonts"),
    ("use.typekit.net", "Adobe Fonts"), ("cdn.jsdelivr.net", "the jsDelivr CDN"), ("unpkg.com", "the unpkg CDN"),
    ("cdnjs.cloudflare.com", "the cdnjs CDN"), ("youtube.com", "YouTube"), ("youtube-nocookie.com", "YouTube"),
    ("vimeo.com", "Vimeo"), ("google.com", "Google (Maps or reCAPTCHA)"), ("hotjar.com", "Hotjar session recording"),
    ("clarity.ms", "Microsoft Clarity session recording"), ("cloudflareinsights.com", "Cloudflare Web Analytics"),
    ("licdn.com", "the LinkedIn Insight Tag"), ("tiktok.com", "the TikTok Pixel"),
    ("bing.com", "Microsoft Advertising"),
)


def loads(view: PageView) -> list[tuple[str, str]]:
    """Every address the page makes a browser fetch, with what asks for it."""
    found = []
    for element in view.tree.iter():
        if not isinstance(element.tag, str):
            continue
        rels = set((element.get("rel") or "").lower().split())
        if element.tag == "link" and rels & LOADING_RELS and element.get("href"):
            found.append((element.get("href"), f"a <link rel=\"{' '.join(sorted(rels))}\">"))
        for attribute in LOADING_ATTRIBUTES:
            for url in attribute_urls(element.get(attribute), srcset=attribute == "srcset"):
                found.append((url, f"<{element.tag} {attribute}>"))
        styles = [element.get("style") or ""] + ([element.text or ""] if element.tag == "style" else [])
        found += [(url, "CSS") for style in styles for url in css_urls(style)]
        if element.tag == "script" and (element.get("type") or "").lower() != "application/ld+json":
            found += [(m.group(), "a script") for m in SCRIPT_URL.finditer(element.text or "")]
    return found


def storage_in_page(view: PageView) -> list[str]:
    scripts = [s.text or "" for s in view.tree.iter("script") if (s.get("type") or "") != "application/ld+json"]
    apis = [m.group(1) for text in scripts for m in STORAGE.finditer(text)]
    apis += [meta.get("http-equiv") for meta in view.tree.iter("meta")
             if (meta.get("http-equiv") or "").lower() == "set-cookie"]
    return apis


def asset_problems(site: CheckSite, asset: SourceText) -> list[Diagnostic]:
    locator = Locator((asset,), Location(asset.path, 1, 1))
    problems = []
    if asset.path.suffix == ".css":
        problems += [_foreign(url, "CSS", locator.locate(url, exact=True)) for url in css_urls(asset.text)
                     if site_foreign(site, url)]
    else:
        problems += [_foreign(m.group(), "a script", locator.locate(m.group(), exact=True))
                     for m in SCRIPT_URL.finditer(asset.text) if site_foreign(site, m.group())]
        problems += [locator.locate(m.group(1), exact=True).diagnostic(ERROR, _storage(m.group(1)), NAME)
                     for m in STORAGE.finditer(asset.text)]
    return problems


def css_urls(css: str) -> list[str]:
    return [m.group(1) or m.group(2) for m in CSS_URL.finditer(css)]


def site_foreign(site: CheckSite, url: str) -> str:
    """The other host `url` reaches ('' when it stays on the site's own host or an allowed one)."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https", "") or not parts.netloc:
        return ""
    host = (parts.hostname or "").lower()
    own = (urlsplit(site.config.base_url).hostname or "").lower()
    allowed = {h.lower() for h in site.config.checks.privacy.allowed_hosts}
    return "" if host == own or host in allowed else host


def _foreign(url: str, what: str, where) -> Diagnostic:
    host = urlsplit(url.strip()).hostname or url
    known = next((name for suffix, name in KNOWN_HOSTS if host == suffix or host.endswith("." + suffix)), "")
    who = f"{host} ({known})" if known else host
    return where.diagnostic(ERROR, f"{what} loads \"{url}\" from another host: {who} learns who reads this page; "
                                   f"serve the file from this site ({RULE})", NAME)


def _storage(api: str) -> str:
    return (f"\"{api}\" stores data on the visitor's device, which needs their consent: leave it out "
            f"(UK PECR regulation 6; EU ePrivacy Directive 5(3))")


def privacy_page(site: CheckSite, facts: dict[str, PageFacts]) -> list[Diagnostic]:
    pages = site.of_kind("privacy")
    if not pages:
        return [site.config_location("checks", "privacy").diagnostic(
            ERROR, f"the site has no privacy page: add a page with 'kind: privacy' that names {site.config.name} "
                   "as the data controller and says the site sets no cookies and loads nothing from other hosts",
            NAME)]
    if not facts.get(pages[0].rel):  # it was not built: the build says why
        return []
    where, missing = facts[pages[0].rel]
    statements = site.config.checks.privacy.statements
    return [where.diagnostic(
        ERROR, f"the privacy page does not say that {statements[i].name} (for example \"{statements[i].phrases[0]}\")"
               .replace("{clinic}", site.config.name), NAME) for i in missing]


class Privacy(Check[PrivacySettings]):
    NAME = NAME

    def check_page(self, site: CheckSite, view: PageView) -> list[Diagnostic]:
        locator = site.locator(view)
        problems = [_foreign(url, what, locator.locate(url, exact=True)) for url, what in loads(view)
                    if site_foreign(site, url)]
        return problems + [locator.locate(api, exact=True).diagnostic(ERROR, _storage(api), NAME)
                           for api in storage_in_page(view)]

    def page_facts(self, site: CheckSite, view: PageView) -> PageFacts | None:
        """For the privacy page: where its text starts, and the statements (by their place in the
        settings) it does not make."""
        if view.page.meta.kind != "privacy":
            return None
        texts = [b.text for b in view.content_blocks]
        return view.body_start, tuple(i for i, statement in enumerate(self.settings(site).statements)
                                      if not mentions(statement.phrases, texts, clinic=site.config.name))

    def check_site(self, site: CheckSite, facts: dict[str, PageFacts]) -> list[Diagnostic]:
        problems = [problem for asset in site.assets for problem in asset_problems(site, asset)]
        return problems + privacy_page(site, facts)
