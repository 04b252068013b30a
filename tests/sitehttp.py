"""A built site served over HTTP as Netlify or Cloudflare Pages would: with the headers of its _headers,
and text files gzipped.

The _headers reader follows both hosts' documented syntax and limits, so test_headers.py uses it to
check the file, and the browser tests get the Content-Security-Policy the host would send.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

MAX_RULES, MAX_LINE = 100, 2000  # Cloudflare Pages' limits (Netlify's are looser)
COMPRESSED = {".html", ".css", ".svg", ".xml", ".txt", ".js", ".json"}


def parse_headers(text: str) -> dict[str, dict[str, str]]:
    """{path pattern: {header name (lower case): value}}; fails on a line either host would refuse."""
    rules: dict[str, dict[str, str]] = {}
    current = None
    for number, line in enumerate(text.splitlines(), 1):
        assert len(line) < MAX_LINE, f"line {number} is {len(line)} characters"
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            assert line.startswith(("/", "https://")), f"line {number}: a path must start with / or https://"
            assert line.count("*") <= 1, f"line {number}: Cloudflare allows one splat per path"
            current = rules.setdefault(line.strip(), {})
            continue
        assert current is not None, f"line {number}: a header before any path"
        name, sep, value = line.strip().partition(":")
        if not sep and re.fullmatch(r"! [A-Za-z0-9-]+", name):
            # '! Name': Cloudflare drops the header earlier rules set; Netlify skips a line without a colon.
            current[name.lower()] = ""
            continue
        assert sep and re.fullmatch(r"[A-Za-z0-9-]+", name), f"line {number}: not 'Name: value'"
        assert name.lower() not in current, f"line {number}: {name} twice in one rule"
        current[name.lower()] = value.strip()
    assert len(rules) <= MAX_RULES, f"{len(rules)} rules"
    return rules


def matching(rules: dict[str, dict[str, str]], path: str) -> dict[str, list[str]]:
    """Every header a request for `path` gets, with every value when several rules give one."""
    found: dict[str, list[str]] = {}
    for pattern, headers in rules.items():
        if re.fullmatch(re.escape(pattern).replace(r"\*", ".*"), path):
            for name, value in headers.items():
                if name.startswith("! "):
                    found.pop(name[2:], None)
                else:
                    found.setdefault(name, []).append(value)
    return found


class _Handler(SimpleHTTPRequestHandler):
    rules: dict[str, dict[str, str]] = {}

    def do_GET(self) -> None:
        """Text files gzipped for a browser that accepts it, as the hosts send them."""
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        if not (path.is_file() and path.suffix in COMPRESSED and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().do_GET()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def end_headers(self) -> None:
        for name, values in matching(self.rules, self.path.split("?")[0]).items():
            self.send_header(name, ", ".join(values))
        super().end_headers()

    def send_error(self, code, message=None, explain=None):
        """A missing page gets the site's 404.html, as the hosts serve it."""
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:  # keep the test output quiet
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` on a free local port; yields the base address, e.g. 'http://127.0.0.1:41234'."""
    headers = folder / "_headers"
    rules = parse_headers(headers.read_text()) if headers.is_file() else {}
    handler = type("Handler", (_Handler,), {"rules": rules})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
