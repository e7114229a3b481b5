#!/usr/bin/env python3
"""Why one summarizer setting cannot both beat Lead-3 on CNN/Daily Mail and keep its BBC score.

Usage: scripts/summary-tradeoff.py [BINARY]   (release build; run with the peers' Python, which has
rouge-score, numpy and scikit-learn: ~/.cache/copydesk-peers/bin/python; CORPORA=... as for bench.py)

Development data only: BBC train, cnndm-dev, xsum-dev (never a test split). Each article's sentences
and score parts come from `copydesk summarize --scores`; every candidate selection is scored with the
peers' own ROUGE (`../shared/peers/_common.py`: rouge-score F1, Porter stemming, x100). Three sentences
(one for XSum). Families of selection rules, each over a grid:
  - `defaults`: Copydesk's summary as shipped; `lead`: the first k sentences;
  - `window K`: the best-scored sentences among the first K;
  - `position w`: the default score plus w * exp(-i / 2);
  - `directed l1`: position-aware centrality in the spirit of PacSum (Zheng & Lapata, ACL 2019):
    l1 * similarity to earlier sentences + similarity to later ones, plus 0.3 * length;
  - `learned`: logistic regression on 11 sentence features (position, centrality, coverage, headline,
    length) with greedy-oracle labels, 5-fold over articles, trained on the three corpora pooled
    (each weighted alike) or on CNN/DM alone.
Prints one line per rule: ROUGE-1/2/L on each corpus. Takes ~13 minutes on two cores, most of it the
greedy oracle labels of the learned rules (rouge-score on every candidate).
"""
import collections
import json
import math
import os
import subprocess
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build/release/copydesk")
CORPORA = os.environ.get("CORPORA", os.path.join(ROOT, "..", "shared", "corpora"))
sys.path.insert(0, os.path.join(ROOT, "..", "shared", "peers"))
import _common as C  # noqa: E402
from rouge_score import tokenize  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

SETS = [("cnndm", "cnndm-dev/dev.jsonl", 3), ("bbc-train", "bbc/train.jsonl", 3), ("xsum", "xsum-dev/dev.jsonl", 1)]
SCORER = C.make_rouge_scorer()


def load(path, k):
    refs = {}
    with open(os.path.join(CORPORA, path), encoding="utf-8") as f:
        for line in f:
            o = json.loads(line)
            refs[o["id"]] = o["summary"]
    out = subprocess.run([BIN, "summarize", "--format", "jsonl", "--json", "--scores", "--sentences", str(k),
                          os.path.join(CORPORA, path)], stdout=subprocess.PIPE, text=True, check=True).stdout
    docs = []
    for line in out.splitlines():
        o = json.loads(line)
        docs.append({"ref": refs[o["id"]], "summary": o["summary"], "s": o["scores"],
                     "words": [tokenize.tokenize(s["text"], None) for s in o["scores"]]})
    return docs


def score(docs, chosen):
    """Mean ROUGE-1/2/L F1 x100 of the chosen sentence indices (a list per article, or texts)."""
    tot = collections.Counter()
    for d, c in zip(docs, chosen):
        text = c if isinstance(c, str) else " ".join(d["s"][i]["text"] for i in sorted(c))
        for key, v in C.rouge_f1(SCORER, d["ref"], text).items():
            tot[key] += v
    return [100 * tot[key] / len(docs) for key in C.ROUGE_TYPES]


def top(values, k, limit=None):
    n = len(values) if limit is None else min(limit, len(values))
    return sorted(range(n), key=lambda i: -values[i])[:k]


def similarities(d):
    words = [[w for w in ws if len(w) > 3] for ws in d["words"]]
    n = len(words)
    df = collections.Counter(w for ws in words for w in set(ws))
    index = {w: i for i, w in enumerate(df)}
    m = np.zeros((n, len(index)))
    for i, ws in enumerate(words):
        for w, c in collections.Counter(ws).items():
            m[i, index[w]] = c * math.log((n + 1) / df[w])
    norms = np.linalg.norm(m, axis=1)
    norms[norms == 0] = 1
    m /= norms[:, None]
    s = m @ m.T
    np.fill_diagonal(s, 0)
    return s


