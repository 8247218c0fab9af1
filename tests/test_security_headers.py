"""A strict Content Security Policy on every response; templates keep it satisfiable."""

import re

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

EXPECTED_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


@pytest.mark.parametrize("path", ["/accounts/login/", "/accessibility/", "/healthz"])
def test_anonymous_pages_carry_the_strict_policy(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert policy(response) == EXPECTED_POLICY
    assert "unsafe" not in response["Content-Security-Policy"]


def test_signed_in_pages_carry_the_strict_policy(client_for, admin, chair):
    for client, path in [(client_for(chair), "/"), (client_for(admin), "/admin/")]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert policy(response) == EXPECTED_POLICY


def test_other_security_headers(client):
    response = client.get("/accounts/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_no_template_has_inline_script_or_style():
    # The policy forbids them, so a browser would silently ignore them: catch them here.
    offenders = []
    for template in sorted((settings.BASE_DIR / "templates").rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        # A JSON data block (json_script) is never executed, so the policy allows it.
        if re.search(r"<script(?![^>]*\b(src=|type=\"application/json\"))[^>]*>", text):
            offenders.append(f"{template.name}: inline <script>")
        if re.search(r"<style\b", text) or re.search(r"\sstyle\s*=", text):
            offenders.append(f"{template.name}: inline style")
        if re.search(r"\son[a-z]+\s*=", text):
            offenders.append(f"{template.name}: inline event handler")
    assert offenders == []
