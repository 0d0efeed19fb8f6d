"""Per-agency chronologies, their import, and the merged multi-agency chronology."""
