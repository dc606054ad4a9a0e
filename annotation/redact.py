"""Keep secrets out of the server's log: copy its output line by line with secrets masked.

Label Studio logs every request line, query string included, so an
annotator opening an invite link (``/user/signup/?token=…``) would put the
token in ``server.log``. `corpus serve` pipes the server's output through
this module: ``python -m annotation.redact LOG COMMAND…`` runs the server as
its child and appends the child's output, masked, to LOG. It imports nothing
of the project, so it starts at once; it exits with the child's exit code.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from typing import BinaryIO

SECRET_PARAMETER = re.compile(rb"([?&](?:token|key|secret|password|api_key|access_token)=)[^&\s\"'#]+", re.IGNORECASE)
SECRET_HEADER = re.compile(rb"\b((?:Token|Bearer)\s+)[A-Za-z0-9._~+/=-]{8,}")
MASK = rb"\1***"


def redact(line: bytes) -> bytes:
    """Mask the values of secret query parameters and authorization headers in one log line.

    >>> redact(b'"GET /user/signup/?token=4f2a9c HTTP/1.1" 200')
    b'"GET /user/signup/?token=*** HTTP/1.1" 200'
    """
    return SECRET_HEADER.sub(MASK, SECRET_PARAMETER.sub(MASK, line))


def copy_redacted(source: BinaryIO, log: BinaryIO) -> None:
    """Copy `source` to `log` line by line, redacted, flushing each line so the log stays current."""
    for line in iter(source.readline, b""):
        log.write(redact(line))
        log.flush()


def run_redacted(command: list[str], log_path: str) -> int:
    """Run `command` with its output (stdout and stderr) appended to `log_path`, redacted; return its exit code."""
    with open(log_path, "ab") as log:
        child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        # stay until the server is gone: whoever stops us by our pid waits for its port to be free
        signal.signal(signal.SIGTERM, lambda *_: child.terminate())
        copy_redacted(child.stdout, log)
        return child.wait()


if __name__ == "__main__":
    sys.exit(run_redacted(sys.argv[2:], sys.argv[1]))
