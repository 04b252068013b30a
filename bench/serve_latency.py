"""Save-to-browser latency of `build.py serve`: the real server, the real browser, 20 saves.

    python bench/serve_latency.py                 # the default site
    python bench/serve_latency.py --pages 1000    # bench/corpus.py's generated site of 1,000 pages

Copies the site to a temporary folder, starts the preview server on a free port, opens a page
(/aftercare/ on the default site) in Debian's Chromium (Playwright), then saves its Markdown with a new
sentence and times the save until the browser has painted that sentence, with nothing but the
preview's own refresh: a page swapped in is timed by a MutationObserver and the next frame, a page
reloaded by its first-contentful-paint time (Playwright noticing the text would add its polling
delay). Saves are half a second apart, as a person saves, not a burst. Prints every time, how each
page was shown, the median and the worst. Goals: median ≤ 150 ms (default site), ≤ 300 ms
(1,000 pages).
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import corpus
from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CONNECTED = "() => window.LiveReload && window.LiveReload.connector.protocol > 0"
# Before a save: note when the page's text first holds `sentence` (a swapped-in body), and when the
# browser has painted it (the next animation frame, then the task after it: paint happens in between).
WATCH_FOR = """sentence => {
  window.probe = null;
  new MutationObserver((_, observer) => {
    if (document.body && document.body.textContent.includes(sentence)) {
      observer.disconnect();
      requestAnimationFrame(() => setTimeout(() => { window.probe = performance.timeOrigin + performance.now(); }));
    }
  }).observe(document, {childList: true, subtree: true, characterData: true});
}"""
# Once it shows: when the new page arrived and when it was painted, on the same clock as time.time()
# (ms since 1970). A swapped-in page: its fetch, and the probe. A reloaded one: its navigation and its
# first-contentful-paint (the probe went with the old document).
ARRIVED_AND_PAINTED = """() => {
  if (window.probe) {
    const fetched = performance.getEntriesByType("resource").filter(e => e.initiatorType === "fetch").pop();
    return [performance.timeOrigin + fetched.responseEnd, window.probe, "swapped"];
  }
  const navigation = performance.getEntriesByType("navigation")[0];
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  if (window.probe === null || !paint) return null;  // not painted yet
  return [performance.timeOrigin + navigation.responseEnd, performance.timeOrigin + paint.startTime, "reloaded"];
}"""


def default_site(root: Path) -> tuple[Path, str]:
    """A copy of this repository's site, and the page to edit."""
    site = root / "site"
    site.mkdir()
    for name in ("site.yaml", "content", "templates", "static"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, site / name)
        elif (REPO / name).is_file():
            shutil.copy(REPO / name, site / name)
    return site, "content/aftercare.md"


def generated_site(root: Path, pages: int) -> tuple[Path, str]:
    """bench/corpus.py's microsite corpus of `pages` pages, and the page to edit."""
    for name, text in corpus.configs(root).items():
        if name.startswith("microsite/"):
            corpus.write(root / name, text)
    for i in range(pages):
        corpus.write(root / "microsite/content" / f"{corpus.page_path(i)}.md", corpus.page(i, pages))
    return root / "microsite", f"content/{corpus.page_path(0)}.md"


def start_server(site: Path) -> tuple[subprocess.Popen, str]:
    server = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--port", "0"], cwd=site,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for line in server.stdout:
        if line.startswith("serving "):
            threading.Thread(target=server.stdout.read, daemon=True).start()  # keep the pipe from filling
            return server, re.search(r"http://\S+/", line).group(0)
    raise SystemExit("the server did not start")


def measure(url: str, site: Path, page_file: str, saves: int) -> tuple[list[float], list[float]]:
    """For each save: milliseconds until the new page arrived in the browser, and until it was painted."""
    path = site / page_file
    original = path.read_text()
    arrived, painted, ways = [], [], {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.goto(url + page_file.removeprefix("content/").removesuffix(".md") + "/")
        for n in range(saves):
            page.wait_for_function(CONNECTED)
            time.sleep(0.5)
            sentence = f"Latency probe {n}."
            page.evaluate(WATCH_FOR, sentence)
            saved = time.time() * 1000
            path.write_text(original.replace("\n---\n", f"\n---\n{sentence}\n\n", 1))
            page.wait_for_function(f"() => document.body && document.body.textContent.includes({sentence!r})",
                                   polling=5, timeout=30_000)
            response, paint, how = page.wait_for_function(ARRIVED_AND_PAINTED, polling=5).json_value()
            arrived.append(response - saved)
            painted.append(paint - saved)
            ways[how] = ways.get(how, 0) + 1
        browser.close()
    print("pages shown by: " + ", ".join(f"{how} {count}" for how, count in sorted(ways.items())))
    return arrived, painted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=0,
                        help="a generated site of this many pages (bench/corpus.py) instead of the default site")
    parser.add_argument("--saves", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        site, page_file = generated_site(Path(folder), args.pages) if args.pages else default_site(Path(folder))
        pages = len(list((site / "content").rglob("*.md")))
        server, url = start_server(site)
        try:
            arrived, painted = measure(url, site, page_file, args.saves)
        finally:
            server.terminate()
            server.wait()
    print("save to screen, ms: " + " ".join(f"{t:.0f}" for t in painted))
    print(f"{args.saves} saves, {pages} pages: median {statistics.median(painted):.0f} ms, "
          f"worst {max(painted):.0f} ms (the rebuilt page reached the browser after a median "
          f"{statistics.median(arrived):.0f} ms)")


if __name__ == "__main__":
    main()
