"""No admin page asks a third party for a staff member's avatar (Gravatar gets a hash of the e-mail address)."""

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db


def test_the_admin_shows_the_default_avatar_not_gravatar(client):
    admin = get_user_model().objects.create_superuser(username="admin", email="admin@example.go.th", password="x" * 16)
    client.force_login(admin)
    html = client.get("/admin/").content.decode()
    assert "gravatar" not in html.lower()
    assert "default-user-avatar" in html
