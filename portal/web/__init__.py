"""Web plumbing shared by every feature: htmx rendering, security headers, errors, forms."""
