import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_shows_the_latest_msg_table_with_computed_averages(client_for, chair):
    page = client_for(chair).get(reverse("home")).content.decode()
    assert "Leicestershire - Leicester" in page
    # MSG averages computed from the stored figures, as the plan's table prints them.
    for average in ("75.7", "91.4", "101.5"):
        assert f'<td class="text-end">{average}</td>' in page
    assert "April–December 2018" in page


def test_pages_are_british_english_with_a_skip_link(client_for, chair):
    page = client_for(chair).get(reverse("home")).content.decode()
    assert '<html lang="en-GB">' in page
    assert 'href="#main"' in page and 'id="main"' in page
