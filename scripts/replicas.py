#!/usr/bin/env python3
"""Past one machine, path (a): two `copydesk-serve` replicas behind nginx (deploy/nginx.conf), all
on loopback, started and stopped here.

Checks: requests through nginx are answered as a replica answers them directly; both replicas
take a share; with one replica stopped (SIGTERM) no request fails. With --bench, wrk measures the
pair through nginx (on this machine the replicas, nginx and wrk share the same cores).

usage: scripts/replicas.py BUILD_DIR [--bench] [--if-available]
"""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

from servicecheck import call, check, failures, start

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def replica(binary, model):
    return start(binary, ["--model", model, "--log-level", "warning"], subprocess.DEVNULL, "replicas: a replica")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def served(port):
    _, body = call(port, "GET", "/metrics")
    return sum(int(n) for n in re.findall(rb'copydesk_http_requests_total\{route="/v1/classify",status="200"\} (\d+)', body))


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 1:
        sys.exit(__doc__)
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if nginx is None:
        message = "nginx is not installed (Debian: apt-get install nginx; then make test-replicas)"
        if "--if-available" in sys.argv:
            print(f"replicas: skipped: {message}", file=sys.stderr)
            return
        sys.exit(f"replicas: {message}")
    binary = os.path.join(args[0], "copydesk-serve")
    model = os.path.join(ROOT, "models", "sections.cdm")
    prefix = tempfile.mkdtemp(prefix="copydesk-nginx-")
    processes = []
    try:
        (a, port_a), (b, port_b) = replica(binary, model), replica(binary, model)
        processes += [a, b]
        port = free_port()
        conf = open(os.path.join(ROOT, "deploy", "nginx.conf")).read()
        for field, value in (("@PREFIX@", prefix), ("@REPLICA1@", port_a), ("@REPLICA2@", port_b), ("@PORT@", port)):
            conf = conf.replace(field, str(value))
        conf_path = os.path.join(prefix, "nginx.conf")
        open(conf_path, "w").write(conf)
        proxy = subprocess.Popen([nginx, "-p", prefix, "-c", conf_path, "-g", "daemon off;"], stderr=subprocess.PIPE, text=True)
        processes.append(proxy)
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                if call(port, "GET", "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.05)
        else:
            sys.exit(f"replicas: nginx did not start: {proxy.stderr.read() if proxy.poll() is not None else ''}")
        print(f"replicas on {port_a} and {port_b} behind nginx on {port}")

        texts = []
        for section in sorted(os.listdir(os.path.join(ROOT, "corpora", "newsroom"))):
            folder = os.path.join(ROOT, "corpora", "newsroom", section)
            if os.path.isdir(folder):
                texts += [open(os.path.join(folder, n), encoding="utf-8").read() for n in sorted(os.listdir(folder))[:20]]
        through, direct = [], []
        for t in texts:
            body = json.dumps({"text": t})
            through.append(call(port, "POST", "/v1/classify", body))
            direct.append(call(port_a, "POST", "/v1/classify", body))
        check(all(s == 200 for s, _ in through), f"{len(through)} requests through nginx answered 200")
        check([b for _, b in through] == [b for _, b in direct], "each answer equals the replica's direct answer")
        share_a, share_b = served(port_a) - len(direct), served(port_b)
        check(share_a > 0 and share_b > 0, f"both replicas served requests through nginx ({share_a} and {share_b})")

        a.send_signal(signal.SIGTERM)
        a.wait(timeout=30)
        after = [call(port, "POST", "/v1/classify", json.dumps({"text": t}))[0] for t in texts[:60]]
        check(all(s == 200 for s in after), f"with one replica stopped, {after.count(200)} of {len(after)} requests answered 200")

        if "--bench" in sys.argv and shutil.which("wrk"):
            a2, port_a2 = replica(binary, model)
            processes.append(a2)
            conf2 = conf.replace(f"127.0.0.1:{port_a} ", f"127.0.0.1:{port_a2} ")
            open(conf_path, "w").write(conf2)
            proxy.send_signal(signal.SIGHUP)  # nginx re-reads its configuration
            time.sleep(1)
            feed = os.path.join(prefix, "bodies.jsonl")
            open(feed, "w").write("".join(json.dumps({"text": t}) + "\n" for t in texts))
            lua = os.path.join(ROOT, "scripts", "wrk-post.lua")
            for target, name in ((port, "two replicas through nginx"), (port_b, "one replica directly")):
                out = subprocess.run(["wrk", "-t2", "-c8", "-d10s", "-s", lua, f"http://127.0.0.1:{target}", "--", feed,
                                      "/v1/classify"], stdout=subprocess.PIPE, text=True).stdout
                line = next((l for l in out.splitlines() if l.startswith('{"requests"')), "{}")
                r = json.loads(line)
                errors = sum(r.get(k, 0) for k in ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts"))
                print(f"BENCH {name}: {r.get('requests', 0) / max(r.get('seconds', 1), 1e-9):.0f} requests/s, "
                      f"p99 {r.get('p99_ms', 0):.2f} ms, {errors} errors")
    finally:
        for p in processes:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in processes:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(prefix, ignore_errors=True)
    if failures:
        sys.exit(f"replicas: {len(failures)} failed")
    print("replicas: ok")


if __name__ == "__main__":
    main()
