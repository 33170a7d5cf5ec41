#!/usr/bin/env python3
"""Leak check of the packaged app (docs/load-test.md).

    ./mvnw -B -q package -DskipTests && python3 load/leak-check.py [--total 10000]

Starts the app with a fixed, pre-touched heap (-Xms = -Xmx, -XX:+AlwaysPreTouch, so that the heap
filling up is not mistaken for a leak) and the rate limit off, runs experiments from 4 clients
(tutorial experiments of varied sizes and implementations, and 5% the pretrained model's attention
on 4 to 40 words), and reads after 1,000 and after --total experiments:
the process's resident memory (VmRSS in /proc/PID/status) and JavaCPP's Pointer.physicalBytes()
and totalBytes() (the gauges mha_javacpp_*_bytes at /q/metrics). Passes when both RSS and
physicalBytes at the end are within 10% of their values after 1,000. Exit status 0 = pass.
"""
import argparse
import http.client
import json
import os
import random
import re
import subprocess
import sys
import threading
import time

SENTENCES = ["The cat sat on the mat", "Attention is all you need",
             "The animal did not cross the street because it was too tired"]


WORDS = ("the cat sat on a mat while every head of the model looks at some other word "
         "because attention weights sum to one across keys").split()


def request(rng):
    """One experiment: (path, JSON body). 5% ask the pretrained model (tokenizer and all)."""
    if rng.random() < 0.05:
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 40)))
        return "/api/v1/model/attention", json.dumps({"text": text})
    return "/api/v1/attention", body(rng)


def body(rng):
    kind = rng.random()
    if kind < 0.6:
        req = {"text": rng.choice(SENTENCES), "modelDim": rng.choice([8, 16, 32, 64]),
               "heads": rng.choice([1, 2, 4]), "causal": rng.choice(["none", "top-left"])}
    elif kind < 0.9:
        req = {"queryLength": rng.choice([16, 64, 128]), "modelDim": rng.choice([32, 64]),
               "heads": 4, "implementation": rng.choice(["vectorized", "tiled"])}
    else:
        req = {"queryLength": 12, "modelDim": 16, "heads": 2, "implementation": "loops"}
    req["seed"] = rng.randrange(1 << 30)
    return json.dumps(req)


def run(port, count, seed, clients=4):
    done, failures = [0], []
    lock = threading.Lock()

    def worker(n, wseed):
        rng = random.Random(wseed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for _ in range(n):
            path, payload = request(rng)
            conn.request("POST", path, payload, {"Content-Type": "application/json"})
            r = conn.getresponse()
            r.read()
            with lock:
                done[0] += 1
                if r.status != 200:
                    failures.append(r.status)

    per = count // clients
    threads = [threading.Thread(target=worker, args=(per, seed * 31 + i)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return done[0], failures


def measure(pid, port):
    # Let finished requests' arrays be collected, as a long-running server would, then read.
    subprocess.run(["jcmd", str(pid), "GC.run"], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)
    time.sleep(2)
    with open(f"/proc/{pid}/status") as f:
        rss = int(re.search(r"VmRSS:\s+(\d+) kB", f.read()).group(1)) * 1024
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/q/metrics")
    text = conn.getresponse().read().decode()

    def gauge(name):
        m = re.search(r"^" + name + r"(?:\{[^}]*\})? (\S+)$", text, re.M)
        return float(m.group(1)) if m else float("nan")
    return {"rss": rss, "physical": gauge("mha_javacpp_physical_bytes"),
            "total": gauge("mha_javacpp_total_bytes")}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--total", type=int, default=10_000)
    p.add_argument("--warm", type=int, default=1_000)
    p.add_argument("--port", type=int, default=8090)
    p.add_argument("--heap", default="1g")
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    os.makedirs(os.path.join(root, "target/load"), exist_ok=True)
    env = dict(os.environ, QUARKUS_HTTP_HOST="127.0.0.1", QUARKUS_HTTP_PORT=str(a.port),
               MHA_RATE_LIMIT_ENABLED="false")
    log = open(os.path.join(root, "target/load/leak-app.log"), "w")
    app = subprocess.Popen(["java", f"-Xms{a.heap}", f"-Xmx{a.heap}", "-XX:+AlwaysPreTouch",
                            "-XX:+UseG1GC", "-jar", "target/quarkus-app/quarkus-run.jar"],
                           cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(180):
            try:
                c = http.client.HTTPConnection("127.0.0.1", a.port, timeout=2)
                c.request("GET", "/q/health/ready")
                if c.getresponse().status == 200:
                    break
            except OSError:
                pass
            time.sleep(1)
        else:
            sys.exit("the app did not become ready; see target/load/leak-app.log")
        t0 = time.time()
        n, failures = run(a.port, a.warm, a.seed)
        first = measure(app.pid, a.port)
        print(f"after {n}: rss={first['rss'] / 2**20:.1f} MiB "
              f"physicalBytes={first['physical'] / 2**20:.1f} MiB "
              f"totalBytes={first['total'] / 2**20:.1f} MiB ({time.time() - t0:.0f} s)", flush=True)
        m, more = run(a.port, a.total - a.warm, a.seed + 1)
        failures += more
        last = measure(app.pid, a.port)
        print(f"after {n + m}: rss={last['rss'] / 2**20:.1f} MiB "
              f"physicalBytes={last['physical'] / 2**20:.1f} MiB "
              f"totalBytes={last['total'] / 2**20:.1f} MiB ({time.time() - t0:.0f} s)")
        rss_change = last["rss"] / first["rss"] - 1
        phys_change = last["physical"] / first["physical"] - 1
        print(f"change: rss {rss_change:+.1%}, physicalBytes {phys_change:+.1%}; "
              f"non-200 answers: {len(failures)}")
        ok = abs(rss_change) <= 0.10 and abs(phys_change) <= 0.10 and not failures
        print("PASS" if ok else "FAIL")
        sys.exit(0 if ok else 1)
    finally:
        app.terminate()
        app.wait(30)


if __name__ == "__main__":
    main()
