"""XML namespaces of BPMN 2.0 and the extension namespace leanproc writes.

Namespace policy of the reader (decided from the files real modellers write):

* Only elements in the BPMN 2.0 model namespace are model elements. Vendor elements (Camunda,
  Signavio, Bizagi, Zeebe…) are ignored wherever they appear, except that their name/value
  *properties* inside ``extensionElements`` are collected (see `reader`).
* A root ``<definitions>`` with **no namespace at all** (hand-written files, some exporters that
  forget ``xmlns=``) is read as BPMN: its unqualified elements are taken as BPMN model elements
  and the model records a note. A model-namespace URI that differs only in scheme
  (``https``), case or a trailing slash is tolerated the same way.
* Any other root (another namespace, the BPMN 2.0 *beta* namespace ``…/20100501/…``, a bare
  fragment such as a lone ``<process>`` or ``<task>``) is not a BPMN 2.0 file and is refused
  with a `BPMNError` that says what was found.
"""

from __future__ import annotations

MODEL = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
LEANPROC = "https://leanproc.org/schema/bpmn/1.0"
"""leanproc's extension namespace: ``<leanproc:property name=… value=…/>`` inside
``extensionElements``, and ``leanproc:*`` attributes read as properties."""

BETA_MODEL = "http://www.omg.org/spec/BPMN/20100501/MODEL"


def normalise_uri(uri: str | None) -> str:
    """A namespace URI folded for tolerant comparison (scheme, case, trailing slash)."""
    if not uri:
        return ""
    u = uri.strip().casefold().rstrip("/")
    if u.startswith("https://"):
        u = "http://" + u[len("https://") :]
    return u


def is_model_namespace(uri: str | None) -> bool:
    return normalise_uri(uri) == normalise_uri(MODEL)
