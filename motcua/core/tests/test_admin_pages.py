"""Django's admin pages carry the project's additions (motcua/templates/admin/base_site.html)."""

import re

import pytest


@pytest.mark.django_db
def test_admin_pages_load_the_script_that_names_their_widgets(admin_client):
    response = admin_client.get("/admin/org/branch/add/")
    assert response.status_code == 200
    html = response.content.decode()
    script = re.search(r'<script src="[^"]*/js/admin-accessibility\.js" nonce="([^"]+)" defer>', html)
    assert script, "the admin's base_site.html must load js/admin-accessibility.js"
    assert f"'nonce-{script.group(1)}'" in response.headers["Content-Security-Policy"]
    assert "<title>" in html and "motcua" in html  # still Django's own layout, with the site's titles
