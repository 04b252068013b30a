"""Schema.org structured data (JSON-LD) for search engines, built as data from site.yaml and front matter.

Every page gets one @graph: its web page, its breadcrumb trail, the treatment, the clinic and the
website. Nodes refer to each other by @id. The treatment, the clinic and the website are each described in
full on the page at their `url` (the treatment's page, the home page), where search engines look
for them; elsewhere each is named in brief (type, @id and name), so every page still says on its
own who published it and what it is about, without repeating their descriptions. No Review or AggregateRating: ratings a
clinic publishes about itself are advertising claims.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

from .config import SiteConfig
from .markup import QuestionAnswer
from .pages import Listing, Page

SCHEMA_ORG = "https://schema.org"
PROCEDURE_TYPES = {"percutaneous": "PercutaneousProcedure", "noninvasive": "NoninvasiveProcedure"}
# Characters that could end a <script> element or start an HTML comment or character reference in it.
SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


@dataclass(frozen=True)
class Treatment:
    """The treatment, put together from the `procedure` facts of every page."""

    url: str  # of the page that names it
    name: str
    alternate_names: tuple[str, ...] = ()
    type: str | None = None
    body_location: str | None = None
    how_performed: str | None = None
    preparation: str | None = None
    followup: str | None = None


@dataclass(frozen=True)
class SiteFacts:
    """What every page's structured data needs from the whole site, worked out once per build."""

    config: SiteConfig
    treatment: Treatment | None
    pages: Mapping[str, Listing]  # by URL, for breadcrumb trails


def site_facts(config: SiteConfig, pages: tuple[Listing, ...]) -> SiteFacts:
    return SiteFacts(config, treatment(config, pages), MappingProxyType({p.url: p for p in pages}))


def treatment(config: SiteConfig, pages: tuple[Listing, ...]) -> Treatment | None:
    """The treatment the pages describe (each fact is given on one page; see pages.procedure_problems)."""
    facts: dict[str, object] = {}
    for page in pages:
        given = page.procedure.given() if page.procedure else {}
        if "name" in given:
            facts.setdefault("url", config.base_url + page.url)
        for name, value in given.items():
            facts.setdefault(name, value)
    return Treatment(**facts) if "name" in facts else None


def page_json_ld(site: SiteFacts, page: Page, questions: tuple[QuestionAnswer, ...] = ()) -> str:
    """The page's JSON-LD, ready to print inside <script type="application/ld+json">."""
    graph = [web_page(site, page, questions)]
    if not page.is_home:
        graph.append(breadcrumbs(site, page))
    shared = ([treatment_node(site.treatment)] if site.treatment else []) + [clinic(site), website(site.config)]
    here = site.config.base_url + page.url
    graph += [node if node["url"] == here else in_brief(node) for node in shared]  # in full on their own page
    return script_json({"@context": SCHEMA_ORG, "@graph": graph})


def in_brief(node: dict) -> dict:
    """A node described on another page, named here by what identifies it."""
    return {key: node[key] for key in ("@type", "@id", "name")}


