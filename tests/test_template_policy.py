"""The promises hold in templates and on every host: no script in a template, the policy in every page."""

from __future__ import annotations

import pytest

from conftest import REPO, make_site, parse_html
from microsite.cli import main
from microsite.htmlpolicy import template_script
from sitehttp import matching, parse_headers

BASE = "templates/base.html"


def with_line(site, line: str, before: str = "</head>") -> int:
    """`line` added to the site's base template before `before`; its line number."""
    path = site / BASE
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(number for number, text in enumerate(lines) if before in text)
    path.write_text("\n".join([*lines[:at], line, *lines[at:]]), encoding="utf-8")
    return at + 1


@pytest.mark.parametrize("line, column, message", [
    ("<script>track()</script>", 1, "inline <script> in a template: the site promises no JavaScript"),
    ('  <SCRIPT type="module">go()</SCRIPT>', 3, "inline <script> in a template"),
    ('<p><a href="/" onclick="track()">Home</a></p>', 4, "attribute onclick= is not allowed on <a>"),
    ('<a href=" JavaScript:go()">Go</a>', 1, "javascript: addresses are not allowed"),
    ('<meta name="author" content="{{ site.name }}" onfocus="{{ site.name }}">', 1,
     "attribute onfocus= is not allowed on <meta>"),
])
def test_script_in_a_template_is_an_error_at_its_line(tmp_path, monkeypatch, capsys, line, column, message):
    site = make_site(tmp_path)
    at = with_line(site, line)
    monkeypatch.chdir(site)

    assert main(["build"]) == 1

    errors = [e for e in capsys.readouterr().err.splitlines() if ": error: " in e]
    assert len(errors) == 1 and errors[0].startswith(f"{BASE}:{at}:{column}: error: {message}")
    assert not (site / "public").exists()


@pytest.mark.parametrize("line", [
    '<script type="application/ld+json">{"@type": "Thing"}</script>',
    '<script src="{{ static(\'print.js\') }}" defer></script>',  # a file: the policy decides, not this check
    "{% if online %}<p>{{ onset }}</p>{% endif %}",  # Jinja2's words are not attributes
    '<a href="{{ url() }}" data-on="yes">Home</a>',
])
def test_what_runs_no_script_passes(line):
    assert template_script(f"<head>\n{line}\n</head>") == []


@pytest.mark.parametrize("site", [REPO, *sorted((REPO / "examples").iterdir())], ids=lambda path: path.name)
def test_the_default_and_example_templates_hold_no_script(site):
    for template in (site / "templates").rglob("*.html"):
        assert template_script(template.read_text(encoding="utf-8")) == [], template


@pytest.mark.parametrize("path", ["index.html", "aftercare/index.html", "404.html"])
def test_every_page_carries_the_policy_of_the_headers_file(default_build, path):
    headers = matching(parse_headers((default_build / "_headers").read_text()), "/" + path)
    page = parse_html(default_build / path)
    policy = page.xpath("//head/meta[@http-equiv='Content-Security-Policy']/@content")
    header_policy = headers["content-security-policy"][0].split("; ")

    assert policy == ["; ".join(d for d in header_policy if not d.startswith("frame-ancestors"))]
    assert page.xpath("//head/meta[@name='referrer']/@content") == headers["referrer-policy"]
    first = page.xpath("//head/meta")
    assert first[0].get("charset") == "utf-8" and first[1].get("http-equiv") == "Content-Security-Policy"
