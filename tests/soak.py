"""The soak of the preview server: many saves of random valid and invalid sources, then a valid one.

Shared by bench/soak (1,000 saves) and the promise 7 test (a few dozen). It starts the real server
(`build.py serve`) over a site folder, opens a page in Chromium (which livereload reloads after every
build), then saves random content into the site: pages, templates, site.yaml and the stylesheet,
valid or broken in every way the safety promises cover, alone or in bursts a few milliseconds apart,
deleting and re-creating pages and folders. In some pauses it fixes every file: the preview must then
be what a clean build makes. At the end it puts every file back, saves the page with a unique marker,
and checks that the browser shows it. The server's memory (its RSS and its children's) is sampled
all along.

The site must be a copy of tests/sites/basic: the valid saves are written to pass its checks.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from microsite.cache import CACHE_DIR
from microsite.pipeline import BuildOptions, build
from microsite.textfile import MAX_SOURCE_BYTES
from previewserver import CONNECTED, PREVIEW, Server

MB = 1024 * 1024
# End RSS may exceed the RSS after the warm-up by this much (see docs/safety.md, promise 7).
RSS_GROWTH_BOUND = 50 * MB
SHOWN_PAGE, SHOWN_FILE = "/risks/", "content/risks.md"
EXTRA_PAGES = ("content/extra.md", "content/more/page-1.md", "content/more/page-2.md")  # made and deleted here
WORDS = ("veins legs clinic nurse walk rest stockings bruising fades weeks small needle session skin water "
         "daily gently socks redness marks follow visit questions booking").split()
SERVER_FAILURES = re.compile(r"Traceback|internal error|Exception in callback")


@dataclass
class SoakReport:
    saves: int = 0  # random saves, then `restoring` saves putting every file back, then the marker's save
    restoring: int = 0
    invalid: int = 0  # saves of content that is wrong in itself (bad YAML, raw HTML, binary junk...)
    deletions: int = 0
    in_bursts: int = 0  # saves a few milliseconds after the one before
    warmup_saves: int = 0
    builds: int = 0  # builds the server reported (a build that changed nothing prints nothing)
    failed_builds: int = 0
    page_loads: int = 0  # pages the browser loaded, each reload after a build included
    error_pages: int = 0  # of which the page listing the site's problems
    server_output: list[str] = field(default_factory=list)
    server_failures: list[str] = field(default_factory=list)  # lines of tracebacks or internal errors
    stayed_up: bool = False  # until the end, when it is stopped with Ctrl-C
    exit_status: int | None = None
    checkpoints: int = 0  # pauses after fixing every broken file, where the preview must match a clean build
    stale: list[str] = field(default_factory=list)  # checkpoints where it did not
    final_page_right: bool = False
    same_as_clean_build: bool = False
    different_files: list[str] = field(default_factory=list)
    rss_start: int = 0
    rss_warm: int = 0
    rss_end: int = 0
    rss_max: int = 0
    seconds: float = 0.0

    def problems(self) -> list[str]:
        """What makes the soak fail."""
        if not self.stayed_up:
            return [f"the server died (exit status {self.exit_status})"]
        found = [f"server printed: {line}" for line in self.server_failures[:5]]
        if self.exit_status != 0:
            found.append(f"the server did not stop cleanly on Ctrl-C (exit status {self.exit_status})")
        if not self.final_page_right:
            found.append(f"the browser did not show {SHOWN_PAGE} with the marker")
        found += [f"after fixing every file, {what}" for what in self.stale[:5]]
        if not self.same_as_clean_build:
            found.append(f"the preview differs from a clean build: {', '.join(self.different_files[:10])}")
        if self.rss_end > self.rss_warm + RSS_GROWTH_BOUND:
            found.append(f"memory grew: {self.rss_end / MB:.1f} MB at the end, over {self.rss_warm / MB:.1f} MB after "
                         f"the warm-up + {RSS_GROWTH_BOUND / MB:.0f} MB")
        return found

    def summary(self) -> str:
        stayed = "stayed up" if self.stayed_up else "DIED"
        return "\n".join([
            f"saves: {self.saves} in {self.seconds:.0f} s ({self.invalid} invalid, {self.deletions} deletions, "
            f"{self.in_bursts} in bursts a few ms apart); warm-up: the first {self.warmup_saves}; then "
            f"{self.restoring} saves putting every file back and one valid save with a marker",
            f"builds reported by the server: {self.builds} ({self.failed_builds} with errors)",
            f"browser: {self.page_loads} page loads, {self.error_pages} of them the error page",
            f"server: {stayed}, exit status {self.exit_status}; tracebacks or internal errors printed: "
            f"{len(self.server_failures)}",
            f"pauses after fixing every file: {self.checkpoints}; the preview was not what a clean build makes "
            f"at {len(self.stale)} of them",
            f"final page right: {'yes' if self.final_page_right else 'NO'}; preview identical to a clean build: "
            f"{'yes' if self.same_as_clean_build else 'NO'}",
            f"RSS of the server and its children: start {self.rss_start / MB:.1f} MB, after warm-up "
            f"{self.rss_warm / MB:.1f} MB, end {self.rss_end / MB:.1f} MB, max {self.rss_max / MB:.1f} MB "
            f"(bound: end <= after warm-up + {RSS_GROWTH_BOUND / MB:.0f} MB)",
        ])


def soak(site: Path, browser, saves: int = 1000, seed: int = 0, log=lambda line: None) -> SoakReport:
    """Soak the preview server of `site` with `saves` random saves; `browser` is a Playwright browser."""
    report = SoakReport()
    started = time.monotonic()
    server = Server(site)
    memory = MemorySampler(server.process.pid)
    context = browser.new_context()
    try:
        page = context.new_page()
        page.on("response", lambda response: count_page_load(report, response))
        page.goto(server.url + SHOWN_PAGE.lstrip("/"))
        page.wait_for_function(CONNECTED)
        report.rss_start = memory.sample()
        editor = Editor(site, random.Random(seed))
        warmup = min(saves, max(len(editor.kinds), saves // 10))
        while editor.saves < saves and alive(server):
            editor.step(warming=editor.saves < warmup)
            if warmup <= editor.saves and not report.rss_warm:
                checkpoint(server, editor, report)
                report.rss_warm, report.warmup_saves = memory.sample(), editor.saves
                log(f"warm-up done after {editor.saves} saves: RSS {report.rss_warm / MB:.1f} MB")
            elif editor.rng.random() < 0.1:
                checkpoint(server, editor, report)
            if editor.saves // 100 > (editor.saves - editor.last_step) // 100:
                log(f"{editor.saves} saves, {server.builds()} builds, RSS {memory.sample() / MB:.1f} MB")
        report.saves, report.invalid, report.deletions = editor.saves, editor.invalid, editor.deletions
        report.in_bursts = editor.in_bursts
        if alive(server):
            marker = f"Soak marker {uuid.uuid4().hex}"
            editor.restore_all()
            report.restoring = editor.saves - report.saves
            editor.write(SHOWN_FILE, editor.original[SHOWN_FILE].replace(b"Bruising is common.",
                                                                         f"Bruising is common. {marker}.".encode()))
            report.final_page_right = shows(page, marker)
            wait_until_idle(server)
            report.rss_end = memory.sample()
            report.different_files = differences_from_clean_build(site, server.url)
            report.same_as_clean_build = not report.different_files
    except ConnectionError:  # the server died during a request
        pass
    finally:
        context.close()
        memory.stop()
        report.stayed_up = alive(server)
        report.exit_status = server.stop()
    report.rss_max = max(memory.samples, default=0)
    report.builds = server.builds()
    report.failed_builds = sum(1 for line in server.lines if line.startswith("not built"))
    report.server_output = server.lines
    report.server_failures = [line for line in server.lines if SERVER_FAILURES.search(line)]
    report.seconds = time.monotonic() - started
    return report


def alive(server: Server) -> bool:
    return server.process.poll() is None


def count_page_load(report: SoakReport, response) -> None:
    if response.request.is_navigation_request():
        report.page_loads += 1
        report.error_pages += response.status == 500


def shows(page, marker: str) -> bool:
    """Whether the browser comes to show the page with `marker`, as the page itself, not the error page."""
    try:
        page.locator("main").get_by_text(marker).wait_for(timeout=60_000)
    except Exception:  # Playwright's TimeoutError: the page never showed it
        return False
    return (page.url.endswith(SHOWN_PAGE) and page.locator("h1").inner_text() == "Risks"
            and page.locator("pre.problems").count() == 0)


def wait_until_idle(server: Server) -> int:
    """Until the server has built the last save (it builds in its event loop, so a request waits for it);
    then the status of the home page: 500 if the site has errors."""
    for pause in (0.5, 0.3):  # a save is reported within 0.1 s, and built within 0.1 s of the report...
        time.sleep(pause)
        status = server.get("/", timeout=300)[0]  # ...or after the build running then (seconds, for a huge page)
    return status


def checkpoint(server: Server, editor: Editor, report: SoakReport) -> None:
    """The editor fixes every broken file: the preview must recover, and be what a clean build makes."""
    editor.repair_all()
    status = wait_until_idle(server)
    report.checkpoints += 1
    different = differences_from_clean_build(editor.site, server.url)
    if status == 500 or different:
        report.stale.append(f"save {editor.saves}: the server shows {'errors' if status == 500 else status}; "
                            f"files that differ: {', '.join(different[:5]) or 'none'}")


def differences_from_clean_build(site: Path, url: str) -> list[str]:
    """The files of the preview that differ from (or are missing in) a build of the same sources with no cache."""
    with tempfile.TemporaryDirectory() as folder:
        clean = Path(folder) / "site"
        result = build(BuildOptions(site, clean, base_url=url, use_cache=False, fingerprint=False))
        if not result.written:
            return ["(the clean build failed: " + "; ".join(d.format() for d in result.diagnostics[:3]) + ")"]
        preview, built = files_under(site / PREVIEW), files_under(clean)
        return sorted(name for name in preview.keys() | built.keys() if preview.get(name) != built.get(name))


def files_under(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


class MemorySampler:
    """Samples the RSS of a process and its children every 50 ms, in a thread."""

    def __init__(self, pid: int):
        self.pid = pid
        self.samples: list[int] = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stopping.wait(0.05):
            self.sample()

    def sample(self) -> int:
        rss = tree_rss(self.pid)
        if rss:
            self.samples.append(rss)
        return rss

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join()


def tree_rss(pid: int) -> int:
    """Bytes of memory resident for the process `pid` and all its descendants (0 once it has gone)."""
    total = 0
    for process in (pid, *descendants(pid)):
        try:
            status = Path(f"/proc/{process}/status").read_text()
        except OSError:
            continue  # it ended meanwhile
        if found := re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE):
            total += int(found[1]) * 1024
    return total


def descendants(pid: int) -> list[int]:
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return []
    children = []
    for task in tasks:
        try:
            children += map(int, (task / "children").read_text().split())
        except OSError:
            continue
    return [found for child in children for found in (child, *descendants(child))]


class Editor:
    """Saves random content into the site, like a careless editor, and can put every file back."""

    def __init__(self, site: Path, rng: random.Random):
        self.site = site
        self.rng = rng
        self.original = {name: data for name, data in files_under(site).items() if not name.startswith(CACHE_DIR)}
        self.pages = sorted(name for name in self.original if name.endswith(".md"))
        self.saves = self.invalid = self.deletions = self.in_bursts = 0
        self.last_step = 0  # saves made by the last step
        self.to_fix: set[str] = set()  # files saved invalid, deleted, or pasted far too long: not put right since
        self.serial = 0  # makes each valid page's title and description its own
        self.kinds = [self.valid_page, self.valid_page_crlf_bom, self.long_page, self.huge_page_in_comments,
                      self.huge_page_of_code, self.huge_page_invalid_at_the_end, self.over_the_size_limit,
                      self.bad_yaml, self.misspelt_key, self.wrong_types, self.raw_html, self.unsafe_link,
                      self.invalid_utf8, self.utf16, self.control_character, self.empty_file, self.binary_junk,
                      self.half_written, self.yaml_tricks, self.no_front_matter, self.path_escape,
                      self.placeholder, self.broken_link, self.same_address, self.delete_page, self.delete_folder,
                      self.rename_page, self.template_valid, self.template_broken, self.site_yaml_valid,
                      self.site_yaml_broken, self.stylesheet, self.repair]
        slow = (self.long_page, self.huge_page_of_code)  # seconds to build: one save in a hundred
        self.weights = [1 if kind in slow else 4 for kind in self.kinds]
        self.untried = list(self.kinds)
        rng.shuffle(self.untried)

    # --- one step: a save, a burst of saves, then a pause -----------------------------------------------

    def step(self, warming: bool) -> None:
        """During the warm-up, each kind of save once; then random ones, sometimes in bursts. A save fixes a
        file broken before more often the more files are broken, so that the site builds now and then."""
        before = self.saves
        if warming and self.untried:
            self.untried.pop()()
        elif self.rng.random() < 0.15:
            for n in range(self.rng.randint(2, 8)):
                self.random_save()
                self.in_bursts += n > 0
                time.sleep(self.rng.uniform(0, 0.005))
        else:
            self.random_save()
        self.last_step = self.saves - before
        time.sleep(self.rng.choice((self.rng.uniform(0, 0.05), self.rng.uniform(0.1, 0.4))))

    def random_save(self) -> None:
        if self.rng.random() < 0.3 * len(self.to_fix):
            self.repair()
        else:
            self.rng.choices(self.kinds, self.weights)[0]()

    def write(self, name: str, data: bytes | str, invalid: bool = False) -> None:
        """Save a file as editors do: in place, or (often) to a temporary file renamed over it."""
        data = data.encode() if isinstance(data, str) else data
        path = self.site / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if self.rng.random() < 0.3:
            temporary = path.with_name(f".{path.name}.{self.saves}~")  # ignored by the watcher, like editors' files
            temporary.write_bytes(data)
            os.replace(temporary, path)
        else:
            path.write_bytes(data)
        self.saves += 1
        self.invalid += invalid
        (self.to_fix.add if invalid else self.to_fix.discard)(name)

    def delete(self, path: Path) -> None:
        """Delete a page or a folder; deleting one of the site's own pages breaks the links to it."""
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
        self.saves += 1
        self.deletions += 1
        folder = path.relative_to(self.site).as_posix()
        self.to_fix |= {name for name in self.original if name == folder or name.startswith(folder + "/")}

    def restore_all(self) -> None:
        """Every file as it was at the start, in one burst: extra files deleted, changed ones written back."""
        for path in sorted(self.site.rglob("*"), reverse=True):
            name = path.relative_to(self.site).as_posix()
            if name.startswith(CACHE_DIR) or name in self.original:
                continue
            if path.is_dir() and not any(self.original_under(name)):
                path.rmdir()
            elif not path.is_dir():
                self.delete(path)
        for name, data in self.original.items():
            path = self.site / name
            if not path.is_file() or path.read_bytes() != data:
                self.write(name, data)

    def original_under(self, folder: str):
        return (name for name in self.original if name.startswith(folder + "/"))

    # --- pages --------------------------------------------------------------------------------------

    def any_page(self) -> str:
        return self.rng.choice(self.pages + list(EXTRA_PAGES))

    def words(self, count: int) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(count))

    def sentences(self, count: int) -> str:
        return " ".join(self.words(self.rng.randint(4, 14)).capitalize() + "." for _ in range(count))

    def page_text(self, body: str | None = None, extra: str = "") -> str:
        """A page that builds on the basic site: its own title and description, headings that do not skip."""
        self.serial += 1
        front = (f"title: {self.words(2).capitalize()} {self.serial}\n"
                 f"description: About {self.words(5)}, number {self.serial}.\n"
                 f"order: {self.rng.randint(1, 99)}\n{extra}")
        if body is None:
            parts = []
            for _ in range(self.rng.randint(1, 6)):
                parts.append(self.rng.choice([
                    f"## {self.words(3).capitalize()}",
                    "\n".join(f"- {self.words(3)}" for _ in range(self.rng.randint(1, 4))),
                    f"Go back to [the home page](/). {self.sentences(1)}",
                    f"Write `<b>` in *code* and **bold**: {self.sentences(1)}",
                    self.sentences(self.rng.randint(1, 4)),
                ]))
            body = "\n\n".join(parts)
        return f"---\n{front}---\n{body}\n"

    def valid_page(self) -> None:
        self.write(self.any_page(), self.page_text())

    def valid_page_crlf_bom(self) -> None:
        self.write(self.any_page(), b"\xef\xbb\xbf" + self.page_text().replace("\n", "\r\n").encode())

    def long_page(self) -> None:
        """A long document pasted in whole: about 30 KB of prose, ten times the longest page."""
        self.write_too_long(self.page_text("\n\n".join(self.sentences(3) for _ in range(450))))

    def write_too_long(self, text: str) -> None:
        """A page that builds, though it is long enough to make every build slow: put right later."""
        name = self.any_page()
        self.write(name, text)
        self.to_fix.add(name)

    def huge_filler(self, prefix: str) -> str:
        """Lines of words starting with `prefix`, to bring a page close to the size limit."""
        line_count = (MAX_SOURCE_BYTES - 10_000) // 80
        return "\n".join(prefix + self.words(12)[:70] for _ in range(line_count))

    def huge_page_in_comments(self) -> None:
        """Just under the size limit, mostly YAML comments: allowed, and quick to build."""
        self.write_too_long(self.page_text(extra=self.huge_filler("# ") + "\n"))

    def huge_page_of_code(self) -> None:
        """Just under the size limit, a pasted log in a code block: allowed, and slow to build (seconds)."""
        self.write_too_long(self.page_text("```\n" + self.huge_filler("") + "\n```"))

    def huge_page_invalid_at_the_end(self) -> None:
        self.write(self.any_page(), self.page_text(self.huge_filler("")).encode() + b"\x93quoted\x94\n", invalid=True)

    def over_the_size_limit(self) -> None:
        self.write(self.any_page(), self.page_text("x" * (MAX_SOURCE_BYTES + 1)), invalid=True)

    def bad_yaml(self) -> None:
        broken = self.rng.choice(["title: [unclosed\n", "title: 'no end\n", "\ttitle: tab\n", "title: a: b: c\n",
                                  "- a list\ntitle: x\n", "title: x\n  description: indented\n", "{\n", ": :\n"])
        self.write(self.any_page(), f"---\n{broken}description: d\n---\nText.\n", invalid=True)

    def misspelt_key(self) -> None:
        right, wrong = self.rng.choice([("title:", "titel:"), ("description:", "descripton:"), ("order:", "ordre:")])
        self.write(self.any_page(), self.page_text().replace(right, wrong, 1), invalid=True)

    def wrong_types(self) -> None:
        extra = self.rng.choice(["draft: maybe\n", "menu: sideways\n", "kind: brochure\n", "next_review: 2026-13-45\n",
                                 "reviewed: yesterday\n", "sources: [1, 2]\n", "nav_title: [a, b]\n"])
        self.write(self.any_page(), self.page_text(extra=extra), invalid=True)

    def raw_html(self) -> None:
        html = self.rng.choice(["<div>pasted</div>", "<script>alert(1)</script>", '<img src=x onerror="alert(1)">',
                                "<!-- a note -->", '<span style="color:red">red</span>', "<iframe src=x></iframe>",
                                "*a*{: onclick=alert(1) }"])
        self.write(self.any_page(), self.page_text(f"{self.sentences(2)}\n\n{html}\n"), invalid=True)

    def unsafe_link(self) -> None:
        link = self.rng.choice(["[a](javascript:alert(1))", "[a](data:text/html,hi)", "[a](&#106;avascript:x)",
                                "![a](data:image/png;base64,AA)", "[a](vbscript:x)", "[a](java\tscript:x)"])
        self.write(self.any_page(), self.page_text(f"{self.sentences(1)} {link}\n"), invalid=True)

    def invalid_utf8(self) -> None:
        text = self.page_text().encode()
        at = self.rng.randrange(len(text))
        self.write(self.any_page(), text[:at] + b"\x93Windows quotes\x94" + text[at:], invalid=True)

    def utf16(self) -> None:
        self.write(self.any_page(), self.page_text().encode("utf-16"), invalid=True)

    def control_character(self) -> None:
        text = self.page_text()
        at = self.rng.randrange(len(text))
        self.write(self.any_page(), text[:at] + self.rng.choice(["\x1b[31m", "\x0b", "\x7f", "\x85"]) + text[at:],
                   invalid=True)

    def empty_file(self) -> None:
        self.write(self.any_page(), b"", invalid=True)

    def binary_junk(self) -> None:
        self.write(self.any_page(), self.rng.randbytes(self.rng.randint(1, 8192)), invalid=True)

    def half_written(self) -> None:
        """The file as it is half-way through a save: cut inside its front matter."""
        text = self.page_text()
        self.write(self.any_page(), text[:self.rng.randrange(1, text.index("\n---\n"))], invalid=True)

    def yaml_tricks(self) -> None:
        trick = self.rng.choice(["title: &a x\ndescription: *a\n", "title: !!python/object/apply:os.system [ls]\n",
                                 "title: !!binary aGk=\n", "title: x\ntitle: y\n",
                                 "title: " + "[" * 40 + "x" + "]" * 40 + "\n", "<<: {title: x}\n"])
        self.write(self.any_page(), f"---\n{trick}description: d\n---\nText.\n", invalid=True)

    def no_front_matter(self) -> None:
        self.write(self.any_page(), self.sentences(3) + "\n", invalid=True)

    def path_escape(self) -> None:
        extra = self.rng.choice(["slug: ../../etc\n", "template: ../../../etc/passwd\n", "slug: /absolute\n",
                                 "template: C:\\x.html\n", "slug: a\\u0000b\n"])
        self.write(self.any_page(), self.page_text(extra=extra), invalid=True)

    def placeholder(self) -> None:
        self.write(self.any_page(), self.page_text(f"TODO {self.sentences(1)}"), invalid=True)

    def broken_link(self) -> None:
        self.write(self.any_page(), self.page_text(f"See [the prices](/no-such-page/). {self.sentences(1)}"),
                   invalid=True)

    def same_address(self) -> None:
        """A new page whose address is an existing page's."""
        self.write(EXTRA_PAGES[0], self.page_text(extra="slug: risks\n"), invalid=True)

    def delete_page(self) -> None:
        existing = [name for name in self.pages + list(EXTRA_PAGES) if (self.site / name).is_file()]
        if existing:
            self.delete(self.site / self.rng.choice(existing))

    def delete_folder(self) -> None:
        """A folder of pages, or a whole source folder, or site.yaml deleted (each file comes back when it is
        saved again: the server must then watch the folder anew)."""
        chosen = self.site / self.rng.choice(["content/guides", Path(EXTRA_PAGES[-1]).parent.as_posix(), "content",
                                              "templates", "static", "site.yaml"])
        if chosen.exists():
            self.delete(chosen)

    def rename_page(self) -> None:
        """A page moved to another name, so to another address (moved back later)."""
        existing = [name for name in self.pages if (self.site / name).is_file()]
        if existing:
            name = self.rng.choice(existing)
            moved = f"content/moved-{self.saves}.md"
            os.replace(self.site / name, self.site / moved)
            self.saves += 1
            self.to_fix |= {name, moved}

    def repair_all(self) -> None:
        while self.to_fix:
            self.repair()

    def repair(self) -> None:
        """A file broken before put back as it was, a page saved whole, or a moved page's new name removed."""
        if not self.to_fix:
            return
        name = self.rng.choice(sorted(self.to_fix))
        if name in self.original or name in EXTRA_PAGES:
            self.write(name, self.original[name] if name in self.original else self.page_text())
        else:
            self.to_fix.discard(name)
            if (self.site / name).exists():
                self.delete(self.site / name)

    # --- templates, site.yaml, the stylesheet ---------------------------------------------------------

    def template_with(self, snippet: str) -> tuple[str, str]:
        """A template, and its text with `snippet` where it is rendered (a child template ignores text
        outside its blocks)."""
        name = self.rng.choice([n for n in self.original if n.startswith("templates/")])
        text = self.original[name].decode()
        if "{% extends" not in text:
            return name, text.replace("</body>", snippet + "</body>")
        if "{% endblock %}" in text:
            return name, text.replace("{% endblock %}", snippet + "{% endblock %}", 1)
        return name, text + "{% block main %}{{ super() }}" + snippet + "{% endblock %}"

    def template_valid(self) -> None:
        self.write(*self.template_with(f'<p class="note">{self.words(3)}</p>'))

    def template_broken(self) -> None:
        snippet = self.rng.choice(["{% if page %}", "{{ page.meta.title", "{% endblock %}", "{% for x in %}",
                                   "{{ nothing.here }}", "{{ site.name | no_such_filter }}",
                                   '{% include "missing.html" %}', '{% extends "base.html" %}', "{{ 1 / 0 }}",
                                   "{{ site.name.no_such_key }}", "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}"])
        name, text = self.template_with(snippet)
        self.write(name, self.rng.choice([text, b"\xff\xfe junk"]), invalid=True)

    def site_yaml_valid(self) -> None:
        text = self.original["site.yaml"].decode()
        self.write("site.yaml", text.replace("name: Test Clinic", f"name: Test Clinic {self.words(1)}"))

    def site_yaml_broken(self) -> None:
        text = self.original["site.yaml"].decode()
        broken = self.rng.choice([
            text.replace("name: Test Clinic", "nme: Test Clinic"),
            text.replace("name: Test Clinic\n", ""),
            text.replace("https://clinic.example/", "not a web address", 1),
            text + "checks:\n  claims: {level: loud}\n",
            text.replace("contact:", "contact: [", 1),
            text + "title_pattern: &x '{title}'\nlanguage: *x\n",
            "",
            "\x00\x01binary",
        ])
        self.write("site.yaml", broken, invalid=True)

    def stylesheet(self) -> None:
        css = self.rng.choice([f"body {{ color: #{self.rng.randrange(16 ** 6):06x}; }}\n", "", "body { color: ",
                               self.rng.randbytes(64)])
        self.write("static/style.css", css)
