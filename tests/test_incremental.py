"""The fast paths give the same site as a clean build: the cache, recorded dependencies, the spare folder."""

from __future__ import annotations

import os
import pty
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO, local_env, make_site, run_cli
from microsite import cache as build_cache
from microsite import checking
from microsite.checks import claims
from microsite.cache import CACHE_DIR, CACHE_FILE
from microsite.checks.registry import CHECKS
from microsite.pipeline import BuildOptions, BuildResult, build

NAMES = ("alpha", "beta", "gamma", "guides/delta", "guides/epsilon")


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every file (with its bytes) and folder (None) under `folder`."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() if p.is_file() else None
            for p in sorted(folder.rglob("*"))}


def incremental(site: Path, out: Path, **options) -> BuildResult:
    return build(BuildOptions(site=site, out=out, jobs=1, **options))


def clean(site: Path, out: Path) -> BuildResult:
    shutil.rmtree(out, ignore_errors=True)
    return build(BuildOptions(site=site, out=out, use_cache=False, jobs=1))


class Editor:
    """Changes a site's files the way people do, each write with a distinct, settled modification time
    (as files copied or checked out are), so the cache trusts sizes and times where it may."""

    def __init__(self, site: Path):
        self.site = site
        self.clock = time.time_ns() - 86_400 * 10**9

    def write(self, rel: str, text: str) -> None:
        path = self.site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.clock += 10**9
        os.utime(path, ns=(self.clock, self.clock))

    def pages(self) -> list[str]:
        return sorted(p.relative_to(self.site).as_posix() for p in (self.site / "content").rglob("*.md"))

    def page(self, name: str, title: str, menu: str, body: str) -> str:
        return f"---\ntitle: {title}\ndescription: About {title}.\nmenu: {menu}\n---\n{body}\n"


# Text the content checks find something in: a claim, links into the site (good, to nowhere, to a
# missing anchor), a vague link, a skipped heading level.
CHECKED_TEXT = ("\nResults are guaranteed.\n", "\n[Delta](/guides/delta/)\n", "\n[Gone](/nowhere/)\n",
                "\n[Alpha](/alpha/#no-such-part)\n", "\n[click here](/beta/)\n", "\n#### Deep\n")
EDITS = st.one_of(
    st.tuples(st.just("add"), st.sampled_from(NAMES), st.sampled_from(["A", "B", "Ä", "Guaranteed results"]),
              st.sampled_from(["main", "footer", "none"]), st.text("ab \n#*", max_size=20)),
    st.tuples(st.just("body"), st.integers(0, 20), st.text("ab \n#*", max_size=20)),
    st.tuples(st.just("body"), st.integers(0, 20), st.sampled_from(CHECKED_TEXT)),
    st.tuples(st.just("front"), st.integers(0, 20)),
    st.tuples(st.just("delete"), st.integers(0, 20)),
    st.tuples(st.just("rename"), st.integers(0, 20), st.sampled_from(NAMES)),
    st.tuples(st.just("break"), st.integers(0, 20)),
    st.tuples(st.just("template"), st.sampled_from(["base.html", "page.html"]), st.sampled_from(["<!-- x -->", ""])),
    st.tuples(st.just("site"), st.sampled_from(["Test Clinic", "Other Clinic"])),
    st.tuples(st.just("style"), st.sampled_from(["a{}", "b{}"])),
    st.tuples(st.just("glossary"), st.sampled_from(["Bruising", "Walking", "Swelling"])),
)


