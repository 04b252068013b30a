"""What the build says about a fault in a page's settings (or site.yaml), in words of its own.

YAML parsers word their errors for programmers, and libyaml and PyYAML's own parser word the same
fault differently. `yamldoc.py` finds which fault it is and says it with the message here, so a
message is the same on every computer, says what to do, and is listed in the editors' guide: the
troubleshooting table of docs/editing.md is generated from `MESSAGES` (`python -m microsite.docs`),
each message with the example that gives it, and a test proves the build prints exactly that.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Message:
    """A message with {named} blanks, and a page file whose one fault gives it."""

    text: str
    example: str | None  # a whole page file, as an editor might save it (None: no file gives it as it is)

    def say(self, **blanks: object) -> str:
        return self.text.format(**blanks)


def _page(settings: str, body: str = "Text.\n") -> str:
    """A page file with these settings (the title and description an example does not set, set)."""
    head = "" if settings.startswith("title") else "title: Example\n"
    tail = "" if "description" in settings else "description: An example page.\n"
    return f"---\n{head}{settings}{tail}---\n{body}"


MESSAGES = {
    # The file as a whole
    "empty": Message("the file is empty: a page starts with its settings between two '---' lines", ""),
    "no_front_matter": Message("the page has no settings: start the file with a line '---', then its settings "
                               "(title: …), then another '---'", "Just text, no settings.\n"),
    "not_closed": Message("the settings are not closed: add a line '---' after the last setting",
                          "---\ntitle: Example\ndescription: An example page.\n\nText.\n"),
    "third_fence": Message("this '---' ends the settings too early: the lines after it are settings too; "
                           "delete this line", "---\ntitle: Example\n---\ndescription: An example page.\n---\n"
                                               "Text.\n"),
    "not_settings": Message("the settings must be 'name: value' lines, such as `title: Risks`", "---\nRisks\n---\n"
                                                                                             "Text.\n"),
    # YAML, line by line
    "tab": Message("tabs cannot indent YAML: use spaces", _page("reviewed:\n\tby: Dr Sarah Okafor\n")),
    "no_space": Message("put a space after the colon: `{key}: {value}`", _page("title:Risks\n")),
    "colon": Message('a {key} that contains a colon must be in quotes: `{key}: "{value}"`',
                     _page("title: Aftercare: the first week\n")),
    "indented_more": Message("this line is indented more than the one above: line `{key}:` up with `{above}:`",
                             _page("reviewed:\n  by: Dr Sarah Okafor\n    role: Nurse\n")),
    "indented_less": Message("this line is indented less than the one above: line `{key}:` up with `{above}:`",
                             _page("reviewed:\n  by: Dr Sarah Okafor\n role: Nurse\n")),
    "stray_item": Message("a line starting with '- ' is an item of a list: indent it under the setting it belongs "
                          "to, or remove the '- '", _page("kind: risks\n- order: 2\n")),
    "unclosed_quote": Message("this {quote} is never closed: end the {key} with another {quote} on the same line",
                              _page('title: "Risks and side effects\n')),
    "after_quote": Message('the {key} goes on after its closing quotation mark: put the whole {key} in double '
                           'quotes, `{key}: "…"`', _page("title: 'Patients' questions\n")),
    "unclosed_bracket": Message('a {key} that starts with {bracket} must end with {closing}; if it is text, put it '
                                'in quotes: `{key}: "{value}"`', _page("title: [Draft\n")),
    "reserved_start": Message('a {key} that starts with {char} must be in quotes: `{key}: "{value}"`',
                              _page("title: @clinic on Instagram\n")),
    "not_yaml": Message("this line is not a setting: write it as `name: value`, lined up with the settings "
                        "above", _page("Risks and side effects\n")),
    # YAML values
    "duplicate_key": Message("'{key}' is set twice (first on line {first}): keep one",
                             _page("title: Risks\ntitle: Side effects\n")),
    "bad_date": Message("{value} is not a date: write a real date as year-month-day, like 2026-03-12",
                        _page("next_review: 2027-02-30\n")),
    "bad_value": Message("cannot read {value}; if it is text, put it in quotes", None),
    "alias": Message("'&' and '*' (anchors and aliases) are not supported: write the value out",
                     _page("nav_title: &short Risks\nmenu: *short\n")),
    "merge_key": Message("'<<' (merge keys) is not supported: write the settings out",
                         _page("reviewed:\n  <<: {by: Dr Sarah Okafor}\n")),
    "not_a_key": Message("a setting's name must be a word, not a list", _page("[title]: Risks\n")),
    "too_deep": Message("the settings are nested more than {depth} levels deep", None),
    "tagged": Message("a {key} that starts with ! must be in quotes: `{key}: \"{value}\"`",
                      _page("title: !important Risks\n")),
    "bad_character": Message("invisible or invalid character U+{code:04X} is not allowed in a web page; delete it",
                             _page("title: Risks\x0b\n")),
}


def say(name: str, /, **blanks: object) -> str:
    """The message `name` with its blanks filled."""
    return MESSAGES[name].say(**blanks)
