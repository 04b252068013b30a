"""One fault, one error: each mistake a marketer might make in a small clean site gives exactly one
error, at the place to fix, and nothing that only follows from it (links to a page that could not be
read, the kinds of page the site needs, the checks about the whole site)."""

from __future__ import annotations

import pytest
import yaml

from conftest import copy_default_site, make_site, run_cli, without_excerpts
from microsite import yamldoc
from microsite.diagnostics import NOTICE
from microsite.pipeline import BuildOptions, build

RISKS, BENEFITS, GLOSSARY = "content/risks.md", "content/benefits.md", "content/glossary.md"

# (name, file, text to replace (None: all of it), its replacement (None: delete the file), where the one
# error must be: file, line, column, and a part of its message)
FAULTS = [
    ("misspelt key", RISKS, "title: Risks", "titel: Risks", (RISKS, 2, 1, "unknown key 'titel' (did you mean")),
    ("misspelt nested key", RISKS, "  by: Dr", "  bye: Dr", (RISKS, 7, 3, "unknown key 'reviewed.bye'")),
    ("indented more", RISKS, "  role:", "    role:", (RISKS, 8, 5, "indented more than the one above")),
    ("indented less", RISKS, "  role:", " role:", (RISKS, 8, 2, "indented less than the one above")),
    ("a tab", RISKS, "  role:", "\trole:", (RISKS, 8, 1, "tabs cannot indent YAML")),
    ("an unclosed quote", RISKS, "title: Risks", 'title: "Risks', (RISKS, 2, 8, "is never closed")),
    ("text after a closing quote", RISKS, "title: Risks", "title: 'Risks' to know",
     (RISKS, 2, 16, "goes on after its closing quotation mark")),
    ("an unclosed bracket", RISKS, "title: Risks", "title: [Risks", (RISKS, 2, 8, "must end with ]")),
    ("a colon in an unquoted value", RISKS, "title: Risks", "title: Risks: what to know",
     (RISKS, 2, 13, 'a title that contains a colon must be in quotes: `title: "Risks: what to know"`')),
    ("no space after the colon", RISKS, "title: Risks", "title:Risks", (RISKS, 2, 6, "put a space after the colon")),
    ("a value starting with @", RISKS, "title: Risks", "title: @risks", (RISKS, 2, 8, "must be in quotes")),
    ("a stray list item", RISKS, "kind: risks", "- kind: risks", (RISKS, 4, 1, "is an item of a list")),
    ("a line of text among the settings", RISKS, "kind: risks", "kind: risks\nSide effects",
     (RISKS, 5, 1, "this line is not a setting")),
    ("a missing colon", RISKS, "title: Risks", "title Risks", (RISKS, 2, 1, "this line is not a setting")),
    ("a list item's line indented more", RISKS, "    url: https://www.nhs.uk/", "     url: https://www.nhs.uk/",
     (RISKS, 13, 6, "indented more than the one above: line `url:` up with `title:`")),
    ("a missing first ---", RISKS, "---\ntitle: Risks", "title: Risks", (RISKS, 1, 1, "the page has no settings")),
    ("a missing last ---", RISKS, "---\n## Side effects", "## Side effects", (RISKS, 1, 1, "settings are not closed")),
    ("a third ---", RISKS, "order: 4\n", "order: 4\n---\n", (RISKS, 6, 1, "ends the settings too early")),
    ("a wrong type", RISKS, "order: 4", "order: fourth", (RISKS, 5, 1, "'order' must be a whole number")),
    ("an impossible date", RISKS, "  date: 2026-03-12", "  date: 2026-02-30", (RISKS, 10, 9, "is not a date")),
    ("a date written another way", RISKS, "  date: 2026-03-12", "  date: 12/03/2026",
     (RISKS, 10, 3, "must be a date written like 2026-03-12")),
    ("a list where text is expected", RISKS, "title: Risks", "title:\n  - Risks", (RISKS, 2, 1, "must be text")),
    ("a missing required key", RISKS, "description: Side effects and when to get help.\n", "",
     (RISKS, 2, 0, "missing required key 'description'")),
    ("a duplicate key", RISKS, "order: 4\n", "order: 4\norder: 6\n", (RISKS, 6, 1, "'order' is set twice")),
    ("an unknown kind", RISKS, "kind: risks", "kind: risk", (RISKS, 4, 1, "(did you mean 'risks'?)")),
    ("a bad source address", RISKS, "    url: https://www.nhs.uk/conditions/varicose-veins/",
     "    url: www.nhs.uk/conditions/varicose-veins/", (RISKS, 13, 5, "'sources[1].url' must be")),
    ("an empty page file", RISKS, None, "", (RISKS, 1, 0, "the file is empty")),
    ("a broken glossary page", GLOSSARY, "title: Medical words explained", "title: Medical words: explained",
     (GLOSSARY, 2, 21, "must be in quotes")),
    ("a broken privacy page", "content/privacy.md", "kind: privacy", "kind: privacy\n  menu: footer",
     ("content/privacy.md", 5, 3, "indented more than the one above")),
    ("a broken home page", "content/index.md", "order: 1", "order: [1", ("content/index.md", 5, 8, "must end with ]")),
    ("a misspelt kind on the glossary page", GLOSSARY, "kind: glossary", "kind: glosary",
     (GLOSSARY, 4, 1, "(did you mean 'glossary'?)")),
    ("a bad menu", GLOSSARY, "menu: footer", "menu: bottom", (GLOSSARY, 5, 1, "'menu' must be one of")),
    ("a bad link", BENEFITS, "(/risks/)", "(/risk/)", (BENEFITS, 17, 36, 'link to "/risk/" goes nowhere')),
    ("raw HTML in a page's text", RISKS, "Bruising is common.", "Bruising is <b>common</b>.",
     (RISKS, 17, 0, "raw HTML <b> is not allowed")),
    ("a misspelt variable in a template", "templates/page.html", "{{ content }}", "{{ contnet.html }}",
     ("templates/page.html", 3, 0, "contnet")),
    ("a missing template", "templates/page.html", None, None, ("templates/page.html", 0, 0, "not found")),
    ("a bad template tag", "templates/page.html", "{{ content }}", "{{ content }", ("templates/page.html", 3, 0,
                                                                                   "template syntax")),
    ("a misspelt key in site.yaml", "site.yaml", "name: Test", "nmae: Test", ("site.yaml", 1, 1, "unknown key 'nmae'")),
    ("a bad site.yaml value", "site.yaml", "url: mailto:hello@clinic.example", "url: hello@clinic.example",
     ("site.yaml", 4, 3, "'contact.url' must be")),
    ("a colon in site.yaml", "site.yaml", "label: Book a consultation", "label: Book: a consultation",
     ("site.yaml", 5, 14, "a label that contains a colon must be in quotes")),
]


