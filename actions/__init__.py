"""Recommendations, actions and the sub-group's monitoring of them."""
