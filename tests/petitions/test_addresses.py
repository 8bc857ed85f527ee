"""One person's e-mail aliases are one address for duplicate checks."""

import pytest

from portal.blueprints.petitions.addresses import normalise_email


@pytest.mark.parametrize(("typed", "normalised"), [
    ("Nino@Example.GE", "nino@example.ge"),
    ("  nino@example.ge ", "nino@example.ge"),
    ("nino+petition@example.ge", "nino@example.ge"),
    ("nino+a+b@example.ge", "nino@example.ge"),
    ("n.i.n.o@gmail.com", "nino@gmail.com"),
    ("N.Ino+x@GoogleMail.com", "nino@gmail.com"),
    ("n.ino@example.ge", "n.ino@example.ge"),  # dots matter outside Gmail
    ("+tag@example.ge", "+tag@example.ge"),  # nothing before the + to keep: left alone
    ("not an address", "not an address"),
    ("", ""),
])
def test_normalise_email(typed, normalised):
    assert normalise_email(typed) == normalised


def test_aliases_collapse_and_strangers_do_not():
    aliases = {"janedoe@gmail.com", "jane.doe@gmail.com", "Jane.Doe+x@googlemail.com"}
    assert {normalise_email(a) for a in aliases} == {"janedoe@gmail.com"}
    assert normalise_email("jane.doe@mail.ge") != normalise_email("janedoe@mail.ge")
