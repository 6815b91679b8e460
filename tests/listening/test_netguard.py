"""The SSRF guard refuses non-public addresses before any connection is made."""
from __future__ import annotations

import socket

import pytest

from crawlers.errors import BlockedAddress
from crawlers.http import HttpClient
from crawlers.netguard import check_url, is_public


def _no_socket(*args, **kwargs):
    raise AssertionError("the guard must not open a connection")


@pytest.mark.parametrize("url", [
    "http://10.0.0.5/feed", "http://192.168.1.1/", "http://172.16.3.4:8080/x", "http://127.0.0.1/",
    "http://localhost/", "http://169.254.169.254/latest/meta-data/", "http://[::1]/", "http://0.0.0.0/",
    "http://[::ffff:10.0.0.1]/", "http://100.64.0.1/",
])
def test_private_and_loopback_addresses_are_refused_without_connecting(url, monkeypatch):
    monkeypatch.setattr(socket.socket, "connect", _no_socket)
    with pytest.raises(BlockedAddress, match="allow_private"):
        check_url(url)


def test_a_host_name_resolving_to_a_private_address_is_refused():
    with pytest.raises(BlockedAddress, match="10.1.2.3"):
        check_url("https://intranet.example.com/rss", resolver=lambda host, port: ["93.184.216.34", "10.1.2.3"])


def test_public_addresses_pass_and_allow_private_lets_loopback_through():
    assert check_url("https://example.com/", resolver=lambda h, p: ["93.184.216.34"]) == "https://example.com/"
    assert check_url("http://127.0.0.1:8080/feed", allow_private=True) == "http://127.0.0.1:8080/feed"
    assert is_public("2606:4700::1111") and not is_public("fe80::1")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "gopher://127.0.0.1/", "ftp://example.com/", "http:///x"])
def test_non_http_urls_are_refused_even_when_private_is_allowed(url):
    with pytest.raises(BlockedAddress):
        check_url(url, allow_private=True)


def test_the_http_client_refuses_a_hostile_url_unless_allowed(web, monkeypatch):
    web.route("/feed", "ok")
    with pytest.raises(BlockedAddress):
        HttpClient().get(web.url("/feed"))
    assert web.requests == []
    assert HttpClient(allow_private=True).get(web.url("/feed")).text == "ok"


def test_a_redirect_to_a_private_address_is_refused(web):
    web.route("/go", "", 302, Location="http://10.0.0.7/admin")
    # The local server stands in for a public host; the redirect target must still be checked.
    client = HttpClient(resolver=lambda host, port: ["93.184.216.34"] if host == "127.0.0.1" else ["10.0.0.7"],
                        peer_allowed=lambda address: address == "127.0.0.1")
    with pytest.raises(BlockedAddress, match="10.0.0.7"):
        client.get(web.url("/go"))
    assert web.hits("/go") == 1


def test_a_host_whose_address_turns_private_between_check_and_connect_is_refused(web):
    web.route("/feed", "<rss/>")
    # DNS rebinding: the name is public when checked, but the connection reaches 127.0.0.1
    client = HttpClient(resolver=lambda host, port: ["93.184.216.34"])
    with pytest.raises(BlockedAddress, match="when connecting"):
        client.get(web.url("/feed").replace("127.0.0.1", "localhost"))
    assert web.requests == []  # refused before TLS or any byte of the request


def test_the_connect_time_check_lets_public_looking_checks_through_when_private_is_allowed(web):
    web.route("/feed", "<rss/>")
    client = HttpClient(allow_private=True, resolver=lambda host, port: ["93.184.216.34"])
    assert client.get(web.url("/feed").replace("127.0.0.1", "localhost")).status == 200
