"""The `checks:` section of site.yaml and of a page's front matter: levels and per-check settings.

Each check's settings are a frozen dataclass whose defaults come from its schema fields, so one
definition validates site.yaml, fills in defaults and documents every setting.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..schema import Field

LEVELS = ("error", "warning", "off")
OFF = "off"
JURISDICTIONS = ("uk", "us")
DESCRIPTION_LIMIT = 160  # characters: search engines cut descriptions at about this length
MEDICAL_KINDS = ("overview", "benefits", "procedure", "risks", "aftercare", "faq", "price", "glossary")


@dataclass(frozen=True)
class Statement:
    """Something a patient must be able to read: any one of `phrases` says it."""

    name: str
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class SectionsSettings:
    level: str | None
    required: tuple[str, ...]


@dataclass(frozen=True)
class DisclosuresSettings:
    level: str | None
    statements: tuple[Statement, ...]


@dataclass(frozen=True)
class ReviewSettings:
    level: str | None
    kinds: tuple[str, ...]
    due_soon_days: int
    overdue: str


@dataclass(frozen=True)
class ReadabilitySettings:
    level: str | None
    grade: int
    sentence_words: int
    paragraph_sentences: int


@dataclass(frozen=True)
class GlossarySettings:
    level: str | None
    terms: tuple[str, ...]


@dataclass(frozen=True)
class ClaimsSettings:
    level: str | None
    absolute: tuple[str, ...]
    pressure: tuple[str, ...]
    trivialising: tuple[str, ...]
    prescription_only: tuple[str, ...]
    treatment_names: tuple[str, ...]
    allow: tuple[str, ...]


@dataclass(frozen=True)
class ComparisonsSettings:
    level: str | None
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class FrequenciesSettings:
    level: str | None


@dataclass(frozen=True)
class OptionsSettings:
    level: str | None
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class PrivacySettings:
    level: str | None
    allowed_hosts: tuple[str, ...]
    statements: tuple[Statement, ...]


@dataclass(frozen=True)
class LinksSettings:
    level: str | None
    elsewhere: tuple[str, ...]


@dataclass(frozen=True)
class AccessibilitySettings:
    level: str | None
    alt_max: int


@dataclass(frozen=True)
class MetaSettings:
    level: str | None
    title_max: int
    description_max: int


def _level_field(what: str = "every finding of this check") -> Field:
    return Field("level", "level", f"error, warning or off: the level of {what} (default: each rule's own).",
                 choices=LEVELS, example="warning")


def _terms(name: str, doc: str, example: tuple[str, ...] = ()) -> Field:
    return Field(name, "list", doc, item="text", default=(), example=list(example))


def _statements(name: str, doc: str, default: tuple[Statement, ...]) -> Field:
    return Field(name, "list", doc, build=Statement, default=default, fields=(
        Field("name", "text", "What the statement says, as named in messages.", required=True,
              example="results vary"),
        Field("phrases", "list", "Wordings that say it (any one is enough); '...' stands for any words in "
                                 "between, within one paragraph; {clinic} for the clinic's name.", item="text", required=True,
              example=["results vary", "results can vary"]),
    ))


def _section(name: str, doc: str, build, *fields: Field) -> Field:
    """A check's settings: a mapping whose default is built from its fields' defaults."""
    fields = (_level_field(), *fields)
    return Field(name, "mapping", doc, build=build, fields=fields,
                 default=build(**{f.name: f.default for f in fields}))


DISCLOSURES = (
    Statement("a consultation comes first", (
        "consultation comes first", "starts with a consultation", "first step is a consultation",
        "before any treatment ... consultation", "consultation ... before any treatment")),
    Statement("the treatment is not suitable for everyone", ("not suitable for everyone", "not right for everyone")),
    Statement("results vary", ("results vary", "results can vary", "results may vary")),
    Statement("more than one session may be needed", ("more than one session", "several sessions",
                                                      "a course of treatment")),
    Statement("there are common and rare side effects", ("common side effects ... rare",
                                                         "rare ... common side effects")),
    Statement("the treatment is for adults (18 and over) only", ("18 and over", "18 or over", "over 18",
                                                                 "adults only", "18+")),
)

PRIVACY_STATEMENTS = (
    Statement("{clinic} is the data controller", ("{clinic} ... data controller", "data controller ... {clinic}")),
    Statement("the site sets no cookies", ("sets no cookies", "no cookies", "does not set cookies",
                                           "does not use cookies")),
    Statement("the site loads nothing from other websites", (
        "loads nothing from other", "nothing from other websites", "does not load anything from other",
        "no third-party")),
)

CHECK_FIELDS = (
    _section("sections", "The kinds of page the treatment must have; benefits and risks link to each other.",
             SectionsSettings,
             Field("required", "list", "Page kinds that must exist.", item="text",
                   default=("benefits", "procedure", "risks", "aftercare"), example=["benefits", "risks"])),
    _section("disclosures", "Statements a patient must find somewhere on the site.", DisclosuresSettings,
             _statements("statements", "The statements (replaces the defaults).", DISCLOSURES)),
    _section("review", "Clinical review of medical pages: who, when, and when next.", ReviewSettings,
             Field("kinds", "list", "Page kinds that are medical pages.", item="text", default=MEDICAL_KINDS),
             Field("due_soon_days", "integer", "Warn this many days before a review falls due.", default=30),
             Field("overdue", "level", "The level of an overdue review.", default="error",
                   choices=("error", "warning"))),
    _section("readability", "Reading grade, sentence and paragraph length.", ReadabilitySettings,
             Field("grade", "integer", "The highest Flesch-Kincaid grade a page may have.", default=8),
             Field("sentence_words", "integer", "The most words in one sentence.", default=25),
             Field("paragraph_sentences", "integer", "The most sentences in one paragraph.", default=4)),
    _section("glossary", "Medical terms that need a glossary entry.", GlossarySettings,
             _terms("terms", "The medical terms this site uses that a page must not use unless the glossary "
                             "page explains them.", ("hyperpigmentation", "local anaesthetic"))),
    _section("claims", "Advertising rules for health claims.", ClaimsSettings,
             _terms("absolute", "More absolute claims to refuse."),
             _terms("pressure", "More pressure or promotion wordings to refuse."),
             _terms("trivialising", "More trivialising or body-image wordings to warn about."),
             _terms("prescription_only", "More prescription-only medicine names, besides the package's list "
                                                  "(microsite/data/prescription-medicines.yaml)."),
             _terms("treatment_names", "Names of the treatment the home page must not lead with, besides the site's "
                                "`treatment` and the word injection."),
             _terms("allow", "Built-in terms this site may use (for example a word that is safe in context).")),
    _section("comparisons", "Comparative claims and comparison tables on a page that cites no source.",
             ComparisonsSettings,
             _terms("phrases", "More comparative wordings, besides the built-in ones.", ("kinder than",))),
    _section("frequencies", "The risks page says how often its side effects happen.", FrequenciesSettings),
    _section("options", "The options page (kind benefits) includes doing nothing.", OptionsSettings,
             _terms("phrases", "More wordings that say doing nothing is an option, besides the built-in ones.",
                    ("watchful waiting",))),
    _section("privacy", "Nothing loaded from other hosts, no cookies, and a privacy page.", PrivacySettings,
             _terms("allowed_hosts", "Other hosts pages may load from (each one leaks who reads what)."),
             _statements("statements", "What the privacy page must say (replaces the defaults).",
                         PRIVACY_STATEMENTS)),
    _section("links", "Internal links, anchors and files resolve; other links are well formed.", LinksSettings,
             _terms("elsewhere", "Addresses on the site's host that something else serves, such as the clinic's "
                                 "booking form: links under them are not checked.", ("/contact/",))),
    _section("accessibility", "Alt text, headings, link text, tables and language.", AccessibilitySettings,
             Field("alt_max", "integer", "The longest alt text, in characters.", default=150)),
    _section("meta", "Titles and descriptions: present, not too long, not repeated.", MetaSettings,
             Field("title_max", "integer", "The longest browser title, in characters.", default=65),
             Field("description_max", "integer", "The longest description, in characters.", default=DESCRIPTION_LIMIT)),
)

CHECK_NAMES = tuple(f.name for f in CHECK_FIELDS)
SITE_WIDE = ("sections", "disclosures", "privacy")  # about the whole site: no per-page setting
PAGE_CHECKS = tuple(name for name in CHECK_NAMES if name not in SITE_WIDE)


@dataclass(frozen=True)
class ChecksConfig:
    sections: SectionsSettings
    disclosures: DisclosuresSettings
    review: ReviewSettings
    readability: ReadabilitySettings
    glossary: GlossarySettings
    claims: ClaimsSettings
    comparisons: ComparisonsSettings
    frequencies: FrequenciesSettings
    options: OptionsSettings
    privacy: PrivacySettings
    links: LinksSettings
    accessibility: AccessibilitySettings
    meta: MetaSettings

    def settings(self, name: str):
        return getattr(self, name)


CHECKS_FIELD = Field("checks", "mapping", "The content checks: per check, its level and settings.",
                     build=ChecksConfig, fields=CHECK_FIELDS,
                     default=ChecksConfig(**{f.name: f.default for f in CHECK_FIELDS}))


def checks_on(checks: ChecksConfig, levels_on_pages: list[tuple[str, str]]) -> tuple[str, ...]:
    """The names of the checks on for the site or for some page: a site with every check off skips
    the whole pass (and never loads the checks)."""
    on_somewhere = {name for name, level in levels_on_pages if level != OFF}
    return tuple(name for name in CHECK_NAMES if checks.settings(name).level != OFF or name in on_somewhere)


def page_levels(**levels: str | None) -> tuple[tuple[str, str], ...]:
    return tuple((name, level) for name, level in levels.items() if level)


PAGE_CHECKS_FIELD = Field("checks", "mapping", "This page's level for a check: error, warning or off.",
                          build=page_levels, default=(), example={"readability": "off"},
                          fields=tuple(Field(name, "level", f"The level of the {name} check on this page.",
                                             choices=LEVELS) for name in PAGE_CHECKS))
