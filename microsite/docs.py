"""Keep the documentation of settings in step with the code: `python -m microsite.docs`.

The sections of docs/editing.md and docs/pages.md between `<!-- BEGIN GENERATED name … -->` and
`<!-- END GENERATED name -->` are written from the field schemas (pages.FRONT_MATTER,
config.SCHEMA), the checks' registry and the message catalogue (messages.MESSAGES), so they cannot
drift from what the build accepts and says. `--check` changes nothing and
exits 1 when a file is out of date (the test suite runs it).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from .checks.registry import CHECKS
from .checks.settings import CHECK_FIELDS, SITE_WIDE
from .config import SCHEMA
from .messages import MESSAGES
from .pages import FRONT_MATTER
from .scaffold import example_yaml, yaml_value
from .schema import Field

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = ("docs/editing.md", "docs/pages.md")
COMMAND = "python -m microsite.docs"
# Fields whose keys are sections of their own, explained in a section of the guide
EXPLAINED_ELSEWHERE = {"checks": "Each check and its settings are explained under [What each check means]"
                                 "(#what-each-check-means).\n"}
FIXES = {
    "sections": "Add the missing kind of page, for example `build.py new content/risks.md --kind risks`. The "
                "benefits page must link to the risks page, and the risks page to the benefits page.",
    "disclosures": "Say the missing thing, in words a patient will understand, on the page where it fits (most "
                   "often the overview or the procedure page). The check accepts any of the wordings listed below.",
    "review": "Ask the clinician to review the page, then fill in `reviewed:` with their name, role, "
              "registration number and the date of the review. When a review falls due, review the page again "
              "and update the date. List the evidence under `sources:`.",
    "readability": "Split long sentences in two, use everyday words, and keep paragraphs to a few sentences. The "
                   "message names the hardest sentences and their lines.",
    "glossary": "Add the word to the glossary page (the page with `kind: glossary`): the word on one line, then "
                "`:   ` and its meaning in plain words on the next.",
    "claims": "Reword it. Say what the treatment can do and how likely that is, without promises (such as "
              "'guaranteed' or 'permanent'), pressure (such as 'limited time' or discounts) or the names of "
              "prescription-only medicines in titles, descriptions, menus, picture descriptions or the home "
              "page. The message names the rule it breaks.",
    "comparisons": "List the evidence for the comparison under `sources:` in the page's settings (or link it in "
                   "the same paragraph), or say what each option can and cannot do without ranking them.",
    "frequencies": "Say how often each side effect happens, in words or numbers from a source: \"common (up to 1 "
                   "in 10 people)\", \"rare (up to 1 in 1,000)\".",
    "options": "Add doing nothing to the options: what happens without treatment, and that it is a choice "
               "the patient can make. The check accepts any of the wordings in its settings.",
    "privacy": "Remove what loads from another website (fonts, videos, maps, analytics): put the file in "
               "`static/`, or link to the other site instead. Make the privacy page say each statement listed "
               "below.",
    "links": "Correct the address; the message suggests the nearest page that exists. Links to the site's "
             "own pages start with `/`, like `/aftercare/`.",
    "accessibility": "Describe every picture in its `[ ]` text (what it shows, not its file name); use one main "
                     "heading (the title) and then `##` and `###` in order; give links words that say where they "
                     "go (not 'click here'); give tables a header row.",
    "meta": "Give every page a title and description of its own, no longer than the message says.",
}
SECTION = re.compile(r"(<!-- BEGIN GENERATED (?P<name>[\w-]+)[^\n]*-->\n)(?P<body>.*?)(<!-- END GENERATED (?P=name) -->)",
                     re.DOTALL)


def field_reference(fields: tuple[Field, ...], source: str) -> str:
    """Each field with what it means, whether it is needed, its keys and an example."""
    parts = [generated_from(source)]
    for field in fields:
        parts.append(f"#### `{field.name}` ({need(field)})\n\n{field.doc}\n")
        if field.name in EXPLAINED_ELSEWHERE:
            parts.append(EXPLAINED_ELSEWHERE[field.name])
        elif field.fields:
            parts.append(key_list(field.fields))
        if (field.name not in EXPLAINED_ELSEWHERE or field.example is not None) and (example := example_yaml(field)):
            parts.append(f"```yaml\n{example}```\n")
    return "\n".join(parts)


def checks_reference() -> str:
    """Each check of the registry: what it looks for, how to fix what it finds, and its settings."""
    settings = {f.name: f for f in CHECK_FIELDS}
    missing = [check.NAME for check in CHECKS if check.NAME not in FIXES]
    if missing:
        raise DocsError(f"no advice on fixing the {', '.join(missing)} check in FIXES (microsite/docs.py)")
    parts = [generated_from("microsite/checks/registry.py, microsite/checks/settings.py and FIXES in microsite/docs.py")]
    for check in CHECKS:
        field = settings[check.NAME]
        what = " ".join(check.__doc__.split()).partition(": ")[2]
        parts.append(f"#### `{check.NAME}`\n\n**What it checks:** {what}\n\n**How to fix what it finds:** "
                     f"{FIXES[check.NAME]}\n")
        parts += [statement_list(f) for f in field.fields if statements(f.default)]
        where = ("It is about the whole site, so it has no setting on a single page."
                 if check.NAME in SITE_WIDE else
                 f"To change its level on one page only, add `checks: {{{check.NAME}: warning}}` (or `off`) to "
                 "the page's settings.")
        parts.append(f"**Settings** in `site.yaml`, under `checks:` then `{check.NAME}:`. {where}\n\n"
                     + key_list(field.fields))
    return "\n".join(parts)


def key_list(fields: tuple[Field, ...]) -> str:
    return "\n".join(f"- `{f.name}` ({need(f)}): {f.doc}" for f in fields) + "\n"


def statements(value) -> bool:
    """Whether a default is a list of statements (a name and the wordings that say it)."""
    return bool(value) and isinstance(value, tuple) and all(hasattr(v, "phrases") for v in value)


def statement_list(field: Field) -> str:
    lines = [f"- {s.name}: " + ", ".join(f'"{p}"' for p in s.phrases) for s in field.default]
    return (f"**The statements, and wordings that count** (any one; `...` stands for any words in between, "
            f"within a paragraph; `{field.name}` replaces the list):\n\n" + "\n".join(lines) + "\n")


def field_table(fields: tuple[Field, ...]) -> str:
    rows = [f"| `{f.name}` | {'yes' if f.required else 'no'} | {f.doc} |" for f in fields]
    return "\n".join(["| field | required | what it means |", "|---|---|---|", *rows]) + "\n"


def need(field: Field) -> str:
    if field.required:
        return "required"
    default = field.default
    if default in (None, "", ()) or field.fields or statements(default):
        return "optional"
    return f"optional; if left out: `{yaml_value(list(default) if isinstance(default, tuple) else default)}`"


def message_table() -> str:
    """The messages about a page's settings, each as its example prints it, and what causes it."""
    rows = [f"| {_cell(m.shown)} | {_cell(m.cause)} |" for m in MESSAGES.values() if m.example is not None]
    return "\n".join([generated_from("`MESSAGES` in microsite/messages.py"), "| what you see | what causes it |",
                      "|---|---|", *rows]) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def generated_from(source: str) -> str:
    return f"*Generated from {source} by `{COMMAND}`: do not edit this section by hand.*\n"


