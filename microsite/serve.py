"""`build.py serve`: build into a preview folder, serve it, rebuild on each save, reload the browser.

The browser side is livereload's: its livereload.js client and its websocket handler. The files
are served by a handler of our own, so that no address reaches outside the preview folder and a
failed build shows its problems in the browser instead of a stale page.
"""

from __future__ import annotations

import asyncio
import html
import json
import mimetypes
import re
import signal
import socket
import time
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from tornado import httpserver, netutil, web

from .cache import CACHE_DIR
from .cms import ADMIN_DIR, STATUS_FILE, local_proxy
from .diagnostics import NOTICE, SourceLines, display_path, format_text, internal_error
from .pipeline import BuildOptions, BuildResult, build
from .watch import SourceWatcher

PREVIEW_DIR = f"{CACHE_DIR}/preview"  # the preview's cache, and its output in site/: never public/
HEAD_END = b"</head>"
SWAPPED_IN_PLACE = re.compile(r"\.(css|jpe?g|png|gif)$", re.IGNORECASE)  # by livereload.js, without a reload
NOT_FOUND_PAGE = "404.html"
EXTRA_TYPES = {".yml": ("text/yaml", None)}  # the editor's config.yml, which Decap wants said to be YAML
PREVIEW_SCRIPT = Path(__file__).with_name("preview.js")
BURST_GAP = 0.25  # seconds: a save this soon after the one before is part of a burst...
BURST_QUIET = 0.1  # ...so wait until saves pause this long...
LONGEST_WAIT = 1.0  # ...but no longer than this after the first unbuilt save


@dataclass(frozen=True)
class ServeOptions:
    site: Path
    host: str
    port: int
    drafts: bool = False
    open_browser: bool = False
    jobs: int = 0  # worker processes for the first build (later builds render here: see _serve)
    use_cache: bool = True


def listen(host: str, port: int) -> list[socket.socket]:
    """The server's sockets, bound before anything else so a busy port fails at once (OSError)."""
    return netutil.bind_sockets(port, host)


def address(host: str, port: int) -> str:
    """The address to open: for a server on every interface, the local one."""
    shown = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
    return f"http://[{shown}]:{port}/" if ":" in shown else f"http://{shown}:{port}/"


def serve(options: ServeOptions, sockets: list[socket.socket], report: Callable[[BuildResult], None]) -> None:
    """Build, then serve until SIGINT or SIGTERM; `report` prints each build's problems and summary.
    With `cms:` in site.yaml, Decap's local proxy runs as long as the preview, and /admin/ saves through it."""
    with local_proxy(options.site) as (proxy, problems):
        for problem in problems:
            print(problem.format(), flush=True)
        asyncio.run(_serve(options, sockets, report, proxy))


async def _serve(options: ServeOptions, sockets: list[socket.socket], report: Callable[[BuildResult], None],
                 proxy: str | None) -> None:
    port = sockets[0].getsockname()[1]
    url = address(options.host, port)
    preview_dir = options.site / PREVIEW_DIR
    preview = Preview(BuildOptions(site=options.site, out=preview_dir / "site", base_url=url, drafts=options.drafts,
                                   cache_dir=preview_dir, use_cache=options.use_cache, jobs=options.jobs,
                                   fingerprint=False, editor=proxy), report)
    server = httpserver.HTTPServer(application(preview, port))
    server.add_sockets(sockets)  # requests wait for the first build: the loop is not running yet
    preview.rebuild()  # Ctrl-C here is a KeyboardInterrupt: nothing to shut down yet

    loop = asyncio.get_running_loop()
    stopped = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: loop.call_soon_threadsafe(stopped.set))
    watcher = SourceWatcher(options.site, lambda paths: loop.call_soon_threadsafe(preview.changed, paths))
    watcher.start()
    # Worker processes are forked, and forking a process that runs threads (the watcher's) can hang
    # the child: from now on pages render in this process, a few at a time thanks to the cache.
    preview.options = replace(preview.options, jobs=1)
    preview.rebuild()  # what was saved during the first build
    print(f"serving {display_path(options.site)} at {url} (press Ctrl-C to stop)", flush=True)
    if proxy:
        print(f"edit the pages in your browser at {url}{ADMIN_DIR}/", flush=True)
    if options.open_browser:
        loop.run_in_executor(None, webbrowser.open, url)
    await stopped.wait()

    server.stop()
    for browser in list(LiveReloadHandler.waiters):
        browser.close()
    watcher.stop()
    await server.close_all_connections()
    print("stopped", flush=True)


