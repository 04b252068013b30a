"""`build.py new`: start a page with every setting it needs, as placeholders to fill in.

The settings, their explanations and examples come from the front matter schema (pages.py), so a
new page always matches what the build expects. Placeholders say TODO, and the build refuses a page
that still has one, so a half-written page cannot be published.
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from .checks.settings import MEDICAL_KINDS
from .content import CONTENT_DIR, find_sources, parse_source
from .diagnostics import display_path
from .pages import FRONT_MATTER, PLACEHOLDER, page_url
from .schema import Field
from .textfile import read_text

COMMENT_WIDTH = 96
FILLED_IN = {"kind": lambda kind: kind, "menu": lambda kind: "footer" if kind == "privacy" else "main",
             "order": lambda kind: next(f.default for f in FRONT_MATTER if f.name == "order")}
OUTLINES = {
    "overview": ("What the treatment is", "Who the treatment is for", "Your consultation comes first"),
    "benefits": ("What the treatment can do", "How it compares with other options", "How long results last"),
    "procedure": ("Your consultation", "On the day", "How many sessions you may need"),
    "risks": ("Common side effects", "Rare but serious risks", "When to get urgent help"),
    "aftercare": ("Straight after treatment", "The first 2 weeks", "When to get help"),
    "faq": (f"{PLACEHOLDER}: a question patients ask",),
    "price": ("What affects the cost", "Your quote"),
    "privacy": ("Who looks after your information", "What this website does not do"),
    "glossary": ("Words on this site",),
    "page": (f"{PLACEHOLDER}: a heading",),
}
# What a page of each kind may be called: the examples shown for its title, menu label, address
# and description (the schema's own fit a risks page).
KIND_EXAMPLES = {
    "overview": ("About the treatment", "The treatment", "about-the-treatment",
                 "What the treatment is, who it is for, and what happens at your first visit."),
    "benefits": ("Benefits of treatment", "Benefits", "benefits",
                 "What the treatment can and cannot do, and how long its results last."),
    "procedure": ("What happens on the day", "The procedure", "procedure",
                  "Your consultation, what happens on the day of treatment, and how many sessions you may need."),
    "risks": ("Risks and side effects", "Risks", "side-effects",
              "The common, short-lived side effects of treatment, the rare serious ones, and when to get help."),
    "aftercare": ("Aftercare: the first week", "Aftercare", "aftercare",
                  "How to look after yourself after treatment, and when to get help."),
    "faq": ("Questions patients ask", "Questions", "questions",
            "Short answers to the questions patients ask us most often."),
    "price": ("Prices", "Prices", "prices", "What affects the cost of treatment, and how to get your own quote."),
    "privacy": ("Privacy", "Privacy", "privacy", "Who looks after your information, and what this website does not do."),
    "glossary": ("Medical words explained", "Glossary", "glossary",
                 "The medical words used on this site, each explained in plain words."),
    "page": ("About the clinic", "About us", "about-us", "Who we are, where to find us, and how to reach us."),
}
# The sections check wants benefits and risks to link to each other, and the options check wants the
# benefits page to weigh up having no treatment: both are written in.
# Each links to the site's page of the other kind where it has one (see `addresses_of_kinds`).
LINKS = {"benefits": "You can weigh these up against the [risks and side effects](/{risks}), and against having "
                     "no treatment.",
         "risks": "You can weigh these up against the [benefits](/{benefits})."}
GLOSSARY_ENTRY = (f"{PLACEHOLDER}: a medical word", f":   {PLACEHOLDER}: what it means, in plain words.")


@dataclass(frozen=True)
class NewPage:
    path: Path | None  # the file written, or None when nothing was
    problem: str = ""  # why nothing was written


def new_page(site: Path, target: str, kind: str) -> NewPage:
    """Write a page of `kind` at `target` (a path under content/; '.md' may be left off)."""
    path, problem = page_path(site, target)
    if problem:
        return NewPage(None, problem)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as file:  # "x": never replaces a file, even in a race
            file.write(page_text(kind, addresses_of_kinds(site) if kind in LINKS else {}))  # only these link
    except FileExistsError:
        return NewPage(None, f"{display_path(path)} already exists; edit it, or choose another name "
                             "(nothing was written)")
    return NewPage(path)


def page_path(site: Path, target: str) -> tuple[Path, str]:
    """Where `target` goes under the site's content folder, or why it cannot go there."""
    content = (site / CONTENT_DIR).resolve()
    path = Path(target)
    if not path.is_absolute():
        parts = path.parts[1:] if path.parts[:1] == (CONTENT_DIR,) else path.parts
        path = content.joinpath(*parts)
    if path.suffix != ".md":
        path = path.with_name(path.name + ".md")
    path = path.resolve()
    if not path.is_relative_to(content) or path == content:
        return path, (f"{target}: pages live in the content folder ({display_path(content)}/); "
                      "give a path such as content/aftercare.md")
    rel = path.relative_to(content).as_posix()
    if any(part.startswith((".", "_")) for part in rel.split("/")):
        return path, f"{target}: names starting with '.' or '_' are not built as pages; choose another name"
    _, problem = page_url(rel, None)
    return path, problem


