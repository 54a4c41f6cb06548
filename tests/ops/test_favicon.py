from django.contrib.staticfiles import finders


def test_favicon_ico_leads_to_the_static_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("img/favicon.ico")
    path = finders.find("img/favicon.ico")
    assert path
    with open(path, "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # an ICO header


def test_every_page_names_its_icon(client, staff):
    client.force_login(staff)
    page = client.get("/").content.decode()
    assert 'rel="icon"' in page and "img/favicon.svg" in page
