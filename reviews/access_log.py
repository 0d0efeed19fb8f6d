"""What the platform's access log (lcspr/access_log) needs to know about reviews, which it
cannot import: the review is the case root whose id every row carries, found by its reference
and shown as "CSPR-2026-007 (Child T)" linking to its page."""

from lcspr.access_log.case_root import register_case_root
from reviews.models import Review

register_case_root(Review, reference_field="reference", url_name="reviews:detail")
