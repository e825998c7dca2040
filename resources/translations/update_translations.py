#!/usr/bin/env python3
"""Regenerates tally_ko.ts and tally_en.ts from the sources and fills them from ko_strings.py.

Run after changing user-visible strings:  python3 resources/translations/update_translations.py
lupdate's C++ parser does not understand `namespace tally::ui {`, so it names contexts by the bare class name while
tr() at run time uses the qualified one (metaObject()->className()); contexts are qualified here. Exits non-zero
and lists the sources when any Korean translation is missing.
"""
import os
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ beside the .ts files
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from ko_strings import KO, EN_PLURALS  # noqa: E402

LUPDATE = next((p for p in ("/usr/lib/qt6/bin/lupdate", "/usr/lib/qt6/libexec/lupdate") if os.path.exists(p)),
               "lupdate")
SOURCES = [os.path.join(ROOT, d) for d in ("ui", "app/gui", "app/worker")]
UNQUALIFIED = {"QObject", "ConversationExport"}
NAMESPACE = {"EngineWorker": "tally::app::"}  # everything else is tally::ui


def regenerate(ts_path, language, plural_only):
    if os.path.exists(ts_path):
        os.remove(ts_path)
    cmd = [LUPDATE, "-silent", "-no-obsolete", "-locations", "none", "-target-language", language]
    if plural_only:
        cmd.append("-pluralonly")
    subprocess.run(cmd + SOURCES + ["-ts", ts_path], check=True, stderr=subprocess.DEVNULL)
    tree = ET.parse(ts_path)
    root = tree.getroot()
    merged = {}
    for ctx in list(root.findall("context")):
        name = ctx.find("name").text
        if name not in UNQUALIFIED and "::" not in name:
            name = NAMESPACE.get(name, "tally::ui::") + name
            ctx.find("name").text = name
        if name in merged:  # the same class reached through two spellings
            for m in ctx.findall("message"):
                merged[name].append(m)
            root.remove(ctx)
        else:
            merged[name] = ctx
    return tree


def fill_korean(tree):
    missing = []
    for m in tree.getroot().iter("message"):
        src = m.find("source").text
        t = m.find("translation")
        if src not in KO:
            missing.append(src)
            continue
        t.attrib.pop("type", None)
        if m.get("numerus") == "yes":
            for f in list(t):
                t.remove(f)
            ET.SubElement(t, "numerusform").text = KO[src]
        else:
            t.text = KO[src]
    return missing


def fill_english(tree):
    missing = []
    for m in tree.getroot().iter("message"):
        src = m.find("source").text
        t = m.find("translation")
        if src not in EN_PLURALS:
            missing.append(src)
            continue
        t.attrib.pop("type", None)
        for f in list(t):
            t.remove(f)
        for form in EN_PLURALS[src]:
            ET.SubElement(t, "numerusform").text = form
    return missing


def write(tree, path):
    ET.indent(tree, space="    ")
    with open(path, "wb") as f:
        f.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
        tree.write(f, encoding="utf-8", xml_declaration=False)
        f.write(b"\n")


def main():
    ko_path = os.path.join(HERE, "tally_ko.ts")
    en_path = os.path.join(HERE, "tally_en.ts")
    ko = regenerate(ko_path, "ko_KR", False)
    missing = fill_korean(ko)
    write(ko, ko_path)
    en = regenerate(en_path, "en_US", True)
    missing += ["(en plural) " + s for s in fill_english(en)]
    write(en, en_path)
    for s in missing:
        print("untranslated:", repr(s))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
