"""Helpers for the content-check tests: build a fixture site and list what one check found."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from unittest import mock

from microsite.pipeline import BuildOptions, build

BUILD_DAY = dt.date(2026, 11, 25)
REVIEW = """reviewed:
  by: Dr Ann Test
  role: Consultant vascular surgeon
  registration: GMC 1234567
  date: 2026-03-12
sources:
  - title: NHS
    url: https://www.nhs.uk/conditions/varicose-veins/"""


def run(site: Path, day: dt.date = BUILD_DAY, **options):
    epoch = int(dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.timezone.utc).timestamp())
    with mock.patch.dict(os.environ, {"SOURCE_DATE_EPOCH": str(epoch)}):
        return build(BuildOptions(site=site, **options))


def findings(site: Path, check: str, day: dt.date = BUILD_DAY, **options) -> list[tuple[str, int, int, str]]:
    """(file, line, column, level) of each finding of `check`, file relative to the site."""
    return sorted((d.path.relative_to(site).as_posix(), d.line, d.column, d.level)
                  for d in run(site, day, **options).diagnostics if d.check == check)


def messages(site: Path, check: str, day: dt.date = BUILD_DAY) -> list[str]:
    return [d.message for d in sorted(run(site, day).diagnostics) if d.check == check]


def page(front: str, body: str) -> str:
    """A page's source: front matter lines (plus the review block), then the body on line 3 + lines."""
    return f"---\n{front.strip()}\n{REVIEW}\n---\n{body.lstrip()}"
