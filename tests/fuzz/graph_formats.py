"""Structure-aware strategies for graph files: GraphML, GEXF, node-link JSON and the
``.tgc`` folders ``CompactGraph.save`` writes."""

from __future__ import annotations

import functools
import html
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from .pools import names, pick
from .strategies import (
    Case,
    dump_json,
    hostile_json,
    hostile_number,
    hostile_text,
    json_file,
    lines_bytes,
    mutate_json,
)


# ============================================================================ graph files
def _xml_text(value: str, raw: bool) -> str:
    return value if raw else html.escape(value, quote=True)


_GRAPH_IDS = ("1", "2", "3", "a", "b", "1.0", "01", "-1", "")
_GRAPH_VALUES = (
    "1",
    "2.5",
    "0",
    "-1",
    "nan",
    "inf",
    "1e309",
    "1e-320",
    "x",
    "",
    "true",
    "2024-03-14",
)


@functools.cache
@st.composite
def graphml_bytes(draw: st.DrawFn) -> bytes:
    raw = draw(st.integers(0, 7)) == 0
    ids = st.one_of(st.sampled_from(_GRAPH_IDS), hostile_text())
    values = st.one_of(st.sampled_from(_GRAPH_VALUES), hostile_number(), hostile_text())
    types = pick("double", "float", "int", "long", "boolean", "string", "junk")
    parts = [
        draw(
            pick(
                '<?xml version="1.0" encoding="UTF-8"?>',
                "",
                '<?xml version="1.0" encoding="latin-1"?>',
                '<?xml version="1.0" encoding="x-bogus"?>',
                '<?xml version="1.1"?>',
            )
        ),
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
        f'<key id="d0" for="edge" attr.name="weight" attr.type="{draw(types)}"/>',
        f'<key id="d1" for="node" attr.name="name" attr.type="{draw(types)}">'
        f"<default>{_xml_text(draw(values), raw)}</default></key>",
        f'<key id="d2" for="{draw(pick("edge", "node", "graph", "all", "junk"))}" '
        f'attr.name="{_xml_text(draw(hostile_text(realistic=("timestamp", "sign"))), raw)}" '
        f'attr.type="{draw(types)}"/>',
        f'<graph id="G" edgedefault="{draw(pick("directed", "undirected", "junk"))}">',
    ]
    for _ in range(draw(st.integers(0, 4))):
        parts.append(
            f'<node id="{_xml_text(draw(ids), raw)}">'
            f'<data key="{draw(pick("d1", "d0", "d9"))}">{_xml_text(draw(values), raw)}'
            "</data></node>"
        )
    for _ in range(draw(st.integers(0, 4))):
        extra = draw(pick("", ' directed="false"', ' directed="junk"', ' id="e0"'))
        parts.append(
            f'<edge source="{_xml_text(draw(ids), raw)}" '
            f'target="{_xml_text(draw(ids), raw)}"{extra}>'
            f'<data key="{draw(pick("d0", "d2", "d9"))}">{_xml_text(draw(values), raw)}'
            "</data></edge>"
        )
    if draw(st.integers(0, 7)) == 0:
        parts.append(
            draw(
                pick(
                    '<hyperedge><endpoint node="1"/></hyperedge>',
                    '<node id="n"><graph id="inner"/></node>',
                    '<node id="p"><port name="x"/></node>',
                )
            )
        )
    parts.append("</graph></graphml>")
    return draw(lines_bytes(parts, bom=False))


_NODE_EXTRAS = pick("", '<viz:color r="300" g="x" b="-1"/>', '<spells><spell start="x"/></spells>')


