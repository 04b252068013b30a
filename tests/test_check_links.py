"""links: internal links, anchors and files resolve in the built site; other addresses are well formed."""

from checking import findings, messages
from conftest import make_site


def aftercare(body: str) -> dict:
    return {"content/aftercare.md": "---\ntitle: Aftercare\ndescription: Care.\nkind: aftercare\n"
                                    "checks:\n  review: off\n---\n" + body}


def test_links_that_resolve_pass_also_under_a_sub_path(tmp_path):
    site = make_site(tmp_path, aftercare("Read the [risks](/risks/#side-effects), [benefits](../benefits/) and "
                                         "[this section](#each-day).\n\n## Each day\n\nWalk.\n"), fixture="clinic")
    assert findings(site, "links") == []
    assert findings(site, "links", base_url="https://clinic.example/veins/") == []


def test_a_missing_page_anchor_or_file_is_an_error_where_the_link_is_written(tmp_path):
    site = make_site(tmp_path, aftercare("See [risk](/risk/).\nSee [risks](/risks/#nowhere).\n\n"
                                         "![A leg](/leg.png)\n"), fixture="clinic")
    assert findings(site, "links") == [("content/aftercare.md", 8, 12, "error"), ("content/aftercare.md", 9, 13, "error"),
                                       ("content/aftercare.md", 11, 10, "error")]
    assert messages(site, "links") == [
        'link to "/risk/" goes nowhere: no page or file has that address (did you mean "/risks/"?)',
        'link to "/risks/#nowhere": no element has id "nowhere" on that page',
        'link to "/leg.png" goes nowhere: no page or file has that address']


def test_under_a_sub_path_the_message_shows_the_link_as_published(tmp_path):
    site = make_site(tmp_path, aftercare("See [risk](/risk/).\n"), fixture="clinic")
    assert findings(site, "links", base_url="https://clinic.example/veins/") == [
        ("content/aftercare.md", 8, 12, "error")]


def test_malformed_mail_phone_and_web_addresses_are_errors(tmp_path):
    site = make_site(tmp_path, aftercare("[Mail](mailto:hello) [Call](tel:call-us) [Web](https://exa_mple/)\n"),
                     fixture="clinic")
    assert findings(site, "links") == [("content/aftercare.md", 8, 8, "error"), ("content/aftercare.md", 8, 29, "error"),
                                       ("content/aftercare.md", 8, 48, "error")]


def test_addresses_served_elsewhere_are_not_checked(tmp_path):
    site = make_site(tmp_path, {**aftercare("[Book](/booking/)\n"), "site.yaml": """
        name: Test Vein Clinic
        base_url: https://clinic.example/
        contact:
          url: mailto:hello@clinic.example
        checks:
          links:
            elsewhere: [/booking/]
        """}, fixture="clinic")
    assert findings(site, "links") == []
