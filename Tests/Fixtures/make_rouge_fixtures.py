"""Regenerates the ROUGE and Porter-stemmer reference fixtures used by CopydeskTests.

Run with the peers' environment (../shared/peers/setup.sh):
    $HOME/.cache/copydesk-peers/bin/python Tests/Fixtures/make_rouge_fixtures.py
Texts come from Copydesk's own corpus (corpora/newsroom) and from edge cases written here.
"""
import glob
import json
import os
import random
import re

from nltk.stem import porter
from rouge_score import rouge_scorer

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
OUT = os.path.join(ROOT, "Tests", "CopydeskTests", "Fixtures")

articles = []
for path in sorted(glob.glob(os.path.join(ROOT, "corpora", "newsroom", "*", "*.txt"))):
    with open(path, encoding="utf-8") as f:
        articles.append(f.read())

# Porter: every distinct word of the corpus plus words that exercise each rule.
words = set()
for a in articles:
    words.update(re.findall(r"[a-z0-9]+", a.lower()))
words.update("""caresses ponies ties caress cats feed agreed disabled matting mating meeting milling messing
meetings happy sky skies dying lying tying news innings outings cannings howe proceed exceed succeed
relational conditional rational valenci hesitanci digitizer conformabli radicalli differentli vileli
analogousli vietnamization predication operator feudalism decisiveness hopefulness callousness formaliti
sensitiviti sensibiliti triplicate formative formalize electriciti electrical hopeful goodness revival
allowance inference airliner gyroscopic adjustable defensible irritant replacement adjustment dependent
adoption homologou communism activate angulariti homologous effective bowdlerize probate rate cease
controll roll generalization oscillators archaeology fulli hopefulli logi analogi cried died spied
yyyy ayyy byyy sly ally by bye""".split())
stemmer = porter.PorterStemmer()
stems = {w: stemmer.stem(w) for w in sorted(words)}

# ROUGE pairs: leads against other sentence picks of the same article, plus edge cases.
rng = random.Random(7)
pairs = []
for a in rng.sample(articles, 24):
    sents = [s.strip() for s in re.split(r"(?<=[.!?\"”])\s+", a.split("\n\n", 1)[1]) if s.strip()]
    k = min(3, len(sents))
    ref = " ".join(sents[:k])
    cand = " ".join(rng.sample(sents, min(len(sents), rng.randint(1, 4))))
    pairs.append([ref, cand])
pairs += [
    ["The cat sat on the mat.", ""],
    ["", "Nothing to compare."],
    ["Officers arrested 3 people at 9 a.m.; 2 were released.", "Three people were arrested; two were released at 9 a.m."],
    ["Straße café naïve Ödön", "strasse cafe naive odon"],
    ["The \u212Aelvin sign lowers to k.", "the kelvin sign lowers to k"],
    ["running runs ran runner", "run running ran"],
    ["A B C D E F", "F E D C B A"],
    ["repeated repeated repeated words", "repeated words words words"],
]
scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
plain = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=False)


def figures(s):
    return {k: [s[k].precision, s[k].recall, s[k].fmeasure] for k in ("rouge1", "rouge2", "rougeL")}


fixture = {
    "generated_by": "rouge-score 0.1.2 (rouge_scorer.RougeScorer), NLTK PorterStemmer default mode",
    "pairs": [{"reference": r, "candidate": c, "stemmed": figures(scorer.score(r, c)),
               "unstemmed": figures(plain.score(r, c))} for r, c in pairs],
}
with open(os.path.join(OUT, "rouge_reference.json"), "w", encoding="utf-8") as f:
    json.dump(fixture, f, indent=1, ensure_ascii=False)
    f.write("\n")
with open(os.path.join(OUT, "porter_reference.json"), "w", encoding="utf-8") as f:
    json.dump(stems, f, indent=0, ensure_ascii=False, sort_keys=True)
    f.write("\n")
print(len(pairs), "pairs,", len(stems), "stems")
