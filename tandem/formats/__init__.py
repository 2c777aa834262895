"""One display format per language for dates and times (settings.FORMAT_MODULE_PATH)."""
