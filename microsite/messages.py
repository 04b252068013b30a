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
    """A message with {named} blanks; for the guide, what causes it, and a page file whose one fault
    gives it (with those blanks)."""

    text: str
    cause: str
    example: str | None = None  # a whole page file, as an editor might save it (None: none to show)
    blanks: tuple[tuple[str, object], ...] = ()  # what the example fills the blanks with
    # None: said as it is; else said by the check of a page's settings ('front matter: …'), of the value
    # of this setting in its example ('': of the settings as a whole)
    setting: str | None = None

    def say(self, **blanks: object) -> str:
        return self.text.format(**blanks)

    @property
    def shown(self) -> str:
        """The message the example gives (the check of a page's settings puts what it says of a value
        after the setting's name, and all it says after 'front matter: ')."""
        if self.setting is None:
            return self.say(**dict(self.blanks))
        return f"{SETTINGS_PREFIX}{self.setting and repr(self.setting) + ' '}{self.say(**dict(self.blanks))}"


SETTINGS_PREFIX = "front matter: "  # how pages.py introduces what the check of a page's settings says


def _page(settings: str) -> str:
    """A page file with these settings (the title and description an example does not set, set)."""
    head = "" if settings.startswith("title") else "title: Example\n"
    tail = "" if "description" in settings else "description: An example page.\n"
    return f"---\n{head}{settings}{tail}---\nText.\n"


