"""The outbound allow-list: hosts, schemes, and addresses after DNS resolution."""

from __future__ import annotations

import socket

import pytest

from portal.services import outbound
from portal.services.outbound import FetchRefused, check_url


def resolver_for(address):
    def resolve(host, port, *args, **kwargs):
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (address, port))]
    return resolve


PUBLIC = resolver_for("142.250.74.46")


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "http://www.youtube.com/watch?v=x", "ftp://graph.facebook.com/",
    "https://evil.example/", "https://graph.facebook.com.evil.example/", "https:///nohost",
    "https://127.0.0.1/", "gopher://www.youtube.com/",
])
def test_refused_urls(url):
    with pytest.raises(FetchRefused):
        check_url(url, PUBLIC)


@pytest.mark.parametrize("address", ["127.0.0.1", "10.0.0.5", "192.168.1.1", "172.16.0.1",
                                     "169.254.169.254", "::1", "fe80::1", "fd00::1", "0.0.0.0",
                                     "100.64.0.1", "224.0.0.1"])
def test_allowed_host_resolving_to_internal_address_is_refused(address):
    with pytest.raises(FetchRefused):
        check_url("https://graph.facebook.com/v21.0/x", resolver_for(address))


def test_allowed_host_with_public_address_passes():
    assert check_url("https://scontent.xx.fbcdn.net/v/a.srt", PUBLIC) == (
        "scontent.xx.fbcdn.net", "142.250.74.46")


def test_unresolvable_host_is_refused():
    def fail(*args, **kwargs):
        raise socket.gaierror("no such host")

    with pytest.raises(FetchRefused):
        check_url("https://www.youtube.com/", fail)


def test_fetch_checks_before_connecting(monkeypatch):
    def no_connection(*args, **kwargs):
        raise AssertionError("must not connect")

    monkeypatch.setattr(socket, "create_connection", no_connection)
    with pytest.raises(FetchRefused):
        outbound.fetch("https://www.youtube.com/api/timedtext", resolver=resolver_for("10.1.2.3"))


def test_google_client_http_is_guarded():
    http = outbound.guarded_http()
    with pytest.raises(FetchRefused):
        http.request("http://169.254.169.254/latest/meta-data/")
