"""Labels set inside a sentence keep their acronyms and proper names as written ("carry out an
LCSPR", "tell the DfE"), and a page with errors says "Error:" once in its title."""

import pathlib
import re

import pytest
from django.conf import settings
from django.urls import reverse

from lcspr.core.text import in_sentence
from reviews.terms import services as tor

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("label", "in_a_sentence"),
    [
        ("Carry out an LCSPR", "carry out an LCSPR"),
        ("Tell the DfE an LCSPR will take place", "tell the DfE an LCSPR will take place"),
        ("Tell Ofsted an LCSPR will take place", "tell Ofsted an LCSPR will take place"),
        ("Agree the Terms of Reference", "agree the Terms of Reference"),
        ("Notify the National Panel", "notify the National Panel"),
        ("CSPR-2026-008 ToR agreed", "CSPR-2026-008 ToR agreed"),
        ("HR or disciplinary process", "HR or disciplinary process"),
        ("Family court proceedings", "family court proceedings"),
        ("The Independent Chair's decision", "the Independent Chair's decision"),
    ],
)
def test_a_label_in_a_sentence_keeps_its_acronyms_and_names(label, in_a_sentence):
    assert in_sentence(label) == in_a_sentence


def test_the_rapid_review_send_page_keeps_lcspr_in_capitals(client, manager, signed_off):
    client.force_login(manager)
    page = client.get(reverse("reviews:send", args=[signed_off.pk])).content.decode()
    assert "recommendation: carry out an LCSPR." in page
    assert "carry out an lcspr" not in page


def test_a_page_with_errors_says_error_once_in_its_title(client, lcspr_review, manager):
    tor.tor_start(review=lcspr_review, by=manager)
    client.force_login(manager)
    response = client.post(reverse("reviews:terms_process_add", args=[lcspr_review.pk]), {})
    title = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)
    assert title.startswith("Error: Add a parallel process")
    assert title.count("Error:") == 1


def test_no_page_adds_the_error_prefix_the_base_template_already_adds():
    root = pathlib.Path(settings.BASE_DIR) / "templates"
    doubled = [
        str(path.relative_to(root))
        for path in root.rglob("*.html")
        if "{% block page_title %}{% if form.errors %}Error: {% endif %}" in path.read_text()
    ]
    assert doubled == []
