#!/usr/bin/env python3
"""Writes pretok_cases.json: random strings split by the o200k regex as a backtracking regex engine (the `regex`
module, same leftmost-first semantics as tiktoken's fancy-regex) does it, to check the hand-written pre-tokenizer.
Characters come from a pool whose Unicode categories have been stable for many versions, so the module's Unicode
version does not matter. Run: python3 gen_pretok_cases.py > pretok_cases.json"""
import json
import random

import regex

PATTERN = "|".join([
    r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
    r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
    r"""\p{N}{1,3}""",
    r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
    r"""\s*[\r\n]+""",
    r"""\s+(?!\S)""",
    r"""\s+""",
])

POOL = (
    list("abcdeSTlmrvdxyzABCDELMRV'''  \t\n\n\r/.,!?-_\"#0123456789")
    + ["'s", "'S", "'ll", "'LL", "'re", "'ve", "'d", "'M", "'t", "\u017f", "\u212a"]  # long s, Kelvin sign
    + ["\u00e9", "\u00c9", "e\u0301", "\u0301", "\u0308", "\u20dd", "\u0903"]  # precomposed, combining marks
    + ["\u01c5", "\u02b0", "\u3005", "\u00aa"]  # titlecase, modifier letters, feminine ordinal (Lo)
    + ["\uac00", "\ud55c", "\uad6d", "\uc5b4", "\u3131", "\u65e5", "\u672c", "\u3042", "\u30a2"]  # Hangul, CJK, kana
    + ["\u0661", "\u0662", "\uff12", "\u00b2", "\u2160", "\u00bd"]  # Nd, No, Nl numbers
    + ["\u00a0", "\u2009", "\u3000", "\u2028", "\u0085", "\u000b", "\u000c", "\u200b", "\ufeff"]  # spaces / not
    + ["\U0001f680", "\U0001f44d", "\U0001f3fd", "\u200d", "\ufe0f", "\U0001f1f0", "\u20a9", "\u20ac"]
    + ["\u041f", "\u0440", "\u0645", "\u0631", "\u03a3", "\u03c3"]
)


def main():
    rng = random.Random(20251126)
    cases = []
    for _ in range(600):
        n = rng.randint(1, 24)
        text = "".join(rng.choice(POOL) for _ in range(n))
        cases.append({"text": text, "pieces": regex.findall(PATTERN, text)})
    for fixed in ["  a", "a  ", "a   b", " \n x", "x\r\n\r\n  y", "DON'T", "don'Ts", "ſ's 'ſ 'ſt", "\u0301\u0301a",
                  "A\u0301B", "ab\u0301\u0301", "1234567", " !!/\n\n/", "\t\tx", "\u3000\u3000\u3000", "it'\u017f", "WE'LL", "x'\u017fT"]:
        cases.append({"text": fixed, "pieces": regex.findall(PATTERN, fixed)})
    print(json.dumps({"generator": "gen_pretok_cases.py (python regex " + regex.__version__ + ")", "cases": cases},
                     ensure_ascii=False, indent=0))


if __name__ == "__main__":
    main()