def apply(editor: Editor, edit: tuple) -> None:
    kind, *args = edit
    pages = editor.pages()
    pick = lambda i: pages[i % len(pages)] if pages else None  # noqa: E731
    if kind == "add":
        name, title, menu, body = args
        editor.write(f"content/{name}.md", editor.page(name, title, menu, body))
    elif kind == "body" and pick(args[0]):
        path = editor.site / pick(args[0])
        editor.write(pick(args[0]), path.read_text(encoding="utf-8") + args[1])
    elif kind == "front" and pick(args[0]):  # moves every line of the page, its title's too
        path = editor.site / pick(args[0])
        editor.write(pick(args[0]), path.read_text(encoding="utf-8").replace("---\n", "---\n# note\n", 1))
    elif kind == "delete" and pick(args[0]):
        (editor.site / pick(args[0])).unlink()
    elif kind == "rename" and pick(args[0]):
        source, target = editor.site / pick(args[0]), editor.site / f"content/{args[1]}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        source.replace(target)
    elif kind == "break" and pick(args[0]):
        editor.write(pick(args[0]), "---\ntitle: [unclosed\n---\n")
    elif kind == "template":
        name, extra = args
        text = (Path(__file__).parent / "sites/basic/templates" / name).read_text(encoding="utf-8")
        editor.write(f"templates/{name}", text + extra)
    elif kind == "site":
        text = (editor.site / "site.yaml").read_text(encoding="utf-8").split("\n", 1)[1]
        editor.write("site.yaml", f"name: {args[0]}\n{text}")
    elif kind == "style":
        editor.write("static/style.css", args[0])
    elif kind == "glossary":
        editor.write("content/glossary.md", f"---\ntitle: Glossary\ndescription: Words.\nkind: glossary\n---\n"
                                            f"{args[0]}\n:   A word doctors use.\n")


class Engine:
    """microsite's code, changed as an upgrade changes it: a term added to a claims rule, in the running
    checks and in a copy of the package that the build cache's engine fingerprint is taken from."""

    RULES = claims.PHRASE_RULES

    def __init__(self, folder: Path, patch: pytest.MonkeyPatch):
        shutil.copytree(build_cache.PACKAGE, folder, ignore=shutil.ignore_patterns("__pycache__"))
        self.folder, self.patch = folder, patch
        self.claims = (folder / "checks/claims.py").read_text(encoding="utf-8")
        patch.setattr(build_cache, "PACKAGE", folder)
        build_cache.engine_fingerprint.cache_clear()

    def add_term(self, term: str | None) -> None:
        """The installed rules, with `term` as one more trivialising word (None: none)."""
        line = "PHRASE_RULES += (Rule(TRIVIALISING.what, WARNING, ({!r},), TRIVIALISING.sources, TRIVIALISING.advice),)\n"
        (self.folder / "checks/claims.py").write_text(self.claims + (line.format(term) if term else ""), encoding="utf-8")
        rule = claims.Rule(claims.TRIVIALISING.what, claims.WARNING, (term,), claims.TRIVIALISING.sources,
                           claims.TRIVIALISING.advice)
        self.patch.setattr(claims, "PHRASE_RULES", self.RULES + ((rule,) if term else ()))
        build_cache.engine_fingerprint.cache_clear()


ENGINE_EDITS = st.tuples(st.just("engine"), st.sampled_from(["bruising", "walking", None]))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.one_of(EDITS, ENGINE_EDITS), min_size=1, max_size=8))
def test_any_sequence_of_edits_builds_the_same_site_as_a_clean_build(tmp_path_factory, edits):
    """Edits to the site and to microsite itself: each incremental build gives the clean build's site
    and findings."""
    tmp = tmp_path_factory.mktemp("seq")
    site = make_site(tmp)
    editor = Editor(site)
    out, reference = tmp / "out", tmp / "clean"
    with pytest.MonkeyPatch.context() as patch:
        engine = Engine(tmp / "engine", patch)
        try:
            incremental(site, out)
            for edit in edits:
                before = tree(out)
                engine.add_term(edit[1]) if edit[0] == "engine" else apply(editor, edit)
                result, expected = incremental(site, out), clean(site, reference)
                assert result.ok == expected.ok, edit
                assert result.diagnostics == expected.diagnostics, edit
                if not result.ok:
                    assert tree(out) == before, "a failed build leaves the output as it was"
                    continue
                after = tree(out)
                assert after == tree(reference), edit
                changed = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p) and
                           (before.get(p) is not None or after.get(p) is not None)}
                assert set(result.changed) == changed, edit
                assert result.rendered + result.reused == result.pages
        finally:
            patch.undo()
            build_cache.engine_fingerprint.cache_clear()


def test_nothing_changed_renders_nothing_and_writes_nothing(tmp_path, site):
    out = tmp_path / "out"
    first = incremental(site, out)
    stats = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*")}
    again = incremental(site, out)
    assert (first.rendered, first.reused) == (3, 0)
    assert (again.rendered, again.reused, again.changed) == (0, 3, ())
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*")} == stats


