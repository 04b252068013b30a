"""The command line people expect: short options, --version, output formats for CI, --strict, typos."""

import json
import re

import pytest

from conftest import make_site, without_excerpts
from microsite import __version__
from microsite.cli import EXIT_ERRORS, EXIT_OK, EXIT_USAGE, main

# One warning (an unsupported claim) and no error, on a site that builds otherwise.
WARNED = {"content/benefits.md": "---\ntitle: Benefits\ndescription: Help.\nkind: benefits\n"
                                 "checks:\n  review: off\n---\n"
                                 "See the [risks](/risks/). Or choose no treatment.\n\nA lunchtime treatment.\n"}


@pytest.fixture
def warned(tmp_path, monkeypatch):
    site = make_site(tmp_path, WARNED, fixture="clinic")
    monkeypatch.chdir(site)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795608000")
    monkeypatch.setenv("GITHUB_ACTIONS", "false")
    return site


@pytest.mark.parametrize("typed, message", [
    ("biuld", "unknown command 'biuld' (did you mean 'build'?)"),
    ("chek", "unknown command 'chek' (did you mean 'check'?)"),
    ("publish", "unknown command 'publish'; the commands are build, check, serve, new"),
])
def test_a_mistyped_command_is_named_with_the_nearest_one(typed, message, capsys):
    assert main([typed]) == EXIT_USAGE
    assert capsys.readouterr().err == f"microsite: error: {message}\n"


def test_version(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"microsite {__version__}\n"


def test_short_options_for_the_site_the_output_and_quiet(warned, tmp_path, capsys):
    out = tmp_path / "elsewhere"
    assert main(["-s", str(warned), "-o", str(out), "-q"]) == EXIT_OK
    assert (out / "sitemap.xml").is_file()
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = without_excerpts(captured.err)
    assert len(lines) == 1 and "warning:" in lines[0]  # the problem (with its source line), and no summary


def test_github_format_prints_workflow_commands_only(warned, capsys):
    assert main(["check", "--format", "github"]) == EXIT_OK
    captured = capsys.readouterr()
    assert re.fullmatch(r"::warning file=content/benefits\.md,line=10,col=\d+,title=claims::[^\n]+\n", captured.out)
    assert "warning:" not in captured.err and captured.err.startswith("checked 7 pages")


@pytest.mark.parametrize("github_actions", ["true", "false"])
def test_json_is_never_mixed_with_anything_else(warned, monkeypatch, capsys, github_actions):
    monkeypatch.setenv("GITHUB_ACTIONS", github_actions)
    assert main(["build", "--format", "json"]) == EXIT_OK
    found = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(f["file"], f["line"], f["level"], f["check"]) for f in found] == [
        ("content/benefits.md", 10, "warning", "claims")]


def test_text_under_github_actions_also_annotates(warned, monkeypatch, capsys):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    main(["check"])
    captured = capsys.readouterr()
    assert captured.out.startswith("::warning file=content/benefits.md,line=10,")
    assert "content/benefits.md:10:" in captured.err


def test_a_strict_build_with_a_warning_leaves_the_output_untouched(warned, capsys):
    assert main(["build"]) == EXIT_OK
    before = {path: path.read_bytes() for path in (warned / "public").rglob("*") if path.is_file()}
    (warned / "content/procedure.md").write_text(
        (warned / "content/procedure.md").read_text(encoding="utf-8") + "\nA new line.\n", encoding="utf-8")
    capsys.readouterr()

    assert main(["build", "--strict"]) == EXIT_ERRORS

    after = {path: path.read_bytes() for path in (warned / "public").rglob("*") if path.is_file()}
    assert after == before
    assert capsys.readouterr().err.splitlines()[-1] == (
        "not built: 0 errors, 1 warning; claims: 1 warning; --strict: warnings fail the build; "
        "the output folder was left as it was")


def test_a_strict_build_writes_nothing_where_nothing_was(warned, tmp_path):
    assert main(["build", "--strict", "--out", str(tmp_path / "new")]) == EXIT_ERRORS
    assert not (tmp_path / "new").exists()
