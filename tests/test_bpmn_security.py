"""Hostile inputs are refused with a clear BPMNError, before anything is expanded or read.

No timed asserts: a refusal that expanded the entities would blow the memory or hang, which the
suite's own run time would show; the benchmarks measure the refusal times.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from leanproc.bpmn import read_bpmn
from leanproc.bpmn.xmlsafe import reject_doctype
from leanproc.errors import BPMNError

MALICIOUS = Path(__file__).parent / "fixtures" / "bpmn" / "malicious"


@pytest.mark.parametrize("name", [
    "xxe-file.bpmn", "xxe-http.bpmn", "xxe-parameter-entity.bpmn", "billion-laughs.bpmn",
    "quadratic-blowup.bpmn", "billion-laughs-utf16.bpmn",
])
def test_entity_attacks_are_refused_by_name(name):
    path = MALICIOUS / name
    with pytest.raises(BPMNError, match="DOCTYPE") as info:
        read_bpmn(path)
    assert name in str(info.value)
    # the same bytes and text are refused too
    with pytest.raises(BPMNError, match="DOCTYPE"):
        read_bpmn(path.read_bytes())


def test_xxe_never_reaches_the_file_content():
    text = (MALICIOUS / "xxe-file.bpmn").read_text()
    with pytest.raises(BPMNError) as info:
        read_bpmn(text)
    assert "root:" not in str(info.value)  # /etc/passwd's first line


def test_doctype_after_comments_and_declaration_is_found():
    xml = ('<?xml version="1.0"?>\n<!-- a comment -->\n<?pi data?>\n'
           '<!DOCTYPE x [<!ENTITY e "e">]>\n<definitions/>')
    with pytest.raises(BPMNError, match="DOCTYPE"):
        reject_doctype(xml.encode(), "<test>")


def test_doctype_word_inside_a_comment_or_text_is_not_a_doctype():
    xml = ('<!-- <!DOCTYPE not really --><definitions '
           'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="P">'
           '<task id="T" name="&lt;!DOCTYPE"/></process></definitions>')
    assert read_bpmn(xml).nodes["T"].name == "<!DOCTYPE"


def test_undeclared_entity_is_a_syntax_error_not_an_expansion():
    xml = ('<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">'
           '<process id="P"><task id="T" name="&ghost;"/></process></definitions>')
    with pytest.raises(BPMNError, match="well-formed"):
        read_bpmn(xml)


def test_oversized_file_is_refused_without_reading_it(tmp_path, monkeypatch):
    big = tmp_path / "huge.bpmn"
    with big.open("wb") as fh:  # sparse: 200 MB on paper, a few bytes on disk
        fh.write(b"<definitions>")
        fh.truncate(200 * 1024 * 1024)

    def no_open(*args, **kwargs):
        raise AssertionError("the oversized file was opened")

    monkeypatch.setattr(Path, "open", no_open)
    with pytest.raises(BPMNError, match=r"200\.0 MB|209\.7 MB") as info:
        read_bpmn(big)
    assert "max_bytes" in str(info.value) and "huge.bpmn" in str(info.value)


def test_size_limit_is_a_parameter(tmp_path):
    path = tmp_path / "small.bpmn"
    path.write_bytes(b'<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"/>'
                     + b" " * 2000)
    with pytest.raises(BPMNError, match="limit"):
        read_bpmn(path, max_bytes=1000)
    assert read_bpmn(path, max_bytes=10_000).nodes == {}
    with pytest.raises(BPMNError, match="limit"):
        read_bpmn(path.read_bytes(), max_bytes=1000)


def test_deep_nesting_is_refused():
    depth = 5000
    xml = ('<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="P">'
           + "".join(f'<subProcess id="S{i}">' for i in range(depth))
           + "</subProcess>" * depth + "</process></definitions>")
    with pytest.raises(BPMNError, match="well-formed"):
        read_bpmn(xml)


def test_unknown_encoding_is_a_bpmn_error():
    with pytest.raises(BPMNError):
        read_bpmn(b'<?xml version="1.0" encoding="x-no-such-charset"?><definitions/>')
