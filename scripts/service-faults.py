#!/usr/bin/env python3
"""Faults a real client brings, against a real `copydesk-serve` on loopback (run by `make test`):

1. clients that disconnect in the middle of a body: the service keeps serving and counts no
   request as still in flight;
2. 1,000 concurrent slow clients trickling their headers: an ordinary client is still answered
   promptly;
3. reloads (SIGHUP and POST /v1/admin/reload) during load: no request fails;
4. SIGTERM during load: the requests in flight are answered and the process exits 0.

usage: scripts/service-faults.py PATH/TO/copydesk-serve
"""
import http.client
import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

import servicecheck
from servicecheck import check, failures, start

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ARTICLE = open(os.path.join(ROOT, "corpora", "newsroom", "local", "02-water-main-break.txt"), encoding="utf-8").read()


def start_service(binary, args):
    log = tempfile.NamedTemporaryFile("w", prefix="copydesk-faults-", suffix=".log", delete=False)
    return start(binary, args, log, f"service-faults: the service (log: {log.name})")


def call(port, method, path, body=None, headers=None, timeout=60):
    return servicecheck.call(port, method, path, body, {"Authorization": "Bearer " + TOKEN, **(headers or {})}, timeout)


def in_flight(port):
    _, body = call(port, "GET", "/metrics")
    return int(re.search(rb"copydesk_http_requests_in_flight (\d+)", body).group(1))


def disconnects(port):
    print("clients that disconnect mid-body")
    for i in range(50):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"POST /v1/classify HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                  + f"Authorization: Bearer {TOKEN}\r\n".encode()
                  + b"Content-Length: 100000\r\n\r\n" + b'{"text": "' + b"word " * (200 + i))
        if i == 0:
            # While the first body is half sent, the request is counted in flight.
            deadline = time.time() + 5
            while time.time() < deadline and in_flight(port) != 1:
                time.sleep(0.02)
            check(in_flight(port) == 1, "a half-sent body is a request in flight")
        if i % 2:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")  # reset, not FIN
        s.close()
    deadline = time.time() + 5
    while time.time() < deadline and in_flight(port) != 0:
        time.sleep(0.05)
    check(in_flight(port) == 0, "no request left counted in flight after 50 abandoned bodies")
    status, _ = call(port, "POST", "/v1/classify", json.dumps({"text": ARTICLE}))
    check(status == 200, f"an ordinary request is answered afterwards ({status})")


def slow_clients(port, count=1000):
    print(f"{count} concurrent slow clients")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < count + 100:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, count + 200), hard))
    sockets = []
    for _ in range(count):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"POST /v1/classify HTTP/1.1\r\nHost: localhost\r\n")
        sockets.append(s)
    latencies = []
    started = time.time()
    rounds = 0
    while time.time() - started < 4:
        for s in sockets:
            try:
                s.sendall(b"X")  # one byte of a header that never ends
            except OSError:
                pass
        t = time.perf_counter()
        status, _ = call(port, "POST", "/v1/classify", json.dumps({"text": ARTICLE}), timeout=10)
        latencies.append((time.perf_counter() - t, status))
        rounds += 1
        time.sleep(0.2)
    worst = max(l for l, _ in latencies)
    check(all(s == 200 for _, s in latencies), f"{rounds} ordinary requests among them all answered 200")
    check(worst < 2.0, f"the slowest of them took {worst * 1000:.0f} ms (< 2 s)")
    for s in sockets:
        s.close()
    status, _ = call(port, "GET", "/healthz")
    check(status == 200, "healthy after the slow clients leave")


def load(port, stop, results, body):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    while not stop.is_set():
        try:
            c.request("POST", "/v1/classify", body=body, headers={"Content-Type": "application/json",
                                                                  "Authorization": "Bearer " + TOKEN})
            r = c.getresponse()
            r.read()
            results.append(r.status)
        except (OSError, http.client.HTTPException) as error:
            results.append(type(error).__name__)
            c.close()
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    c.close()


def reloads(server, port):
    print("reloads during load")
    stop, results = threading.Event(), []
    threads = [threading.Thread(target=load, args=(port, stop, results, json.dumps({"text": ARTICLE}))) for _ in range(3)]
    for t in threads:
        t.start()
    answers = []
    for i in range(8):
        time.sleep(0.25)
        if i % 2:
            os.kill(server.pid, signal.SIGHUP)
        else:
            answers.append(call(port, "POST", "/v1/admin/reload", headers={"Authorization": "Bearer " + TOKEN})[0])
    time.sleep(0.25)
    stop.set()
    for t in threads:
        t.join()
    bad = [r for r in results if r != 200]
    check(len(results) > 20 and not bad, f"{len(results)} requests during 8 reloads, {len(bad)} not answered 200 {bad[:5]}")
    check(answers == [200] * len(answers), f"admin reloads answered {answers}")


def sigterm(server, port):
    print("SIGTERM during load")
    stop, results = threading.Event(), []
    threads = [threading.Thread(target=load, args=(port, stop, results, json.dumps({"text": ARTICLE}))) for _ in range(2)]
    for t in threads:
        t.start()
    batch = json.dumps([{"text": ARTICLE + f" {i}"} for i in range(300)])
    long_answers = []

    def long_request():
        try:
            long_answers.append(call(port, "POST", "/v1/annotate", batch, {"Authorization": "Bearer " + TOKEN}, timeout=120)[0])
        except (OSError, http.client.HTTPException) as error:
            long_answers.append(type(error).__name__)

    longs = [threading.Thread(target=long_request) for _ in range(3)]
    for t in longs:
        t.start()
    deadline = time.time() + 20
    while time.time() < deadline and in_flight(port) < 3:
        time.sleep(0.01)
    os.kill(server.pid, signal.SIGTERM)
    for t in longs:
        t.join()
    stop.set()
    for t in threads:
        t.join()
    try:
        code = server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        server.kill()
        code = None
    check(long_answers == [200, 200, 200], f"the 3 batches in flight at SIGTERM were answered: {long_answers}")
    answered = [r for r in results if isinstance(r, int)]
    check(all(r == 200 for r in answered), f"every answer during the shutdown was 200 ({len(answered)} answered)")
    check(code == 0, f"the process exited {code}")


def main():
    global TOKEN
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    binary = sys.argv[1]
    work = tempfile.mkdtemp(prefix="copydesk-faults-")
    model = os.path.join(work, "m.cdm")
    shutil.copy(os.path.join(ROOT, "models", "sections.cdm"), model)
    TOKEN = "faults-" + os.urandom(12).hex()
    token_file = os.path.join(work, "token")
    open(token_file, "w").write(TOKEN + "\n")
    server, port = start_service(binary, ["--model", model, "--token-file", token_file, "--time-budget", "120"])
    try:
        disconnects(port)
        slow_clients(port)
        reloads(server, port)
        sigterm(server, port)
    finally:
        if server.poll() is None:
            server.kill()
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        sys.exit(f"service-faults: {len(failures)} failed")
    print("service-faults: ok")


TOKEN = ""
if __name__ == "__main__":
    main()
