"""Search backends adapted to Chinese (configured in WAGTAILSEARCH_BACKENDS)."""
