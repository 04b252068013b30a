"""Declarative field schemas and their validation against a located YAML document.

The schemas for site.yaml and for page front matter are data (see config.py and
pages.py), so the same definition validates input, fills defaults and documents
each field for editors.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import urlsplit

from .diagnostics import Diagnostic, error
from .messages import say
from .sitepaths import relative_path_problem
from .yamldoc import KeyPath, YamlDoc

WEB_SCHEMES = ("http", "https")


@dataclass(frozen=True)
class Field:
    """One key of a mapping: its type, whether it is required, and what it means."""

    name: str
    type: str  # text, integer, boolean, date, url, level, path, mapping, list
    doc: str
    required: bool = False
    default: Any = None
    example: Any = None
    fields: tuple["Field", ...] = ()  # the keys of a mapping, or of each list item
    item: str = ""  # the type of each list item when it is not a mapping
    build: Callable | None = None  # makes the value of a mapping (a dataclass)
    choices: tuple = ()
    schemes: tuple[str, ...] = WEB_SCHEMES


@dataclass(frozen=True)
class Validator:
    """Validates mappings of one document, reporting with the document's positions."""

    doc: YamlDoc
    prefix: str = ""  # e.g. "front matter: "

    def mapping(self, value: Any, fields: tuple[Field, ...], keys: KeyPath = ()) -> tuple[dict, list[Diagnostic]]:
        """The validated values of `fields` (defaults filled in) and the problems found."""
        if not isinstance(value, dict):
            what = f"'{_name(keys)}'" if keys else "the settings"
            return {}, [self._error(keys, f"{what} {say('not_mapping', kind=_kind(value))}")]
        known = {f.name: f for f in fields}
        unknown = {key: _closest(str(key), known) for key in value if key not in known}
        problems = [self._unknown(key, keys, close) for key, close in unknown.items()]
        result = {}
        for f in fields:
            if value.get(f.name) is None:
                if f.required and f.name not in unknown.values():  # a misspelt key is one fault, not two
                    problems.append(self._error(keys, say("missing_key", name=_name(keys + (f.name,)), key=f.name)))
                result[f.name] = f.default
                continue
            converted, found = self.value(value[f.name], f, keys + (f.name,))
            problems += found
            result[f.name] = converted if not found else f.default
        return result, problems

    def value(self, value: Any, f: Field, keys: KeyPath) -> tuple[Any, list[Diagnostic]]:
        if f.type == "mapping":
            values, problems = self.mapping(value, f.fields, keys)
            return (f.build(**values) if f.build and not problems else values), problems
        if f.type == "list":
            return self._list(value, f, keys)
        return self._scalar(value, f.type, f, keys)

    def _list(self, value: Any, f: Field, keys: KeyPath) -> tuple[Any, list[Diagnostic]]:
        if not isinstance(value, list):
            return None, [self._error(keys, f"'{_name(keys)}' {say('not_list', kind=_kind(value))}")]
        items, problems = [], []
        for i, item in enumerate(value):
            if f.fields:
                values, found = self.mapping(item, f.fields, keys + (i,))
                converted = f.build(**values) if f.build and not found else values
            else:
                converted, found = self._scalar(item, f.item, f, keys + (i,))
            items.append(converted)
            problems += found
        return tuple(items), problems

    def _scalar(self, value: Any, type_: str, f: Field, keys: KeyPath) -> tuple[Any, list[Diagnostic]]:
        converted, problem = CONVERTERS[type_](value, f)
        if problem:
            return None, [self._error(keys, f"'{_name(keys)}' {problem}")]
        if f.choices and converted not in f.choices:
            return None, [self._error(keys, f"'{_name(keys)}' " + say("not_choice", choices=", ".join(map(str, f.choices)),
                                      value=repr(converted), suggestion=_suggestion(str(converted), map(str, f.choices))))]
        return converted, []

    def _unknown(self, key: Any, keys: KeyPath, close: str | None) -> Diagnostic:
        return self._error(keys + (key,), say("unknown_key", name=_name(keys + (key,)), suggestion=_did_you_mean(close)))

    def _error(self, keys: KeyPath, message: str) -> Diagnostic:
        line, column = self.doc.position(keys)
        return error(self.doc.path, line, self.prefix + message, column=column)


def _suggestion(word: str, candidates) -> str:
    return _did_you_mean(_closest(word, candidates))


def _did_you_mean(close: str | None) -> str:
    return f" (did you mean '{close}'?)" if close else ""


def _closest(word: str, candidates) -> str | None:
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return close[0] if close else None


def _name(keys: KeyPath) -> str:
    return ".".join(str(k) if not isinstance(k, int) else f"[{k + 1}]" for k in keys).replace(".[", "[")


def _kind(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, (dt.date, dt.datetime)):
        return "a date"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of keys"
    return "text"


def _text(value: Any, f: Field) -> tuple[Any, str]:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None, say("not_text", kind=_kind(value))
    text = str(value).strip()
    return (text, "") if text else (None, say("empty_text"))


def _integer(value: Any, f: Field) -> tuple[Any, str]:
    if isinstance(value, bool) or not isinstance(value, int):
        return None, say("not_integer", kind=_kind(value))
    return value, ""


def _boolean(value: Any, f: Field) -> tuple[Any, str]:
    if not isinstance(value, bool):
        return None, say("not_boolean", kind=_kind(value))
    return value, ""


def _date(value: Any, f: Field) -> tuple[Any, str]:
    if isinstance(value, dt.datetime):
        return value.date(), ""
    if isinstance(value, dt.date):
        return value, ""
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()), ""
        except ValueError:
            pass
    return None, say("not_date", value=repr(value))


def _url(value: Any, f: Field) -> tuple[Any, str]:
    text, problem = _text(value, f)
    if problem:
        return None, problem
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme not in f.schemes:
        allowed = " or ".join(f"{s}:" for s in f.schemes)
        return None, say("not_address", allowed=allowed, value=repr(text))
    if scheme in WEB_SCHEMES and not parts.netloc:
        return None, say("not_full_address", value=repr(text))
    if scheme in ("mailto", "tel") and not parts.path:
        return None, say("no_address", scheme=scheme)
    if any(c.isspace() for c in text):
        return None, say("spaces", value=repr(text))
    return text, ""


def _level(value: Any, f: Field) -> tuple[Any, str]:
    # YAML reads an unquoted `off` as false; a user writing `level: off` means the word.
    if value is False:
        return "off", ""
    return _text(value, f)


def _path(value: Any, f: Field) -> tuple[Any, str]:
    """A file inside one of the site's folders: never '..', an absolute path or a drive."""
    text, problem = _text(value, f)
    problem = problem or relative_path_problem(text)
    return (None, problem) if problem else (text, "")


CONVERTERS = {"text": _text, "integer": _integer, "boolean": _boolean, "date": _date, "url": _url, "level": _level,
              "path": _path}
