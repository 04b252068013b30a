"""The Nu HTML Checker (vnu.jar, as validator.w3.org runs it) on every page and stylesheet of the default site."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from conftest import NODE_MODULES, need

VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
BROKEN_HTML = "<!doctype html><html lang=en><title>x</title><p><b><i>nested wrong</b></i><img src=a.png>\n"
BROKEN_CSS = "a { colour: red; }\n"


@pytest.fixture(scope="module")
def messages(default_build, tmp_path_factory):
    """The checker's errors and warnings, by file name relative to its folder, for the default site and a broken one."""
    need(VNU.is_file() and shutil.which("java") is not None, "The Nu HTML Checker (node_modules/vnu-jar) or Java")
    broken = tmp_path_factory.mktemp("broken-markup")
    (broken / "index.html").write_text(BROKEN_HTML)
    (broken / "style.css").write_text(BROKEN_CSS)
    # One run for both folders: starting Java costs more than checking the site.
    run = subprocess.run(["java", "-jar", str(VNU), "--skip-non-html", "--also-check-css", "--Werror", "--format",
                          "json", "--stdout", str(default_build), str(broken)], capture_output=True, text=True,
                         timeout=300)
    found: dict[str, list[str]] = {"site": [], "broken": []}
    for message in json.loads(run.stdout)["messages"]:
        if policy_artefact(message):
            continue
        where = "broken" if str(broken) in message.get("url", "") else "site"
        found[where].append(f"{'/'.join(message.get('url', '').rsplit('/', 2)[-2:])}:{message.get('lastLine')}: "
                            f"{message['type']}: {message['message']}")
    return found


def policy_artefact(message: dict) -> bool:
    """The checker applies a page's <meta> security policy as if the file had no origin and its JSON-LD
    ran: a stylesheet at a path of the site itself, and JSON-LD data, which browsers never run, are
    not violations (the browser tests, test_visitor.py, fail on any real one)."""
    text = message["message"]
    if "violates Content Security Policy (meta tag)" not in text:
        return False
    if "external stylesheet \u201c/" in text:
        return True
    return text.startswith("Inline script") and '<script type="application/ld+json">' in message.get("extract", "")


def test_every_page_and_stylesheet_is_valid_without_a_warning(default_build, messages):
    assert any(default_build.rglob("*.css")) and any(default_build.rglob("*.html"))
    assert messages["site"] == []


def test_the_checker_reports_broken_markup_and_css(messages):
    text = "\n".join(messages["broken"])
    assert "img" in text and "alt" in text  # the missing alt
    assert "colour" in text  # the unknown CSS property
