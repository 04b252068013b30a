"""Safe YAML loading that remembers where every key and item came from.

Only plain data is accepted: no Python tags, no anchors or aliases (which can
blow up into enormous documents), no duplicate keys and no deep nesting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from .diagnostics import Diagnostic, error
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
        mark = exc.problem_mark or exc.context_mark
        line = first_line + mark.line if mark else first_line
        return None, [error(path, line, f"YAML: {_describe(exc)}", column=mark.column + 1 if mark else 0)]
    except (yaml.YAMLError, RecursionError) as exc:
        return None, [error(path, first_line, f"YAML: {exc}".splitlines()[0])]
    builder = _Builder(first_line)
    try:
        value = builder.build(node, (), 0) if node is not None else None
    except _Refused as exc:
        mark = exc.node.start_mark
        return None, [error(path, first_line + mark.line, str(exc), column=mark.column + 1)]
    return YamlDoc(path, value, builder.positions, first_line), []


def _describe(exc: yaml.MarkedYAMLError) -> str:
    parts = [p for p in (exc.context, exc.problem) if p]
    return "; ".join(parts) or "invalid YAML"


def _short(value: str, limit: int = 60) -> str:
    """`value` quoted for a message, cut short if long."""
    return repr(value if len(value) <= limit else value[:limit] + "…")


class _Builder:
    """Turns composed nodes into plain values, recording positions on the way."""

    def __init__(self, first_line: int):
        self.first_line = first_line
        self.positions: dict[KeyPath, tuple[int, int]] = {}
        self.seen: set[int] = set()
        self.scalars = SafeConstructor()

    def build(self, node: yaml.Node, keys: KeyPath, depth: int) -> Any:
        if id(node) in self.seen:
            raise _Refused(node, "YAML: anchors and aliases (& and *) are not supported; write the value out")
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            raise _Refused(node, f"YAML: nested more than {MAX_DEPTH} levels deep")
        if node.tag not in PLAIN_TAGS:  # !!python/object, !!binary, !!set, a custom !tag …
            raise _Refused(node, f"YAML: unsupported value tagged {_short(node.tag)}")
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, keys, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self._item(child, keys + (i,), depth) for i, child in enumerate(node.value)]
        try:
            value = self.scalars.construct_object(node)
        except (yaml.constructor.ConstructorError, ValueError, OverflowError) as exc:
            # e.g. an impossible date such as 2026-02-30, or a number with thousands of digits
            raise _Refused(node, f"YAML: invalid value {_short(node.value)}: {str(exc).splitlines()[0]}") from exc
        if isinstance(value, str) and (problem := invalid_character(value)):
            raise _Refused(node, f"YAML: {problem[2]}")
        return value

    def _item(self, node: yaml.Node, keys: KeyPath, depth: int) -> Any:
        self._remember(keys, node)
        return self.build(node, keys, depth + 1)

    def _mapping(self, node: yaml.MappingNode, keys: KeyPath, depth: int) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _Refused(key_node, "YAML: merge keys (<<) are not supported; write the keys out")
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Refused(key_node, "YAML: a key must be a plain word, not a list or mapping")
            key = self.build(key_node, keys, depth + 1)
            if not isinstance(key, (str, int)):
                key = str(key_node.value)
            if key in result:
                raise _Refused(key_node, f"YAML: duplicate key {key!r}")
            self._remember(keys + (key,), key_node)
            result[key] = self.build(value_node, keys + (key,), depth + 1)
        return result

    def _remember(self, keys: KeyPath, node: yaml.Node) -> None:
        self.positions[keys] = (self.first_line + node.start_mark.line, node.start_mark.column + 1)
