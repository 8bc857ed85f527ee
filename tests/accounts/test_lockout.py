"""Back-off after failed sign-ins is per (account, address) (issue 10, item 7): a stranger
hammering a staff account from one address does not keep its owner out."""

from __future__ import annotations

from tests.staff_fixtures import sign_in_full, totp_now


def _from(app, address):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_an_attackers_failures_do_not_lock_the_owner_out(app, poti, staff):
    user = staff(poti, ["admin"])
    attacker = _from(app, "203.0.113.9")
    for _ in range(8):
        assert sign_in_full(attacker, "poti", user, password="guessing guessing guessing").status_code == 422
    # the attacker's address is held back, even with the right password ...
    assert sign_in_full(_from(app, "203.0.113.9"), "poti", user).status_code == 422
    # ... while the owner, elsewhere, signs in with password and code
    assert sign_in_full(_from(app, "198.51.100.20"), "poti", user).status_code == 303


def test_guessed_codes_hold_back_only_that_address(app, poti, staff):
    user = staff(poti, ["admin"])
    attacker = _from(app, "2001:db8:1:2::9")
    for _ in range(7):
        assert sign_in_full(attacker, "poti", user, code="000000").status_code == 422
    # another address in the same IPv6 /64 is the same attacker
    assert sign_in_full(_from(app, "2001:db8:1:2::77"), "poti", user).status_code == 422
    assert sign_in_full(_from(app, "2001:db8:9:9::1"), "poti", user).status_code == 303


def test_a_success_clears_that_addresss_count(app, poti, staff):
    user = staff(poti, ["admin"])
    owner = _from(app, "198.51.100.21")
    for _ in range(4):
        sign_in_full(owner, "poti", user, password="typo typo typo typo typo")
    assert sign_in_full(owner, "poti", user).status_code == 303
    for _ in range(4):
        sign_in_full(_from(app, "198.51.100.21"), "poti", user, password="typo typo typo typo 2")
    next_code = totp_now(user.totp_secret, 1)  # the first code cannot be used twice
    assert sign_in_full(_from(app, "198.51.100.21"), "poti", user, code=next_code).status_code == 303


def test_address_keys():
    from portal.blueprints.accounts.throttle import address_key

    assert address_key("203.0.113.9") == "203.0.113.9"
    assert address_key("::ffff:203.0.113.9") == "203.0.113.9"
    assert address_key("2001:db8:1:2:aaaa::1") == "2001:db8:1:2::/64"
    assert address_key("not an address") == address_key(None) == "unknown"
