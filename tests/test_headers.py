"""The _headers file, read as Netlify and Cloudflare Pages read it (tests/sitehttp.py), within both hosts' limits."""

from __future__ import annotations

import re

import pytest

from conftest import parse_html, run_cli
from sitehttp import MAX_RULES, matching, parse_headers

YEAR = 31_536_000


@pytest.fixture
def built(default_build):
    return default_build


def directives(policy: str) -> dict[str, str]:
    return {d.split()[0]: " ".join(d.split()[1:]) for d in policy.split(";") if d.strip()}


def test_within_both_hosts_limits(built):
    rules = parse_headers((built / "_headers").read_text())
    assert 0 < len(rules) <= MAX_RULES


@pytest.mark.parametrize("path", ["/", "/aftercare/", "/404.html", "/favicon.ico", "/sitemap.xml"])
def test_every_path_gets_the_security_headers_once(built, path):
    headers = matching(parse_headers((built / "_headers").read_text()), path)
    assert all(len(values) == 1 for values in headers.values()), "a header given by two matching rules"
    policy = directives(headers["content-security-policy"][0])
    assert policy["default-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert "form-action" in policy
    assert not re.search(r"unsafe-(inline|eval)|\*|http:|data:", headers["content-security-policy"][0])
    hsts = dict(re.findall(r"([\w-]+)(?:=(\d+))?", headers["strict-transport-security"][0]))
    assert int(hsts["max-age"]) >= YEAR
    assert headers["x-content-type-options"] == ["nosniff"]
    assert headers["referrer-policy"] == ["no-referrer"]
    permissions = dict(p.strip().split("=") for p in headers["permissions-policy"][0].split(","))
    assert {permissions[f] for f in ("camera", "microphone", "geolocation")} == {"()"}
    assert headers["cross-origin-opener-policy"] == ["same-origin"]
    assert "cache-control" not in headers or path.startswith("/static/")


def test_fingerprinted_files_are_cached_for_a_year_and_nothing_else_is(built):
    rules = parse_headers((built / "_headers").read_text())
    linked = set()
    for page in built.rglob("*.html"):
        linked |= {href for href in parse_html(page).xpath("//link[@rel!='canonical']/@href")}
    assert linked and all(href.startswith("/static/") for href in linked)
    for href in linked:
        cache = matching(rules, href)["cache-control"]
        assert len(cache) == 1
        parts = {p.strip() for p in cache[0].split(",")}
        assert "immutable" in parts and int(next(p for p in parts if p.startswith("max-age="))[8:]) >= YEAR
    for plain in ("/", "/aftercare/", "/style.css", "/favicon.ico", "/sitemap.xml"):
        assert "cache-control" not in matching(rules, plain), plain
    for file in built.rglob("*"):
        if file.is_file() and "cache-control" in matching(rules, "/" + file.relative_to(built).as_posix()):
            assert re.search(r"\.[0-9a-f]{8}\.\w+$", file.name), f"{file.name} is cached for a year without a fingerprint"


def test_a_sub_path_site_gets_its_rules_under_the_path(tmp_path, site):
    out = tmp_path / "out"
    result = run_cli("build", "--site", site, "--out", out, "--base-url", "https://example.org/clinic/")
    assert result.returncode == 0, result.stderr
    rules = parse_headers((out / "_headers").read_text())
    assert set(rules) == {"/clinic/*", "/clinic/static/*"}
    assert "cache-control" in matching(rules, "/clinic/static/style.0123abcd.css")
    assert "content-security-policy" in matching(rules, "/clinic/risks/")
