"""privacy: nothing loaded from other hosts, no storage, and a privacy page that says so."""

from checking import findings, messages
from conftest import make_site

YAML = "name: Test Vein Clinic\nbase_url: https://clinic.example/\ncontact:\n  url: mailto:hello@clinic.example\n"


def base_with(head: str, tmp_path) -> str:
    text = (make_site(tmp_path / "x", fixture="clinic") / "templates/base.html").read_text()
    return text.replace("</head>", "\n" + head + "\n</head>")


def aftercare(body: str) -> dict:
    return {"content/aftercare.md": "---\ntitle: Aftercare\ndescription: Care.\nkind: aftercare\n"
                                    "checks:\n  review: off\n---\n" + body}


def test_a_private_site_passes_with_outbound_links_mail_and_phone(tmp_path):
    site = make_site(tmp_path, aftercare("See the [NHS](https://www.nhs.uk/), [email](mailto:a@b.org) or "
                                         "[call](tel:+442079460000).\n"), fixture="clinic")
    assert findings(site, "privacy") == []


def test_a_font_cdn_in_a_template_is_named(tmp_path):
    site = make_site(tmp_path, {"templates/base.html": base_with(
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Inter">', tmp_path)}, fixture="clinic")
    assert findings(site, "privacy") == [("templates/base.html", 6, 30, "error")]
    assert "fonts.googleapis.com (Google Fonts) learns who reads this page" in messages(site, "privacy")[0]


def test_images_iframes_and_scripts_from_other_hosts_are_errors(tmp_path):
    site = make_site(tmp_path, {
        **aftercare("![Legs](https://images.example.net/legs.jpg)\n"),
        "templates/base.html": base_with('<script src="https://www.googletagmanager.com/gtm.js"></script>\n'
                                         '<script>localStorage.setItem("seen", 1)</script>', tmp_path),
        "templates/page.html": (make_site(tmp_path / "y", fixture="clinic") / "templates/page.html").read_text()
        .replace("{{ content }}", '{{ content }}<iframe src="https://www.youtube-nocookie.com/embed/x" '
                                  'title="Video"></iframe>')}, fixture="clinic")
    assert findings(site, "privacy") == [("content/aftercare.md", 8, 9, "error"), ("templates/base.html", 6, 14, "error"),
                                         ("templates/base.html", 7, 9, "error"), ("templates/page.html", 3, 27, "error")]
    text = " ".join(messages(site, "privacy"))
    assert "Google Tag Manager" in text and "YouTube" in text and '"localStorage" stores data' in text


def test_style_sheets_are_read_and_hosts_can_be_allowed(tmp_path):
    site = make_site(tmp_path, {"static/style.css": "body { margin: 0; }\n@import url(\"https://use.typekit.net/a.css\");\n"},
                     fixture="clinic")
    assert findings(site, "privacy") == [("static/style.css", 2, 14, "error")]
    (site / "site.yaml").write_text(YAML + "checks:\n  privacy:\n    allowed_hosts: [use.typekit.net]\n")
    assert findings(site, "privacy") == []


def test_the_privacy_page_must_exist_and_say_what_the_site_does(tmp_path):
    site = make_site(tmp_path, {"content/privacy.md": "---\ntitle: Privacy\ndescription: Your data.\nkind: privacy\n---\n"
                                                      "The clinic looks after your data. We set no cookies.\n"},
                     fixture="clinic")
    assert findings(site, "privacy") == [("content/privacy.md", 6, 1, "error"), ("content/privacy.md", 6, 1, "error")]
    assert [m.split(" (")[0] for m in messages(site, "privacy")] == [
        "the privacy page does not say that Test Vein Clinic is the data controller",
        "the privacy page does not say that the site loads nothing from other websites"]
    (site / "content/privacy.md").unlink()
    assert findings(site, "privacy") == [("site.yaml", 1, 1, "error")]
