"""Secrets masked on their way into server.log."""

import io

from annotation.redact import copy_redacted, redact


def test_invite_tokens_and_authorization_headers_are_masked():
    lines = [b'[01/Dec/2025 21:00:01] "GET /user/signup/?token=9f1c2e7a4b HTTP/1.1" 200 5123\n',
             b'"POST /user/signup/?next=/projects/&token=9f1c2e7a4b HTTP/1.1" 302 0\n',
             b"Authorization: Token 0123456789abcdef0123\n"]
    masked = [redact(line) for line in lines]
    assert masked == [b'[01/Dec/2025 21:00:01] "GET /user/signup/?token=*** HTTP/1.1" 200 5123\n',
                      b'"POST /user/signup/?next=/projects/&token=*** HTTP/1.1" 302 0\n',
                      b"Authorization: Token ***\n"]


def test_lines_without_secrets_pass_unchanged_and_in_order():
    source = io.BytesIO(b"Starting server at 127.0.0.1:8080\n\"GET /health HTTP/1.1\" 200 15\nno newline")
    log = io.BytesIO()
    copy_redacted(source, log)
    assert log.getvalue() == source.getvalue()
