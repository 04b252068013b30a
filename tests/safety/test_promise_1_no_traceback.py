"""Promise 1: no input produces a traceback; every problem is `path:line: error: message`, exit 1."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REPO, make_site, run_cli
from safety_helpers import errors_of, page, run_main

BAD_SITES = {
    "YAML syntax in site.yaml": ({"site.yaml": "name: [unclosed\n"}, "site.yaml", 1),
    "site.yaml is a list": ({"site.yaml": "- a\n- b\n"}, "site.yaml", 1),
    "title_pattern with an attribute": ({"site.yaml": "name: C\nbase_url: https://c.example/\n"
                                                      "contact: {url: 'https://c.example/c/'}\n"
                                                      "title_pattern: '{page.__class__}'\n"}, "site.yaml", 4),
    "title_pattern with a stray brace": ({"site.yaml": "name: C\nbase_url: https://c.example/\n"
                                                       "contact: {url: 'https://c.example/c/'}\n"
                                                       "title_pattern: '{page'\n"}, "site.yaml", 4),
    "front matter YAML syntax": ({"content/risks.md": page("title: [x\ndescription: d")}, "content/risks.md", 2),
    "front matter is a list": ({"content/risks.md": page("- title\n- description")}, "content/risks.md", 2),
    "front matter with a tab indent": ({"content/risks.md": page("title: x\n\tdescription: d")}, "content/risks.md", 3),
    "a huge number": ({"content/risks.md": page("title: t\ndescription: d\norder: " + "9" * 5000)},
                      "content/risks.md", 4),
    "an impossible date": ({"content/risks.md": page("title: t\ndescription: d\nnext_review: 2026-02-30")},
                           "content/risks.md", 4),
    "a key that is a list": ({"content/risks.md": page("? [a, b]\n: c\ntitle: t\ndescription: d")},
                             "content/risks.md", 2),
    "a template syntax error": ({"templates/page.html": "{% block main %}{{ page.meta.title }\n"},
                                "templates/page.html", 1),
    "a template that calls something missing": ({"templates/page.html": "<p>{{ page.nothing() }}</p>\n"},
                                                "templates/page.html", 1),
    "a template that is missing": ({"content/risks.md": page("title: t\ndescription: d\ntemplate: nope.html")},
                                   "content/risks.md", 1),
    "a review date in the year 9999": ({"content/risks.md": page("title: t\ndescription: d\nsources: []\n"
                                                                 "reviewed: {by: a, role: b, date: 9999-12-31}",
                                                                 "[x](javascript:x)")}, "content/risks.md", 7),
    "two pages at one address": ({"content/risks/index.md": page()}, "content/risks.md", 1),
}


@pytest.mark.parametrize("files, path, line", BAD_SITES.values(), ids=BAD_SITES.keys())
def test_bad_input_is_reported_on_one_line_with_exit_1(tmp_path, files, path, line):
    site = make_site(tmp_path, files)
    result = run_main("build", "--site", site)
    errors = errors_of(result)
    assert any(e["path"].endswith(path) and int(e["line"] or 0) == line for e in errors), result.stderr
    assert not (site / "public").exists()


@pytest.mark.parametrize("args", [
    ["build", "--site", "{site}", "--out", "{site}"],
    ["build", "--site", "{site}/nowhere"],
    ["build", "--site", "{site}", "--base-url", "javascript:alert(1)"],
    ["build", "--site", "{site}", "--no-such-option"],
    ["frobnicate", "--site", "{site}"],
], ids=["out is the site", "no such site", "bad base url", "unknown option", "unknown command"])
def test_usage_errors_exit_2_without_traceback(site, args):
    result = run_main(*[a.format(site=site) for a in args])
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "error:" in result.stderr


BREAK_RENDERING = """
import sys
import microsite.render
def broken(*args, **kwargs):
    raise ZeroDivisionError("a bug in the renderer")
microsite.render.render_markdown = broken
from microsite.cli import main
sys.exit(main(sys.argv[1:]))
"""


def run_with_a_bug(*args) -> subprocess.CompletedProcess:
    """The command line with a bug planted in the Markdown stage, as a user would meet one."""
    return subprocess.run([sys.executable, "-c", BREAK_RENDERING, *map(str, args)], cwd=REPO,
                          capture_output=True, text=True, timeout=60)


def test_an_internal_error_is_one_line_naming_the_file(site):
    result = run_with_a_bug("build", "--site", site)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].endswith("run again with --debug to see the traceback")
    assert "content/index.md: error: internal error" in lines[0]
    assert "ZeroDivisionError: a bug in the renderer" in lines[0]
    assert not (site / "public").exists()


def test_debug_shows_the_traceback_of_an_internal_error(site):
    result = run_with_a_bug("build", "--site", site, "--debug")
    assert result.returncode == 1
    assert "Traceback (most recent call last)" in result.stderr
    assert "ZeroDivisionError: a bug in the renderer\n" in result.stderr
    assert "content/index.md: error: internal error" in result.stderr.splitlines()[-1]


def test_problems_with_newlines_and_escapes_stay_on_one_line(tmp_path):
    site = make_site(tmp_path, {"content/risks.md": page('title: t\ndescription: d\n"bad\\nkey": 1')})
    result = run_cli("check", "--site", site)
    [error] = errors_of(result)
    assert error.group().endswith("front matter: unknown key 'bad\\nkey'")
