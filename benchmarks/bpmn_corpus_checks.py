"""What the BPMN reader and `model.check()` make of the shared corpus of real files.

Run from the repository root::

    python benchmarks/bpmn_corpus_checks.py            # summary
    python benchmarks/bpmn_corpus_checks.py --details  # every error finding, by file

Prints, for the files of ../shared/corpus/bpmn (MANIFEST.tsv lists them):

* how many are well-formed BPMN 2.0 (judged independently, with the standard library's
  ElementTree) and how many of those `read_bpmn` reads — the aim is all of them;
* how many reading notes (tolerated cosmetic defects) the reader gave;
* the number of `check()` errors, by code, on the MIWG reference models (drawn to be valid
  models, so every error there is suspect) and on every file that reads.

Nothing is asserted; compare the output before and after a change to the reader or the checks.
"""

from __future__ import annotations

import argparse
import csv
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

from leanproc.bpmn import read_bpmn
from leanproc.errors import BPMNError

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "bpmn"
M = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"


def is_bpmn20(path: Path) -> bool:
    """Well-formed XML whose root is BPMN 2.0 <definitions> (or the namespace-less form)."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError:
        return False
    return root.tag in (M + "definitions", "definitions")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--details", action="store_true", help="list every error finding")
    args = parser.parse_args()
    with (CORPUS / "MANIFEST.tsv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    wellformed = read = notes = 0
    failures: list[str] = []
    errors_miwg: Counter[str] = Counter()
    errors_all: Counter[str] = Counter()
    files_with_errors = 0
    details: list[str] = []
    for row in rows:
        path = CORPUS / row["local"]
        if not is_bpmn20(path):
            continue
        wellformed += 1
        try:
            model = read_bpmn(path)
        except BPMNError as exc:
            failures.append(f"{row['local']}: {str(exc)[:160]}")
            continue
        read += 1
        notes += len(model.notes)
        errors = [f for f in model.check() if f.severity == "error"]
        files_with_errors += bool(errors)
        for f in errors:
            errors_all[f.code] += 1
            if row["source"].startswith("miwg"):
                errors_miwg[f.code] += 1
            details.append(f"  {row['local']}: {f}")
    print(f"files in the manifest:               {len(rows)}")
    print(f"well-formed BPMN 2.0:                {wellformed}")
    print(f"read by read_bpmn:                   {read} ({100 * read / max(wellformed, 1):.1f} %)")
    for line in failures:
        print(f"  refused: {line}")
    print(f"reading notes (tolerated defects):   {notes}")
    print(f"check() errors, MIWG references:     {sum(errors_miwg.values())} "
          f"{dict(sorted(errors_miwg.items()))}")
    print(f"check() errors, every file read:     {sum(errors_all.values())} in "
          f"{files_with_errors} files {dict(sorted(errors_all.items()))}")
    if args.details:
        print("\n".join(details))


if __name__ == "__main__":
    main()
