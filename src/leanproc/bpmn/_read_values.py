"""Values as BPMN files write them: booleans, names, element text and extension properties.

Plain functions of one element, shared by the element readers; none of them needs the state of
the read.
"""

from __future__ import annotations

from lxml import etree

from leanproc.bpmn import namespaces as ns

_LEANPROC_ATTR = f"{{{ns.LEANPROC}}}"

# Attribute pairs that make an extension element a name/value property (Camunda, Zeebe,
# Activiti, Flowable, Signavio, generic vendors): (key attribute, value attribute).
_PROPERTY_PAIRS = (("name", "value"), ("key", "value"), ("metaKey", "metaValue"))


def as_bool(value: str | None, default: bool) -> bool:
    """An xsd:boolean attribute; `default` when absent or not a boolean."""
    if value is None:
        return default
    v = value.strip().lower()
    if v in ("true", "1"):
        return True
    if v in ("false", "0"):
        return False
    return default


def as_opt_bool(value: str | None) -> bool | None:
    """An xsd:boolean attribute whose absence means something (None)."""
    if value is None:
        return None
    v = value.strip().lower()
    return True if v in ("true", "1") else False if v in ("false", "0") else None


def text_of(el: etree._Element) -> str | None:
    """The element's text content, stripped; None when empty."""
    text = el.text if len(el) == 0 else "".join(el.itertext())
    if text is None:
        return None
    text = text.strip()
    return text or None


def name_of(el: etree._Element) -> str | None:
    """The ``name`` attribute; None when absent or empty."""
    name = el.get("name")
    return name if name else None


def collect_properties(ext: etree._Element, props: dict[str, str]) -> None:
    """Name/value pairs from an extensionElements block, whatever the vendor."""
    for el in ext.iterdescendants():
        attrib = el.attrib
        if not attrib:
            continue
        for key_attr, value_attr in _PROPERTY_PAIRS:
            key = attrib.get(key_attr)
            if key is None:
                continue
            value = attrib.get(value_attr)
            if value is None:
                if key_attr == "name" and isinstance(el.tag, str) and \
                        el.tag.endswith("}property") and len(el) == 0:
                    value = (el.text or "").strip()  # <x:property name="k">v</x:property>
                else:
                    continue
            props[key] = value
            break


def leanproc_attributes(el: etree._Element, props: dict[str, str]) -> None:
    """``leanproc:approval="true"`` written directly on an element is a property too.

    Only the names are listed (``keys()`` is one walk of the attribute list); ``items()`` would
    look each value up by name again, a walk per attribute, quadratic in their number. The rare
    element that carries leanproc attributes has them fetched in one XPath pass.
    """
    names = el.keys()  # an lxml element iterates its children, so the names are asked for
    if not any(name.startswith(_LEANPROC_ATTR) for name in names):
        return
    found = el.xpath("@*[namespace-uri() = $uri]", uri=ns.LEANPROC)
    assert isinstance(found, list)
    for value in found:
        assert isinstance(value, etree._ElementUnicodeResult)
        name = str(value.attrname)
        props["leanproc:" + name[len(_LEANPROC_ATTR):]] = str(value)
