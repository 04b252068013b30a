"""Promise 6: UTF-8 with or without a BOM and any line endings work; other bytes get a clear error."""

from __future__ import annotations

import os

import pytest

from conftest import make_site, parse_html
from safety_helpers import errors_of, page, run_main

PAGE = page("title: Café “Ünïcode” ✓\ndescription: Ceci n’est pas une pipe.", "## Résumé\n\nNaïve text, 日本語.\n")


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["no BOM", "BOM"])
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
def test_utf8_with_or_without_bom_and_any_line_endings_builds(tmp_path, bom, newline):
    site = make_site(tmp_path)
    (site / "content/risks.md").write_bytes(bom + PAGE.replace("\n", newline).encode())
    config = (site / "site.yaml").read_text()
    (site / "site.yaml").write_bytes(bom + config.replace("\n", newline).encode())
    out = tmp_path / "out"
    result = run_main("build", "--site", site, "--out", out)
    assert result.returncode == 0, result.stderr
    doc = parse_html(out / "risks/index.html")
    assert doc.findtext(".//h1") == "Café “Ünïcode” ✓"
    assert doc.findtext(".//h2") == "Résumé"
    assert "\ufeff" not in (out / "risks/index.html").read_text()


BAD_BYTES = {
    "Windows-1252 curly quote": (b"---\ntitle: \x93Hi\x94\n", 2, "not valid UTF-8 text (byte 11: 0x93); save the file as UTF-8"),
    "Latin-1 in the body": (PAGE.encode() + b"caf\xe9\n", 8, "not valid UTF-8 text (byte 121: 0xe9)"),
    "a truncated character": (b"---\ntitle: \xe2\x80\n", 2, "not valid UTF-8"),
    "a NUL byte": (b"---\ntitle: t\n\x00", 3, "binary data (a NUL byte at byte 13); expected UTF-8 text"),
    "a PNG image": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 3, "binary data (a NUL byte at byte 8)"),
    "UTF-16": ("---\ntitle: t\n".encode("utf-16"), 1, "saved as UTF-16; save it as UTF-8"),
    "an escape character": (page(body="Pasted from a terminal: \x1b[31mred\n").encode(), 5,
                            "invisible or invalid character U+001B"),
    "a vertical tab from a word processor": (page(body="Line\x0bbreak\n").encode(), 5, "U+000B"),
    "a C1 control character": (page(body="It\u0092s\n").encode(), 5, "U+0092"),
    "empty": (b"", 1, "the file is empty"),
    "only blank lines": (b"\n\n  \n", 1, "the file is empty"),
    "no front matter": (b"# Just Markdown\n", 1, "the page has no settings"),
    "front matter not closed": (b"---\ntitle: t\n\nBody text\n", 1, "the settings are not closed"),
    "empty front matter": (b"---\n---\nBody\n", 1, "there are no settings between the '---' lines"),
}


@pytest.mark.parametrize("data, line, message", BAD_BYTES.values(), ids=BAD_BYTES.keys())
def test_what_is_not_a_utf8_page_gets_a_clear_error_at_its_position(tmp_path, data, line, message):
    site = make_site(tmp_path)
    (site / "content/risks.md").write_bytes(data)
    errors = errors_of(run_main("check", "--site", site))
    assert any(e["path"].endswith("content/risks.md") and int(e["line"]) == line and message in e.group()
               for e in errors), [e.group() for e in errors]


def test_a_control_character_is_reported_at_its_column(tmp_path):
    site = make_site(tmp_path)
    (site / "content/risks.md").write_bytes(page(body="ab\x07c\n").encode())
    [error] = errors_of(run_main("check", "--site", site))
    assert (error["line"], error["column"]) == ("5", "3")


@pytest.mark.parametrize("data, message", [(b"name: \xff\n", "not valid UTF-8"), (b"", "must be a set of"),
                                           (b"\x00", "binary data")])
def test_site_yaml_encoding_errors(tmp_path, data, message):
    site = make_site(tmp_path)
    (site / "site.yaml").write_bytes(data)
    [error] = errors_of(run_main("check", "--site", site))
    assert error["path"].endswith("site.yaml") and message in error.group()


def test_file_names_that_are_not_utf8_or_hold_a_newline(tmp_path):
    site = make_site(tmp_path)
    (site / "content" / os.fsdecode(b"caf\xe9\nsheet.md")).write_text(page("title: Café\ndescription: d"))
    out = tmp_path / "out"
    assert run_main("build", "--site", site, "--out", out).returncode == 0
    assert parse_html(out / "caf-sheet/index.html").findtext(".//h1") == "Café"
    (site / "content" / os.fsdecode(b"caf\xe9\nsheet.md")).write_text("no front matter")
    [error] = errors_of(run_main("build", "--site", site, "--out", out))
    assert error["path"].endswith("content/caf\\udce9\\nsheet.md")
