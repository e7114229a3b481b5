#!/usr/bin/env python3
"""Writes HuffPost's News Category records (../shared/corpora/huffpost) with Copydesk's sections as
labels, following that corpus's README: WORLD NEWS -> international, U.S. NEWS -> national,
POLITICS -> politics, BUSINESS and MONEY -> business, SPORTS -> sports, ENTERTAINMENT and
CULTURE & ARTS -> culture. Records of the other categories (COMEDY, STYLE & BEAUTY, ...) have no
newspaper section and are left out.

With --local-copies, every record that names a US state or city (ISO 3166-2 subdivisions and
tzdata's US cities, the same sources as Copydesk's gazetteer) is written a second time as a local
desk covering that place would file it: with its own "desk" ({"country": "US", "coverage":
[place]}) and, for a U.S. NEWS story, the section "local"; other sections keep theirs. A story is
local relative to a paper, and these copies teach the model what a mention of the desk's own area
means across many kinds of story (HuffPost has no local section of its own).

usage: huffpost-sections.py [--local-copies] IN.jsonl OUT.jsonl
"""
import json
import re
import sys

SECTIONS = {
    "WORLD NEWS": "international",
    "U.S. NEWS": "national",
    "POLITICS": "politics",
    "BUSINESS": "business",
    "MONEY": "business",
    "SPORTS": "sports",
    "ENTERTAINMENT": "culture",
    "CULTURE & ARTS": "culture",
}


def us_places():
    names = set()
    with open("/usr/share/iso-codes/json/iso_3166-2.json", encoding="utf-8") as f:
        for s in json.load(f)["3166-2"]:
            if s["code"].startswith("US-") and "," not in s["name"] and "(" not in s["name"]:
                names.add(s["name"])
    with open("/usr/share/zoneinfo/zone.tab", encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if line.startswith("#") or len(fields) < 3 or fields[0] != "US":
                continue
            parts = fields[2].split("/")
            if len(parts) == 2:
                names.add(parts[1].replace("_", " "))
    # Longest first, so that "West Virginia" is found before "Virginia".
    ordered = sorted(names, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in ordered) + r")(?![\w-])")


def main(argv):
    local_copies = "--local-copies" in argv
    paths = [a for a in argv if not a.startswith("--")]
    if len(paths) != 2:
        sys.exit(__doc__)
    source, target = paths
    places = us_places() if local_copies else None
    kept = copies = 0
    with open(source, encoding="utf-8") as f, open(target, "w", encoding="utf-8") as out:
        for line in f:
            record = json.loads(line)
            section = SECTIONS.get(record.get("label"))
            if section is None:
                continue
            item = {"id": record["id"], "label": section, "title": record.get("title", ""),
                    "text": record.get("text", "")}
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
            kept += 1
            if places is None:
                continue
            found = places.search(item["title"] + "\n" + item["text"])
            if found is None:
                continue
            copy = dict(item, id=item["id"] + "-local", label="local" if section == "national" else section,
                        desk={"country": "US", "coverage": [found.group(1)]})
            out.write(json.dumps(copy, ensure_ascii=False) + "\n")
            copies += 1
    print(f"{source}: {kept} records mapped to Copydesk's sections, {copies} local copies", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
