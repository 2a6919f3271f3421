# SPDX-License-Identifier: ISC
"""One control-socket query for the integration tests, independent of
xsmonctl so the two are checked against each other.

As a module: query(sock, request, timeout) -> the reply line (bytes).
As a script: xsmq.py SOCK REQUEST prints the reply line.
"""
import socket
import sys


def query(sock, request, timeout=5.0):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.settimeout(timeout)
        s.connect(sock)
        s.sendall(request.encode() + b"\n")
        buf = b""
        while not buf.endswith(b"\n"):
            chunk = s.recv(65536)
            if not chunk:
                break
            buf += chunk
        return buf
    finally:
        s.close()


if __name__ == "__main__":
    sys.stdout.write(query(sys.argv[1], sys.argv[2]).decode())
