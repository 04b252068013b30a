"""The site's security policy, one source for the _headers file and for the <meta> elements of each page.

Hosts that ignore _headers (GitHub Pages) still apply the content security policy and the referrer
policy of the <meta> elements, all but the directives only a header can carry.
"""

from __future__ import annotations

import re

# The pages use no script, no inline style and nothing from another host: allow only the site itself.
POLICY_DIRECTIVES = (
    "default-src 'self'",
    "base-uri 'self'",
    "object-src 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",  # no other site may frame a page (clickjacking)
)
CONTENT_SECURITY_POLICY = "; ".join(POLICY_DIRECTIVES)
REFERRER_POLICY = "no-referrer"  # other sites are not told which treatment page a visitor read
# Directives browsers ignore in a <meta> policy: X-Frame-Options cannot be a <meta> either.
HEADER_ONLY = ("frame-ancestors", "report-uri", "sandbox")
META_POLICY = "; ".join(d for d in POLICY_DIRECTIVES if d.split()[0] not in HEADER_ONLY)
SECURITY_META = (f'<meta http-equiv="Content-Security-Policy" content="{META_POLICY}">\n'
                 f'<meta name="referrer" content="{REFERRER_POLICY}">\n')
# Where the policy goes: right after <meta charset> (which must come first), else at the start of <head>.
POLICY_PLACES = (re.compile(r"<meta\s+charset\s*=[^>]*>\n?", re.IGNORECASE),
                 re.compile(r"<head(\s[^>]*)?>\n?", re.IGNORECASE))


def with_security_meta(html: str) -> str:
    """The page with its security policy in <meta> elements, so that it holds on every host."""
    for place in POLICY_PLACES:
        if found := place.search(html):
            return html[:found.end()] + SECURITY_META + html[found.end():]
    return html