def application(preview: Preview, port: int) -> web.Application:
    served = {"preview": preview, "port": port}
    return web.Application([
        (r"/livereload", BrowserSocket, served),
        (r"/livereload.js", LiveReloadJSHandler),
        (r"/microsite-preview.js", PreviewScript),
        (rf"/{STATUS_FILE}", StatusHandler, served),
        (r"/(.*)", OutputHandler, served),
    ], log_function=lambda handler: None)


class Preview:
    """The preview folder and the last build: rebuilt after each burst of saves."""

    def __init__(self, options: BuildOptions, report: Callable[[BuildResult], None]):
        self.options = options
        self.root = options.out.resolve() if options.out else Path()
        self.report = report
        self.result = BuildResult()
        self.first_unbuilt: float | None = None  # when the first save not yet built was seen
        self.last_change = 0.0
        self.timer: asyncio.TimerHandle | None = None
        self.generation = 0  # counts the changes browsers were told of

    def changed(self, paths: set[Path]) -> None:
        """Rebuild at once after a single save; during a burst of saves, once they pause (or every second).

        The build itself finds what changed (the cache records what each page used), so `paths` only
        says that something did."""
        now = time.monotonic()
        self.first_unbuilt = self.first_unbuilt or now
        gap, self.last_change = now - self.last_change, now
        if self.timer:
            self.timer.cancel()
        in_burst = gap < BURST_GAP and now - self.first_unbuilt < LONGEST_WAIT
        self.timer = asyncio.get_running_loop().call_later(BURST_QUIET if in_burst else 0, self.rebuild)

    def rebuild(self) -> None:
        self.timer = self.first_unbuilt = None
        was_ok = self.result.ok
        try:
            self.result = build(self.options)
        except Exception as exc:  # a bug: shown like any problem (not as a traceback), and the next save builds again
            self.result = BuildResult(diagnostics=(internal_error(exc, self.options.site),))
        if not self.result.ok:
            self.report(self.result)
            self.reload_browsers(["*"])
            return
        if not was_ok or self.result.changed:
            self.report(self.result)
        if not was_ok or not all(SWAPPED_IN_PLACE.search(path) for path in self.result.changed):
            self.reload_browsers(["*"])
        elif self.result.changed:
            self.reload_browsers(["/" + path for path in self.result.changed])

    def reload_browsers(self, paths: list[str]) -> None:
        """Tell every connected browser what changed ('*': the page itself)."""
        self.generation += 1
        for browser in list(LiveReloadHandler.waiters):
            for path in paths:
                browser.send_message(reload_message(path))

    @property
    def failed(self) -> bool:
        return not self.result.ok

    def error_page(self) -> bytes:
        sources = SourceLines()  # each problem with its source line and a caret, as in the terminal
        lines = "\n".join(html.escape(format_text(problem, sources)) for problem in self.result.diagnostics)
        return ERROR_PAGE.format(lines=lines).encode()


def reload_message(path: str) -> dict:
    """livereload's protocol: reload `path`, a stylesheet in place, anything else by reloading the page."""
    return {"command": "reload", "path": path, "liveCSS": True, "liveImg": True}


def generation_cookie(port: int) -> str:
    return f"microsite-preview-{port}"  # cookies ignore the port: two previews must not share one


class BrowserSocket(LiveReloadHandler):
    """livereload's websocket, which also reloads a page that missed a change.

    A page requested just before a build and connected just after it was never told of that build:
    each page response carries the generation in a cookie, compared here once the browser says hello.
    """

    def initialize(self, preview: Preview, port: int) -> None:
        self.preview = preview
        self.port = port

    def on_message(self, message: str) -> None:
        super().on_message(message)
        if json.loads(message).get("command") == "info" and \
                self.get_cookie(generation_cookie(self.port)) != str(self.preview.generation):
            self.send_message(reload_message("*"))