MESSAGES = {
    # The file as a whole
    "empty": Message("the file is empty: a page starts with its settings between two '---' lines",
                     "A page file with nothing in it.", ""),
    "no_front_matter": Message("the page has no settings: start the file with a line '---', then its settings "
                               "(title: …), then another '---'", "The file does not start with a line `---`.",
                               "Just text, no settings.\n"),
    "not_closed": Message("the settings are not closed: add a line '---' after the last setting",
                          "No `---` line after the settings.", "---\ntitle: Example\ndescription: An example "
                                                              "page.\n\nText.\n"),
    "third_fence": Message("this '---' ends the settings too early: the lines after it are settings too; "
                           "delete this line", "A `---` line in the middle of the settings.",
                           "---\ntitle: Example\n---\ndescription: An example page.\n---\nText.\n"),
    "no_settings": Message("there are no settings between the '---' lines: a page needs at least `title:` and "
                           "`description:`", "Nothing between the two `---` lines.", "---\n---\nText.\n"),
    "not_settings": Message("the settings must be 'name: value' lines, such as `title: Risks`",
                            "Text between the `---` lines that is not a setting.", "---\nRisks\n---\nText.\n"),
    # YAML, line by line
    "tab": Message("tabs cannot indent YAML: use spaces", "A line indented with the Tab key.",
                   _page("reviewed:\n\tby: Dr Sarah Okafor\n")),
    "no_space": Message("put a space after the colon: `{key}: {value}`", "`title:Risks`",
                        _page("title:Risks\n"), (("key", "title"), ("value", "Risks"))),
    "colon": Message('a {key} that contains a colon must be in quotes: `{key}: "{value}"`',
                     "`title: Aftercare: the first week`", _page("title: Aftercare: the first week\n"),
                     (("key", "title"), ("value", "Aftercare: the first week"))),
    "indented_more": Message("this line is indented more than the one above: line `{key}:` up with `{above}:`",
                             "`role:` starts further right than `by:` above it, under `reviewed:`.",
                             _page("reviewed:\n  by: Dr Sarah Okafor\n    role: Nurse\n"),
                             (("key", "role"), ("above", "by"))),
    "indented_less": Message("this line is indented less than the one above: line `{key}:` up with `{above}:`",
                             "`role:` starts further left than `by:` above it, under `reviewed:`.",
                             _page("reviewed:\n  by: Dr Sarah Okafor\n role: Nurse\n"),
                             (("key", "role"), ("above", "by"))),
    "stray_item": Message("a line starting with '- ' is an item of a list: indent it under the setting it belongs "
                          "to, or remove the '- '", "`- order: 2` among settings that are not a list.",
                          _page("kind: risks\n- order: 2\n")),
    "unclosed_quote": Message("this {quote} is never closed: end the {key} with another {quote} on the same line",
                              '`title: "Risks and side effects` (no closing `"`)',
                              _page('title: "Risks and side effects\n'),
                              (("quote", 'double quotation mark (")'), ("key", "title"))),
    "after_quote": Message('the {key} goes on after its closing quotation mark: put the whole {key} in double '
                           'quotes, `{key}: "…"`', "`title: 'Patients' questions`",
                           _page("title: 'Patients' questions\n"), (("key", "title"),)),
    "unclosed_bracket": Message('a {key} that starts with {bracket} must end with {closing}; if it is text, put it '
                                'in quotes: `{key}: "{value}"`', "`title: [Draft`", _page("title: [Draft\n"),
                                (("key", "title"), ("bracket", "["), ("closing", "]"), ("value", "[Draft"))),
    "reserved_start": Message('a {key} that starts with {char} must be in quotes: `{key}: "{value}"`',
                              "`title: @clinic on Instagram` (also `` ` ``, `*`, `&`, `%`, `|` or `>` first)",
                              _page("title: @clinic on Instagram\n"),
                              (("key", "title"), ("char", "@"), ("value", "@clinic on Instagram"))),
    "tagged": Message('a {key} that starts with ! must be in quotes: `{key}: "{value}"`', "`title: !important Risks`",
                      _page("title: !important Risks\n"), (("key", "title"), ("value", "!important Risks"))),
    "not_yaml": Message("this line is not a setting: write it as `name: value`, lined up with the settings above",
                        "A line of text among the settings.", _page("Risks and side effects\n")),
    # YAML values
    "duplicate_key": Message("'{key}' is set twice (first on line {first}): keep one",
                             "`title:` on two lines.", _page("title: Risks\ntitle: Side effects\n"),
                             (("key", "title"), ("first", 2))),
    "bad_date": Message("{value} is not a date: write a real date as year-month-day, like 2026-03-12",
                        "`next_review: 2027-02-30`", _page("next_review: 2027-02-30\n"),
                        (("value", "'2027-02-30'"),)),
    "bad_value": Message("cannot read {value}; if it is text, put it in quotes", "A number too long to read."),
    "alias": Message("'&' and '*' (anchors and aliases) are not supported: write the value out",
                     "`menu: *short`, repeating a value marked `&short`.",
                     _page("nav_title: &short Risks\nmenu: *short\n")),
    "merge_key": Message("'<<' (merge keys) is not supported: write the settings out", "`<<:` as a setting.",
                         _page("reviewed:\n  <<: {by: Dr Sarah Okafor}\n")),
    "not_a_key": Message("a setting's name must be a word, not a list", "`[title]: Risks`",
                         _page("[title]: Risks\n")),
    "too_deep": Message("the settings are nested more than {depth} levels deep", "Settings nested in settings, "
                                                                                "over and over."),
    # A page's settings, checked one by one (site.yaml's too: the same words without 'front matter: ')
    "unknown_key": Message("unknown key '{name}'{suggestion}", "A setting the build does not know, often a "
                           "misspelt one.", _page("titel: Risks\n"),
                           (("name", "titel"), ("suggestion", " (did you mean 'title'?)")), ""),
    "missing_key": Message("missing required key '{name}': add a line `{key}: …`", "A setting every page needs "
                           "is not there.", "---\ntitle: Example\n---\nText.\n",
                           (("name", "description"), ("key", "description")), ""),
    "not_mapping": Message("must be a set of 'key: value' lines, not {kind}", "`reviewed: Dr Sarah Okafor`, where "
                           "the settings under `reviewed:` go.", _page("reviewed: Dr Sarah Okafor\n"),
                           (("kind", "text"),), "reviewed"),
    "not_list": Message("must be a list (lines starting with '- '), not {kind}", "`sources: NHS`, where a list of "
                        "sources goes.", _page("sources: NHS\n"), (("kind", "text"),), "sources"),
    "not_choice": Message("must be one of {choices}; got {value}{suggestion}", "`menu: side`: a word the setting "
                          "does not take.", _page("menu: side\n"),
                          (("choices", "main, footer, none"), ("value", "'side'"), ("suggestion", "")), "menu"),
    "not_text": Message("must be text, not {kind}", "A list (`- ` lines) under `title:`.",
                        _page("title:\n  - Risks\n"), (("kind", "a list"),), "title"),
    "empty_text": Message("must not be empty", '`nav_title: " "`', _page('nav_title: " "\n'), (), "nav_title"),
    "not_integer": Message("must be a whole number, not {kind}", "`order: first`", _page("order: first\n"),
                           (("kind", "text"),), "order"),
    "not_boolean": Message("must be true or false, not {kind}", "`draft: maybe`", _page("draft: maybe\n"),
                           (("kind", "text"),), "draft"),
    "not_date": Message("must be a date written like 2026-03-12, not {value}", "`next_review: soon`",
                        _page("next_review: soon\n"), (("value", "'soon'"),), "next_review"),
    "not_address": Message("must be a {allowed} address, not {value}", "`url: javascript:alert(1)` under "
                           "`sources:`", _page("sources:\n  - title: NHS\n    url: javascript:alert(1)\n"),
                           (("allowed", "http: or https:"), ("value", "'javascript:alert(1)'")), "sources[1].url"),
    "not_full_address": Message("must be a full address such as https://example.org/, not {value}",
                                "`url: https:/www.nhs.uk/` (one slash)", _page("sources:\n  - title: NHS\n"
                                                                              "    url: https:/www.nhs.uk/\n"),
                                (("value", "'https:/www.nhs.uk/'"),), "sources[1].url"),
    "no_address": Message("is missing the address or number after '{scheme}:'", "`url: 'tel:'` in site.yaml's "
                                                                                 "`contact:`"),
    "spaces": Message("must not contain spaces: {value}", "`url: https://www.nhs.uk/conditions/acne treatment/`",
                      _page("sources:\n  - title: NHS\n    url: https://www.nhs.uk/conditions/acne treatment/\n"),
                      (("value", "'https://www.nhs.uk/conditions/acne treatment/'"),), "sources[1].url"),
    "bad_character": Message("invisible or invalid character U+{code:04X} is not allowed in a web page; delete it",
                             "An invisible character pasted from another program.", _page("title: Risks\x0b\n"),
                             (("code", 0x0B),)),
}


def say(name: str, /, **blanks: object) -> str:
    """The message `name` with its blanks filled."""
    return MESSAGES[name].say(**blanks)
