#!/usr/bin/env python3
"""Grid search of the summarizer's weights on the BBC *training* split (never the test split),
with a check on Copydesk's own newsroom corpus: how often the lede is among the 3 sentences.

Usage: scripts/tune-summarizer.py [BINARY]  (release build; CORPORA=... as for bench.py)
Prints one JSON line per setting: the weights, ROUGE-2 F1 x100 with reference-length and
3-sentence summaries, and the share of newsroom articles whose 3-sentence summary holds the lede.
Edit GRID below to search other weights; every flag is a `copydesk summarize` weight option.
"""
import glob
import itertools
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build/release/copydesk")
BBC = os.path.join(os.environ.get("CORPORA", os.path.join(ROOT, "..", "shared", "corpora")), "bbc")
NEWS = sorted(glob.glob(os.path.join(ROOT, "corpora", "newsroom", "*", "*.txt")))
GRID = {
    "position-weight": [0.3, 0.5],
    "position-decay": [1.0, 2.0, 4.0],
    "headline-weight": [0.3, 0.6],
    "coverage-weight": [2.0],
    "length-weight": [0.3],
    "redundancy": [0.2],
}


def flags(setting):
    return [x for k, v in setting.items() for x in (f"--{k}", str(v))]


def evaluate(setting):
    out = {}
    for length in ("reference", "3"):
        cmd = [BIN, "evaluate-summaries", "--corpus", BBC, "--split", "train", "--length", length, "--json", "--quiet"]
        out[length] = json.loads(subprocess.run(cmd + flags(setting), stdout=subprocess.PIPE, text=True, check=True).stdout)["copydesk"]["rouge2"]
    lines = subprocess.run([BIN, "summarize", "--json"] + flags(setting) + NEWS, stdout=subprocess.PIPE, text=True, check=True).stdout
    objs = [json.loads(l) for l in lines.splitlines()]
    out["newsroom_lede_in_3"] = sum(o["lede"] in o["summary_sentences"] for o in objs) / len(objs)
    return setting, out


settings = [dict(zip(GRID, values)) for values in itertools.product(*GRID.values())]
with ThreadPoolExecutor(2) as pool:
    for setting, out in pool.map(evaluate, settings):
        print(json.dumps({**setting, **out}), flush=True)
