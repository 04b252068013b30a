"""Keeping the build inside the site: which files it may read, and which paths it may accept."""

from __future__ import annotations

import os
import re
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

from .diagnostics import Diagnostic, error

DRIVE = re.compile(r"^[a-zA-Z]:")
by_name = attrgetter("name")


def outside_site(path: Path, root: Path) -> Diagnostic | None:
    """The problem if `path` is, or leads through a link to, something outside the site folder."""
    try:
        target = path.resolve()
    except (OSError, RuntimeError):  # a loop of links
        return error(path, 0, "symbolic link loop; it was not followed")
    if target.is_relative_to(root.resolve()):
        return None
    return error(path, 0, f"symbolic link leading outside the site (to {target}); it was not followed")


class SiteFile(NamedTuple):
    """A file a folder scan found: its path, its path under the scanned folder, and its stat."""

    path: str  # a string: making 10,000 Path objects costs more than the whole scan
    rel: str  # with '/' separators
    mtime_ns: int
    size: int


def site_files(folder: Path, root: Path, suffix: str = "",
               skip: tuple[str, ...] = (".",)) -> tuple[list[Path], list[Diagnostic]]:
    """The files under `folder` ending in `suffix`, sorted, leaving out names starting with `skip`."""
    found, problems = scan_site_files(folder, root, suffix, skip)
    return sorted(Path(f.path) for f in found), problems


def scan_site_files(folder: Path, root: Path, suffix: str = "",
                    skip: tuple[str, ...] = (".",)) -> tuple[list[SiteFile], list[Diagnostic]]:
    """The files under `folder` ending in `suffix`, sorted, leaving out names starting with `skip`.

    Links are followed only while they stay inside `root`; each folder is visited once, so a
    link to a parent folder cannot loop. os.scandir, one stat per file and a path resolved only
    for a link: what a 10,000-page site can afford on every rebuild.
    """
    files: list[SiteFile] = []
    problems: list[Diagnostic] = []
    seen: set[str] = set()

    def visit(directory: str, real: str, prefix: str) -> None:
        """Add the files under `directory`, whose path with every link resolved is `real`."""
        if real in seen:
            return
        seen.add(real)
        try:
            with os.scandir(directory) as scan:
                entries = sorted(scan, key=by_name)
        except OSError as exc:
            problems.append(error(Path(directory), 0, f"cannot read folder: {exc.strerror or exc}"))
            return
        for entry in entries:
            if entry.name.startswith(skip):
                continue
            if entry.is_dir():
                if not entry.is_symlink():  # inside the site as its folder is: nothing to resolve
                    visit(entry.path, os.path.join(real, entry.name), f"{prefix}{entry.name}/")
                elif problem := outside_site(Path(entry.path), root):
                    problems.append(problem)
                else:
                    visit(entry.path, os.path.realpath(entry.path), f"{prefix}{entry.name}/")
            elif entry.name.endswith(suffix):
                if entry.is_symlink() and (problem := outside_site(Path(entry.path), root)):
                    problems.append(problem)
                elif entry.is_file():
                    stat = entry.stat()
                    files.append(SiteFile(entry.path, prefix + entry.name, stat.st_mtime_ns, stat.st_size))
                else:
                    problems.append(error(Path(entry.path), 0, "not a regular file (a broken link, a pipe or a "
                                                               "device); it was skipped"))

    if problem := outside_site(folder, root):
        return [], [problem]
    visit(str(folder), os.path.realpath(folder), "")
    # Each folder's entries in order of name, each subfolder's files where its name comes: already
    # the order of sorted paths.
    return files, problems


def relative_path_problem(text: str) -> str:
    """Why `text` cannot name a file inside a folder of the site ('' when it can)."""
    if "\0" in text:
        return "must not contain a NUL character"
    if "\\" in text:
        return f"must use '/' between folders, not '\\': {text!r}"
    if text.startswith("/") or DRIVE.match(text):
        return f"must be a path inside the site, not an absolute path: {text!r}"
    if ".." in text.split("/"):
        return f"must not go up a folder with '..': {text!r}"
    return ""
