"""Promise 4: YAML is parsed safely: no Python tags, no alias bombs, no unbounded nesting, limited size."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import make_site
from microsite.textfile import MAX_SOURCE_BYTES
from safety_helpers import errors_of, page, run_main

BILLION_LAUGHS = "\n".join(['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
                           + [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]"
                              for i in range(8)])

FRONT_MATTER = {
    "python object": ("title: !!python/object/apply:os.system ['touch /tmp/pwned']", 2, "starts with ! must be in quotes"),
    "python name": ("title: !!python/name:os.system ''", 2, "starts with ! must be in quotes"),
    "python on a mapping": ("title: !!python/object:collections.OrderedDict {a: 1}", 2, "starts with ! must be in quotes"),
    "binary": ("title: !!binary aGVsbG8=", 2, "starts with ! must be in quotes"),
    "set": ("title: !!set {a}", 2, "starts with ! must be in quotes"),
    "custom tag": ("title: !shout hello", 2, "starts with ! must be in quotes"),
    "alias": ("title: &t Hello\ndescription: *t", 2, "anchors and aliases"),  # the anchor's line
    "alias bomb": (BILLION_LAUGHS, 2, "anchors and aliases"),
    "merge key": ("base: &b {title: x}\n<<: *b", 3, "merge keys"),
    "deep nesting": ("title: " + "[" * 40 + "]" * 40, 2, "nested more than 32 levels deep"),
    "very deep nesting": ("title: " + "[" * 100_000, 2, "nested more than 32 levels deep"),
    "deep block nesting": ("".join(" " * i + f"k{i}:\n" for i in range(2000)), 1001, "nested more than 32 levels deep"),
    "duplicate key": ("title: a\ndescription: d\ntitle: b", 4, "'title' is set twice (first on line 2)"),
    "control character": ('title: "bell \\a"\ndescription: d', 2, "U+0007"),
    "lone surrogate": ('title: "\\ud800"\ndescription: d', 2, ""),
}


@pytest.mark.parametrize("front_matter, line, message", FRONT_MATTER.values(), ids=FRONT_MATTER.keys())
def test_unsafe_front_matter_is_refused_at_its_line(tmp_path, front_matter, line, message):
    site = make_site(tmp_path, {"content/risks.md": page(front_matter)})
    errors = errors_of(run_main("check", "--site", site))
    assert any(e["path"].endswith("content/risks.md") and int(e["line"]) == line and message in e.group()
               for e in errors), [e.group() for e in errors]
    assert not (tmp_path / "pwned").exists()


def test_an_alias_bomb_in_site_yaml_is_refused_quickly(tmp_path):
    site = make_site(tmp_path, {"site.yaml": BILLION_LAUGHS})
    [error] = errors_of(run_main("check", "--site", site))
    assert error["path"].endswith("site.yaml") and "anchors and aliases" in error.group()


@pytest.mark.parametrize("name", ["site.yaml", "content/risks.md"])
def test_files_over_the_size_limit_are_refused_without_reading(tmp_path, name):
    site = make_site(tmp_path)
    (site / name).write_text(page(body="x" * MAX_SOURCE_BYTES))
    [error] = errors_of(run_main("check", "--site", site))
    assert error["path"].endswith(name) and f"the limit is {MAX_SOURCE_BYTES:,}" in error.group()


def test_long_values_are_cut_short_in_messages(tmp_path):
    site = make_site(tmp_path, {"content/risks.md": page("title: t\ndescription: d\norder: " + "9" * 5000)})
    [error] = errors_of(run_main("check", "--site", site))
    assert len(error.group()) < 400 and "…" in error.group()


@pytest.mark.parametrize("text, message", [('title: "\\ud800"', "U+D800"), ("title: " + "[" * 1100, "nested more than 32 levels deep")])
def test_the_pure_python_loader_is_as_safe(monkeypatch, text, message):
    """Where libyaml is missing, PyYAML's own loader lets lone surrogates and deep recursion through."""
    import yaml

    from microsite import yamldoc
    monkeypatch.setattr(yamldoc, "Loader", yaml.SafeLoader)
    doc, [problem] = yamldoc.parse_yaml(text, Path("x.md"), first_line=2)
    assert doc is None and problem.line == 2 and message in problem.message