def test_one_edited_page_is_the_only_file_written(tmp_path, site):
    out = tmp_path / "out"
    incremental(site, out)
    incremental(site, out)  # the second build leaves a spare folder for the third to work in
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()}
    risks = site / "content/risks.md"
    risks.write_text(risks.read_text() + "\nAnd swelling.\n")
    result = incremental(site, out)
    assert (result.rendered, result.reused, result.changed) == (1, 2, ("risks/index.html",))
    after = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()}
    assert {p for p in after if after[p] != before.get(p)} == {out / "risks/index.html"}


def pages_checked(site: Path, out: Path, monkeypatch) -> tuple[BuildResult, list[str]]:
    """An incremental build, and the pages whose content checks ran (not kept from the last build)."""
    checked = []
    real = checking.check_page
    monkeypatch.setattr(checking, "check_page", lambda s, view, active: checked.append(view.page.rel) or
                        real(s, view, active))
    return incremental(site, out), sorted(checked)


def test_one_edited_page_is_the_only_page_checked_again(tmp_path, site, monkeypatch):
    out = tmp_path / "out"
    incremental(site, out)
    risks = site / "content/risks.md"
    risks.write_text(risks.read_text() + "\nResults are guaranteed.\n")
    result, checked = pages_checked(site, out, monkeypatch)
    assert checked == ["risks.md"]
    assert [d.message.split(":")[0] for d in result.diagnostics if d.check == "claims"] == [
        'absolute claim "guaranteed" in the page text']
    assert result.diagnostics == clean(site, tmp_path / "clean").diagnostics
    assert pages_checked(site, out, monkeypatch)[1] == [], "nothing changed: nothing checked"


def test_a_finding_in_another_pages_title_follows_that_title(tmp_path, site, monkeypatch):
    """Every page's navigation shows the risks page's title: its claim is found there, in risks.md."""
    out = tmp_path / "out"
    base = site / "templates/base.html"
    base.write_text(base.read_text().replace("</a>{% endfor %}", "</a> {% endfor %}"))  # words apart
    risks = site / "content/risks.md"
    risks.write_text(risks.read_text().replace("title: Risks", "title: Guaranteed results"))
    first = incremental(site, out)
    assert {(d.path.name, d.line) for d in first.diagnostics if d.check == "claims"} == {("risks.md", 2)}
    index = site / "content/index.md"
    index.write_text(index.read_text() + "\nMore words.\n")
    risks.write_text(risks.read_text().replace("---\n", "---\n# moved down a line\n", 1))
    result, checked = pages_checked(site, out, monkeypatch)
    assert {(d.path.name, d.line) for d in result.diagnostics if d.check == "claims"} == {("risks.md", 3)}
    assert result.diagnostics == clean(site, tmp_path / "clean").diagnostics
    assert "guides/aftercare.md" in checked, "its navigation's claim was found in risks.md, which changed"


def test_a_stylesheet_change_renames_it_and_renders_the_pages_that_link_to_it(tmp_path, site):
    out = tmp_path / "out"
    incremental(site, out)
    (site / "static/style.css").write_text("body { color: black }\n")
    result = incremental(site, out)
    pages = {"index.html", "risks/index.html", "guides/aftercare/index.html"}
    fingerprinted = {path for path in result.changed if path.startswith("static/style.")}
    assert result.rendered == len(pages)  # each links to the stylesheet by its new fingerprinted name
    assert set(result.changed) == pages | {"style.css"} | fingerprinted
    assert len(fingerprinted) == 2  # the new name added, the old one removed
    assert len([p for p in (out / "static").iterdir() if p.name.startswith("style.")]) == 1


def test_a_new_title_re_renders_the_page_and_the_pages_that_list_it(tmp_path):
    site = make_site(tmp_path, {
        "templates/plain.html": """
            <!doctype html>
            <html lang="en"><head><title>{{ title }}</title><meta name="description" content="{{ page.meta.description }}">
            </head><body><h1>{{ page.meta.title }}</h1>{{ content }}</body></html>
            """,
        "content/standalone.md": "---\ntitle: Standalone\ndescription: No menu.\ntemplate: plain.html\n---\nText.\n",
    })
    out = tmp_path / "out"
    assert incremental(site, out).ok
    risks = site / "content/risks.md"
    risks.write_text(risks.read_text().replace("title: Risks", "title: Risks and side effects"))
    result = incremental(site, out)
    # Every page showing the main menu; not the one whose template shows no menu.
    assert result.rendered == 3 and "standalone/index.html" not in result.changed


