"""Regenerates the scikit-learn reference fixtures used by CopydeskTests.

Run with the peers' environment (../shared/peers/setup.sh):
    $HOME/.cache/copydesk-peers/bin/python Tests/Fixtures/make_fixtures.py
It writes Tests/CopydeskTests/Fixtures/sklearn_reference.json. The texts are written for Copydesk.
"""
import json
import os
import sys

import numpy as np
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

DOCS = [
    ("business", "Harbor Freight Lines posted record profits; shares rose 4.5% as freight volumes climbed."),
    ("business", "The central bank held rates steady, and bond markets rallied on the news."),
    ("business", "Profits at the regional bank fell as mortgage lending slowed for a third quarter."),
    ("business", "Shares of the freight company fell after profits missed forecasts."),
    ("sports", "The Harbor City Gulls won 3-1 on Saturday; the striker scored twice in the second half."),
    ("sports", "Coach Díaz said the team's defense won the match, not luck."),
    ("sports", "The Gulls' goalkeeper saved a penalty as the team won the cup final."),
    ("sports", "A late goal sank the visitors, and the coach praised the striker."),
    ("culture", "The museum's new wing opens Friday with a show of Québec painters."),
    ("culture", "Critics praised the novel, a quiet story of a lighthouse keeper and his daughter."),
    ("culture", "The orchestra will play the new symphony at the museum on Friday."),
    ("culture", "A painter's quiet portraits fill the museum's second floor this winter."),
]


def dense(m):
    return [[float(v) for v in row] for row in m.toarray()]


def tfidf_case(name, **kwargs):
    v = TfidfVectorizer(**kwargs)
    x = v.fit_transform([t for _, t in DOCS])
    return {
        "name": name,
        "settings": {k: (list(val) if isinstance(val, tuple) else val) for k, val in kwargs.items()},
        "vocabulary": list(v.get_feature_names_out()),
        "idf": [float(i) for i in v.idf_],
        "matrix": dense(x),
    }


def untied_limit(max_df, at_most):
    """The largest max_features <= at_most whose cut falls between different total counts, so the
    kept set does not depend on how ties are ordered (scikit-learn's sort is not stable)."""
    from sklearn.feature_extraction.text import CountVectorizer
    counts = CountVectorizer(max_df=max_df).fit_transform([t for _, t in DOCS]).sum(axis=0).A1
    totals = sorted(counts, reverse=True)
    for limit in range(at_most, 0, -1):
        if totals[limit - 1] != totals[limit]:
            return limit
    raise SystemExit("no untied limit")


def lr_case(name, class_weight=None, docs=DOCS):
    v = TfidfVectorizer(sublinear_tf=True)
    x = v.fit_transform([t for _, t in docs])
    y = [label for label, _ in docs]
    clf = LogisticRegression(C=10, solver="lbfgs", tol=1e-10, max_iter=10000, class_weight=class_weight)
    clf.fit(x, y)
    return {
        "name": name,
        "class_weight": class_weight,
        "documents": len(docs),
        "C": 10,
        "vocabulary": list(v.get_feature_names_out()),
        "classes": [str(c) for c in clf.classes_],
        "coef": [[float(v) for v in row] for row in clf.coef_],
        "intercept": [float(v) for v in clf.intercept_],
        "probabilities_first_doc": [float(p) for p in clf.predict_proba(x[0])[0]],
        "n_iter": int(clf.n_iter_[0]),
    }


out = {
    "generated_by": f"scikit-learn {sklearn.__version__}, numpy {np.__version__}",
    "documents": [{"label": label, "text": text} for label, text in DOCS],
    "tfidf": [
        tfidf_case("defaults"),
        tfidf_case("bigrams_sublinear_min_df_2", ngram_range=(1, 2), sublinear_tf=True, min_df=2),
        tfidf_case("max_df_and_max_features", max_df=0.5, max_features=untied_limit(0.5, 12), smooth_idf=False),
    ],
    "logistic_regression": [lr_case("plain"), lr_case("balanced_on_first_10", "balanced", DOCS[:10])],
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "CopydeskTests", "Fixtures", "sklearn_reference.json")
with open(path, "w", encoding="utf-8") as f:
    json.dump(out, f, indent=1, ensure_ascii=False)
    f.write("\n")
print("wrote", os.path.normpath(path), file=sys.stderr)