def addresses_of_kinds(site: Path) -> dict[str, str]:
    """The address of the site's first page of each kind the links name ('risks/' when it has none),
    from the pages' front matter: a page that cannot be read is passed over."""
    addresses = {kind: f"{kind}/" for kind in LINKS}
    found: dict[str, str] = {}
    for file in find_sources(site)[0]:
        text = read_text(Path(file.path))[0]
        source = parse_source(Path(file.path), file.rel, text)[0] if text else None
        settings = source.front_matter.value if source else {}
        kind, slug = settings.get("kind"), settings.get("slug")
        if kind in addresses and kind not in found and (slug is None or isinstance(slug, str)):
            url, problem = page_url(file.rel, slug)
            if not problem:
                found[kind] = url
    return {**addresses, **found}


def page_text(kind: str, addresses: dict[str, str]) -> str:
    """The whole new page: front matter with comments, then an outline of its text."""
    lines = ["---",
             f"# This page's settings. Replace every {PLACEHOLDER} in this file, then run the check (build.py check).",
             "# docs/editing.md explains each setting; a line starting with # is only a note."]
    for field in FRONT_MATTER:
        lines += ["", *field_lines(field, kind)]
    lines += ["---", "", f"{PLACEHOLDER}: one or two sentences that say what this page is about.", ""]
    if kind in LINKS:
        lines += [LINKS[kind].format(**addresses), ""]
    section = GLOSSARY_ENTRY if kind == "glossary" else (f"{PLACEHOLDER}: write this section.",)
    for heading in OUTLINES[kind]:
        lines += [f"## {heading}", "", *section, ""]
    return "\n".join(lines)


def field_lines(field: Field, kind: str) -> list[str]:
    """A field's explanation as comments, then the field: filled in, a placeholder under an example
    to copy, or a commented-out example when the page does not need it."""
    needed = field.required or (field.name in ("reviewed", "sources") and kind in MEDICAL_KINDS)
    field = for_kind(field, kind)
    notes = comment(field.doc + (" Required." if field.required else ""))
    if field.name in FILLED_IN:
        return notes + [f"{field.name}: {yaml_value(FILLED_IN[field.name](kind))}"]
    if needed:
        return notes + placeholder_lines(field)
    return notes + [f"# {line}" for line in example_yaml(field).splitlines()]


def for_kind(field: Field, kind: str) -> Field:
    """The field with the example that fits a page of `kind`; a review dated today."""
    examples = dict(zip(("title", "nav_title", "slug", "description"), KIND_EXAMPLES[kind]))
    if field.name in examples:
        return replace(field, example=examples[field.name])
    if field.name == "reviewed":
        return replace(field, fields=tuple(replace(child, example=dt.date.today()) if child.type == "date" else child
                                           for child in field.fields))
    return field


def placeholder_lines(field: Field) -> list[str]:
    """`name: TODO` under an example to copy, each nested key explained; a list as one item to copy for more."""
    if field.fields:
        children = [line for child in field.fields
                    for line in comment(child.doc) + placeholder_lines(child)]
        if field.type != "list":
            return [f"{field.name}:", *indent(children, "  ")]
        first = next(i for i, line in enumerate(children) if not line.startswith("#"))
        return [f"{field.name}:", *indent(children[:first], "  "), *indent(children[first:first + 1], "  - "),
                *indent(children[first + 1:], "    ")]
    example = [f"# For example: {yaml_value(example_value(field))}"] if field.example is not None else []
    return [*example, f"{field.name}: {PLACEHOLDER}"]


def example_yaml(field: Field) -> str:
    """The field written out with its example (or default) value, as YAML; '' when it has neither."""
    value = example_value(field)
    if value is None:
        return ""
    return yaml.dump({field.name: value}, Dumper=_IndentedDumper, sort_keys=False, allow_unicode=True, width=10_000)


class _IndentedDumper(yaml.SafeDumper):
    """Indents a list under its key, as in the pages' own front matter."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)


def example_value(field: Field):
    if field.fields and field.example is None:
        keys = {child.name: example_value(child) for child in field.fields}
        keys = {name: value for name, value in keys.items() if value is not None} or None
        return [keys] if keys and field.type == "list" else keys
    value = field.example if field.example is not None else field.default
    if value in (None, "", ()):
        return None
    if field.type == "date" and isinstance(value, str):
        return dt.date.fromisoformat(value)  # written unquoted, as editors write dates
    return list(value) if isinstance(value, tuple) else value


def comment(text: str) -> list[str]:
    return textwrap.wrap(text, COMMENT_WIDTH, initial_indent="# ", subsequent_indent="# ")


def indent(lines: list[str], prefix: str) -> list[str]:
    return [prefix + line for line in lines]


def yaml_value(value) -> str:
    """A value as YAML would write it inline, quoted only where it must be, and then in double quotes
    (as editors know them): copied after its key, it reads back as the same value."""
    written = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000)
    written = written.removesuffix("\n...\n").strip()
    return json.dumps(value, ensure_ascii=False) if written.startswith("'") else written

