"""The sample site's invented details, which a build for publishing refuses until each is replaced.

The repository's own site is a sample: its clinic, clinician and numbers are invented in forms that
nothing real has (an address under the reserved .example domain, RFC 2606; a phone number Ofcom
keeps for drama; a registration number in a form no regulator issues), and `sample: true` in
site.yaml says so. A local build says it in one line. A build for publishing (`--strict`, or any
build with CI set) gives one error per detail still to replace, unless it is told the sample may be
published (`--allow-sample`, which only the sample's own workflows pass). Once a clinic removes
`sample: true`, a build for publishing still refuses a registration number of the sample's form,
whatever the flags: no clinician has one. Reserved addresses and drama numbers are then left alone,
as test and example sites use them too.
"""

from __future__ import annotations

import re
from pathlib import Path

from .diagnostics import NOTICE, Diagnostic, error, plural
from .textfile import read_text

CHECK = "sample"
MARKER = re.compile(r"sample[ \t]*:")
REPLACE = "replace it with the clinic's own"
# (what it is, what to do, its form, whether a site no longer marked as a sample may still not publish it)
FORMS = (
    ("an address under the reserved .example domain", REPLACE,
     re.compile(r"[\w.+-]+@[\w.-]+\.example\b|\b[\w.-]+\.example\b", re.IGNORECASE), False),
    ("a phone number Ofcom keeps for drama", REPLACE, re.compile(
        r"\b(?:0(?:11[3-8]|1[2-6]1) ?496 ?0\d{3}|0191 ?498 ?0\d{3}|020 ?7946 ?0\d{3}|028 ?9649 ?6\d{3}"
        r"|029 ?2018 ?0\d{3}|01632 ?960 ?\d{3}|07700 ?900 ?\d{3}|\(?\d{3}\)?[ .-]?555[ .-]?01\d\d)\b"), False),
    ("a registration number in a form no regulator issues",
     "put the name, role and registration of the clinician who checked the page", re.compile(r"\bSAMPLE-\d+\b"),
     True),
)


def sample_findings(config_path: Path, sample: bool, files: list[Path], publishing: bool,
                    allow_sample: bool) -> list[Diagnostic]:
    """What to say of the sample's details in `config_path` and `files` (the pages and snippets)."""
    if not sample and not publishing:
        return []
    config_text = read_text(config_path)[0] or ""
    details = [found for path in [config_path, *files] for found in _details(path, sample)]
    if not sample:
        return details
    line = next((n for n, text in enumerate(config_text.split("\n"), 1) if MARKER.match(text)), 1)
    marker = error(config_path, line,
                   "'sample: true': this is the sample site, whose clinic is invented; replace its name, address, "
                   "opening hours and prices too, then remove this line", check=CHECK)
    if publishing and not allow_sample:
        return details + [marker]
    return [Diagnostic(marker.path, marker.line, 0, NOTICE,
                       f"this is the sample site: {plural(len(details) + 1, 'detail')} to replace before it is "
                       "published (a build with --strict or CI set lists them); its pages say it is a sample", CHECK)]


def _details(path: Path, sample: bool) -> list[Diagnostic]:
    """The sample details in `path`: of every form on the sample, else only those never real."""
    forms = [(what, advice, form) for what, advice, form, always in FORMS if sample or always]
    text = read_text(path)[0] or ""
    return [error(path, number, f"sample detail \"{match.group()}\", {what}: {advice}",
                  column=match.start() + 1, check=CHECK)
            for number, line in enumerate(text.split("\n"), 1) for what, advice, form in forms
            for match in form.finditer(line)]

