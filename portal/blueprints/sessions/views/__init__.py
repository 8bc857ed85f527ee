"""The archive's public route modules (pages, search, JSON API, feeds, sitemap) and their
template helpers; ``portal.blueprints.sessions`` imports them so they attach to its blueprints."""
