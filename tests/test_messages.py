"""The message catalogue: our own wording for every fault in a page's settings, the same with libyaml
and with PyYAML's own parser; the source line and caret under each problem; colour only on a terminal;
and the guide's table of messages, which is what the command line prints."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO, local_env, make_site, run_cli, without_excerpts
from microsite import yamldoc
from microsite.diagnostics import SourceLines, error, format_text, use_colour, warning
from microsite.messages import MESSAGES
from microsite.pipeline import BuildOptions, build
from microsite.serve import Preview

EXAMPLES = {name: message for name, message in MESSAGES.items() if message.example is not None}
LOADERS = {"libyaml": yaml.CSafeLoader, "pure Python": yaml.SafeLoader}
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.mark.parametrize("loader", LOADERS.values(), ids=LOADERS.keys())
@pytest.mark.parametrize("name", EXAMPLES)
def test_each_example_gives_its_message_and_nothing_else(tmp_path, monkeypatch, loader, name):
    monkeypatch.setattr(yamldoc, "Loader", loader)
    site = make_site(tmp_path)
    (site / "content/example.md").write_text(EXAMPLES[name].example, encoding="utf-8")
    result = build(BuildOptions(site=site, use_cache=False, jobs=1))
    assert [(d.path.name, d.level, d.message) for d in result.diagnostics] == [
        ("example.md", "error", EXAMPLES[name].shown)]


@pytest.mark.parametrize("text", [
    "title: Risks: what to know\n", "title: x\nreviewed:\n  by: Dr A\n    role: Nurse\n", "title: x\n\tdescription: y\n",
    'title: "Risks\ndescription: y\n', "title: x\ndescription: [unclosed\norder: 3\n", "title: x\n- item\n",
    "title: 'Risks' and more\n", "title: @clinic\n", "title: `x`\n", "title: *x\n", "title: |x\n", "title: {a\n",
    "title: x\n%foo\n", "reviewed:\n  by: x\n role: y\n", "sources:\n  - title: a\n     url: b\n",
    "sources:\n  - title: a\n    url: b\n   - title: c\n", "description: y\ntitle:Risks\n",
])
def test_the_wording_and_place_do_not_depend_on_libyaml(text):
    said = {name: yamldoc.parse_yaml(text, Path("x.md"), 2) for name in LOADERS}
    for name, loader in LOADERS.items():
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(yamldoc, "Loader", loader)
            said[name] = yamldoc.parse_yaml(text, Path("x.md"), 2)[1]
    assert said["libyaml"] == said["pure Python"] and len(said["libyaml"]) == 1
    assert "YAML" not in said["libyaml"][0].message.replace("indent YAML", "")


def test_the_guide_lists_every_message_as_the_command_line_prints_it(tmp_path):
    """Every example at once, each as a page of its own: the command line prints, for each, exactly
    the message in the guide's table, in the table's order."""
    site = make_site(tmp_path, {f"content/example-{i:02}.md": "" for i in range(len(EXAMPLES))})
    for i, message in enumerate(EXAMPLES.values()):
        (site / f"content/example-{i:02}.md").write_text(message.example, encoding="utf-8")
    result = run_cli("check", "--site", site, cwd=site)
    printed = {}
    for line in without_excerpts(result.stderr)[:-1]:
        path, _, rest = line.partition(":")
        printed.setdefault(path, []).append(rest.split(": error: ", 1)[1])
    table = guide_table()
    assert len(table) == len(EXAMPLES)
    assert [printed[f"content/example-{i:02}.md"] for i in range(len(EXAMPLES))] == [[row] for row in table]


def guide_table() -> list[str]:
    """The first column of the generated table of messages in docs/editing.md."""
    text = (REPO / "docs/editing.md").read_text(encoding="utf-8")
    section = text.split("<!-- BEGIN GENERATED messages")[1].split("<!-- END GENERATED messages")[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")][1:]
    return [re.split(r"(?<!\\)\|", row)[1].strip().replace("\\|", "|") for row in rows]


def test_the_source_line_and_a_caret_under_the_problem(tmp_path):
    page = tmp_path / "risks.md"
    page.write_text("---\ntitle: Aftercare: the first week\n\tby: x\n" + "word " * 60 + "\n", encoding="utf-8")
    sources = SourceLines()
    shown = format_text(error(page, 2, "a title that contains a colon", 17), sources, tmp_path)
    assert shown.splitlines() == ["risks.md:2:17: error: a title that contains a colon",
                                  "  2 | title: Aftercare: the first week",
                                  "    |                 ^"]
    tab = format_text(error(page, 3, "tabs", 1), sources, tmp_path).splitlines()
    assert tab[1:] == ["  3 |     by: x", "    | ^"], "a tab is shown as spaces, the caret under it"
    long = format_text(error(page, 4, "far along", 200), sources, tmp_path).splitlines()
    assert long[1].startswith("  4 | …word") and len(long[1]) < 120, "a long line is shown around the column"
    assert long[1][long[2].index("^")] == ("word " * 60)[199], "the caret under the column"
    assert format_text(error(page, 2, "no column"), sources, tmp_path).splitlines()[1:] == [
        "  2 | title: Aftercare: the first week"]
    assert format_text(error(page, 0, "no line"), sources, tmp_path) == "risks.md: error: no line"


def test_colour_only_on_a_terminal_and_never_with_no_color(tmp_path, monkeypatch):
    page = tmp_path / "risks.md"
    page.write_text("title: x\n", encoding="utf-8")
    painted = format_text(warning(page, 1, "careful", 1), SourceLines(), tmp_path, colour=True)
    assert ANSI.sub("", painted) == format_text(warning(page, 1, "careful", 1), SourceLines(), tmp_path)
    assert "\x1b[1;33mwarning" in painted and "\x1b[1;33m^" in painted

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_colour(Terminal()) and not use_colour(io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_colour(Terminal())


@pytest.mark.parametrize("no_color", [None, "1"])
def test_the_command_line_in_a_terminal(tmp_path, no_color):
    pty = pytest.importorskip("pty", reason="pseudo-terminals are POSIX only")
    site = make_site(tmp_path, {"content/extra.md": "---\ntitle: Extra: more\ndescription: x\n---\nText.\n"})
    env = {k: v for k, v in local_env().items() if k != "NO_COLOR"} | ({"NO_COLOR": no_color} if no_color else {})
    main, terminal = pty.openpty()
    with subprocess.Popen([sys.executable, str(REPO / "build.py"), "check", "--quiet"], cwd=site, env=env,
                          stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=terminal) as process:
        os.close(terminal)
        output = b""
        while chunk := _read(main):
            output += chunk
        process.wait(timeout=60)
    os.close(main)
    text = output.decode()
    assert ("\x1b[" in text) is (no_color is None)
    assert ANSI.sub("", text).splitlines()[:3] == [
        'content/extra.md:2:13: error: a title that contains a colon must be in quotes: `title: "Extra: more"`',
        "  2 | title: Extra: more", "    |             ^"]


def _read(fd: int) -> bytes:
    try:
        return os.read(fd, 65536)
    except OSError:  # the other end closed
        return b""


def test_the_preview_error_page_shows_the_line_and_caret(tmp_path):
    site = make_site(tmp_path, {"content/extra.md": "---\ntitle: Extra: <more>\ndescription: x\n---\nText.\n"})
    preview = Preview(BuildOptions(site=site, use_cache=False, jobs=1), lambda result: None)
    preview.result = build(preview.options)
    page = preview.error_page().decode()
    assert "  2 | title: Extra: &lt;more&gt;\n    |             ^" in page


@pytest.mark.parametrize("name,data,expected", [
    ("empty", b"", "the file is empty"),
    ("spaces only", b"  \n\n", "the file is empty"),
    ("binary", b"\x89PNG\r\n\x1a\n\x00\x00data", "binary data"),
    ("UTF-16", "---\ntitle: x\n".encode("utf-16"), "save it as UTF-8"),
    ("Latin-1", b"---\ntitle: Caf\xe9\ndescription: x\n---\n", "not valid UTF-8 text"),
])
def test_odd_files_are_one_plain_message(tmp_path, name, data, expected):
    site = make_site(tmp_path)
    (site / "content/odd.md").write_bytes(data)
    result = run_cli("check", "--site", site, cwd=site)
    assert "Traceback" not in result.stderr
    errors = [line for line in without_excerpts(result.stderr) if ": error: " in line]
    assert len(errors) == 1 and errors[0].startswith("content/odd.md:") and expected in errors[0]


def test_a_bom_crlf_and_a_folder_named_like_a_page_are_fine(tmp_path):
    site = make_site(tmp_path)
    (site / "content/bom.md").write_bytes(b"\xef\xbb\xbf---\r\ntitle: BOM\r\ndescription: Saved by Notepad.\r\n"
                                          b"menu: none\r\n---\r\nText.\r\n")
    (site / "content/folder.md").mkdir()
    result = run_cli("check", "--site", site, cwd=site)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().endswith("(0 errors, 0 warnings)")