ERROR_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>The site has errors</title>
<style>
body {{ font: 1rem/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #222; }}
h1 {{ color: #a40000; font-size: 1.5rem; }}
pre {{ background: #fff4f4; border-left: 4px solid #a40000; padding: 1rem; white-space: pre-wrap; }}
</style>
</head>
<body>
<h1>The site has errors</h1>
<p>Nothing was rebuilt. Fix these and save: this page reloads by itself.</p>
<pre class="problems">{lines}</pre>
</body>
</html>
"""


class OutputHandler(web.RequestHandler):
    """Files of the preview folder, and nothing outside it; pages get the reload script."""

    def initialize(self, preview: Preview, port: int) -> None:
        self.preview = preview
        self.port = port

    def compute_etag(self) -> None:
        return None  # every response is fresh: no "304 Not Modified" for a page just rebuilt

    def get(self, path: str) -> None:
        self.set_header("Cache-Control", "no-store")
        target = inside(self.preview.root, path)
        if target is None:
            self.send_error(403)
            return
        if target.is_dir() and not path.endswith("/") and path:
            self.redirect("/" + path + "/" + (f"?{self.request.query}" if self.request.query else ""), permanent=True)
            return
        if target.is_dir():
            target = target / "index.html"
        if path.startswith(ADMIN_DIR + "/") and target.is_file():
            self.send_plain(target)  # the editor: never reloaded under a half-filled form, nor replaced
        elif self.preview.failed and is_page(target):
            self.send_page(500, self.preview.error_page())
        elif target.is_file():
            self.send_file(target)
        elif self.preview.failed:
            self.send_page(500, self.preview.error_page())
        else:
            not_found = self.preview.root / NOT_FOUND_PAGE
            self.send_page(404, not_found.read_bytes() if not_found.is_file() else b"<!doctype html><title>Not found</title>")

    def send_file(self, target: Path) -> None:
        if is_page(target):
            self.send_page(200, target.read_bytes())
            return
        self.send_plain(target)

    def send_plain(self, target: Path) -> None:
        kind, encoding = EXTRA_TYPES.get(target.suffix) or mimetypes.guess_type(target.name)
        self.set_header("Content-Type", kind if kind and not encoding else "application/octet-stream")
        self.write(target.read_bytes())

    def send_page(self, status: int, page: bytes) -> None:
        self.set_status(status)
        self.set_cookie(generation_cookie(self.port), str(self.preview.generation))
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.write(with_reload_script(page, self.port))


def inside(root: Path, path: str) -> Path | None:
    """The file or folder under `root` that the URL path names, or None if it would lead outside.

    Tornado has already decoded %-escapes, so '%2e%2e' arrives here as '..'.
    """
    if "\0" in path or "\\" in path or any(part in (".", "..") for part in path.split("/")):
        return None
    target = (root / path).resolve()  # follows symlinks: one pointing outside is refused too
    return target if target.is_relative_to(root) else None


def is_page(target: Path) -> bool:
    return target.suffix in (".html", ".htm")


class PreviewScript(web.RequestHandler):
    """The plugin that refreshes a changed page by swapping in its new body (preview.js)."""

    def get(self) -> None:
        self.set_header("Content-Type", "text/javascript; charset=utf-8")
        self.write(PREVIEW_SCRIPT.read_bytes())


class StatusHandler(web.RequestHandler):
    """The last build's findings, which the editor at /admin/ shows as they change (admin.js)."""

    def initialize(self, preview: Preview, port: int) -> None:
        self.preview = preview

    def get(self) -> None:
        self.set_header("Cache-Control", "no-store")
        result, site = self.preview.result, self.preview.options.site
        self.write({"ok": result.ok,
                    "problems": [p.format(site) for p in result.diagnostics if p.level != NOTICE],
                    "notices": [p.format(site) for p in result.diagnostics if p.level == NOTICE]})


def with_reload_script(page: bytes, port: int) -> bytes:
    """The page with livereload's client and its page-swap plugin, loaded from this server (files, so a
    strict CSP allows them); the plugin first, as livereload.js adds the plugins it finds when it runs."""
    script = (b'<script src="/microsite-preview.js" defer></script>'  # defer: the text shows first
              + f'<script src="/livereload.js?port={port}" defer></script>'.encode())
    if HEAD_END in page:
        return page.replace(HEAD_END, script + HEAD_END, 1)
    return page + script