@functools.cache
@st.composite
def gexf_bytes(draw: st.DrawFn) -> bytes:
    raw = draw(st.integers(0, 7)) == 0
    ids = st.one_of(st.sampled_from(_GRAPH_IDS), hostile_text())
    values = st.one_of(st.sampled_from(_GRAPH_VALUES), hostile_number(), hostile_text())
    version = draw(pick("1.2draft", "1.3", "1.1draft", "junk"))
    types = pick(
        "float",
        "double",
        "integer",
        "long",
        "boolean",
        "string",
        "liststring",
        "listdouble",
        "junk",
    )
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<gexf xmlns="http://www.gexf.net/{version}" '
        'xmlns:viz="http://www.gexf.net/1.2draft/viz" '
        f'version="{draw(pick("1.2", "1.3", "1.1", "9"))}">',
        f'<graph mode="{draw(pick("static", "dynamic", "slice", "junk"))}" '
        f'defaultedgetype="{draw(pick("directed", "undirected", "mutual", "junk"))}" '
        f'timeformat="{draw(pick("date", "double", "integer", "dateTime", "junk"))}">',
        '<attributes class="edge" mode="static">'
        f'<attribute id="0" title="{_xml_text(draw(hostile_text(realistic=("weight",))), raw)}" '
        f'type="{draw(types)}"><default>{_xml_text(draw(values), raw)}</default></attribute>'
        "</attributes>",
        '<attributes class="node" mode="static">'
        f'<attribute id="1" title="name" type="{draw(types)}"/></attributes>',
        "<nodes>",
    ]
    for _ in range(draw(st.integers(0, 4))):
        spell = draw(pick("", f' start="{draw(values)}"', f' end="{draw(values)}"'))
        parts.append(
            f'<node id="{_xml_text(draw(ids), raw)}" '
            f'label="{_xml_text(draw(names()), raw)}"{_xml_text(spell, raw)}>'
            f'<attvalues><attvalue for="{draw(pick("1", "0", "9"))}" '
            f'value="{_xml_text(draw(values), raw)}"/></attvalues>'
            f"{draw(_NODE_EXTRAS)}"
            "</node>"
        )
    parts.append("</nodes><edges>")
    for _ in range(draw(st.integers(0, 4))):
        weight = draw(pick("", f' weight="{_xml_text(draw(values), raw)}"'))
        kind = draw(pick("", ' type="undirected"', ' type="mutual"', ' type="junk"'))
        parts.append(
            f'<edge id="{_xml_text(draw(ids), raw)}" source="{_xml_text(draw(ids), raw)}" '
            f'target="{_xml_text(draw(ids), raw)}"{weight}{kind}>'
            f'<attvalues><attvalue for="0" value="{_xml_text(draw(values), raw)}"/>'
            "</attvalues></edge>"
        )
    parts.append("</edges></graph></gexf>")
    return draw(lines_bytes(parts, bom=False))


@functools.cache
@st.composite
def node_link_document(draw: st.DrawFn) -> dict[str, Any]:
    ids = st.one_of(st.sampled_from((1, 2, 3, "a", "b", 1.5, True, None, "1")), hostile_json())
    nodes = [
        {
            "id": draw(ids),
            **draw(st.dictionaries(pick("name", "label", "weight"), hostile_json(), max_size=2)),
        }
        for _ in range(draw(st.integers(0, 4)))
    ]
    edges = []
    for _ in range(draw(st.integers(0, 4))):
        edge = {"source": draw(ids), "target": draw(ids)}
        if draw(st.booleans()):
            edge["weight"] = draw(st.one_of(st.floats(), st.integers(), hostile_json()))
        if draw(st.integers(0, 4)) == 0:
            edge["key"] = draw(hostile_json())
        edges.append(edge)
    return {
        "directed": draw(st.one_of(st.booleans(), hostile_json())),
        "multigraph": draw(st.one_of(st.booleans(), st.booleans(), hostile_json())),
        "graph": draw(st.dictionaries(hostile_text(), hostile_json(), max_size=2)),
        "nodes": nodes,
        draw(pick("edges", "links", "adjacency")): edges,
    }


@functools.cache
def graphml_case() -> st.SearchStrategy[Case]:
    return st.builds(lambda d: Case((("graph.graphml", d),), ("graph.graphml",)), graphml_bytes())


@functools.cache
def gexf_case() -> st.SearchStrategy[Case]:
    return st.builds(lambda d: Case((("graph.gexf", d),), ("graph.gexf",)), gexf_bytes())


@functools.cache
def node_link_case() -> st.SearchStrategy[Case]:
    return st.builds(
        lambda d: Case((("graph.json", d),), ("graph.json",)),
        json_file(node_link_document(), max_mutations=2),
    )


# ----------------------------------------------------------------------------- compact (.tgc)
@functools.cache
def compact_template() -> tuple[tuple[str, bytes], ...]:
    """The files ``CompactGraph.save`` writes for a small graph (made on first use)."""
    from trustgraph.core.compact import CompactGraph

    folder = Path(tempfile.mkdtemp(prefix="tg-fuzz-template-"))
    try:
        cg = CompactGraph.from_edges(["ann", "bob", "cy"], ["bob", "cy", "ann"], [2.0, 1.0, 0.5])
        saved = cg.save(folder / "g.tgc")
        return tuple(
            sorted(
                (p.relative_to(saved).as_posix(), p.read_bytes())
                for p in saved.rglob("*")
                if p.is_file()
            )
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@functools.cache
@st.composite
def compact_case(draw: st.DrawFn) -> Case:
    files = dict(compact_template())
    names_ = sorted(files)
    target = draw(st.sampled_from(names_))
    data = files[target]
    if target.endswith(".json"):
        data = draw(dump_json(draw(mutate_json(json.loads(data)))))
    elif draw(st.booleans()):
        data = draw(st.binary(max_size=256))
    else:
        from .strategies import mutate_bytes

        data = draw(mutate_bytes(data))
    files[target] = data
    if draw(st.integers(0, 5)) == 0:
        del files[draw(st.sampled_from(names_))]
    return Case(tuple((f"g.tgc/{rel}", d) for rel, d in files.items()), ("g.tgc",))