def test_an_include_counts_only_for_the_pages_that_took_it(tmp_path):
    site = make_site(tmp_path, {
        "templates/page.html": """
            {% extends "base.html" %}
            {% block main %}<h1>{{ page.meta.title }}</h1>{{ content }}
            {% if page.meta.kind == "risks" %}{% include "_warning.html" %}{% endif %}
            {% endblock %}
            """,
        "templates/_warning.html": "<p class=warning>Call us.</p>\n",
    })
    out = tmp_path / "out"
    assert incremental(site, out).ok
    (site / "templates/_warning.html").write_text("<p class=warning>Call us now.</p>\n")
    result = incremental(site, out)
    assert (result.rendered, result.changed) == (1, ("risks/index.html",))


def many_pages(tmp_path: Path, count: int = 40) -> Path:
    pages = {f"content/section-{i % 4}/page-{i}.md": f"""
        ---
        title: Page {i}
        description: Page number {i}.
        order: {count - i}
        menu: {("main", "footer", "none", "none")[i % 4]}
        ---
        ## Part {i}

        Text with a [link](/risks/) and a list:

        - one
        - two
        """ for i in range(count)}
    site = make_site(tmp_path, pages)
    config = yaml.safe_load((site / "site.yaml").read_text())
    for check in CHECKS:  # generated prose would fail the content checks
        config["checks"].setdefault(check.NAME, {})["level"] = "off"
    (site / "site.yaml").write_text(yaml.safe_dump(config))
    return site


def test_parallel_rendering_gives_the_same_bytes_as_serial(tmp_path):
    site = many_pages(tmp_path)
    serial = build(BuildOptions(site=site, out=tmp_path / "serial", use_cache=False, jobs=1))
    parallel = build(BuildOptions(site=site, out=tmp_path / "parallel", use_cache=False, jobs=2))
    assert serial.ok and parallel.ok and serial.rendered == parallel.rendered == 43
    assert tree(tmp_path / "serial") == tree(tmp_path / "parallel")


def test_parallel_checking_finds_what_serial_finds(tmp_path):
    """Checked in workers, then kept in the cache, the findings are those of one process."""
    site = many_pages(tmp_path)
    (site / "site.yaml").write_text((site / "site.yaml").read_text().replace("level: 'off'", "level: warning")
                                    .replace("level: off", "level: warning"))
    (site / "content/section-1/page-5.md").write_text(
        "---\ntitle: Page 1\ndescription: Page number 1.\n---\nResults are guaranteed. [Gone](/nowhere/)\n")
    serial = build(BuildOptions(site=site, out=tmp_path / "serial", use_cache=False, jobs=1))
    parallel = build(BuildOptions(site=site, out=tmp_path / "parallel", jobs=2))
    assert {d.check for d in serial.diagnostics} >= {"claims", "links", "meta", "sections", "privacy"}
    assert serial.diagnostics == parallel.diagnostics
    assert build(BuildOptions(site=site, out=tmp_path / "parallel", jobs=2)).diagnostics == serial.diagnostics


def test_dependencies_recorded_in_workers_drive_the_next_build(tmp_path):
    site = many_pages(tmp_path)
    out = tmp_path / "out"
    build(BuildOptions(site=site, out=out, jobs=2))
    (site / "content/section-2/page-2.md").write_text("---\ntitle: Changed\ndescription: D.\nmenu: none\n---\nNew.\n")
    result = build(BuildOptions(site=site, out=out, jobs=2))
    assert (result.rendered, result.changed) == (1, ("section-2/page-2/index.html",))
    assert clean(site, tmp_path / "clean").ok and tree(out) == tree(tmp_path / "clean")


