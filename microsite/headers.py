"""The _headers file: the HTTP headers for each path, in the syntax Netlify and Cloudflare Pages share.

Two rules: security headers for every path, and a year's caching for the fingerprinted files, which
never change at their address. No header is set by both rules: a host that matches a path against
several rules joins the values of a header they share into one.
"""

from __future__ import annotations

from .assets import FINGERPRINTED_DIR
from .config import SiteConfig
from .model import OutputFile

HEADERS_FILE = "_headers"
YEAR = 365 * 24 * 60 * 60

# The pages use no script, no inline style and nothing from another host: allow only the site itself.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "base-uri 'self'",
    "object-src 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",  # no other site may frame a page (clickjacking)
))
SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("Strict-Transport-Security", f"max-age={2 * YEAR}; includeSubDomains"),  # two years, as hstspreload.org asks
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),  # other sites are not told which treatment page a visitor read
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),  # frame-ancestors for browsers that predate it
)
IMMUTABLE = (("Cache-Control", f"public, max-age={YEAR}, immutable"),)


def headers_file(config: SiteConfig) -> OutputFile:
    rules = ((config.base_path + "*", SECURITY_HEADERS),
             (f"{config.base_path}{FINGERPRINTED_DIR}/*", IMMUTABLE))
    lines = ["# HTTP headers for Netlify and Cloudflare Pages, written by microsite at each build."]
    for path, headers in rules:
        lines += ["", path, *(f"  {name}: {value}" for name, value in headers)]
    return OutputFile(HEADERS_FILE, ("\n".join(lines) + "\n").encode())
