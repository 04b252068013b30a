"""What a build writes: clean nested URLs, drafts on request, identical bytes, untouched on failure."""

from __future__ import annotations

import re

from conftest import make_site, parse_html, run_cli


def tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_pages_get_clean_nested_urls(tmp_path, site):
    out = tmp_path / "out"
    result = run_cli("build", "--site", site, "--out", out)
    assert result.returncode == 0, result.stderr
    files = {re.sub(r"\.[0-9a-f]{8}\.", ".HASH.", name) for name in tree(out)}
    assert files == {"index.html", "risks/index.html", "guides/aftercare/index.html", "404.html", "sitemap.xml",
                     "robots.txt", "_headers", "style.css", "static/style.HASH.css"}
    assert re.fullmatch(r"built 3 pages in \d+\.\d\d s: 3 rendered, 0 reused from the cache "
                        r"\(0 errors, 0 warnings\)\n", result.stderr)
    nav = parse_html(out / "risks/index.html").xpath("//nav/a/@href")
    assert nav == ["/", "/risks/", "/guides/aftercare/"]


def test_python_build_py_alone_builds_the_current_folder_into_public(site):
    result = run_cli(cwd=site)
    assert result.returncode == 0, result.stderr
    assert (site / "public/risks/index.html").is_file()


def test_drafts_only_with_the_flag(tmp_path, site):
    run_cli("build", "--site", site, "--out", tmp_path / "plain")
    run_cli("build", "--site", site, "--out", tmp_path / "drafts", "--drafts")
    assert not (tmp_path / "plain/draft").exists()
    assert "/draft/" not in (tmp_path / "plain/sitemap.xml").read_text()
    assert parse_html(tmp_path / "drafts/draft/index.html").xpath("//h1/text()") == ["Unfinished"]


def test_slug_sets_the_last_part_of_the_address(tmp_path):
    site = make_site(tmp_path, {"content/guides/aftercare.md": """
        ---
        title: Aftercare
        description: Looking after yourself.
        slug: after-treatment
        ---
        Walk every day.
        """, "content/index.md": """
        ---
        title: Welcome
        description: The test clinic's home page.
        ---
        See [the guide](/guides/after-treatment/).
        """})
    run_cli("build", "--site", site, "--out", tmp_path / "out")
    assert (tmp_path / "out/guides/after-treatment/index.html").is_file()
    assert not (tmp_path / "out/guides/aftercare").exists()


def test_two_builds_are_byte_identical(tmp_path, site):
    run_cli("build", "--site", site, "--out", tmp_path / "one")
    (site / "static/style.css").touch()  # a newer modification time must not matter
    run_cli("build", "--site", site, "--out", tmp_path / "two")
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


def test_a_failed_build_leaves_the_previous_output_exactly_as_it_was(tmp_path, site):
    out = tmp_path / "out"
    assert run_cli("build", "--site", site, "--out", out).returncode == 0
    (out / "extra.txt").write_text("left by someone")
    before = tree(out)
    (site / "content/risks.md").write_text("---\ntitle: [broken\n---\n")
    result = run_cli("build", "--site", site, "--out", out)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == "not built: 1 error, 0 warnings; the output folder was left as it was"
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"], "no temporary folder is left behind"


def test_a_new_build_replaces_the_old_output_whole(tmp_path, site):
    out = tmp_path / "out"
    run_cli("build", "--site", site, "--out", out)
    (site / "content/risks.md").unlink()
    assert run_cli("build", "--site", site, "--out", out).returncode == 0
    assert not (out / "risks").exists()


def test_base_url_with_a_path_moves_every_link_under_it(tmp_path, site):
    out = tmp_path / "out"
    run_cli("build", "--site", site, "--out", out, "--base-url", "https://example.org/clinic/")
    home = parse_html(out / "index.html")
    assert re.fullmatch(r"/clinic/static/style\.[0-9a-f]{8}\.css", home.xpath("//link[@rel='stylesheet']/@href")[0])
    assert home.xpath("//link[@rel='canonical']/@href") == ["https://example.org/clinic/"]
    assert "/clinic/guides/aftercare/" in home.xpath("//main//a/@href")
    assert home.xpath("//nav/a/@href")[0] == "/clinic/"
    assert "<loc>https://example.org/clinic/risks/</loc>" in (out / "sitemap.xml").read_text()


def test_sitemap_lists_pages_with_their_review_dates(tmp_path, site):
    run_cli("build", "--site", site, "--out", tmp_path / "out")
    sitemap = (tmp_path / "out/sitemap.xml").read_text()
    assert "<url><loc>https://clinic.example/risks/</loc><lastmod>2026-03-12</lastmod></url>" in sitemap
    assert "404" not in sitemap


def test_pages_are_written_without_the_templates_indentation(tmp_path):
    site = make_site(tmp_path, {
        "templates/page.html": """
            {% extends "base.html" %}
            {% block main %}
              <article>
                <h1>{{ page.meta.title }}</h1>
                <pre>
              kept
                as written</pre>
                <textarea>  and
                here</textarea>
            {{ content }}
              </article>
            {% endblock %}
            """,
        "content/risks.md": """
            ---
            title: Risks
            description: What can go wrong.
            ---
            Code:

                def f():
                    return 1
            """})
    result = run_cli("build", "--site", site, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "out/risks/index.html").read_text(encoding="utf-8")
    assert "<article>\n<h1>Risks</h1>\n<pre>\n  kept\n    as written</pre>\n<textarea>  and\n    here</textarea>\n" in html
    assert "<pre><code>def f():\n    return 1\n</code></pre>" in html  # the page's own text is as written
    assert "\n</article>" in html


def test_values_from_front_matter_are_escaped(tmp_path):
    site = make_site(tmp_path, {"content/risks.md": """
        ---
        title: Risks <script>alert(1)</script>
        description: 'Quote " and <b>tags</b>'
        ---
        Text.
        """})
    run_cli("build", "--site", site, "--out", tmp_path / "out")
    page = parse_html(tmp_path / "out/risks/index.html")
    assert not page.xpath("//script") and not page.xpath("//b")
    assert page.xpath("//h1/text()") == ["Risks <script>alert(1)</script>"]
    assert page.xpath("//meta[@name='description']/@content") == ['Quote " and <b>tags</b>']
