"""Rebuild the notebook-view screenshots: the taxi permit's comparison and process cost, in
Russian, as Jupyter shows `comparison.display(lang="ru")` and `cost.display(lang="ru")`.

    python docs/screenshots/make_notebook_screenshots.py      # needs chromium on PATH
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import leanproc

HERE = Path(__file__).resolve().parent
TAXI = HERE.parents[1] / "examples" / "taxi-permit"


def main() -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("chromium is not on PATH")
    run = leanproc.simulate(TAXI / "as-is.scenario.yaml", seed=1)
    cost = leanproc.process_cost(run, volume_per_year=210)
    comparison = leanproc.compare(TAXI / "as-is.scenario.yaml", TAXI / "to-be.scenario.yaml",
                                  targets=TAXI / "targets.yaml", replications=3,
                                  volume_per_year=210)
    with tempfile.TemporaryDirectory() as tmp:
        for name, view, size in (("notebook-comparison-ru", comparison, "1100,600"),
                                 ("notebook-cost-ru", cost, "1000,640")):
            page = Path(tmp) / f"{name}.html"
            page.write_text("<!doctype html><meta charset=utf-8><body style='font-family:"
                            "sans-serif;margin:12px'>" + view.display(lang="ru")._repr_html_(),
                            encoding="utf-8")
            subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                            "--hide-scrollbars", f"--user-data-dir={tmp}/profile",
                            f"--screenshot={HERE / (name + '.png')}", f"--window-size={size}",
                            page.as_uri()], check=True, capture_output=True, timeout=120)
            print(HERE / f"{name}.png")


if __name__ == "__main__":
    main()
