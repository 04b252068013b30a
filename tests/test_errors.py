"""Each kind of bad input gives a precise `path:line: error:` and the right exit status."""

from __future__ import annotations

import re

import pytest

from conftest import make_site, run_cli, without_excerpts

ERROR_LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+)(?::\d+)?: (?P<level>error|warning): (?P<message>.+)$")


def problems(result) -> list[tuple[str, int, str]]:
    """(path, line, message) of every error line; fails on any other line but the summary."""
    found = []
    lines = without_excerpts(result.stderr.strip())
    assert "Traceback" not in result.stderr
    for line in lines[:-1]:
        match = ERROR_LINE.match(line)
        assert match, f"not a diagnostic: {line!r}"
        found.append((match["path"], int(match["line"]), match["message"]))
    return found


def check(tmp_path, files: dict[str, str]):
    site = make_site(tmp_path, files)
    return run_cli("check", "--site", site, cwd=site)


def test_unknown_key_names_the_line_and_suggests_the_right_one(tmp_path):
    result = check(tmp_path, {"content/risks.md": """
        ---
        titel: Risks
        description: What can go wrong.
        ---
        Text.
        """})
    assert result.returncode == 1
    assert problems(result) == [("content/risks.md", 2, "front matter: unknown key 'titel' (did you mean 'title'?)")]


def test_bad_yaml_gives_the_file_line(tmp_path):
    result = check(tmp_path, {"content/risks.md": """
        ---
        title: Risks
        description: [unclosed
        order: 3
        ---
        Text.
        """})
    assert result.returncode == 1
    assert problems(result) == [("content/risks.md", 3, "a description that starts with [ must end with ]; if it "
                                                        "is text, put it in quotes: `description: \"[unclosed\"`")]


def test_missing_and_unclosed_front_matter(tmp_path):
    result = check(tmp_path, {"content/risks.md": "Just text, no settings.\n",
                              "content/open.md": "---\ntitle: Open\n"})
    assert result.returncode == 1
    found = problems(result)
    assert sorted(found) == [("content/open.md", 1, "the settings are not closed: add a line '---' after the last setting"),
                             ("content/risks.md", 1, "the page has no settings: start the file with a line '---', then "
                                                     "its settings (title: …), then another '---'")]


@pytest.mark.parametrize("field,value,expected", [
    ("order", "first", "front matter: 'order' must be a whole number, not text"),
    ("draft", "maybe", "front matter: 'draft' must be true or false, not text"),
    ("nav_title", "[a, b]", "front matter: 'nav_title' must be text, not a list"),
    ("next_review", "soon", "front matter: 'next_review' must be a date written like 2026-03-12, not 'soon'"),
    ("menu", "side", "front matter: 'menu' must be one of main, footer, none; got 'side'"),
    ("kind", "risk", "front matter: 'kind' must be one of overview, benefits, procedure, risks, aftercare, faq, "
                     "price, privacy, glossary, page; got 'risk' (did you mean 'risks'?)"),
])
def test_wrong_types_are_errors_with_the_line(tmp_path, field, value, expected):
    result = check(tmp_path, {"content/extra.md": f"""
        ---
        title: Extra
        description: An extra page.
        {field}: {value}
        ---
        Text.
        """})
    assert result.returncode == 1
    found = problems(result)
    assert ("content/extra.md", 4, expected) in found


def test_nested_field_errors_name_the_nested_key(tmp_path):
    result = check(tmp_path, {"content/extra.md": """
        ---
        title: Extra
        description: An extra page.
        reviewed:
          by: Dr Test
          role: Nurse
          date: someday
        sources:
          - title: NHS
            url: javascript:alert(1)
        ---
        Text.
        """})
    found = problems(result)
    assert ("content/extra.md", 7, "front matter: 'reviewed.date' must be a date written like 2026-03-12, "
                                   "not 'someday'") in found
    assert ("content/extra.md", 10, "front matter: 'sources[1].url' must be a http: or https: address, "
                                    "not 'javascript:alert(1)'") in found


def test_two_pages_with_the_same_url_name_both_files(tmp_path):
    result = check(tmp_path, {"content/guides/aftercare/index.md": """
        ---
        title: Aftercare again
        description: A second aftercare page.
        ---
        Text.
        """})
    assert result.returncode == 1
    [(path, line, message)] = problems(result)
    assert path in ("content/guides/aftercare.md", "content/guides/aftercare/index.md")
    other = {"content/guides/aftercare.md", "content/guides/aftercare/index.md"} - {path}
    assert "/guides/aftercare/" in message and other.pop() in message