def script_json(data: object) -> str:
    """`data` as JSON that cannot end its <script> element, whatever text it holds."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))  # compact: it counts towards the page weight
    for char, escaped in SCRIPT_UNSAFE.items():
        text = text.replace(char, escaped)  # these only occur inside JSON strings, where \uXXXX means the same
    return text


def web_page(site: SiteFacts, page: Page, questions: tuple[QuestionAnswer, ...]) -> dict:
    """A MedicalWebPage when a clinician has reviewed the page, a plain WebPage otherwise."""
    config, meta, url = site.config, page.meta, site.config.base_url + page.url
    types = ["MedicalWebPage" if meta.reviewed else "WebPage"] + (["FAQPage"] if questions else [])
    node = {
        "@type": types[0] if len(types) == 1 else types,
        "@id": url + "#webpage",
        "url": url,
        "name": meta.title,
        "description": meta.description,
        "inLanguage": config.language,
        "isPartOf": {"@id": website_id(config)},
        "publisher": {"@id": clinic_id(config)},
    }
    if not page.is_home:
        node["breadcrumb"] = {"@id": url + "#breadcrumb"}
    if meta.reviewed:
        node["lastReviewed"] = meta.reviewed.date.isoformat()
        node["reviewedBy"] = reviewer(meta.reviewed)
        node["medicalAudience"] = {"@type": "Patient"}
        if site.treatment:
            node["about"] = {"@id": treatment_id(site.treatment)}
    if questions:
        node["mainEntity"] = [{"@type": "Question", "name": qa.question,
                               "acceptedAnswer": {"@type": "Answer", "text": qa.answer}} for qa in questions]
    return node


def reviewer(review) -> dict:
    person = {"@type": "Person", "name": review.by, "jobTitle": review.role}
    if review.registration:
        person["identifier"] = review.registration
    return person


def breadcrumbs(site: SiteFacts, page: Page) -> dict:
    """Home, then each page above this one that exists, then this page under its heading."""
    items = [(p.label, p.url) for p in trail(site, page.url)] + [(page.meta.title, page.url)]
    url = site.config.base_url + page.url
    return {"@type": "BreadcrumbList", "@id": url + "#breadcrumb", "itemListElement": [
        {"@type": "ListItem", "position": position, "name": name, "item": site.config.base_url + item_url}
        for position, (name, item_url) in enumerate(items, 1)]}


def trail(site: SiteFacts, url: str) -> list[Listing]:
    """The pages above the page at `url` that exist, from the home page down."""
    return [site.pages[above] for above in ancestor_urls(url) if above in site.pages]


def ancestor_urls(url: str) -> list[str]:
    """'a/b/c/' → ['', 'a/', 'a/b/']."""
    parts = url.split("/")[:-2]
    return [""] + ["".join(p + "/" for p in parts[:i]) for i in range(1, len(parts) + 1)]


def treatment_node(treatment: Treatment) -> dict:
    node = {"@type": "TherapeuticProcedure", "@id": treatment_id(treatment), "url": treatment.url,
            "name": treatment.name}
    optional = {
        "alternateName": list(treatment.alternate_names),
        "procedureType": treatment.type and f"{SCHEMA_ORG}/{PROCEDURE_TYPES[treatment.type]}",
        "bodyLocation": treatment.body_location,
        "howPerformed": treatment.how_performed,
        "preparation": treatment.preparation,
        "followup": treatment.followup,
    }
    return node | {key: value for key, value in optional.items() if value}


def clinic(site: SiteFacts) -> dict:
    config, contact = site.config, site.config.contact
    reach = {key: value for key, value in (("telephone", contact.phone), ("email", contact.email)) if value}
    node = {"@type": "MedicalClinic", "@id": clinic_id(config), "name": config.name, "url": config.base_url, **reach}
    if config.address:
        node["address"] = postal_address(config.address)
    node["contactPoint"] = {"@type": "ContactPoint", "contactType": "customer service", "name": contact.label,
                            "url": contact.url, **reach}
    if site.treatment:
        node["availableService"] = {"@id": treatment_id(site.treatment)}
    return node


def postal_address(address) -> dict:
    node = {"@type": "PostalAddress", "streetAddress": address.street, "addressLocality": address.locality,
            "postalCode": address.postcode, "addressCountry": address.country}
    if address.region:
        node["addressRegion"] = address.region
    return node


def website(config: SiteConfig) -> dict:
    node = {"@type": "WebSite", "@id": website_id(config), "url": config.base_url, "name": config.name,
            "inLanguage": config.language, "publisher": {"@id": clinic_id(config)}}
    if config.description:
        node["description"] = config.description
    return node


def website_id(config: SiteConfig) -> str:
    return config.base_url + "#website"


def clinic_id(config: SiteConfig) -> str:
    return config.base_url + "#clinic"


def treatment_id(treatment: Treatment) -> str:
    return treatment.url + "#treatment"