@pytest.mark.parametrize("damage", [
    lambda data: data[: len(data) // 2],  # cut short
    lambda data: data[:5] + bytes([data[5] ^ 0xFF]) + data[6:],  # one flipped byte in its header
    lambda data: bytes(100),  # zeros (an empty file is an empty database, not a damaged one)
    lambda data: b"not a cache at all",
])
def test_a_damaged_cache_gives_the_right_site_with_a_warning(tmp_path, site, damage):
    out = tmp_path / "out"
    incremental(site, out)
    cache = site / CACHE_DIR / CACHE_FILE
    risks = site / "content/risks.md"
    risks.write_text(risks.read_text().replace("Bruising is common.", "Bruising is very common."))
    cache.write_bytes(damage(cache.read_bytes()))
    result = incremental(site, out)
    [warning] = result.diagnostics
    assert (warning.path, warning.level) == (cache, "warning") and "build cache ignored" in warning.message
    assert result.rendered == 3 and result.written
    assert clean(site, tmp_path / "clean").ok and tree(out) == tree(tmp_path / "clean")
    assert incremental(site, out).diagnostics == (), "the next build has a good cache again"


def test_a_missing_output_folder_is_written_again_from_the_cache(tmp_path, site):
    out = tmp_path / "out"
    incremental(site, out)
    shutil.rmtree(out)
    result = incremental(site, out)
    assert (result.rendered, result.reused) == (0, 3) and result.written
    assert clean(site, tmp_path / "clean").ok and tree(out) == tree(tmp_path / "clean")


def test_the_summary_counts_pages_rendered_and_reused(tmp_path, site):
    out = tmp_path / "out"
    run_cli("build", "--site", site, "--out", out)
    result = run_cli("build", "--site", site, "--out", out)
    assert ": 0 rendered, 3 reused from the cache (0 errors, 0 warnings)" in result.stderr
    assert run_cli("build", "--site", site, "--out", out, "--quiet").stderr == ""


def test_a_cache_from_another_version_of_microsite_is_ignored_quietly(tmp_path, site):
    out = tmp_path / "out"
    incremental(site, out)
    with sqlite3.connect(site / CACHE_DIR / CACHE_FILE) as connection:
        connection.execute("UPDATE meta SET value = ? WHERE name = 'engine'", (b"another engine",))
    result = incremental(site, out)
    assert (result.diagnostics, result.rendered) == ((), 3)


def png(width: int, height: int) -> bytes:
    """The start of a PNG file: enough for its size to be read."""
    return b"\x89PNG\r\n\x1a\n" + (13).to_bytes(4, "big") + b"IHDR" + width.to_bytes(4, "big") + \
        height.to_bytes(4, "big") + b"\x08\x02\x00\x00\x00" + bytes(4)


def test_a_new_share_image_re_renders_the_page_that_shows_it(tmp_path):
    site = make_site(tmp_path, {"content/risks.md": """
        ---
        title: Risks
        description: What can go wrong.
        share_image:
          path: risks.png
          alt: A leg
        ---
        Text.
        """, "templates/page.html": """
        {% extends "base.html" %}{% block main %}<h1>{{ page.meta.title }}</h1>{{ content }}{% if share_image %}<p data-height="{{ share_image.height }}"></p>{% endif %}{% endblock %}
        """})
    (site / "static/risks.png").write_bytes(png(1200, 630))
    out = tmp_path / "out"
    incremental(site, out)
    (site / "static/risks.png").write_bytes(png(1200, 1200))
    result = incremental(site, out)
    assert {p for p in result.changed if not p.startswith("static/risks.")} == {"risks.png", "risks/index.html"}
    assert len(result.changed) == 4  # and the fingerprinted copy: the new one added, the old one removed
    assert clean(site, tmp_path / "clean").ok and tree(out) == tree(tmp_path / "clean")


def test_a_terminal_sees_a_progress_line_and_ci_does_not(tmp_path):
    site = many_pages(tmp_path)
    for env, shown in (({}, True), ({"CI": "true"}, False)):
        shutil.rmtree(site / CACHE_DIR, ignore_errors=True)
        leader, follower = pty.openpty()
        subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--site", str(site), "--jobs", "1"],
                       stderr=follower, stdout=subprocess.DEVNULL, timeout=120,
                       env=local_env(**env))
        os.close(follower)
        seen = os.read(leader, 65536).decode()
        os.close(leader)
        assert ("\rrendering " in seen) == shown, seen
        assert "built 43 pages" in seen
