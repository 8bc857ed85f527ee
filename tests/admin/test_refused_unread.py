"""A staff route checks who is asking before anything reads the request body: an anonymous or
unauthorised POST (an upload of up to 128 MB, say) is answered without reading a byte of it;
only a permitted person's over-limit upload is read to its end (web/uploads.py)."""

from __future__ import annotations

import io
import socket
import time

import pytest

from portal.web.permissions import declared_permission
from tests.staff_fixtures import signed_in

HUGE = 100 * 1024 * 1024
BODY_HEAD = b"--x\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\nt\r\n"


class CountingStream(io.RawIOBase):
    """A request body of ``size`` bytes that records how much of it was read."""

    def __init__(self, size: int):
        self.size = size
        self.position = 0
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:  # the test client measures the body by seeking to its end
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        self.position = {0: offset, 1: self.position + offset, 2: self.size + offset}[whence]
        return self.position

    def tell(self) -> int:
        return self.position

    def readinto(self, buffer) -> int:
        n = max(0, min(len(buffer), self.size - self.position))
        buffer[:n] = b"x" * n
        self.position += n
        self.read_bytes += n
        return n


def _staff_posts(app) -> list[tuple[str, str]]:
    """(endpoint, URL) of every POST route that declares a permission."""
    found = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if "POST" not in rule.methods or declared_permission(view) is None:
            continue
        values = {arg: 1 for arg in rule.arguments}
        if "tenant_slug" in rule.arguments:
            values["tenant_slug"] = "poti"
        values.update((arg, "x") for arg in rule.arguments if arg.endswith(("_path", "_filename")))
        path = rule.build(values, append_unknown=False)[1]
        found.append((rule.endpoint, path))
    return found


def _post(client, path: str, size: int = HUGE):
    stream = CountingStream(size)
    response = client.open(path, method="POST", input_stream=stream, content_length=size,
                           content_type="multipart/form-data; boundary=x")
    return response, stream


def test_every_staff_post_refuses_strangers_unread(app, client):
    posts = _staff_posts(app)
    assert any(endpoint == "sessions_admin.upload_document" for endpoint, _ in posts)
    for endpoint, path in posts:
        for size in (HUGE, 1024 * 1024):  # over and under MAX_CONTENT_LENGTH
            response, stream = _post(client, path, size)
            assert response.status_code == 303, (endpoint, response.status_code)
            assert "/sign-in" in response.headers["Location"]
            assert stream.read_bytes == 0, (endpoint, stream.read_bytes)


def test_staff_without_the_permission_are_refused_unread(client, poti, staff):
    signed_in(client, staff(poti, ["editor"]))  # may not edit sessions
    response, stream = _post(client, "/poti/admin/sessions/1/documents")
    assert response.status_code == 403 and stream.read_bytes == 0


def test_a_permitted_clerk_s_oversized_upload_is_read_and_sent_back(app, client, poti, staff):
    from tests.sessions.admin.factories import make_session

    session_id = make_session(app, poti)
    signed_in(client, staff(poti, ["clerk"]))
    response, stream = _post(client, f"/poti/admin/sessions/{session_id}/documents")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/poti/admin/sessions/{session_id}")
    assert stream.read_bytes == HUGE  # read to its end, so the browser sees the answer


@pytest.mark.no_db_rollback
@pytest.mark.parametrize("size", [HUGE, 10 * 1024 * 1024])
def test_gunicorn_answers_an_anonymous_upload_before_its_body_arrives(size, tmp_path,
                                                                       tmp_path_factory):
    from tests.live import start_server, stop_server

    server, process, log_path = start_server(tmp_path, tmp_path_factory)
    try:
        with socket.create_connection((server.host, server.port), timeout=10) as sock:
            sock.sendall((f"POST /poti/admin/sessions/1/documents HTTP/1.1\r\n"
                          f"Host: {server.host}\r\nContent-Length: {size}\r\n"
                          f"Content-Type: multipart/form-data; boundary=x\r\n\r\n").encode()
                         + BODY_HEAD)
            started = time.monotonic()
            answer = sock.recv(4096)  # 64 bytes of the body sent, the rest never will be
            assert answer.startswith(b"HTTP/1.1 303"), answer[:200]
            assert b"/sign-in" in answer
            assert time.monotonic() - started < 8
    finally:
        stop_server(process, log_path)
