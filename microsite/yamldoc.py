"""Safe YAML loading that remembers where every key and item came from.

Only plain data is accepted: no Python tags, no anchors or aliases (which can
blow up into enormous documents), no duplicate keys and no deep nesting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from .diagnostics import Diagnostic, error
from .messages import say
from .textfile import invalid_character

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_DEPTH = 32
PLAIN_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")}

KeyPath = tuple  # a path into the document: mapping keys and list indexes


@dataclass(frozen=True)
class YamlDoc:
    """A parsed document: its plain value and the (line, column) of every key and item."""

    path: Path
    value: Any
    positions: dict = field(default_factory=dict)
    first_line: int = 1

    def line(self, keys: KeyPath = ()) -> int:
        """The line of `keys`, or of its nearest ancestor that has one."""
        return self.position(keys)[0]

    def position(self, keys: KeyPath = ()) -> tuple[int, int]:
        keys = tuple(keys)
        while keys and keys not in self.positions:
            keys = keys[:-1]
        return self.positions.get(keys, (self.first_line, 0))


class _Refused(Exception):
    """A node this loader will not turn into data."""

    def __init__(self, node: yaml.Node, message: str):
        super().__init__(message)
        self.node = node


def parse_yaml(text: str, path: Path, first_line: int = 1) -> tuple[YamlDoc | None, list[Diagnostic]]:
    """Parse `text`, which starts at line `first_line` of `path`."""
    try:
        node = yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError as exc:
        line, column, message = _fault(text.split("\n"), exc)
        return None, [error(path, first_line + line, message, column=column + 1)]
    except (yaml.YAMLError, RecursionError):  # a character libyaml refuses, or nesting too deep for PyYAML's own
        line, column, message = invalid_character(text) or (1, 0, say("too_deep", depth=MAX_DEPTH))
        return None, [error(path, first_line + line - 1, message, column=column)]
    builder = _Builder(first_line, text.split("\n"))
    try:
        value = builder.build(node, (), 0) if node is not None else None
    except _Refused as exc:
        mark = exc.node.start_mark
        return None, [error(path, first_line + mark.line, str(exc), column=mark.column + 1)]
    return YamlDoc(path, value, builder.positions, first_line), []


# A setting's line: its indentation, a list item's '- ', its name, and what follows the colon.
SETTING = re.compile(r"(?P<indent> *)(?P<item>- +)?(?P<key>[^\s#'\"\[\]{}:-][^:]*?) *:(?P<rest>.*)")
NO_SPACE = re.compile(r" *(?:- +)?(?P<key>[A-Za-z_][\w-]*):(?P<value>[^\s/].*)")  # not an address's '//'
QUOTES = {'"': "double quotation mark (\")", "'": "single quotation mark (')"}
CLOSING = {"[": "]", "{": "}"}
RESERVED = "@`*&!%|>"  # characters a plain value cannot start with


def _fault(lines: list[str], exc: yaml.MarkedYAMLError) -> tuple[int, int, str]:
    """The 0-based line and column of the fault the parser stopped at, and what to do about it.

    Told from the text and the parser's marks rather than its wording, which differs between
    libyaml and PyYAML's own parser, so every computer gives the same message."""
    mark = exc.problem_mark or exc.context_mark
    last = max((i for i, text in enumerate(lines) if text.strip()), default=0)  # a mark at the end: the last line
    context, problem = exc.context or "", exc.problem or ""
    if found := _line_fault(lines[:min(mark.line, last) + 1]):
        return found
    if "nesting depth" in problem:  # libyaml's own limit (PyYAML's parser runs out of stack: see parse_yaml)
        return mark.line, mark.column, say("too_deep", depth=MAX_DEPTH)
    # An unclosed quote or bracket, or a line that is not a setting, is found where it starts
    starts = ("while scanning a quoted", "while parsing a flow", "while scanning a simple key")
    at = exc.context_mark if exc.context_mark and context.startswith(starts) else mark
    line, column = min(at.line, last), at.column
    if problem.startswith("mapping values are not allowed"):
        return _stray_colon(lines, line, column)
    return line, *_misread(lines, line, column, context)


def _line_fault(lines: list[str]) -> tuple[int, int, str] | None:
    """A fault a line shows by itself, up to where the parser stopped: a tab in its indentation, or no
    space after a setting's colon (which makes the setting and the lines after it one text)."""
    for i, text in enumerate(lines):
        indent = text[:len(text) - len(text.lstrip(" \t"))]
        if "\t" in indent:
            return i, indent.index("\t"), say("tab")
        if (bad := NO_SPACE.fullmatch(text)) and ": " not in text:
            return i, bad.end("key"), say("no_space", key=bad["key"], value=_quotable(bad["value"]))
    return None


def _stray_colon(lines: list[str], line: int, column: int) -> tuple[int, int, str]:
    """A ': ' where none can be: in a value that needs quotes, on a line indented more than the one
    above, or after a line that is not a setting (which the parser reads as the start of a key)."""
    setting = SETTING.fullmatch(lines[line])
    if setting and setting.end("key") < column:
        return line, column, say("colon", key=setting["key"], value=_quotable(setting["rest"]))
    before = next((i for i in range(line - 1, -1, -1) if lines[i].strip()), None)
    if before is not None and not SETTING.fullmatch(lines[before]) and not lines[before].lstrip().startswith("#"):
        return before, _indent(lines[before]), say("not_yaml")
    above = _above(lines, line)
    if not (setting and above):
        return line, _indent(lines[line]), say("not_yaml")
    return line, _indent(lines[line]), say("indented_more", key=setting["key"], above=above[1])


