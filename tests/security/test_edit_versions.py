"""Every page that edits an existing record sends back the version it was read at (the hidden
`version` field of lcspr.core.forms.VersionedFormMixin), so a save over someone else's newer
change is refused rather than silently reverting it. (The world's chronology entries and Terms
of Reference and its rapid review can no longer change; tests/chronologies/test_edit_conflicts.py,
tests/reviews/terms/test_edit_conflicts.py and tests/reviews/rapid_review/test_edit_conflicts.py
read the version from their edit pages, as do the other tests/**/test_edit_conflicts.py.)"""

import re

import pytest
from django.urls import reverse

from tests.security.matrix import rows_by_name

pytestmark = pytest.mark.django_db

# The edit pages of existing records, each opened by a persona who may edit it.
EDIT_PAGES = [
    ("reviews:edit", "manager"),
    ("reviews:adult_edit", "manager"),
    ("actions:edit", "manager"),
    ("reviews:learning_recommendation_edit", "manager"),
    ("panels:meeting_edit", "manager"),
    ("panels:author_edit", "manager"),
    ("reviews:publication_proceeding_edit", "manager"),
    ("reviews:learning_edit", "manager"),
    ("reviews:learning_theme_edit", "manager"),
    ("reviews:decision_change", "independent_chair"),
    ("reviews:date_correct", "manager"),
    ("reviews:late_reason", "manager"),
    ("panels:event_detail", "manager"),
    ("reviews:retention_settings", "manager"),
    ("reviews:clock_settings", "manager"),
    ("reminders:settings", "manager"),
]


NO_CHANGE_RECORDED_YET = {"reviews:learning_theme_edit"}


@pytest.mark.parametrize(("name", "persona"), EDIT_PAGES)
def test_each_edit_form_carries_the_version_it_was_read_at(world, requester, name, persona):
    row = rows_by_name()[name][0]
    response = requester.response(persona, "GET", reverse(name, kwargs=row.kwargs(world.a)))
    assert response.status_code == 200
    html = response.content.decode()
    version = re.search(r'<input type="hidden" name="(?:\w+-)?version" value="(\d+)"', html)
    assert version, f"{name} has no version field"
    # The seeded learning themes have no recorded change until someone makes one.
    assert int(version.group(1)) > 0 or name in NO_CHANGE_RECORDED_YET
