"""options: the options page includes doing nothing."""

from checking import findings, messages
from conftest import make_site

YAML = "name: Test Vein Clinic\nbase_url: https://clinic.example/\ncontact:\n  url: mailto:hello@clinic.example\n"
FRONT = "---\ntitle: Your options\ndescription: The choices you have.\nkind: benefits\nchecks:\n  review: off\n---\n"


def options_page(body: str) -> dict:
    return {"content/benefits.md": f"{FRONT}## Your choices\n\nSee the [risks](/risks/). {body}\n"}


def test_an_options_page_without_doing_nothing_is_a_warning_at_its_first_line_of_text(tmp_path):
    site = make_site(tmp_path, options_page("You can have injections or laser."), fixture="clinic")
    assert findings(site, "options") == [("content/benefits.md", 8, 1, "warning")]
    assert messages(site, "options")[0] == (
        "the options page never mentions doing nothing: say what happens without treatment, so that doing nothing is "
        "one of the options a patient weighs (GMC Decision making and consent (2020), paragraph 11: reasonable "
        "alternatives, including the option to take no action)")


def test_any_wording_of_doing_nothing_passes(tmp_path):
    for said in ("Doing nothing is fine too.", "You can leave them alone.", "Some people choose not to have it."):
        site = make_site(tmp_path / str(hash(said)), options_page(said), fixture="clinic")
        assert findings(site, "options") == [], said


def test_a_site_adds_its_own_wordings_and_us_sites_cite_the_ama(tmp_path):
    site = make_site(tmp_path, {**options_page("Watchful waiting is an option."), "site.yaml": YAML + (
        "jurisdictions: [us]\n")}, fixture="clinic")
    assert messages(site, "options") == [
        "the options page never mentions doing nothing: say what happens without treatment, so that doing nothing is "
        "one of the options a patient weighs (AMA Code of Medical Ethics 2.1.1: the risks and benefits of all "
        "options, including forgoing treatment)"]
    (site / "site.yaml").write_text(YAML + "jurisdictions: [us]\nchecks:\n  options:\n    phrases: [watchful waiting]\n")
    assert findings(site, "options") == []