def _misread(lines: list[str], line: int, column: int, context: str) -> tuple[int, str]:
    """The column and message of a fault the parser found while reading a value or a block of settings."""
    text = lines[line]
    setting = SETTING.fullmatch(text)
    if not setting:
        return _indent(text), say("not_yaml")
    key, value, char = setting["key"], setting["rest"].strip(), text[column:column + 1]
    in_block = context.startswith("while parsing a block")
    if context.startswith("while scanning a quoted") and char in QUOTES:
        return column, say("unclosed_quote", quote=QUOTES[char], key=key)
    if context.startswith("while parsing a flow") and char in CLOSING:
        return column, say("unclosed_bracket", key=key, bracket=char, closing=CLOSING[char], value=_quotable(value))
    if in_block and column > _indent(text):
        return column, say("after_quote", key=key)
    if in_block and setting["item"] and not _is_item(lines, line):
        return column, say("stray_item")
    if in_block and (above := _above(lines, line)):
        more = "indented_more" if _indent(text) > above[0] else "indented_less"
        return _indent(text), say(more, key=key, above=above[1])
    if value[:1] and value[0] in RESERVED:
        return setting.start("rest") + setting["rest"].index(value[0]), \
            say("reserved_start", key=key, char=value[0], value=_quotable(value))
    return _indent(text), say("not_yaml")


def _indent(text: str) -> int:
    """Where a line's setting starts: after its spaces and a list item's '- '."""
    setting = SETTING.fullmatch(text)
    return setting.start("key") if setting else len(text) - len(text.lstrip())


def _above(lines: list[str], line: int) -> tuple[int, str] | None:
    """Where the name of the nearest setting above `line` starts, and the name."""
    for text in reversed(lines[:line]):
        if (setting := SETTING.fullmatch(text)) and not text.lstrip().startswith("#"):
            return setting.start("key"), setting["key"]
    return None


def _is_item(lines: list[str], line: int) -> bool:
    """Whether a '- ' line continues a list above it."""
    above = next((text for text in reversed(lines[:line]) if text.strip()), "")
    return above.lstrip().startswith("- ") or above.rstrip().endswith(":")


def _quotable(value: str, limit: int = 60) -> str:
    """A value as a message shows it between double quotes: its own double quotes made single, cut short if long."""
    value = value.strip().replace('"', "'")
    return value if len(value) <= limit else value[:limit] + "…"


def _short(value: str, limit: int = 60) -> str:
    """`value` quoted for a message, cut short if long."""
    return repr(value if len(value) <= limit else value[:limit] + "…")


class _Builder:
    """Turns composed nodes into plain values, recording positions on the way."""

    def __init__(self, first_line: int, lines: list[str]):
        self.first_line = first_line
        self.lines = lines
        self.positions: dict[KeyPath, tuple[int, int]] = {}
        self.seen: set[int] = set()
        self.scalars = SafeConstructor()

    def build(self, node: yaml.Node, keys: KeyPath, depth: int) -> Any:
        if id(node) in self.seen:
            raise _Refused(node, say("alias"))
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            raise _Refused(node, say("too_deep", depth=MAX_DEPTH))
        if node.tag not in PLAIN_TAGS:  # !!python/object, !!binary, !!set, a custom !tag …
            raise _Refused(node, say("tagged", key=keys[-1] if keys else "value", value=_quotable(self.written(node))))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, keys, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self._item(child, keys + (i,), depth) for i, child in enumerate(node.value)]
        try:
            value = self.scalars.construct_object(node)
        except (yaml.constructor.ConstructorError, ValueError, OverflowError) as exc:
            # e.g. an impossible date such as 2026-02-30, or a number with thousands of digits
            kind = "bad_date" if node.tag.endswith(":timestamp") else "bad_value"
            raise _Refused(node, say(kind, value=_short(node.value))) from exc
        if isinstance(value, str) and (problem := invalid_character(value)):
            raise _Refused(node, problem[2])
        return value

    def written(self, node: yaml.Node) -> str:
        """A value as it was written on its line, for a message that shows it in quotes."""
        return self.lines[node.start_mark.line][node.start_mark.column:]

    def _item(self, node: yaml.Node, keys: KeyPath, depth: int) -> Any:
        self._remember(keys, node)
        return self.build(node, keys, depth + 1)

    def _mapping(self, node: yaml.MappingNode, keys: KeyPath, depth: int) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _Refused(key_node, say("merge_key"))
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Refused(key_node, say("not_a_key"))
            key = self.build(key_node, keys, depth + 1)
            if not isinstance(key, (str, int)):
                key = str(key_node.value)
            if key in result:
                first = self.positions[keys + (key,)][0]
                raise _Refused(key_node, say("duplicate_key", key=key, first=first))
            self._remember(keys + (key,), key_node)
            result[key] = self.build(value_node, keys + (key,), depth + 1)
        return result

    def _remember(self, keys: KeyPath, node: yaml.Node) -> None:
        self.positions[keys] = (self.first_line + node.start_mark.line, node.start_mark.column + 1)
