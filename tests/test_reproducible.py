"""Reproducible builds: with SOURCE_DATE_EPOCH set, the same sources give the same bytes, whatever
the folder they are in, the folder built into, the working directory, the time zone or the hash seed."""

from __future__ import annotations

import time
from pathlib import Path

from conftest import REPO, copy_default_site, run_cli

# One moment for every build of the session (now, so the review check sees no review in the future).
BUILD_TIME = str(int(time.time()))


def build(site: Path, out: Path, cwd: Path, **env: str) -> dict[str, bytes]:
    result = run_cli("build", "--site", site, "--out", out, cwd=cwd, env={"SOURCE_DATE_EPOCH": BUILD_TIME, **env})
    assert result.returncode == 0, result.stderr
    return {path.relative_to(out).as_posix(): path.read_bytes() for path in sorted(out.rglob("*")) if path.is_file()}


def test_two_builds_from_copies_in_different_folders_are_byte_identical(tmp_path):
    first_site = copy_default_site(tmp_path / "one" / "site")
    second_site = copy_default_site(tmp_path / "two" / "a much" / "deeper folder")

    first = build(first_site, tmp_path / "out-one", cwd=first_site,
                  PYTHONHASHSEED="1", TZ="Europe/London", LC_ALL="C.UTF-8")
    second = build(second_site, tmp_path / "elsewhere" / "public", cwd=tmp_path,
                   PYTHONHASHSEED="2", TZ="Pacific/Auckland", LC_ALL="C")

    assert sorted(first) == sorted(second)
    assert len(first) >= 10  # every page, the 404 page, sitemap, robots.txt and static files
    different = [name for name in first if first[name] != second[name]]
    assert not different, f"files that differ between the two builds: {different}"


def test_output_names_no_folder_of_the_machine_that_built_it(tmp_path):
    site = copy_default_site(tmp_path / "site-folder-name")
    files = build(site, tmp_path / "out", cwd=tmp_path)

    leaks = [name for name, data in files.items()
             if any(part.encode() in data for part in (str(tmp_path), "site-folder-name", str(REPO)))]
    assert not leaks, f"files that mention a local folder: {leaks}"
