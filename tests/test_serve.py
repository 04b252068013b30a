"""`build.py serve`: the preview server as a subprocess, over HTTP and in a real browser."""

from __future__ import annotations

import http.client
import signal
import socket
import time
from pathlib import Path

import lxml.html
import pytest
from conftest import make_site, run_cli
from microsite.pipeline import BuildOptions, build
from previewserver import CONNECTED, PREVIEW, Server


@pytest.fixture
def server(tmp_path: Path):
    running = Server(make_site(tmp_path))
    yield running
    running.stop()


def save(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def problem_lines(site: Path) -> list[str]:
    """What `build.py check` prints about the site (each problem and its source line), run where the server runs."""
    return run_cli("check", cwd=site).stderr.splitlines()[:-1]


def heading(body: str) -> str:
    return lxml.html.fromstring(body).findtext(".//h1")


# --- over HTTP ---------------------------------------------------------------------------------

def test_serves_the_built_site_with_the_reload_script_only_in_the_response(server):
    status, body = server.get("/risks/")
    assert status == 200 and heading(body) == "Risks"
    assert lxml.html.fromstring(body).xpath("//head/script[starts-with(@src, '/livereload.js')]")
    preview = server.site / PREVIEW
    assert (preview / "risks/index.html").is_file()
    assert not any(b"livereload" in path.read_bytes() for path in preview.rglob("*") if path.is_file())
    assert not (server.site / "public").exists(), "the preview must not touch the folder that gets published"


def test_addresses_of_folders_and_missing_pages(server):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.request("GET", "/guides/aftercare?x=1")
    response = connection.getresponse()
    assert response.status == 301 and response.getheader("Location") == "/guides/aftercare/?x=1"
    status, body = server.get("/no-such-page/")
    assert status == 404 and heading(body) == "Page not found"
    assert server.get("/style.css") == (200, "body { color: #222; }\n")


def test_refuses_paths_outside_the_output(server):
    # The preview folder is SITE/.microsite-cache/preview/site: three levels up is the site's own folder.
    for path in ("/../../../site.yaml", "/%2e%2e/%2e%2e/%2e%2e/site.yaml", "/%2E%2E/%2e%2e/%2e%2e/../site/site.yaml",
                 "/..%2f..%2f..%2fsite.yaml", "/risks/../../../../site.yaml", "//etc/passwd", "/%2fetc%2fpasswd",
                 "/..\\..\\..\\site.yaml"):
        status, body = server.get(path)
        assert status in (403, 404), path
        assert "Test Clinic" not in body and "root:" not in body, path


def test_refuses_a_symlink_leading_outside_the_output(server):
    secret = server.site.parent / "secret.txt"
    save(secret, "do not serve me")
    (server.site / PREVIEW / "leak.txt").symlink_to(secret)
    (server.site / PREVIEW / "leak").symlink_to(server.site.parent, target_is_directory=True)
    for path in ("/leak.txt", "/leak/secret.txt"):
        status, body = server.get(path)
        assert status == 403 and "do not serve me" not in body


def test_error_page_shows_the_command_lines_problems_escaped(server):
    risks = server.site / "content/risks.md"
    save(risks, risks.read_text().replace("kind: risks", "kind: risks\n<b>bold</b>: 1"))
    status, body = server.wait_for("/risks/", lambda status, _: status == 500)
    assert status == 500
    expected = problem_lines(server.site)
    assert expected and expected[0].startswith("content/risks.md:5:1: error: ")
    assert expected[1:3] == ["  5 | <b>bold</b>: 1", "    | ^"], "the source line and a caret under the problem"
    problems = lxml.html.fromstring(body).find(".//pre")
    assert problems.text_content().splitlines() == expected
    assert len(problems) == 0, "the message must be escaped, not markup"
    assert "&lt;b&gt;bold&lt;/b&gt;" in body
    assert server.get("/style.css")[0] == 200, "files other than pages are still served"
    time.sleep(0.2)
    assert "content/risks.md:5:1: error: " in server.output, "the terminal shows the problem too"

    save(risks, risks.read_text().replace("<b>bold</b>: 1\n", ""))
    status, body = server.wait_for("/risks/", lambda status, _: status == 200)
    assert status == 200 and heading(body) == "Risks"


def files_in(folder: Path) -> dict[str, Path]:
    return {path.relative_to(folder).as_posix(): path for path in folder.rglob("*") if path.is_file()}


def identities(folder: Path) -> dict[str, tuple[int, int]]:
    """Each file's inode and modification time: both change when a file is written."""
    return {name: (path.stat().st_ino, path.stat().st_mtime_ns) for name, path in files_in(folder).items()}


@pytest.mark.parametrize("old, new, affected", [
    ("Bruising is common.", "Bruising fades.", {"risks/index.html"}),
    ("title: Risks", "title: Side effects", {"index.html", "risks/index.html", "guides/aftercare/index.html"}),
])
def test_a_save_rewrites_exactly_the_affected_pages_as_a_full_build_would(server, tmp_path, old, new, affected):
    preview = server.site / PREVIEW
    before = identities(preview)
    risks = server.site / "content/risks.md"
    save(risks, risks.read_text().replace(old, new))
    server.wait_for("/risks/", lambda status, body: new in body)
    after = identities(preview)
    assert {name for name in after if after[name] != before.get(name)} == affected
    full = tmp_path / "full"  # built as the preview builds (static files not fingerprinted), with no cache
    assert build(BuildOptions(server.site, full, base_url=server.url, use_cache=False, fingerprint=False)).ok
    built = files_in(full)
    assert sorted(built) == sorted(files_in(preview))
    assert all(built[name].read_bytes() == path.read_bytes() for name, path in files_in(preview).items())


def test_a_burst_of_saves_leads_to_a_few_builds_of_the_last_version(server):
    pages = [server.site / "content/risks.md", server.site / "content/guides/aftercare.md"]
    originals = [page.read_text() for page in pages]
    builds = server.builds()
    for n in range(50):
        page = n % 2
        save(pages[page], originals[page].replace("\n---\n", f"\n---\nSave number {n}.\n", 1))
        time.sleep(0.02)
    for path, last in (("/risks/", 48), ("/guides/aftercare/", 49)):
        status, body = server.wait_for(path, lambda status, body: f"Save number {last}." in body)
        assert f"Save number {last}." in body, f"{path} is stale"
    time.sleep(0.5)
    assert server.process.poll() is None
    assert 1 <= server.builds() - builds <= 5, server.output


def test_ctrl_c_stops_cleanly_and_frees_the_port(server):
    server.get("/")
    assert server.stop(signal.SIGINT) == 0
    assert "Traceback" not in server.output
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", server.port))


def test_a_port_in_use_is_a_clear_error(tmp_path):
    site = make_site(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--port", port, cwd=site)
    assert result.returncode == 2
    assert f"port {port}" in result.stderr and "in use" in result.stderr
    assert "Traceback" not in result.stderr


# --- in the browser ------------------------------------------------------------------------------

def open_preview(page, server: Server, path: str) -> None:
    page.goto(server.url + path.lstrip("/"))
    page.wait_for_function(CONNECTED)


def test_a_saved_page_appears_in_the_browser_by_itself(server, page):
    open_preview(page, server, "/risks/")
    risks = server.site / "content/risks.md"
    save(risks, risks.read_text().replace("Bruising is common.", "Bruising fades within two weeks."))
    main = page.locator("main")
    main.get_by_text("Bruising fades within two weeks.").wait_for(timeout=10_000)


def test_a_saved_page_is_swapped_in_without_reloading_and_keeps_its_scroll(server, page):
    page.set_viewport_size({"width": 400, "height": 300})
    open_preview(page, server, "/risks/")
    page.evaluate("window.notReloaded = true; window.scrollTo(0, 40)")
    scrolled = page.evaluate("window.scrollY")
    risks = server.site / "content/risks.md"
    save(risks, risks.read_text().replace("title: Risks", "title: Risks and side effects")
         .replace("Bruising is common.", "Bruising is common.\n\n" + "More words. " * 200))
    page.locator("h1", has_text="Risks and side effects").wait_for(timeout=10_000)
    assert page.evaluate("[window.notReloaded, window.scrollY, document.title.startsWith('Risks and side')]") == [
        True, scrolled, True]


def test_a_page_whose_head_changed_is_reloaded(server, page):
    open_preview(page, server, "/risks/")
    page.evaluate("window.notReloaded = true")
    risks = server.site / "content/risks.md"
    save(risks, risks.read_text().replace("description: What can go wrong.", "description: What may go wrong."))
    page.wait_for_function("() => window.notReloaded === undefined", timeout=10_000)
    assert page.locator("meta[name=description]").get_attribute("content") == "What may go wrong."


def test_broken_front_matter_shows_where_and_the_fix_brings_the_page_back(server, page):
    open_preview(page, server, "/risks/")
    risks = server.site / "content/risks.md"
    good = risks.read_text()
    save(risks, good.replace("title: Risks", "titel: Risks"))
    problems = page.locator("pre.problems")
    problems.wait_for(timeout=10_000)
    assert problems.inner_text().splitlines() == problem_lines(server.site)
    assert "content/risks.md:2:1: error: front matter: unknown key 'titel'" in problems.inner_text()
    page.wait_for_function(CONNECTED)
    save(risks, good)
    page.locator("h1", has_text="Risks").wait_for(timeout=10_000)


def test_a_stylesheet_change_restyles_the_page_without_reloading_it(server, page):
    # The preview links the plain copy of the stylesheet (not its fingerprinted name), so it is swapped in place.
    open_preview(page, server, "/risks/")
    page.evaluate("window.notReloaded = true")
    save(server.site / "static/style.css", "body { color: rgb(1, 2, 3); }\n")
    page.wait_for_function("() => getComputedStyle(document.body).color === 'rgb(1, 2, 3)'", timeout=10_000)
    assert page.evaluate("window.notReloaded === true")


def test_after_a_burst_of_saves_the_browser_shows_the_last_one(server, page):
    open_preview(page, server, "/risks/")
    risks = server.site / "content/risks.md"
    original = risks.read_text()
    for n in range(50):
        save(risks, original.replace("Bruising is common.", f"Save number {n}."))
        time.sleep(0.02)
    page.locator("main").get_by_text("Save number 49.").wait_for(timeout=10_000)


def test_a_page_that_missed_a_build_reloads_when_it_connects(server, page):
    """A page fetched just before a build and connected just after it: the cookie tells the server."""
    open_preview(page, server, "/risks/")
    page.evaluate("document.querySelector('main').dataset.stale = 'yes'")
    page.evaluate(f"document.cookie = 'microsite-preview-{server.port}=-1; path=/'")
    page.evaluate("window.LiveReload.connector.socket.close()")  # livereload.js connects again by itself
    # livereload.js waits before it connects again: longer on a busy machine.
    page.wait_for_function("() => !document.querySelector('main[data-stale]')", timeout=30_000)


def test_drafts_are_served_only_when_asked_for(tmp_path):
    site = make_site(tmp_path)
    with_drafts = Server(site, "--drafts")
    try:
        status, body = with_drafts.get("/draft/")
        assert status == 200 and heading(body) == "Unfinished"
    finally:
        with_drafts.stop()
    without = Server(site)
    try:
        assert without.get("/draft/")[0] == 404
    finally:
        without.stop()
