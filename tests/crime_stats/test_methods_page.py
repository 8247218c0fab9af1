"""/methods/: every definition with its source, and every link to it lands on a paragraph."""

import re

import pytest

from tests.national_data import build_national

pytestmark = pytest.mark.django_db
METHODS = [
    "average", "position", "ties", "band", "change", "intervals", "significance",
    "position-range", "funnel", "spc",
]  # fmt: skip


def test_every_method_has_its_paragraph_formula_and_source(client_for, chair):
    page = client_for(chair).get("/methods/").content.decode()
    for anchor in METHODS:
        section = re.search(rf'<section id="{anchor}".*?</section>', page, re.S)
        assert section, anchor
        assert 'class="formula"' in section.group(0), anchor
    for source in (
        "Byar",
        "Technical Guide: Confidence intervals",
        "Spiegelhalter",
        "Handling over-dispersion",
        "Making Data Count",
        "test_poisson_2indep",
        "Goldstein and Spiegelhalter",
    ):
        assert source in page, source


def test_every_link_from_the_pages_lands_on_a_paragraph(client_for, chair):
    latest = build_national()[-1]
    client = client_for(chair)
    methods = client.get("/methods/").content.decode()
    anchors = set(re.findall(r'<section id="([a-z-]+)"', methods))
    used = set()
    for url in ("/", "/comparison/", "/board-pack/"):
        page = client.get(url, {"period": latest.slug}).content.decode()
        used |= set(re.findall(r'/methods/#([a-z-]+)"', page))
    assert used <= anchors
    assert {"intervals", "significance", "position-range", "funnel", "spc", "band"} <= used
