"""claims: wording advertising rules forbid, over text, titles, meta and Open Graph tags, JSON-LD and alt."""

from checking import findings, messages
from conftest import make_site
from microsite.checks import claims

YAML = "name: Test Vein Clinic\nbase_url: https://clinic.example/\ncontact:\n  url: mailto:hello@clinic.example\n"


def benefits(body: str, front: str = "title: Benefits\ndescription: How it may help.") -> dict:
    return {"content/benefits.md": f"---\n{front}\nkind: benefits\nchecks:\n  review: off\n---\n"
                                   f"See the [risks](/risks/).\n\n{body}"}


def test_a_careful_site_passes(tmp_path):
    assert findings(make_site(tmp_path, fixture="clinic"), "claims") == []


def test_absolute_claims_are_errors_in_any_inflection_naming_the_cap_code(tmp_path):
    site = make_site(tmp_path, benefits("We **guarantee** results.\nVeins are permanently gone.\n"), fixture="clinic")
    assert findings(site, "claims") == [("content/benefits.md", 10, 6, "error"), ("content/benefits.md", 11, 11, "error")]
    assert messages(site, "claims")[0] == ('absolute claim "guarantee" in the page text: health claims need evidence '
                                           "and must not overstate; say what usually happens (CAP Code 3.7, 3.11 and "
                                           "12.1)")


def test_us_rules_cite_the_ftc_and_leave_out_uk_only_rules(tmp_path):
    site = make_site(tmp_path, {**benefits("Risk-free, and 20% off.\n"),
                                "site.yaml": YAML + "jurisdictions: [us]\n"}, fixture="clinic")
    assert findings(site, "claims") == [("content/benefits.md", 10, 1, "error")]
    assert messages(site, "claims")[0].endswith("(FTC Act s.5 and FTC Health Products Compliance Guidance)")


def test_pressure_is_an_error_and_trivialising_a_warning(tmp_path):
    site = make_site(tmp_path, benefits("Get 20% off today only.\n\nA lunchtime treatment.\n"), fixture="clinic")
    assert findings(site, "claims") == [("content/benefits.md", 10, 7, "error"), ("content/benefits.md", 10, 13, "error"),
                                        ("content/benefits.md", 12, 3, "warning")]


def test_prescription_only_medicines_in_titles_and_on_the_home_page_are_errors(tmp_path):
    site = make_site(tmp_path, {
        **benefits("We use polidocanol, a medicine.\n", front="title: Benefits of Asclera\ndescription: How it may help."),
        "content/index.md": (make_site(tmp_path / "x", fixture="clinic") / "content/index.md").read_text()
        .replace("Every treatment starts", "Fibrovein treatment starts")}, fixture="clinic")
    assert findings(site, "claims") == [("content/benefits.md", 2, 20, "error"), ("content/index.md", 17, 1, "error")]
    # The title is also the browser title, the h1 and a navigation label: one finding for the one place.
    assert messages(site, "claims")[0].startswith('prescription-only medicine "Asclera" in the navigation')
    assert messages(site, "claims")[0].endswith("(CAP Code 12.12)")


def test_medicine_names_in_navigation_and_alt_text_are_errors(tmp_path):
    site = make_site(tmp_path, {**benefits("![Polidocanol vial](/style.css)\n",
                                           front="title: Benefits\nnav_title: Sotradecol\ndescription: Help.")},
                     fixture="clinic")
    assert findings(site, "claims") == [("content/benefits.md", 3, 12, "error"), ("content/benefits.md", 11, 3, "error")]
    assert [m.split(":")[0] for m in messages(site, "claims")] == [
        'prescription-only medicine "Sotradecol" in the navigation',
        'prescription-only medicine "Polidocanol" in an image\'s alt text']


def test_clinically_proven_needs_a_source_in_the_same_paragraph(tmp_path):
    site = make_site(tmp_path, benefits("It is clinically proven.\n\nIt is clinically proven "
                                        "([NICE](https://www.nice.org.uk/guidance/cg168)).\n"), fixture="clinic")
    assert findings(site, "claims") == [("content/benefits.md", 10, 7, "error")]


def test_a_home_title_that_leads_with_the_treatment_is_a_warning(tmp_path):
    site = make_site(tmp_path, {"content/index.md": (make_site(tmp_path / "x", fixture="clinic") / "content/index.md")
                                .read_text().replace("title: Thread veins and your consultation",
                                                     "title: Microsclerotherapy for thread veins"),
                                "site.yaml": YAML + "treatment: Microsclerotherapy\n"}, fixture="clinic")
    assert findings(site, "claims") == [("content/index.md", 2, 8, "warning")]
    (site / "site.yaml").write_text(YAML)  # the engine knows no treatment but the site's own
    assert findings(site, "claims") == []


def test_the_medicines_come_from_the_package_list_and_the_site_adds_more(tmp_path):
    assert {"Azzalure", "hyaluronidase", "tranexamic acid", "polidocanol", "lidocaine"} <= set(
        claims.prescription_medicines())
    site = make_site(tmp_path, {**benefits("Fine.\n", front="title: Azzalure and Hyalase\ndescription: Vitalift help."),
                                "site.yaml": YAML + "checks:\n  claims:\n    prescription_only: [Vitalift]\n"},
                     fixture="clinic")
    assert findings(site, "claims") == [("content/benefits.md", 2, 8, "error"), ("content/benefits.md", 2, 21, "error"),
                                        ("content/benefits.md", 3, 14, "error")]


def test_before_and_after_images_are_errors(tmp_path):
    site = make_site(tmp_path, benefits("![Legs](/legs-before-after.jpg)\n\n![Legs before and after treatment](/a.jpg)\n"),
                     fixture="clinic")
    assert findings(site, "claims") == [("content/benefits.md", 10, 10, "error"), ("content/benefits.md", 12, 3, "error")]


def test_structured_data_open_graph_and_review_markup_are_read(tmp_path):
    template = (make_site(tmp_path / "x", fixture="clinic") / "templates/base.html").read_text().replace(
        "</head>", '<meta property="og:description" content="A miracle for your legs">\n'
                   '<script type="application/ld+json">{"@type": "MedicalClinic", "description": "{{ page.meta.title }}",'
                   '\n "aggregateRating": {"@type": "AggregateRating", "ratingValue": 5}}</script>\n</head>')
    site = make_site(tmp_path, {"templates/base.html": template,
                                **benefits("Fine.\n", front="title: The best care\ndescription: Help.")}, fixture="clinic")
    found = findings(site, "claims")
    assert found == [("content/benefits.md", 2, 12, "error"),  # "best" in the title, the h1 and the JSON-LD
                     ("templates/base.html", 5, 100, "error"),  # og:description: "miracle"
                     ("templates/base.html", 7, 3, "error")]  # aggregateRating holding an AggregateRating


def test_allowed_and_extra_terms_and_a_page_turning_the_check_off(tmp_path):
    site = make_site(tmp_path, {**benefits("The best way to start. A bargain.\n"),
                                "site.yaml": YAML + "checks:\n  claims:\n    allow: [best]\n    pressure: [bargain]\n"},
                     fixture="clinic")
    assert findings(site, "claims") == [("content/benefits.md", 10, 26, "error")]
    page = site / "content/benefits.md"
    page.write_text(page.read_text().replace("  review: off", "  review: off\n  claims: off"))
    assert findings(site, "claims") == []
