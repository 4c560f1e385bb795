"""Pure functions that turn what a CMS profile selected into the archived record."""
