"""The petition surge bench's set-up pieces (bench/petition_surge.py; the bench itself is run
by hand: it starts gunicorn and takes tens of seconds)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from portal.blueprints.petitions import personal_numbers, signing
from portal.tenancy import tenant_context
from tests.petitions.conftest import NOW, make_petition, signer

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import petition_surge  # noqa: E402
from harness import BenchError  # noqa: E402


def test_signers_have_valid_distinct_numbers_and_addresses():
    numbers = {petition_surge.personal_number(n) for n in range(0, 10**6, 997)}
    addresses = {petition_surge.signer_address(n) for n in range(70_000)}
    assert len(addresses) == 70_000
    assert all(a.startswith("127.") and all(0 < int(p) < 256 for p in a.split(".")[1:])
               for a in addresses)
    assert all(personal_numbers.clean(number) == number for number in numbers)
    assert len(numbers) == len(range(0, 10**6, 997))


def test_the_csrf_token_is_read_from_a_form():
    html = '<form><input type="hidden" name="csrf_token" value="abc.def"></form>'
    assert petition_surge.csrf_token(html) == "abc.def"
    assert petition_surge.csrf_token("<form></form>") is None


def test_only_a_quick_run_falls_back_to_sqlite():
    unreachable = "postgresql://postgres@127.0.0.1:1/nothing"
    assert petition_surge.choose_database(unreachable, quick=True) is None
    with pytest.raises(BenchError):
        petition_surge.choose_database(unreachable, quick=False)


def test_the_bench_builds_links_the_portal_accepts(app, ctx, poti):
    with tenant_context(poti):
        petition = make_petition()
        signature = signing.sign(petition, now=NOW, **signer(7))
        token = petition_surge.link_token(app.secret_key, signature.id, poti.id)
        assert signing.peek(token) is signature
        assert signing.confirm(token, now=NOW).confirmed_at == NOW


def test_the_bench_runs_production_s_workers_unless_told_otherwise():
    settings = {}
    exec((petition_surge.PRODUCTION_GUNICORN).read_text(), settings)
    assert settings["worker_class"] == "gthread" and settings["threads"] > 1
    args = petition_surge.parse_args([])
    assert (args.worker_class, args.threads) == ("gthread", settings["threads"])
    args = petition_surge.parse_args(["--worker-class", "sync"])
    assert (args.worker_class, args.threads) == ("sync", 1)  # threads would make it gthread
    assert petition_surge.parse_args(["--threads", "8"]).threads == 8


def test_signers_spread_over_domains_below_the_domain_limit():
    from portal.blueprints.petitions import guard
    from portal.blueprints.petitions.views.signing import DOMAIN_LIMIT

    per_domain = int(DOMAIN_LIMIT.split()[0])
    signers = range(50 * 60 + 100)  # a full run at 50 signatures/s, and the warm-up
    domains = [guard.email_domain(petition_surge.signer_email(n)) for n in signers]
    assert max(domains.count(d) for d in set(domains)) < per_domain
    assert not any(guard.shared_provider(petition_surge.signer_email(n)) for n in signers)
    assert len({petition_surge.signer_email(n) for n in signers}) == len(signers)
