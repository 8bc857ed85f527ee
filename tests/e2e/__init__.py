"""Browser tests: headless Chromium against a real gunicorn server (`make test-browser`)."""
