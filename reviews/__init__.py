"""The case root: a review from referral to publication."""
