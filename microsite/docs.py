"""Keep the documentation of settings in step with the code: `python -m microsite.docs`.

The sections of docs/editing.md and README.md between `<!-- BEGIN GENERATED name … -->` and
`<!-- END GENERATED name -->` are written from the field schemas (pages.FRONT_MATTER,
config.SCHEMA), so they cannot drift from what the build accepts. `--check` changes nothing and
exits 1 when a file is out of date (the test suite runs it).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from .config import CONFIG_FILE, SCHEMA
from .pages import FRONT_MATTER
from .scaffold import example_yaml, yaml_value
from .schema import Field

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = ("docs/editing.md", "README.md")
COMMAND = "python -m microsite.docs"
SECTION = re.compile(r"(<!-- BEGIN GENERATED (?P<name>[\w-]+)[^\n]*-->\n)(?P<body>.*?)(<!-- END GENERATED (?P=name) -->)",
                     re.DOTALL)


def field_reference(fields: tuple[Field, ...], source: str) -> str:
    """Each field with what it means, whether it is needed, its keys and an example."""
    parts = [f"*Generated from `{source}` by `{COMMAND}`: do not edit this section by hand.*\n"]
    for field in fields:
        parts.append(f"#### `{field.name}` ({need(field)})\n\n{field.doc}\n")
        if field.fields:
            parts.append("\n".join(f"- `{child.name}` ({need(child)}): {child.doc}" for child in field.fields) + "\n")
        if example := example_yaml(field):
            parts.append(f"```yaml\n{example}```\n")
    return "\n".join(parts)


def field_table(fields: tuple[Field, ...]) -> str:
    rows = [f"| `{f.name}` | {'yes' if f.required else 'no'} | {f.doc} |" for f in fields]
    return "\n".join(["| field | required | what it means |", "|---|---|---|", *rows]) + "\n"


def need(field: Field) -> str:
    if field.required:
        return "required"
    if field.default not in (None, "", ()):
        return f"optional; if left out: `{yaml_value(field.default)}`"
    return "optional"


def checks_reference() -> str:
    return ("*Generated placeholder: this section lists every check, what it means and how to fix it, from the "
            f"checks' registry. No registry exists yet; once it does, `{COMMAND}` writes the list here.*\n")


SECTIONS = {
    "front-matter": lambda: field_reference(FRONT_MATTER, "microsite/pages.py"),
    "front-matter-table": lambda: field_table(FRONT_MATTER),
    "site-settings": lambda: field_reference(SCHEMA, "microsite/config.py"),
    "checks": checks_reference,
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
        new, unknown = regenerate(text)
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
