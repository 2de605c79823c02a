"""Rebuild the report screenshots: the onboarding seed case (72 h -> 24 h), English and Russian.

    python docs/screenshots/make_screenshots.py        # needs chromium on PATH

Runs the example's improvement ladder (examples/tomsk-onboarding: the AS-IS, the four
measures, the TO-BE; 4 paired replications), writes report-en.html / report-ru.html to a
temporary folder and report-en.png / report-ru.png (1280x2000, the top of the page) plus
report-*-full.png (the whole page) here.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from leanproc.comparison import ladder_from_file
from leanproc.cost.calculator import process_cost
from leanproc.report import html

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parents[1] / "examples" / "tomsk-onboarding"
COST_TITLES = {"en": ("Cost by activity, AS-IS", "Cost by activity, TO-BE"),
               "ru": ("Стоимость по операциям, было", "Стоимость по операциям, стало")}
NOTES = {"en": "Seed case tomsk-workplace-onboarding: lead time 72 h -> 24 h.",
         "ru": "Кейс tomsk-workplace-onboarding: ВПП 72 ч -> 24 ч."}


def shoot(chromium: str, page: Path, png: Path, height: int, profile: Path) -> None:
    subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", f"--user-data-dir={profile}", f"--screenshot={png}",
         f"--window-size=1280,{height}", page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )


def main() -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("chromium is not installed (Debian: apt-get install chromium)")
    lad = ladder_from_file(EXAMPLE / "improvements.yaml", replications=4)
    comparison = lad.comparison
    costs = (process_cost(comparison.before[0]), process_cost(comparison.after[0]))
    with tempfile.TemporaryDirectory() as tmp:
        for lang in ("en", "ru"):
            page = Path(tmp) / f"report-{lang}.html"
            html(comparison, ladder=lad,
                 costs=dict(zip(COST_TITLES[lang], costs, strict=True)),
                 notes=[NOTES[lang]], lang=lang, path=page)
            shoot(chromium, page, HERE / f"report-{lang}.png", 2000, Path(tmp) / "profile")
            shoot(chromium, page, HERE / f"report-{lang}-full.png", 8600, Path(tmp) / "profile")


if __name__ == "__main__":
    main()
