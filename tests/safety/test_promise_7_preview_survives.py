"""Promise 7: the preview server stays up through any bad input and bursts of saves, and recovers.

The build's part: pipeline.build never raises for bad input, so a preview that calls it on every save
keeps the last good site and shows the fixed site as soon as it builds. The server's part: the soak of
bench/soak (tests/soak.py), with a few dozen saves instead of a thousand.
"""

from __future__ import annotations

import random

from conftest import make_site, parse_html
from microsite import checking, pipeline, serve
from microsite.diagnostics import processing
from microsite.pipeline import BuildOptions, build
from microsite.serve import Preview
from microsite.incremental import load_page
from safety_helpers import DIAGNOSTIC, page
from soak import RSS_GROWTH_BOUND, soak

BAD_SAVES = [
    b"",  # the editor truncated the file before writing it
    b"---\ntitle: Half writ",  # saved mid-word
    b"---\ntitle: [\n---\n",
    b"\xff\xfe\x00b\x00a\x00d\x00",
    b"---\ntitle: t\ndescription: d\n---\n<script>alert(1)</script>\n",
    b"---\ntitle: t\ndescription: d\ntemplate: ../../../etc/passwd\n---\n",
    b"---\ntitle: &a x\ndescription: *a\n---\n",
    b"---\ntitle: t\ndescription: d\n---\n[x](javascript:alert(1))\n",
    b"\x00" * 100,
]


def test_bursts_of_bad_saves_never_raise_and_keep_the_last_good_site(tmp_path):
    site = make_site(tmp_path)
    out = tmp_path / "out"
    options = BuildOptions(site=site, out=out)
    assert build(options).written
    good = (out / "risks/index.html").read_bytes()
    saves = random.Random(5)
    for n in range(60):
        (site / "content/risks.md").write_bytes(saves.choice(BAD_SAVES))
        result = build(options)  # must not raise
        assert not result.ok and not result.written
        assert all(DIAGNOSTIC.match(d.format()) for d in result.diagnostics)
        assert (out / "risks/index.html").read_bytes() == good, n
    (site / "content/risks.md").write_text(page("title: Fixed at last\ndescription: d"))
    result = build(options)
    assert result.ok and result.written
    assert parse_html(out / "risks/index.html").findtext(".//h1") == "Fixed at last"


def test_site_yaml_deleted_during_a_build_is_not_an_internal_error(tmp_path, monkeypatch):
    """A save that deletes site.yaml while a build runs (the preview's soak found this one)."""
    site = make_site(tmp_path)
    loaded = pipeline.load_config

    def load_then_delete(*args):
        config = loaded(*args)
        (site / "site.yaml").unlink()
        return config
    monkeypatch.setattr(pipeline, "load_config", load_then_delete)
    assert build(BuildOptions(site=site, out=tmp_path / "out")).written  # built with the settings it had read
    monkeypatch.undo()
    result = build(BuildOptions(site=site, out=tmp_path / "out"))
    assert [d.format(site) for d in result.diagnostics] == [
        "site.yaml: error: no site.yaml here: is this a site folder?"]


def test_a_page_that_changes_while_its_broken_link_is_located_is_still_reported(tmp_path, monkeypatch):
    """The soak found this one: a save between reading a page and looking for where its link is written."""
    site = make_site(tmp_path)
    risks = site / "content/risks.md"
    risks.write_text(risks.read_text() + "\nSee [prices](/prices/).\n")
    options = BuildOptions(site=site, out=tmp_path / "out")
    assert not build(options).ok  # the page's findings are now kept in the build cache
    saved_meanwhile = lambda listing, *args: (None, []) if listing.source == str(risks) else load_page(listing, *args)
    monkeypatch.setattr(checking, "load_page", saved_meanwhile)
    result = build(options)  # must not raise
    assert [d.format(site) for d in result.diagnostics] == [
        'content/risks.md: error: link to "/prices/" goes nowhere: no page or file has that address '
        '(did you mean "/risks/"?) [links]']


def test_a_bug_during_a_preview_build_is_shown_as_one_problem_and_the_next_save_builds(tmp_path, monkeypatch):
    site = make_site(tmp_path)
    reported = []
    preview = Preview(BuildOptions(site=site, out=tmp_path / "out"), reported.append)

    def failing_build(options):
        with processing(site / "content/risks.md"):
            raise ValueError("a bug")
    monkeypatch.setattr(serve, "build", failing_build)
    preview.rebuild()  # must not raise
    assert preview.failed and reported[-1] is preview.result
    assert [d.format(site) for d in preview.result.diagnostics] == [
        "content/risks.md: error: internal error while processing this file (ValueError: a bug); please report it"]
    assert b"internal error while processing this file" in preview.error_page()
    monkeypatch.undo()
    preview.rebuild()
    assert not preview.failed and parse_html(tmp_path / "out/risks/index.html").findtext(".//h1") == "Risks"


def test_the_preview_server_survives_a_soak_of_random_saves(tmp_path, browser):
    report = soak(make_site(tmp_path), browser, saves=60, seed=7)
    # The soak did what it is for: broken saves, bursts, error pages, and pauses where every file was fixed.
    assert report.saves >= 60 and report.invalid >= 15 and report.in_bursts >= 5, report.summary()
    assert report.failed_builds >= 3 and report.error_pages >= 3 and report.checkpoints >= 2, report.summary()
    assert report.stayed_up and report.exit_status == 0, report.summary()
    assert report.server_failures == [], "\n".join(report.server_output)
    assert report.stale == [], report.summary()
    assert report.final_page_right, report.summary()
    assert report.different_files == [] and report.same_as_clean_build
    assert report.rss_end <= report.rss_warm + RSS_GROWTH_BOUND, report.summary()
    assert report.problems() == []
