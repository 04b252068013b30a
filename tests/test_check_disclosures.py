"""disclosures: statements a patient must find somewhere on the site."""

from checking import findings, messages, page
from conftest import make_site

HOME = page("title: Thread veins and your consultation\ndescription: Why a consultation comes first.\nkind: overview",
            """
## Before you book

Every treatment starts with a consultation. Treatment is not suitable for everyone. It is only for adults aged 18
and over. Most people need more than one session. There are common side effects and some rare risks.
""")


def test_a_site_that_says_everything_passes(tmp_path):
    assert findings(make_site(tmp_path, fixture="clinic"), "disclosures") == []


def test_a_missing_statement_is_an_error_on_the_home_page(tmp_path):
    site = make_site(tmp_path, {"content/index.md": HOME}, fixture="clinic")
    assert findings(site, "disclosures") == [("content/index.md", 14, 1, "error")]
    assert messages(site, "disclosures")[0].startswith("no page says that results vary")


def test_common_and_rare_must_be_said_in_one_paragraph(tmp_path):
    text = HOME.replace("There are common side effects and some rare risks.",
                        "There are common side effects.\n\nResults vary.\n\nSome problems are rare.")
    site = make_site(tmp_path, {"content/index.md": text}, fixture="clinic")
    assert [m.split(" (")[0] for m in messages(site, "disclosures")] == [
        "no page says that there are common and rare side effects"]


def test_statements_in_site_yaml_replace_the_defaults_and_point_at_their_line(tmp_path):
    site = make_site(tmp_path, {"site.yaml": """
        name: Test Vein Clinic
        base_url: https://clinic.example/
        contact:
          url: mailto:hello@clinic.example
        checks:
          disclosures:
            statements:
              - name: results vary
                phrases: [results vary]
              - name: the clinic is regulated by the CQC
                phrases: [Care Quality Commission, CQC]
        """}, fixture="clinic")
    assert findings(site, "disclosures") == [("site.yaml", 10, 9, "error")]
    assert "the clinic is regulated by the CQC" in messages(site, "disclosures")[0]