def with_fault(tmp_path, file: str, old: str | None, new: str | None):
    site = make_site(tmp_path, fixture="clinic")
    path = site / file
    text = path.read_text(encoding="utf-8")
    if new is None:
        path.unlink()
        return site
    if old is not None:
        assert text.count(old) == 1, f"{old!r} must be once in {file}"
    path.write_text(text.replace(old, new) if old is not None else new, encoding="utf-8")
    return site


def test_the_fixture_is_clean(tmp_path):
    result = build(BuildOptions(site=make_site(tmp_path, fixture="clinic"), use_cache=False, jobs=1))
    assert result.diagnostics == ()


def test_there_are_at_least_25_faults():
    assert len(FAULTS) >= 25


@pytest.mark.parametrize("loader", [yaml.CSafeLoader, yaml.SafeLoader], ids=["libyaml", "pure Python"])
@pytest.mark.parametrize("file,old,new,expected", [fault[1:] for fault in FAULTS], ids=[fault[0] for fault in FAULTS])
def test_one_fault_gives_one_error_where_to_fix_it(tmp_path, monkeypatch, loader, file, old, new, expected):
    monkeypatch.setattr(yamldoc, "Loader", loader)
    site = with_fault(tmp_path, file, old, new)
    result = build(BuildOptions(site=site, use_cache=False, jobs=1))
    found = [(d.path.relative_to(site).as_posix(), d.line, d.column, d.level, d.message) for d in result.diagnostics]
    assert len(found) == 1, "\n".join(map(str, found))
    [(path, line, column, level, message)] = found
    want_path, want_line, want_column, wording = expected
    assert (path, line, column, level) == (want_path, want_line, want_column, "error"), message
    assert wording in message


@pytest.mark.parametrize("name", ["misspelt key", "a colon in an unquoted value", "a tab"])
def test_the_command_line_prints_one_error_line_and_the_source_line(tmp_path, name):
    _, file, old, new, (path, line, column, wording) = next(fault for fault in FAULTS if fault[0] == name)
    site = with_fault(tmp_path, file, old, new)
    result = run_cli("check", "--site", site, cwd=site)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert [line for line in without_excerpts(result.stderr) if ": error: " in line] == [lines[0]]
    assert lines[0].startswith(f"{path}:{line}:{column}: error: ") and wording in lines[0]
    assert lines[1].startswith(f"  {line} | ") and lines[2].endswith("^")
    assert lines[3].startswith("checked 6 pages")


@pytest.mark.parametrize("file,old,new,expected", [
    ("content/risks.md", "title: Risks", "titel: Risks", ("content/risks.md", 2, 1)),
    ("content/risks.md", "  role: Consultant", "    role: Consultant", ("content/risks.md", 11, 5)),
    ("content/glossary.md", "kind: glossary", "kind: glosary", ("content/glossary.md", 7, 1)),
], ids=["misspelt key on the risks page", "indentation on the risks page", "misspelt kind on the glossary page"])
def test_one_fault_in_the_default_site_gives_one_problem(tmp_path, file, old, new, expected):
    """The default site links to its risks page from every page and uses many glossary terms: none of
    that is reported again while the page cannot be read."""
    site = copy_default_site(tmp_path / "site")
    path = site / file
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    result = build(BuildOptions(site=site, use_cache=False, jobs=1))
    problems = [d for d in result.diagnostics if d.level != NOTICE]  # the sample's one-line notice is no problem
    assert [(d.path.relative_to(site).as_posix(), d.line, d.column) for d in problems] == [expected], \
        "\n".join(d.format(site) for d in problems)
