#!/usr/bin/env python3
"""Turns the founding example (../shared/seeds/000_e2265488d5187a01.txt, a newspaper page as scraped)
into labelled JSONL for `copydesk evaluate`: the wire story (international) and each of the twelve
"More in Local News" teasers (headline + blurb, without the photo caption above the headline), local.

usage: founding-page.py [SEED] > founding.jsonl
"""
import json
import sys


def blocks(lines):
    block = []
    for line in lines:
        if line.strip():
            block.append(line.strip())
        elif block:
            yield block
            block = []
    if block:
        yield block


def main(path):
    text = open(path, encoding="utf-8").read()
    lines = text.split("\n")
    title = lines[0].strip()
    story_end = text.index("\nTalk to us")
    body = text[len(lines[0]):story_end].strip()
    print(json.dumps({"id": "wire", "label": "international", "title": title, "text": body}, ensure_ascii=False))
    teasers = text[text.index("More in Local News") + len("More in Local News"):text.index("Support local journalism")]
    parts = list(blocks(teasers.split("\n")))
    n = 0
    for head, blurb in zip(parts[0::2], parts[1::2]):
        n += 1
        print(json.dumps({"id": f"teaser-{n:02d}", "label": "local", "title": head[-1], "text": " ".join(blurb)},
                         ensure_ascii=False))
    if n != 12:
        sys.exit(f"{path}: expected 12 teasers, found {n}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/seeds/000_e2265488d5187a01.txt")
