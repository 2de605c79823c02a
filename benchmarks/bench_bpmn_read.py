"""Benchmark of BPMN reading: corpus throughput, a large generated model, hostile inputs.

Run from the repository root::

    python benchmarks/bench_bpmn_read.py            # full run
    python benchmarks/bench_bpmn_read.py --rounds 1 # quicker

Prints a table; nothing is asserted (speed is measured here, never in tests).
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from leanproc.bpmn import read_bpmn, write_bpmn
from leanproc.errors import BPMNError

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "bpmn"
MALICIOUS = ROOT / "tests" / "fixtures" / "bpmn" / "malicious"


def generated_model(activities: int, lanes: int = 10) -> bytes:
    """A process of `activities` user tasks in lanes, an exclusive gateway every 50 tasks
    (with a rework loop back), and full diagram interchange — the shape of a real large model."""
    ns = ('xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" '
          'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
          'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
          'xmlns:di="http://www.omg.org/spec/DD/20100524/DI"')
    nodes, flows, shapes, edges = [], [], [], []
    members: list[list[str]] = [[] for _ in range(lanes)]
    chain = ["S"]
    nodes.append('<startEvent id="S" name="Start"/>')
    for i in range(activities):
        tid = f"T{i}"
        nodes.append(f'<userTask id="{tid}" name="Операция {i}"><documentation>step {i}'
                     "</documentation></userTask>")
        members[i * lanes // activities].append(tid)
        chain.append(tid)
        if i % 50 == 49:
            gid = f"G{i}"
            nodes.append(f'<exclusiveGateway id="{gid}" name="OK {i}?" default="D{i}"/>')
            flows.append(f'<sequenceFlow id="R{i}" sourceRef="{gid}" targetRef="T{i - 10}">'
                         f"<conditionExpression>${{rework}}</conditionExpression></sequenceFlow>")
            chain.append(gid)
    nodes.append('<endEvent id="E" name="End"/>')
    chain.append("E")
    for k, (a, b) in enumerate(itertools.pairwise(chain)):
        fid = f"D{a[1:]}" if a.startswith("G") else f"F{k}"
        flows.append(f'<sequenceFlow id="{fid}" sourceRef="{a}" targetRef="{b}"/>')
        edges.append(f'<bpmndi:BPMNEdge id="{fid}_di" bpmnElement="{fid}">'
                     f'<di:waypoint x="{k * 150 + 100}" y="80"/>'
                     f'<di:waypoint x="{k * 150 + 150}" y="80"/></bpmndi:BPMNEdge>')
    for k, nid in enumerate(chain):
        shapes.append(f'<bpmndi:BPMNShape id="{nid}_di" bpmnElement="{nid}">'
                      f'<dc:Bounds x="{k * 150}" y="40" width="100" height="80"/>'
                      "</bpmndi:BPMNShape>")
    lane_xml = "".join(
        f'<lane id="L{j}" name="Отдел {j}">'
        + "".join(f"<flowNodeRef>{m}</flowNodeRef>" for m in ms) + "</lane>"
        for j, ms in enumerate(members))
    text = (f'<?xml version="1.0" encoding="UTF-8"?><definitions {ns} id="D" '
            f'targetNamespace="http://bench"><process id="P"><laneSet id="LS">{lane_xml}'
            f"</laneSet>{''.join(nodes)}{''.join(flows)}</process>"
            f'<bpmndi:BPMNDiagram id="Dia"><bpmndi:BPMNPlane id="Pl" bpmnElement="P">'
            f"{''.join(shapes)}{''.join(edges)}</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>"
            "</definitions>")
    return text.encode("utf-8")


def best_of(fn: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def corpus_files() -> list[Path]:
    return sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.name != "MANIFEST.tsv")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--activities", type=int, default=5000)
    args = parser.parse_args()
    rows: list[tuple[str, str]] = []

    if CORPUS.is_dir():
        files = corpus_files()
        ok: list[Path] = []
        refused: list[str] = []
        for p in files:
            try:
                read_bpmn(p)
                ok.append(p)
            except BPMNError as exc:
                refused.append(f"{p.relative_to(CORPUS)}: {exc.problems[0][:90]}")
        size = sum(p.stat().st_size for p in files)

        def read_all() -> None:
            for p in files:
                with contextlib.suppress(BPMNError):
                    read_bpmn(p)

        t = best_of(read_all, args.rounds)
        rows += [
            ("corpus files", f"{len(files)} ({size / 1e6:.1f} MB)"),
            ("read as BPMN 2.0", f"{len(ok)} ({100 * len(ok) / len(files):.1f} %)"),
            ("refused with BPMNError", f"{len(refused)}"),
            ("corpus read, best of rounds", f"{t:.3f} s"),
            ("corpus files per second", f"{len(files) / t:,.0f}"),
            ("corpus MB per second", f"{size / 1e6 / t:.1f}"),
        ]
    else:
        rows.append(("corpus", f"absent ({CORPUS})"))

    data = generated_model(args.activities)
    model = read_bpmn(data)
    t_read = best_of(lambda: read_bpmn(data), args.rounds)
    t_write = best_of(lambda: write_bpmn(model), args.rounds)
    t_check = best_of(model.check, args.rounds)  # neither is cached on the model
    t_struct = best_of(model.structure, args.rounds)
    rows += [
        (f"generated model: {args.activities} activities",
         f"{len(model.nodes)} nodes, {len(model.flows)} flows, {len(data) / 1e6:.1f} MB"),
        ("  read_bpmn", f"{t_read * 1000:.0f} ms"),
        ("  write_bpmn", f"{t_write * 1000:.0f} ms"),
        ("  check()", f"{t_check * 1000:.0f} ms"),
        ("  structure()", f"{t_struct * 1000:.0f} ms"),
    ]

    for p in sorted(MALICIOUS.glob("*.bpmn")):
        def attempt(path: Path = p) -> None:
            try:
                read_bpmn(path)
            except BPMNError:
                return
            raise SystemExit(f"{path} was not refused")

        rows.append((f"refuse {p.name}", f"{best_of(attempt, args.rounds) * 1e6:.0f} µs"))
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "huge.bpmn"
        with big.open("wb") as fh:
            fh.write(b"<definitions>")
            fh.truncate(200 * 1024 * 1024)  # sparse: costs no disk

        def attempt_big() -> None:
            try:
                read_bpmn(big)
            except BPMNError:
                return
            raise SystemExit("the 200 MB file was not refused")

        rows.append(("refuse 200 MB file", f"{best_of(attempt_big, args.rounds) * 1e6:.0f} µs"))

    width = max(len(k) for k, _ in rows)
    print(f"{'measure':<{width}}  value")
    print(f"{'-' * width}  {'-' * 30}")
    for k, v in rows:
        print(f"{k:<{width}}  {v}")
    if CORPUS.is_dir() and refused:
        print(f"\nrefused corpus files ({len(refused)}):")
        for line in refused:
            print("  " + line)
    print(f"\n(load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
