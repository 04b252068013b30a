"""The _headers file: the HTTP headers for each path, in the syntax Netlify and Cloudflare Pages share.

Two rules: security headers for every path, and a year's caching for the fingerprinted files, which
never change at their address. No header is set by both rules: a host that matches a path against
several rules joins the values of a header they share into one. The one exception is the editor
(`cms:` in site.yaml): a third rule gives /admin/ a policy of its own, which replaces the visitors'
one on Netlify (the last matching rule wins) and, by detaching it first, on Cloudflare Pages.
Each page also carries the visitors' policy in <meta> elements (security.py), for hosts that
ignore this file.
"""

from __future__ import annotations

from .assets import FINGERPRINTED_DIR
from .cms import ADMIN_DIR, admin_policy, saving_backend
from .config import SiteConfig
from .model import OutputFile
from .security import CONTENT_SECURITY_POLICY, REFERRER_POLICY

HEADERS_FILE = "_headers"
YEAR = 365 * 24 * 60 * 60

SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("Strict-Transport-Security", f"max-age={2 * YEAR}; includeSubDomains"),  # two years, as hstspreload.org asks
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", REFERRER_POLICY),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),  # frame-ancestors for browsers that predate it
)
IMMUTABLE = (("Cache-Control", f"public, max-age={YEAR}, immutable"),)


def headers_file(config: SiteConfig) -> OutputFile:
    rules = ((config.base_path + "*", SECURITY_HEADERS),
             (f"{config.base_path}{FINGERPRINTED_DIR}/*", IMMUTABLE))
    if config.cms:
        policy = f"{admin_policy(saving_backend(config.cms))}; frame-ancestors 'none'"
        rules += ((f"{config.base_path}{ADMIN_DIR}/*", (
            ("! Content-Security-Policy", None), ("Content-Security-Policy", policy),
            # Signing in with GitHub happens in a popup that hands the token back to this page.
            ("! Cross-Origin-Opener-Policy", None), ("Cross-Origin-Opener-Policy", "same-origin-allow-popups"))),)
    lines = ["# HTTP headers for Netlify and Cloudflare Pages, written by microsite at each build."]
    for path, headers in rules:
        lines += ["", path, *(f"  {name}: {value}" if value else f"  {name}" for name, value in headers)]
    return OutputFile(HEADERS_FILE, ("\n".join(lines) + "\n").encode())

