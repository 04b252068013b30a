"""A site published under a sub-path works: served from a real HTTP server at /clinic/treatments/,
every same-site link and asset reachable from the home page answers 200."""

from __future__ import annotations

import json
import re
import threading
import urllib.error
import urllib.request
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import lxml.etree
import lxml.html
import pytest

from conftest import REPO, make_site, run_cli

BASE_URL = "https://example.org/clinic/treatments/"
SUB_PATH = urlsplit(BASE_URL).path
URL_ATTRIBUTES = ("href", "src", "poster", "action", "data")
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
                    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def serve(tmp_path):
    """serve(folder) → the http://127.0.0.1:port origin that serves `folder`; stopped after the test."""
    servers = []

    def start(folder: Path) -> str:
        server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(folder)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def build_under_sub_path(site: Path, tmp_path: Path) -> Path:
    """Build `site` for BASE_URL into www/clinic/treatments/; return www/, the server's root."""
    www = tmp_path / "www"
    result = run_cli("build", "--site", site, "--base-url", BASE_URL, "--out", www / SUB_PATH.strip("/"))
    assert result.returncode == 0, result.stderr
    return www


def crawl(origin: str) -> tuple[dict[str, int], list[str]]:
    """Visit every same-site URL reachable from the home page, the 404 page, the sitemap and
    robots.txt. Returns the status of each URL visited and the URLs found outside the sub-path."""
    queue = [origin + SUB_PATH + name for name in ("", "404.html", "sitemap.xml", "robots.txt")]
    status: dict[str, int] = {}
    outside = []
    while queue:
        url = queue.pop()
        if url in status:
            continue
        code, content_type, body = fetch(url)
        status[url] = code
        if code != 200:
            continue
        for found in references(url, content_type, body):
            local = same_site(found, origin)
            if local is None:
                continue
            if not urlsplit(local).path.startswith(SUB_PATH):
                outside.append(f"{found} (on {url})")
            queue.append(local)
    return status, outside


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, "", b""


def same_site(url: str, origin: str) -> str | None:
    """`url` on the local server if it belongs to the site (its own or the published address)."""
    url = urldefrag(url)[0]
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return None
    if f"{parts.scheme}://{parts.netloc}" == origin:
        return url
    if parts.netloc == urlsplit(BASE_URL).netloc:
        return origin + parts.path + (f"?{parts.query}" if parts.query else "")
    return None


def references(url: str, content_type: str, body: bytes) -> list[str]:
    """Every URL a page, stylesheet, sitemap or robots.txt points at, made absolute."""
    if content_type == "text/html":
        found = html_references(body)
    elif content_type == "text/css":
        found = [a or b for a, b in CSS_URL.findall(body.decode())]
    elif url.endswith("sitemap.xml"):
        found = [loc.text for loc in lxml.etree.fromstring(body).iter("{*}loc")]
    elif url.endswith("robots.txt"):
        found = [line.split(":", 1)[1].strip() for line in body.decode().splitlines()
                 if line.lower().startswith("sitemap:")]
    else:
        found = []
    return [urljoin(url, ref.strip()) for ref in found if ref and ref.strip()]


def html_references(body: bytes) -> list[str]:
    tree = lxml.html.fromstring(body)
    found = []
    for element in tree.iter(lxml.etree.Element):
        found += [element.get(name) for name in URL_ATTRIBUTES if element.get(name)]
        for name in ("srcset", "imagesrcset"):
            found += [candidate.split()[0] for candidate in (element.get(name) or "").split(",") if candidate.strip()]
        if element.tag == "meta" and re.match(r"(https?:)?/", element.get("content") or ""):
            found.append(element.get("content"))
        if element.tag == "style":
            found += [a or b for a, b in CSS_URL.findall(element.text or "")]
    for script in tree.iter("script"):
        if script.get("type") == "application/ld+json":
            found += json_urls(json.loads(script.text))
    return found


def json_urls(value) -> list[str]:
    if isinstance(value, dict):
        return [url for item in value.values() for url in json_urls(item)]
    if isinstance(value, list):
        return [url for item in value for url in json_urls(item)]
    return [value] if isinstance(value, str) and re.match(r"https?://", value) else []


def assert_all_reachable(status: dict[str, int], outside: list[str]) -> None:
    broken = {url: code for url, code in status.items() if code != 200}
    assert not broken, f"same-site URLs that are not 200: {broken}"
    assert not outside, f"same-site URLs outside {SUB_PATH}: {outside}"


def test_fixture_site_with_images_and_raw_html_works_under_a_sub_path(tmp_path, serve):
    site = make_site(tmp_path, {
        "content/gallery.md": """
            ---
            title: Gallery
            description: Pictures.
            ---
            ![A diagram of the veins in a leg](/images/leg.png){srcset="/images/leg.png 1x, /images/leg@2x.png 2x"}

            In raw HTML: <a href="/guides/aftercare/">aftercare</a> and <img src="/images/leg.png" alt="The veins in a leg">

            A [reference link][risks] and a [relative one](../risks/).

            [risks]: /risks/#side-effects
            """,
    })
    with (site / "site.yaml").open("a") as f:
        f.write("allowed_html: [a, img]\n")  # raw HTML is refused unless the site allows its tags
    (site / "static/images").mkdir()
    (site / "static/images/leg.png").write_bytes(PNG)
    (site / "static/images/leg@2x.png").write_bytes(PNG)
    origin = serve(build_under_sub_path(site, tmp_path))

    status, outside = crawl(origin)

    assert_all_reachable(status, outside)
    visited = {urlsplit(url).path for url in status}
    expected = {"", "risks/", "guides/aftercare/", "gallery/", "style.css", "images/leg.png", "images/leg@2x.png",
                "sitemap.xml", "robots.txt", "404.html"}
    assert {SUB_PATH + path for path in expected} <= visited


def test_default_site_works_under_a_sub_path(tmp_path, serve):
    origin = serve(build_under_sub_path(REPO, tmp_path))

    status, outside = crawl(origin)

    assert_all_reachable(status, outside)
    visited = {urlsplit(url).path for url in status}
    assert len({path for path in visited if path.endswith("/")}) >= 8, visited
    # the share image is only named by Open Graph tags and JSON-LD, so those URLs were followed too
    assert {SUB_PATH + name for name in ("share.png", "style.css", "favicon.ico", "glossary/")} <= visited


def test_crawl_reports_links_that_miss_the_sub_path(tmp_path, serve):
    """The crawl itself finds a root link that was not moved under the sub-path, and its 404."""
    www = tmp_path / "www"
    (www / SUB_PATH.strip("/")).mkdir(parents=True)
    (www / SUB_PATH.strip("/") / "index.html").write_text('<!doctype html><title>Home</title>'
                                                        '<a href="/risks/">not moved</a>', encoding="utf-8")
    origin = serve(www)

    status, outside = crawl(origin)

    assert status[origin + "/risks/"] == 404
    assert any(url.startswith(f"{origin}/risks/ ") for url in outside)
