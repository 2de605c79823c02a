"""BPMN 2.0: safe reading, the typed process model, checks, lean structure counts, writing.

>>> from leanproc.bpmn import read_bpmn
>>> model = read_bpmn("process.bpmn")     # doctest: +SKIP
>>> model.check(), model.structure()      # doctest: +SKIP
"""

from leanproc.bpmn.model import (
    Activity,
    Association,
    Bounds,
    DataAssociation,
    DataItem,
    Diagram,
    Edge,
    Event,
    EventDefinition,
    Gateway,
    Kind,
    Lane,
    LoopCharacteristics,
    MessageFlow,
    Node,
    Participant,
    Process,
    ProcessModel,
    RootElement,
    SequenceFlow,
    Shape,
    TextAnnotation,
)
from leanproc.bpmn.reader import read_bpmn

__all__ = [
    "Activity",
    "Association",
    "Bounds",
    "DataAssociation",
    "DataItem",
    "Diagram",
    "Edge",
    "Event",
    "EventDefinition",
    "Gateway",
    "Kind",
    "Lane",
    "LoopCharacteristics",
    "MessageFlow",
    "Node",
    "Participant",
    "Process",
    "ProcessModel",
    "RootElement",
    "SequenceFlow",
    "Shape",
    "TextAnnotation",
    "read_bpmn",
    "write_bpmn",
]


def __getattr__(name: str) -> object:  # the writer is loaded on first use
    if name == "write_bpmn":
        from leanproc.bpmn.writer import write_bpmn

        return write_bpmn
    raise AttributeError(f"module 'leanproc.bpmn' has no attribute {name!r}")
