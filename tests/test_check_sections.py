"""sections: the kinds of page a treatment needs, and benefits and risks linking to each other."""

from checking import findings, messages
from conftest import make_site

BENEFITS_WITHOUT_RISKS = """---
title: Benefits
description: How treatment may help.
kind: benefits
---
## What it can do

Treated veins usually fade.
"""


def test_a_complete_site_passes(tmp_path):
    assert findings(make_site(tmp_path, fixture="clinic"), "sections") == []


def test_a_missing_kind_of_page_is_an_error_at_site_yaml(tmp_path):
    site = make_site(tmp_path, {"content/aftercare.md": "---\ntitle: Aftercare\ndescription: Care.\n---\nWalk.\n"},
                     fixture="clinic")
    assert findings(site, "sections") == [("site.yaml", 1, 1, "error")]
    assert "no aftercare page" in messages(site, "sections")[0]


def test_required_kinds_come_from_site_yaml_and_point_at_the_setting(tmp_path):
    site = make_site(tmp_path, {"site.yaml": """
        name: Test Vein Clinic
        base_url: https://clinic.example/
        contact:
          url: mailto:hello@clinic.example
        checks:
          sections:
            required: [benefits, risks, price]
        """}, fixture="clinic")
    assert findings(site, "sections") == [("site.yaml", 7, 5, "error")]
    assert "no price page" in messages(site, "sections")[0]


def test_benefits_must_link_to_risks(tmp_path):
    site = make_site(tmp_path, {"content/benefits.md": BENEFITS_WITHOUT_RISKS}, fixture="clinic")
    assert findings(site, "sections") == [("content/benefits.md", 6, 1, "error")]
    assert "does not link to the risks page" in messages(site, "sections")[0]


def test_risks_must_link_to_benefits(tmp_path):
    site = make_site(tmp_path, {"content/risks.md": "---\ntitle: Risks\ndescription: Risks.\nkind: risks\n---\n"
                                                    "Bruising is common. See [aftercare](/aftercare/).\n"},
                     fixture="clinic")
    assert findings(site, "sections") == [("content/risks.md", 6, 1, "error")]


def test_the_site_can_lower_the_level(tmp_path):
    site = make_site(tmp_path, {"content/benefits.md": BENEFITS_WITHOUT_RISKS, "site.yaml": """
        name: Test Vein Clinic
        base_url: https://clinic.example/
        contact:
          url: mailto:hello@clinic.example
        checks:
          sections: {level: warning}
        """}, fixture="clinic")
    assert findings(site, "sections") == [("content/benefits.md", 6, 1, "warning")]