def test_all_problems_are_reported_together(tmp_path):
    result = check(tmp_path, {
        "content/a.md": "---\ntitel: A\ndescription: a\n---\n",
        "content/b.md": "---\ntitle: B\n---\n",
        "content/c.md": "no front matter\n",
    })
    files = {path for path, _, _ in problems(result)}
    assert files == {"content/a.md", "content/b.md", "content/c.md"}
    assert result.stderr.strip().splitlines()[-1] == "checked 3 pages in " + \
        result.stderr.strip().splitlines()[-1].split(" in ")[1]


@pytest.mark.parametrize("yaml_text,line,expected", [
    ("name: X\nbase_url: https://x.example/\ncontact:\n  url: https://x.example/c\nnmae: Y\n", 5,
     "unknown key 'nmae' (did you mean 'name'?)"),
    ("name: X\nbase_url: https://x.example/\ncontact:\n  label: Call\n", 3, "missing required key 'contact.url': add a line `url: …`"),
    ("name: X\nbase_url: https://x.example/\ncontact:\n  url: javascript:alert(1)\n", 4,
     "'contact.url' must be a http: or https: or mailto: or tel: address, not 'javascript:alert(1)'"),
    ("name: X\nbase_url: ftp://x.example/\ncontact:\n  url: tel:+441234\n", 2,
     "'base_url' must be a http: or https: address, not 'ftp://x.example/'"),
    ("name: X\nbase_url: https://x.example/\ncontact:\n  url: tel:+441234\ntitle_pattern: '{page} - {clinic}'\n", 5,
     "'title_pattern' may only use {page} and {site}, not {clinic}"),
    ("name: X\nbase_url: https://x.example/\ncontact: https://x.example/c\n", 3,
     "'contact' must be a set of 'key: value' lines, not text"),
])
def test_bad_site_yaml(tmp_path, yaml_text, line, expected):
    site = make_site(tmp_path)
    (site / "site.yaml").write_text(yaml_text)
    result = run_cli("check", "--site", site, cwd=site)
    assert result.returncode == 1
    assert problems(result) == [("site.yaml", line, expected)]


def test_template_syntax_error_names_the_template_line(tmp_path):
    result = check(tmp_path, {"templates/page.html": """
        {% extends "base.html" %}
        {% block main %}
        <h1>{{ page.meta.title }</h1>
        {% endblock %}
        """})
    assert result.returncode == 1
    [(path, line, message)] = problems(result)
    assert (path, line) == ("templates/page.html", 3) and message.startswith("template syntax:")


def test_undefined_variable_names_the_template_line(tmp_path):
    result = check(tmp_path, {"templates/page.html": """
        {% extends "base.html" %}
        {% block main %}
          <h1>{{ page.meta.title }}</h1>
            <p>{{ page.meta.subtitle }}</p>
        {% endblock %}
        """})
    assert result.returncode == 1
    [(path, line, message)] = problems(result)
    assert (path, line) == ("templates/page.html", 4)
    assert "subtitle" in message


def test_missing_template_names_the_page(tmp_path):
    result = check(tmp_path, {"content/extra.md": """
        ---
        title: Extra
        description: An extra page.
        template: fancy.html
        ---
        Text.
        """})
    assert problems(result) == [("content/extra.md", 1, "template 'fancy.html' not found in templates/")]


def test_long_description_is_a_warning_not_an_error(tmp_path):
    result = check(tmp_path, {"content/extra.md": f"""
        ---
        title: Extra
        description: {"word " * 40}
        ---
        Text.
        """})
    assert result.returncode == 0
    [(path, line, message)] = problems(result)
    assert (path, line) == ("content/extra.md", 3) and "199 characters" in message
    assert "warning:" in result.stderr


@pytest.mark.parametrize("out", [".", "content", "content/public", "..", "templates", "static/x"])
def test_an_out_folder_over_the_sources_is_refused_and_nothing_deleted(tmp_path, out):
    site = make_site(tmp_path)
    before = sorted(p.relative_to(site) for p in site.rglob("*"))
    result = run_cli("build", "--site", site, "--out", site / out, cwd=site)
    assert result.returncode == 2
    assert result.stderr.startswith("microsite: error: --out")
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == before


@pytest.mark.parametrize("args", [["--bogus"], ["build", "--base-url", "javascript:x"], ["build", "--site", "nowhere"]])
def test_usage_errors_exit_2(tmp_path, args):
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
