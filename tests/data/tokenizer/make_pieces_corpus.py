#!/usr/bin/env python3
"""Writes llama3-pieces-regex.jsonl: random strings cut by a real regex engine (the Python `regex`
module) with the Llama 3 split pattern, to check the hand-written scanner of
core/text/llama3_pretokenizer.cpp piece for piece (tests/text/tst_tokenizer.cpp).

Code points come from a hand-picked pool (contractions, spaces of several kinds, digits of several
scripts, marks, emoji) and from random code points assigned in the Unicode version of Python's
unicodedata, which must be 14.0 to match Qt 6.4's tables. Three code points on which regex engines
disagree about \\s are left out: U+001C..U+001F, U+0085 and U+FEFF (docs/tokenizer.md).

    python3 make_pieces_corpus.py   # needs `pip install regex`; deterministic (seed 1)
"""
import json
import random
import unicodedata

import regex

PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"
           r"|\s*[\r\n]+|\s+(?!\S)|\s+")
LINES = 4000

assert unicodedata.unidata_version == "14.0.0", unicodedata.unidata_version
split = regex.compile(PATTERN)
rng = random.Random(1)
pool = list("aZsStTrReEvVlLmMdD'' \n\r\t09.,!?-\"") + [
    "\u00a0", "\u2028", "\u3000", "\u0301", "\u0663", "\u00bd", "\u216b", "\u017f", "\u00e9", "\u0416",
    "\u05d0", "\u0627", "\u0915", "\u093f", "\u0e01", "\u3042", "\u4e2d", "\uac00", "\u200d", "\ufe0f",
    "\U0001F44B", "\U0001F3FD", "\U00010348", "\U00020000", "\ufffd", "\u000b", "\u000c", "\u2009",
    "\u1680", "\u02b0", "\u0300"]
assigned = []
while len(assigned) < 3000:
    cp = rng.randrange(0x80, 0x32000)
    ch = chr(cp)
    if unicodedata.category(ch) in ("Cn", "Cs", "Co") or cp in (0x85, 0xFEFF):
        continue
    assigned.append(ch)

with open("llama3-pieces-regex.jsonl", "w", encoding="utf-8") as out:
    for i in range(LINES):
        source = pool if i % 2 == 0 else pool + assigned
        text = "".join(rng.choice(source) for _ in range(rng.randrange(0, 30)))
        pieces = split.findall(text)
        assert "".join(pieces) == text
        out.write(json.dumps({"text": text, "pieces": pieces}, ensure_ascii=False) + "\n")
