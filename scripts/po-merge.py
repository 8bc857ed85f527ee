#!/usr/bin/env python3
"""A git merge driver for the translation catalogues (.po, .pot): merge by message, not by line.

Two branches that each add strings both touch the same sorted file; a line merge then
conflicts although the messages do not. This driver takes the union of the messages: a
message either side changed takes that side's text, one both changed takes ours and is
reported, one either side removed is removed. Run ``make i18n`` after a merge to bring the
catalogues back in line with the code.

Enable it in a clone (``.gitattributes`` names it)::

    git config merge.po.name "translation catalogues by message"
    git config merge.po.driver ".venv/bin/python scripts/po-merge.py %O %A %B %P"
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po


def _read(path: str):
    with open(path, "rb") as fh:
        return read_po(fh)


def _key(message):
    return (message.id, message.context)


def merge(base_path: str, ours_path: str, theirs_path: str, name: str = "") -> int:
    base, ours, theirs = _read(base_path), _read(ours_path), _read(theirs_path)
    base_msgs = {_key(m): m for m in base if m.id}
    our_msgs = {_key(m): m for m in ours if m.id}
    their_msgs = {_key(m): m for m in theirs if m.id}
    clashes = 0
    for key, theirs_msg in their_msgs.items():
        base_msg = base_msgs.get(key)
        ours_msg = our_msgs.get(key)
        if ours_msg is None:
            if base_msg is None:  # added on their side
                ours.add(theirs_msg.id, theirs_msg.string, flags=theirs_msg.flags,
                         context=theirs_msg.context, auto_comments=theirs_msg.auto_comments,
                         user_comments=theirs_msg.user_comments)
            continue  # removed on our side
        if ours_msg.string == theirs_msg.string:
            continue
        if base_msg is not None and ours_msg.string == base_msg.string:
            ours_msg.string = theirs_msg.string
            ours_msg.flags = set(theirs_msg.flags)
        elif base_msg is None or theirs_msg.string != base_msg.string:
            clashes += 1
            print(f"po-merge: both sides translate {key[0]!r} differently; kept ours", file=sys.stderr)
    for key in list(our_msgs):
        if key in base_msgs and key not in their_msgs:  # removed on their side
            ours.delete(key[0], context=key[1])
    with open(ours_path, "wb") as fh:
        # pybabel writes the template at its default width, the catalogues at 100 (flask i18n).
        width = 76 if (name or ours_path).endswith(".pot") else 100
        write_po(fh, ours, sort_output=True, width=width, omit_header=False)
    return 0


if __name__ == "__main__":
    if len(sys.argv) not in (4, 5) or not all(Path(p).exists() for p in sys.argv[1:4]):
        sys.exit("usage: po-merge.py BASE OURS THEIRS [PATH]")
    sys.exit(merge(*sys.argv[1:]))
