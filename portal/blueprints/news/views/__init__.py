"""Public pages of news: the list and an article (``pages.py``), feeds (``feeds.py``), the
home page's part and the sitemap (``parts.py``)."""
