"""The HTML report is self-contained (no external references) and holds its tables; it renders
in headless Chromium when one is installed.

The report is that of the Tomsk onboarding example (examples/tomsk-onboarding: the seed case's
one model), on 25 hires a side to keep the test quick."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
import yaml

pytest.importorskip("matplotlib")

import leanproc
from leanproc.report import Report, html
from leanproc.report.tables import before_target_after_table, parse_target

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "tomsk-onboarding"


def _run(name: str, cases: int = 25):
    spec = yaml.safe_load((EXAMPLE / f"{name}.scenario.yaml").read_text(encoding="utf-8"))
    spec["model"] = str(EXAMPLE / spec["model"])
    spec["arrivals"]["cases"] = cases
    return leanproc.simulate(spec, seed=11)


@pytest.fixture(scope="module")
def runs():
    return _run("as-is"), _run("to-be")


class _Collect(HTMLParser):
    """Every tag with its attributes, to look for anything that would leave the file."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Collect()
    parser.feed(page)
    return parser.tags


@pytest.fixture(scope="module")
def pages(runs, tmp_path_factory):
    before, after = runs
    ladder = {"Single request form": 10, "Order through e-documents": 19, "HR routes": 14,
              "Accounting on the HR system": 5}
    out = {}
    for lang in ("en", "ru"):
        path = tmp_path_factory.mktemp("report") / f"report-{lang}.html"
        # a low resolution keeps the test quick; the structure does not depend on it
        page = html(before, after, ladder=ladder, lang=lang, path=path, dpi=40,
                    notes=["<script>alert(1)</script> is text, not markup"])
        assert path.read_text(encoding="utf-8") == page
        out[lang] = (page, path)
    return out


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_report_is_self_contained(pages, lang) -> None:
    page, _ = pages[lang]
    tags = _tags(page)
    images = [a for t, a in tags if t == "img"]
    assert len(images) >= 7  # bars, lead time, ladder, two diagrams, utilisation, dotted charts
    assert all((a.get("src") or "").startswith("data:image/png;base64,") for a in images)
    # nothing fetched from anywhere: no scripts, links, frames, objects, remote URLs
    assert not [t for t, _ in tags if t in ("script", "link", "iframe", "object", "embed")]
    assert not re.search(r"(?i)\b(?:https?:|ftp:)?//[a-z0-9.-]+\.[a-z]{2,}", page.replace(
        "http://www.w3.org/2000/svg", ""))
    assert "@import" not in page and "url(" not in page
    assert f'<html lang="{lang}">' in page and '<meta charset="utf-8">' in page
    # user text is escaped
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_report_tables_and_verdicts(pages) -> None:
    page, _ = pages["en"]
    tables = pd.read_html(io.StringIO(page))
    comparison = tables[0]
    assert list(comparison.columns) == ["KPI", "Before", "Target", "After", "Unit", "Change",
                                        "Verdict"]
    lead = comparison[comparison["KPI"] == "Lead time (clock), mean"].iloc[0]
    assert lead["Target"] == "≤ 24"
    assert lead["Before"] > 48 and lead["After"] < 30  # 72 h -> about 23 h
    assert lead["Verdict"].endswith("met")
    ready = comparison[comparison["KPI"] == "SLA share ≤ 1 wd"].iloc[0]  # the first-day share
    assert ready["Target"] == "≥ 90" and ready["Before"] < 30 and ready["After"] >= 90
    # per-activity tables for both scenarios and the side-by-side KPI table
    assert any("Mean waiting, h" in t.columns for t in tables)
    assert any({"AS-IS", "TO-BE"} <= set(t.columns) for t in tables)


def test_russian_report_speaks_russian(pages) -> None:
    page, _ = pages["ru"]
    for words in ("Было", "Цель", "Стало", "ВПП (рабочее время), среднее",
                  "ВПП (календарное время), среднее", "Итоги", "НЗП, среднее", "Схема процесса"):
        assert words in page
    assert "Before" not in page


def test_report_builder_sections_and_jupyter_view() -> None:
    from matplotlib.figure import Figure

    fig = Figure()
    fig.add_subplot().plot([1, 2], [3, 4])
    r = Report("Custom", lang="ru", notes=["note"])
    r.heading("Раздел").paragraph("текст & <b>").figure(fig, "подпись", fmt="svg")
    r.table(pd.DataFrame({"a": [1.5, 2.0], "b": ["x", "y"]}))
    page = r.to_html()
    assert "data:image/svg+xml;base64," in page and "<figcaption>подпись</figcaption>" in page
    assert "текст &amp; &lt;b&gt;" in page
    assert "Примечания" in page
    assert "<h2>Custom</h2>" in r._repr_html_()


def test_comparison_table_verdicts_from_targets() -> None:
    before = {"lead_time.mean": 72 * 3600.0, "pce": 0.03, "approvals": 3.0}
    after = {"lead_time.mean": 26 * 3600.0, "pce": 0.10, "approvals": 0.0}
    table = before_target_after_table(
        before, after, targets={"lead_time.mean": "<= 24h", "pce": ">= 5%", "approvals": 0},
        lang="ru",
    )
    got = table.set_index("kpi")
    assert not got.loc["lead_time.mean", "met"]
    assert got.loc["lead_time.mean", "after"] == pytest.approx(26)
    assert got.loc["lead_time.mean", "target_value"] == pytest.approx(24)
    assert got.loc["pce", "met"] and got.loc["pce", "after"] == pytest.approx(10)
    assert got.loc["approvals", "met"] and got.loc["approvals", "verdict"] == "достигнута"
    assert got.loc["lead_time.mean", "change"] == pytest.approx((26 / 72 - 1) * 100)


def test_parse_target_forms() -> None:
    assert parse_target("lead_time.mean", "<= 120min").bound == 7200
    assert parse_target("lead_time.mean", "≤ PT2H").bound == 7200
    assert parse_target("sla_share(24h)", ">= 90%").bound == pytest.approx(0.9)
    bare = parse_target("throughput.per_day", 30, before=20.0)
    assert bare.op == ">=" and bare.met(31) and not bare.met(29)
    with pytest.raises(ValueError, match="cannot read"):
        parse_target("pce", "<= lots")


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(_chromium() is None, reason="chromium is not installed")
def test_report_renders_in_headless_chromium(pages, tmp_path) -> None:
    from PIL import Image

    _, path = pages["ru"]
    shot = tmp_path / "shot.png"
    subprocess.run(
        [_chromium(), "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
         f"--screenshot={shot}", "--window-size=1280,2000", path.as_uri()],
        check=True, capture_output=True, timeout=120,
    )
    image = Image.open(shot).convert("RGB")
    assert image.size == (1280, 2000)
    # a blank or error page is nearly one colour; the report has text, tables and figures
    colours = image.resize((320, 500)).getcolors(maxcolors=1 << 16)
    assert colours is None or len(colours) > 200
