"""Static files: fingerprinted copies that pages link to, plain copies, stylesheets minified and relinked."""

from __future__ import annotations

import hashlib
import re

from conftest import make_site, parse_html, run_cli

FINGERPRINT = r"[0-9a-f]{8}"


def build(tmp_path, site, *args):
    out = tmp_path / "out"
    result = run_cli("build", "--site", site, "--out", out, *args)
    assert result.returncode == 0, result.stderr
    return out, result


def test_pages_link_to_a_copy_named_by_the_hash_of_its_content(tmp_path, site):
    out, _ = build(tmp_path, site)
    href = parse_html(out / "index.html").xpath("//link[@rel='stylesheet']/@href")[0]
    assert re.fullmatch(rf"/static/style\.{FINGERPRINT}\.css", href)
    served = (out / href.lstrip("/")).read_bytes()
    assert href.split(".")[-2] == hashlib.sha256(served).hexdigest()[:8]
    assert (out / "style.css").read_bytes() == (site / "static/style.css").read_bytes()  # the plain copy, as it is


def test_a_changed_file_gets_a_new_name_and_an_unchanged_one_keeps_it(tmp_path, site):
    first, _ = build(tmp_path / "a", site)
    (site / "static/logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 2"/>')
    second, _ = build(tmp_path / "b", site)
    (site / "static/style.css").write_text("body { color: #123; }\n")
    third, _ = build(tmp_path / "c", site)
    names = [sorted(p.name for p in (out / "static").iterdir()) for out in (first, second, third)]
    assert names[0] == [n for n in names[1] if n.startswith("style.")]
    assert [n for n in names[2] if n.startswith("logo.")] == [n for n in names[1] if n.startswith("logo.")]
    assert [n for n in names[2] if n.startswith("style.")] != [n for n in names[1] if n.startswith("style.")]


def test_names_do_not_depend_on_the_folder_or_machine(tmp_path):
    # Same sources in two different folders: same names (no paths, times or random seeds in the hash).
    outs = [build(tmp_path / name, make_site(tmp_path / name))[0] for name in ("one", "two")]
    assert [sorted(p.name for p in (out / "static").iterdir()) for out in outs][0] == \
        [sorted(p.name for p in (out / "static").iterdir()) for out in outs][1]


def test_stylesheets_are_minified_and_their_references_follow_the_fingerprints(tmp_path):
    site = make_site(tmp_path, {
        "static/style.css": """
            /* The site's look. */
            @import "parts/type.css";
            body {
              background: url(images/paper.png) repeat;
            }
            .logo { background-image: url("/images/paper.png#top"); }
            .remote { background: url(https://example.org/x.png); }
            """,
        "static/parts/type.css": "@font-face { font-family: Clinic; src: url('../fonts/clinic.woff2') format('woff2'); }\n",
        "static/fonts/clinic.woff2": "not really a font",
        "static/images/paper.png": "not really a picture",
    })
    out, result = build(tmp_path, site)
    assert "0 warnings" in result.stderr
    css = (out / parse_html(out / "index.html").xpath("//link[@rel='stylesheet']/@href")[0].lstrip("/")).read_text()
    assert "/*" not in css and "\n" not in css.strip()
    paper = re.search(rf"url\((images/paper\.{FINGERPRINT}\.png)\)", css).group(1)
    assert (out / "static" / paper).is_file()
    assert f'url("/static/{paper}#top")' in css
    assert "url(https://example.org/x.png)" in css
    imported = re.search(rf'@import "(parts/type\.{FINGERPRINT}\.css)"', css).group(1)
    font = re.search(rf'url\("(\.\./fonts/clinic\.{FINGERPRINT}\.woff2)"\)', (out / "static" / imported).read_text())
    assert font and (out / "static/parts" / font.group(1)).resolve().is_file()


def test_a_stylesheet_naming_a_missing_file_warns_at_its_line(tmp_path):
    site = make_site(tmp_path, {"static/style.css": "body {}\n.a { background: url(nothing.png); }\n"})
    _, result = build(tmp_path, site)
    assert "static/style.css:2: warning: 'nothing.png': no file static/nothing.png" in result.stderr


def test_a_template_naming_a_missing_static_file_is_an_error_at_its_line(tmp_path):
    site = make_site(tmp_path)
    base = site / "templates/base.html"
    base.write_text(base.read_text().replace("static('style.css')", "static('styles.css')"))
    result = run_cli("check", "--site", site)
    assert result.returncode == 1
    assert "templates/base.html:6: error: template: ValueError: static('styles.css'): there is no file " \
           "static/styles.css" in result.stderr


def test_the_fingerprint_folder_name_is_kept_for_fingerprinted_files(tmp_path):
    site = make_site(tmp_path, {"static/static/old.css": "a {}\n"})
    result = run_cli("check", "--site", site)
    assert result.returncode == 1
    assert "static/static: error: the folder name static/static/ is kept for fingerprinted files" in result.stderr


def test_a_sub_path_site_links_its_fingerprinted_files_under_the_path(tmp_path, site):
    out, _ = build(tmp_path, site, "--base-url", "https://example.org/clinic/")
    href = parse_html(out / "index.html").xpath("//link[@rel='stylesheet']/@href")[0]
    assert re.fullmatch(rf"/clinic/static/style\.{FINGERPRINT}\.css", href)
    assert (out / href.removeprefix("/clinic/")).is_file()


def test_a_cached_build_links_the_new_copy_after_a_stylesheet_changes(tmp_path, site):
    out = tmp_path / "out"
    assert run_cli("build", "--site", site, "--out", out).returncode == 0
    (site / "static/style.css").write_text("body { color: #123; }\n")
    second = run_cli("build", "--site", site, "--out", out)
    assert second.returncode == 0, second.stderr
    href = parse_html(out / "risks/index.html").xpath("//link[@rel='stylesheet']/@href")[0]
    assert (out / href.lstrip("/")).read_text() == "body{color:#123}"
