"""What the platform's access log (lcspr/core/audit.py) needs to know about reviews, which it
cannot import: the review is the case root whose id every row carries, found by its reference
and shown as "CSPR-2026-007 (Child T)" linking to its page."""

from lcspr.core.audit import register_case_root
from reviews.models import Review

register_case_root(Review, reference_field="reference", url_name="reviews:detail")
