"""Fill a deploy/ template's ``{{NAME}}`` placeholders, refusing to leave any unfilled.

    python deploy/render.py deploy/nginx/portal.conf SERVER_NAME="portal.gov.ge poti.gov.ge" \
        LISTEN=80 STATIC_ROOT=/srv/portal/portal/static CACHE_DIR=/var/cache/nginx/portal \
        MICROCACHE_SECONDS=5 \
        UPSTREAM_SERVERS="server 127.0.0.1:8001; server 127.0.0.1:8002;" > /etc/nginx/sites-available/portal

bench/cluster.py renders the same templates with loopback ports and temporary folders.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

PLACEHOLDER = re.compile(r"\{\{([A-Z_]+)\}\}")


class MissingValue(KeyError):
    """A placeholder was given no value."""


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def render(text: str, values: dict[str, str]) -> str:
    missing = placeholders(text) - set(values)
    if missing:
        raise MissingValue(f"no value for {', '.join(sorted(missing))}")
    return PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), text)


def render_file(path: str | Path, values: dict[str, str]) -> str:
    return render(Path(path).read_text(), values)


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    values = dict(item.split("=", 1) for item in argv[1:])
    try:
        sys.stdout.write(render_file(argv[0], values))
    except MissingValue as exc:
        print(f"render: {exc.args[0]}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
