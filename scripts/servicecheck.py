"""What the service's process-level scripts share (scripts/service-faults.py, scripts/replicas.py):
their ok/FAIL lines, starting `copydesk-serve` on a free loopback port, and one HTTP call."""
import http.client
import re
import subprocess
import sys
import time

failures = []


def check(ok, message):
    print(("  ok    " if ok else "  FAIL  ") + message)
    if not ok:
        failures.append(message)


def start(binary, args, stderr, what):
    """`copydesk-serve --port 0 ARGS`, and the port it says it listens on (30 s at most)."""
    server = subprocess.Popen([binary, "--port", "0"] + args, stdout=subprocess.PIPE, stderr=stderr, text=True)
    deadline = time.time() + 30
    while time.time() < deadline and server.poll() is None:
        match = re.search(r"listening on http://127\.0\.0\.1:(\d+)", server.stdout.readline() or "")
        if match:
            return server, int(match.group(1))
    server.kill()
    sys.exit(f"{what} did not start")


def call(port, method, path, body=None, headers=None, timeout=60):
    """(status, body bytes) of one request on a connection of its own."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.request(method, path, body=body, headers={"Content-Type": "application/json", **(headers or {})})
        r = c.getresponse()
        return r.status, r.read()
    finally:
        c.close()
