"""Promise 3: nothing outside the site is read, nothing outside --out is written."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import REPO, make_site
from microsite.cache import CACHE_DIR
from safety_helpers import errors_of, page, run_main

SECRET = "TOP SECRET PATIENT LIST"


@pytest.fixture
def secret(tmp_path):
    """A file and a folder outside the site that must never be read."""
    outside = tmp_path / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "secret.md").write_text(page("title: " + SECRET + "\ndescription: d", SECRET))
    (outside / "folder" / "leak.md").write_text(page("title: " + SECRET + "\ndescription: d", SECRET))
    (outside / "secret.html").write_text(SECRET)
    (outside / "site.yaml").write_text("name: x\n")
    return outside


def built_text(out) -> str:
    return "".join(p.read_text(errors="replace") for p in out.rglob("*") if p.is_file()) if out.exists() else ""


@pytest.mark.parametrize("link, target", [
    ("content/leak.md", "secret.md"),
    ("content/folder", "folder"),
    ("static/leak.txt", "secret.html"),
    ("templates/page.html", "secret.html"),
    ("site.yaml", "site.yaml"),
], ids=["page", "content folder", "static file", "template", "site.yaml"])
def test_links_leading_outside_the_site_are_reported_and_not_followed(tmp_path, secret, link, target):
    site = make_site(tmp_path)
    (site / link).unlink(missing_ok=True)
    (site / link).symlink_to(secret / target)
    out = tmp_path / "out"
    result = run_main("build", "--site", site, "--out", out)
    errors = errors_of(result)
    assert any(e["path"].endswith(link) and "symbolic link leading outside the site" in e.group() for e in errors), result.stderr
    assert SECRET not in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("link, reported", [("content/pipe.md", True), ("templates/unused.html", False),
                                            ("static/extra.css", True), ("static/x/y.js", True)])
def test_links_out_of_the_site_are_never_opened(tmp_path, link, reported):
    """A link to a pipe outside: opening it would hang the build, so a finished build never opened it."""
    site = make_site(tmp_path)
    pipe = tmp_path / "outside.pipe"
    os.mkfifo(pipe)
    (site / link).parent.mkdir(parents=True, exist_ok=True)
    (site / link).symlink_to(pipe)
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "check", "--site", str(site)],
                            capture_output=True, text=True, timeout=60)
    if reported:
        assert any(e["path"].endswith(link) and "leading outside the site" in e.group() for e in errors_of(result))
    else:  # a template no page uses is not read at all
        assert result.returncode == 0, result.stderr


def test_links_inside_the_site_are_followed(tmp_path):
    site = make_site(tmp_path, {"shared-pages/aftercare.md": page(),
                                "drafts/alias.md": page("title: Alias\ndescription: A page linked in.")})
    (site / "content/shared").symlink_to(site / "shared-pages")
    (site / "content/alias.md").symlink_to(site / "drafts/alias.md")
    (site / "content/loop").symlink_to(site / "content")  # a loop: the folder is visited once
    out = tmp_path / "out"
    assert run_main("build", "--site", site, "--out", out).returncode == 0
    assert (out / "alias/index.html").is_file() and (out / "shared/aftercare/index.html").is_file()
    assert not (out / "loop").exists()


def test_a_pipe_is_skipped_not_read(tmp_path):
    site = make_site(tmp_path)
    os.mkfifo(site / "content/pipe.md")
    [error] = errors_of(run_main("check", "--site", site))  # reading a pipe would hang the build
    assert error["path"].endswith("content/pipe.md") and "not a regular file" in error.group()


@pytest.mark.parametrize("template", ["../../outside/secret.html", "/etc/passwd", "C:/Windows/win.ini",
                                      "C:\\\\Windows\\\\win.ini", "..", "a/../../x.html"])
def test_template_paths_leaving_the_templates_folder_are_refused(tmp_path, secret, template):
    site = make_site(tmp_path, {"content/risks.md": page(f'title: t\ndescription: d\ntemplate: "{template}"')})
    [error] = errors_of(run_main("check", "--site", site))
    assert error["path"].endswith("content/risks.md") and error["line"] == "4"
    assert "front matter: 'template' must" in error.group()


@pytest.mark.parametrize("slug", ["../../etc", "a/b", "/abs", "C:", "x\\x00y", "..", "A B"])
def test_slugs_are_plain_words(tmp_path, slug):
    site = make_site(tmp_path, {"content/risks.md": page(f'title: t\ndescription: d\nslug: "{slug}"')})
    [error] = errors_of(run_main("check", "--site", site))
    assert error["line"] == "4" and "slug" in error.group()


@pytest.mark.parametrize("out", ["{site}", "{site}/..", "{site}/content", "{site}/content/sub", "{site}/templates",
                                 "{site}/static", "{site}/site.yaml", "{tmp}"],
                         ids=["site", "parent", "content", "inside content", "templates", "static", "site.yaml", "tmp"])
def test_out_overlapping_the_sources_is_refused(tmp_path, out):
    site = make_site(tmp_path)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    result = run_main("build", "--site", site, "--out", out.format(site=site, tmp=tmp_path))
    assert result.returncode == 2 and "microsite: error: --out" in result.stderr, result.stderr
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_out_that_is_a_file_or_a_folder_of_other_files_is_refused(tmp_path):
    site = make_site(tmp_path)
    (tmp_path / "notes.txt").write_text("keep me")
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "cv.pdf").write_text("keep me")
    for out, message in (("notes.txt", "is a file"), ("documents", "holds files that are not a site built by microsite")):
        result = run_main("build", "--site", site, "--out", tmp_path / out)
        assert result.returncode == 2 and message in result.stderr, result.stderr
    assert (tmp_path / "notes.txt").read_text() == (tmp_path / "documents" / "cv.pdf").read_text() == "keep me"


def test_out_that_holds_a_previous_build_or_nothing_is_replaced(tmp_path):
    site = make_site(tmp_path)
    (tmp_path / "empty").mkdir()
    for out in ("empty", "empty", "new"):  # the second build replaces the first
        assert run_main("build", "--site", site, "--out", tmp_path / out).returncode == 0
    assert (tmp_path / "empty" / "sitemap.xml").is_file() and (tmp_path / "new" / "index.html").is_file()


def sources_of(site):
    return {p: p.stat().st_mtime_ns for p in site.rglob("*") if CACHE_DIR not in p.parts}


def test_the_build_writes_only_the_output_folder_and_its_cache(tmp_path):
    site = make_site(tmp_path)
    before = sources_of(site)
    assert run_main("build", "--site", site, "--out", tmp_path / "out").returncode == 0
    assert sources_of(site) == before
    assert (site / CACHE_DIR).is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]


def test_a_cache_folder_linked_out_of_the_site_is_not_used(tmp_path):
    site = make_site(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (site / CACHE_DIR).symlink_to(elsewhere)
    result = run_main("build", "--site", site, "--out", tmp_path / "out")
    assert result.returncode == 0 and "build cache ignored: it is a symbolic link" in result.stderr
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("path, problem", [("a\0b", "NUL"), ("a\\b", "'/'"), ("/a", "absolute"), ("c:x", "absolute"),
                                           ("a/../b", "'..'"), ("a/b.html", "")])
def test_relative_path_problem(path, problem):
    from microsite.sitepaths import relative_path_problem
    assert (problem in relative_path_problem(path)) and bool(relative_path_problem(path)) == bool(problem)
