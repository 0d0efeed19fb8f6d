"""The case root: a review from referral to publication (built from issue 3 on)."""
