"""Time microsite and its peers on the benchmark corpus and print one table. Run through bench/run,
which installs the peers; this file only measures.

For every size N: a cold full build by each generator (no output, no cache), and for microsite also a
rebuild with nothing changed, after editing one page (the first such rebuild after a cold build is
shown on its own row: it also makes the spare output folder), and after editing the base template.
Each figure is the median of several runs (one run for a build over a minute); peak RSS is that of
the largest process of the run.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
MEASURE = BENCH / "measure.py"
LONG_RUN = 60.0  # seconds: a build this slow is run once, to keep a 10,000-page run within the hour


@dataclass(frozen=True)
class Tool:
    name: str
    command: list[str]
    cwd: Path
    outputs: tuple[Path, ...]  # removed before a cold build
    missing: str = ""  # why it cannot run


@dataclass(frozen=True)
class Row:
    size: int
    tool: str
    scenario: str
    seconds: float | None
    rss_mb: float | None
    note: str = ""


def tools(corpus: Path, bin_dir: Path, eleventy: Path) -> list[Tool]:
    python = sys.executable
    site = corpus / "microsite"
    found = {
        "hugo": shutil.which("hugo"),
        "pelican": (bin_dir / "pelican").exists(),
        "mkdocs": (bin_dir / "mkdocs").exists(),
        "eleventy": eleventy.exists() and shutil.which("node"),
    }
    why = {name: "" if ok else "missing: not installed (see install.log)" for name, ok in found.items()}
    return [
        Tool("microsite", [python, str(REPO / "build.py"), "build", "--site", str(site), "--quiet"], site,
             (site / "public", site / ".public.previous", site / ".microsite-cache")),
        Tool("hugo", ["hugo", "--quiet", "--source", str(corpus / "hugo")], corpus / "hugo",
             (corpus / "hugo/public", corpus / "hugo/resources"), why["hugo"]),
        Tool("pelican", [str(bin_dir / "pelican"), "-q", "-s", "pelicanconf.py", "-o", "output", "content"],
             corpus / "pelican", (corpus / "pelican/output", corpus / "pelican/__pycache__"), why["pelican"]),
        Tool("mkdocs", [str(bin_dir / "mkdocs"), "build", "-q"], corpus / "mkdocs", (corpus / "mkdocs/out",),
             why["mkdocs"]),
        Tool("eleventy", [str(eleventy), "--quiet"], corpus / "eleventy", (corpus / "eleventy/out",), why["eleventy"]),
        Tool("floor", [python, str(BENCH / "floor.py"), str(corpus / "floor"), str(corpus / "floor/out")],
             corpus / "floor", (corpus / "floor/out",)),
    ]


def measure(tool: Tool) -> tuple[float, float]:
    """One run: wall seconds and peak RSS in MB; raises on failure."""
    result = subprocess.run([sys.executable, str(MEASURE), *tool.command], cwd=tool.cwd,
                            capture_output=True, text=True)
    *_, last = result.stdout.strip().splitlines() or [""]
    seconds, rss_kb, status = last.split()
    if status != "0":
        raise RuntimeError(f"{tool.name} failed: {result.stderr.strip()[-400:]}")
    return float(seconds), int(rss_kb) / 1024


def median_of(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def clean(tool: Tool) -> None:
    for path in tool.outputs:
        shutil.rmtree(path, ignore_errors=True)


def cold(tool: Tool, size: int, runs: int) -> Row:
    if tool.missing:
        return Row(size, tool.name, "cold full build", None, None, tool.missing)
    try:
        results = []
        while len(results) < runs and not (results and results[-1][0] > LONG_RUN):
            clean(tool)
            results.append(measure(tool))
    except RuntimeError as exc:
        return Row(size, tool.name, "cold full build", None, None, f"failed: {exc}")
    return Row(size, tool.name, "cold full build", *median_of(results), count_pages(tool, size))


def count_pages(tool: Tool, size: int) -> str:
    """A note when a generator wrote fewer pages than the corpus has (it would be doing less work)."""
    out = next((p for p in tool.outputs if p.is_dir()), None)
    pages = sum(1 for _ in out.rglob("page-*/index.html")) if out else 0
    return "" if pages == size else f"wrote {pages} of {size} pages"


def microsite_rebuilds(tool: Tool, size: int, runs: int) -> list[Row]:
    site = tool.cwd
    page = next((site / "content").rglob(f"page-{size // 2}.md"))
    base = site / "templates/base.html"
    rows = []
    clean(tool)
    measure(tool)  # a cold build to start from
    rows.append(Row(size, tool.name, "rebuild, nothing changed", *median_of([measure(tool) for _ in range(runs)])))
    edits = []
    for run in range(runs + 1):
        with page.open("a", encoding="utf-8") as file:
            file.write(f"\nEdited, run {run}.\n")
        edits.append(measure(tool))
    rows.append(Row(size, tool.name, "rebuild, one page edited: first after a cold build", *edits[0]))
    rows.append(Row(size, tool.name, "rebuild, one page edited", *median_of(edits[1:])))
    template = []
    while len(template) < runs and not (template and template[-1][0] > LONG_RUN):
        with base.open("a", encoding="utf-8") as file:
            file.write(f"<!-- edited, run {len(template)} -->\n")
        template.append(measure(tool))
    rows.append(Row(size, tool.name, "rebuild, base template edited", *median_of(template)))
    return rows


def make_corpus(work: Path, size: int) -> Path:
    corpus = work / f"corpus-{size}"
    stamp = corpus / "corpus.stamp"
    identity = f"{size}\n{(BENCH / 'corpus.py').read_text()}"
    if not (stamp.exists() and stamp.read_text() == identity):
        shutil.rmtree(corpus, ignore_errors=True)
        subprocess.run([sys.executable, str(BENCH / "corpus.py"), str(size), str(corpus)], check=True)
        stamp.write_text(identity)
    return corpus


def table(rows: list[Row]) -> str:
    lines = ["| pages | generator | build | median time | pages/s | peak RSS | time vs microsite | RSS vs microsite | note |",
             "|---:|---|---|---:|---:|---:|---:|---:|---|"]
    for row in rows:
        ours = next(r for r in rows if r.size == row.size and r.tool == "microsite" and r.scenario == "cold full build")
        if row.seconds is None:
            lines.append(f"| {row.size:,} | {row.tool} | {row.scenario} | – | – | – | – | – | {row.note} |")
            continue
        time_ratio = f"{row.seconds / ours.seconds:.2f}×" if ours.seconds else "–"
        rss_ratio = f"{row.rss_mb / ours.rss_mb:.2f}×" if ours.rss_mb else "–"
        rate = f"{row.size / row.seconds:,.0f}" if row.scenario == "cold full build" else ""
        lines.append(f"| {row.size:,} | {row.tool} | {row.scenario} | {row.seconds:.2f} s | {rate} | "
                     f"{row.rss_mb:.0f} MB | {time_ratio} | {rss_ratio} | {row.note} |")
    return "\n".join(lines)


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), "0")
    versions = []
    for name, command in (("hugo", ["hugo", "version"]), ("node", ["node", "--version"])):
        if shutil.which(command[0]):
            versions.append(subprocess.run(command, capture_output=True, text=True).stdout.split("+")[0].strip())
    return (f"{cpu}, {len(os.sched_getaffinity(0))} cores, {int(memory) // 1024 // 1024} GiB, "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}; "
            f"{'; '.join(versions)}; load average at start {os.getloadavg()[0]:.1f}")


def goals(rows: list[Row], size: int) -> str:
    get = {(r.tool, r.scenario): r for r in rows if r.size == size and r.seconds is not None}
    cold = get.get(("microsite", "cold full build"))
    floor = get.get(("floor", "cold full build"))
    cores = len(os.sched_getaffinity(0))
    lines = [f"Goals at {size:,} pages:"]
    if cold and floor:
        limit = 1.3 * floor.seconds / cores
        lines.append(f"- cold build {cold.seconds:.2f} s; 1.3 × floor / {cores} cores = {limit:.2f} s: "
                     f"{'met' if cold.seconds <= limit else 'missed'}")
    for peer in ("pelican", "mkdocs", "eleventy"):
        if cold and (other := get.get((peer, "cold full build"))):
            lines.append(f"- faster than {peer} ({other.seconds:.2f} s): {'met' if cold.seconds < other.seconds else 'missed'}")
    nothing = get.get(("microsite", "rebuild, nothing changed"))
    hugo = get.get(("hugo", "cold full build"))
    if nothing:
        lines.append(f"- nothing changed {nothing.seconds:.2f} s < 1 s: {'met' if nothing.seconds < 1 else 'missed'}"
                     + (f"; < hugo {hugo.seconds:.2f} s: {'met' if nothing.seconds < hugo.seconds else 'missed'}"
                        if hugo else ""))
    if edit := get.get(("microsite", "rebuild, one page edited")):
        lines.append(f"- one page edited {edit.seconds:.2f} s < 0.3 s: {'met' if edit.seconds < 0.3 else 'missed'}")
    if cold:
        lines.append(f"- peak RSS {cold.rss_mb:.0f} MB < 400 MB: {'met' if cold.rss_mb < 400 else 'missed'}")
    small = next((r for r in rows if r.size == size // 10 and r.tool == "microsite" and r.scenario == "cold full build"), None)
    if cold and small and small.seconds:
        ratio = cold.seconds / small.seconds
        lines.append(f"- {size:,}/{size // 10:,} time ratio {ratio:.1f} ≤ 11: {'met' if ratio <= 11 else 'missed'}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/microsite-bench"))
    parser.add_argument("--eleventy", type=Path, default=Path("/tmp/microsite-bench/node/node_modules/.bin/eleventy"))
    args = parser.parse_args()
    bin_dir = Path(sys.executable).parent
    print(f"Machine: {machine()}", flush=True)
    rows: list[Row] = []
    for size in (int(s) for s in args.sizes.split(",")):
        corpus = make_corpus(args.work, size)
        for tool in tools(corpus, bin_dir, args.eleventy):
            print(f"  {size:,} pages: {tool.name} …", file=sys.stderr, flush=True)
            rows.append(cold(tool, size, args.runs))
            if tool.name == "microsite":
                rows += microsite_rebuilds(tool, size, args.runs)
    report = f"{table(rows)}\n\n{goals(rows, max(r.size for r in rows))}\n\nload average at end {os.getloadavg()[0]:.1f}"
    (args.work / "results.md").write_text(f"Machine: {machine()}\n\n{report}\n")
    print(report)


if __name__ == "__main__":
    main()