def directed(d, l1):
    s = d.setdefault("sim", similarities(d) if d["s"] else np.zeros((0, 0)))
    c = np.array([l1 * s[i, :i].sum() + s[i, i + 1:].sum() for i in range(len(s))])
    if len(c) and np.abs(c).max() > 0:
        c /= np.abs(c).max()
    return [c[i] + 0.3 * x["length"] for i, x in enumerate(d["s"])]


def features(d):
    n = len(d["s"])
    return np.array([[math.exp(-i / 2), 1 / (i + 1), i / n, float(i == 0), float(i < 3), x["centrality"],
                      x["coverage"], x["headline"], min(len(d["words"][i]), 40) / 40,
                      float(len(d["words"][i]) < 8), float(len(d["words"][i]) > 45)] for i, x in enumerate(d["s"])])


def oracle(d, k):
    """Greedy oracle: add the sentence that most raises ROUGE-1 + ROUGE-2 F1, k times."""
    chosen, best = [], 0.0
    for _ in range(k):
        pick = None
        for i in range(len(d["s"])):
            if i in chosen:
                continue
            r = C.rouge_f1(SCORER, d["ref"], " ".join(d["s"][j]["text"] for j in sorted(chosen + [i])))
            if r["rouge1"] + r["rouge2"] > best:
                best, pick = r["rouge1"] + r["rouge2"], i
        if pick is None:
            break
        chosen.append(pick)
    y = np.zeros(len(d["s"]))
    y[chosen] = 1
    return y


def learned(data, train_on, folds=5):
    """Out-of-fold selections on every corpus from models trained on the corpora in train_on."""
    picks = {name: [None] * len(docs) for name, docs, _ in data}
    for f in range(folds):
        xs, ys, ws = [], [], []
        for name, docs, _ in data:
            if name not in train_on:
                continue
            for j, d in enumerate(docs):
                if j % folds != f and d["s"]:
                    xs.append(d["x"])
                    ys.append(d["y"])
                    ws.append(np.full(len(d["s"]), 1 / (len(docs) * len(d["s"]))))
        w = np.concatenate(ws)
        model = LogisticRegression(C=1.0, max_iter=2000).fit(np.vstack(xs), np.concatenate(ys), sample_weight=w * len(w))
        for name, docs, k in data:
            for j, d in enumerate(docs):
                if j % folds == f:
                    picks[name][j] = top(model.decision_function(d["x"]), k) if d["s"] else []
    return picks


def main():
    data = [(name, load(path, k), k) for name, path, k in SETS]
    for _, docs, k in data:
        for d in docs:
            d["x"] = features(d) if d["s"] else np.zeros((0, 11))
            d["y"] = oracle(d, k)
    rules = [("defaults", lambda d, k: d["summary"]), ("lead", lambda d, k: list(range(min(k, len(d["s"])))))]
    rules += [(f"window {w}", lambda d, k, w=w: top([x["score"] for x in d["s"]], k, w)) for w in (3, 4, 5, 8)]
    rules += [(f"position {w}", lambda d, k, w=w: top([x["score"] + w * math.exp(-i / 2) for i, x in enumerate(d["s"])], k))
              for w in (1, 2, 4)]
    rules += [(f"directed {l1}", lambda d, k, l1=l1: top(directed(d, l1), k)) for l1 in (-2, -1, -0.5, 0)]
    print("rule | " + " | ".join(f"{name} R-1/R-2/R-L" for name, _, _ in data))
    for label, rule in rules:
        cells = [score(docs, [rule(d, k) for d in docs]) for _, docs, k in data]
        print(label + " | " + " | ".join("/".join(f"{v:.2f}" for v in c) for c in cells), flush=True)
    for label, train_on in (("learned, pooled", {"cnndm", "bbc-train", "xsum"}), ("learned, CNN/DM only", {"cnndm"})):
        picks = learned(data, train_on)
        cells = [score(docs, picks[name]) for name, docs, _ in data]
        print(label + " | " + " | ".join("/".join(f"{v:.2f}" for v in c) for c in cells), flush=True)


if __name__ == "__main__":
    main()