class DocsError(Exception):
    """The code lacks something the documentation needs."""


SECTIONS = {
    "front-matter": lambda: field_reference(FRONT_MATTER, "`FRONT_MATTER` in microsite/pages.py"),
    "front-matter-table": lambda: field_table(FRONT_MATTER),
    "site-settings": lambda: field_reference(SCHEMA, "`SCHEMA` in microsite/config.py"),
    "checks": checks_reference,
    "messages": message_table,
}


def regenerate(text: str) -> tuple[str, list[str]]:
    """`text` with every generated section rewritten, and the names of unknown sections."""
    unknown = []

    def section(match: re.Match) -> str:
        if match["name"] not in SECTIONS:
            unknown.append(match["name"])
            return match[0]
        return match[1] + SECTIONS[match["name"]]() + match[4]

    return SECTION.sub(section, text), unknown


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    stale, status = [], 0
    for name in DOCUMENTS:
        path = args.root / name
        text = path.read_text(encoding="utf-8")
        try:
            new, unknown = regenerate(text)
        except DocsError as exc:
            print(f"{name}: error: {exc}", file=sys.stderr)
            return 1
        for section in unknown:
            print(f"{name}: error: unknown generated section '{section}' (known: {', '.join(SECTIONS)})",
                  file=sys.stderr)
            status = 1
        if new != text:
            stale.append(name)
            if not args.check:
                path.write_text(new, encoding="utf-8")
    for name in stale:
        print(f"{name}: out of date; run: {COMMAND}" if args.check else f"updated {name}", file=sys.stderr)
    return 1 if status or (args.check and stale) else 0


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=COMMAND, description="Rewrite the generated sections of the docs.")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a file is out of date")
    parser.add_argument("--root", type=Path, default=ROOT, help="the project folder (default: this checkout)")
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(main())
