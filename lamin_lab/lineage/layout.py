"""A small layered (Sugiyama-style) layout for lineage graphs, left to right.

Steps: break cycles (reverse back edges found by a depth-first search),
assign layers by longest path and pull source nodes next to their first
consumer, route long edges through dummy nodes, reduce crossings with a few
barycenter sweeps, then place nodes in each column as close to their
neighbours' centres as the spacing allows (pool-adjacent-violators: the
least-squares placement for a fixed order), sweeping until nothing moves so
that a one-to-one link between adjacent columns ends up level. Links to and
between dummy nodes pull harder (graphviz's weights), so a long edge stays one
straight lane that runs level through the columns it crosses instead of
detouring around the nodes there. Pure Python, no graphviz.
The same steps are easy to port to JavaScript for a widget.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lamin_lab.lineage.graph import LineageGraph

CHAR_W = 7.0  # average width of one 12px sans-serif character
#: label and sublabel font sizes (px); never below 11 px, so text reads at natural size
LABEL_PX, SUBLABEL_PX = 12.0, 11.0
PAD_X = 12.0
MIN_W, MAX_W = 56.0, 240.0
H_ONE, H_TWO = 28.0, 42.0
GAP_X, GAP_Y, MARGIN = 56.0, 14.0, 16.0
MAX_CHARS = 32  # longer labels are shortened with an ellipsis when drawn
SWEEPS = 4  # crossing-reduction sweeps
PLACE_SWEEPS = 80  # placement sweeps at most; they stop once no node moves
SETTLED = 0.01  # px: a placement sweep that moves no node further than this is the last
#: pull of a link during placement: real-real, real-dummy, dummy-dummy (graphviz's 1, 2, 8)
WEIGHTS = (1.0, 2.0, 8.0)


@dataclass
class Layout:
    """Positions of a laid-out graph.

    ``boxes`` maps node id → ``(x, y, w, h)`` (top-left corner and size);
    ``routes`` maps each drawable edge → polyline points from the source's
    right side to the target's left side; ``layers`` lists node ids per column.

    Examples
    --------
    >>> from lamin_lab.lineage.graph import LineageGraph
    >>> lay = compute_layout(LineageGraph(edges=[("run:r", "artifact:b")]))
    >>> lay.layers
    [['run:r'], ['artifact:b']]
    """

    boxes: dict[str, tuple[float, float, float, float]]
    routes: dict[tuple[str, str], list[tuple[float, float]]]
    layers: list[list[str]]
    width: float
    height: float
    reversed_edges: set[tuple[str, str]] = field(default_factory=set)


def shorten(text: str, limit: int = MAX_CHARS) -> str:
    """Cut ``text`` to ``limit`` characters, ending in an ellipsis if cut.

    Examples
    --------
    >>> shorten("abcdef", 4)
    'abc…'
    """
    text = " ".join(str(text).split())  # newlines would break a one-line box
    return text if len(text) <= limit else text[: limit - 1] + "…"


def node_size(label: str, sublabel: str = "") -> tuple[float, float]:
    """Width and height of a node's box, from its (shortened) texts.

    Examples
    --------
    >>> node_size("x")
    (56.0, 28.0)
    """
    n = max(len(shorten(label)), len(shorten(sublabel)) * SUBLABEL_PX / LABEL_PX)
    w = min(MAX_W, max(MIN_W, n * CHAR_W + 2 * PAD_X))
    return float(round(w)), (H_TWO if sublabel else H_ONE)


def layout(graph: LineageGraph) -> dict[str, tuple[float, float, float, float]]:
    """Node id → ``(x, y, w, h)`` of a left-to-right layered drawing.

    Examples
    --------
    >>> from lamin_lab.lineage.graph import LineageGraph
    >>> boxes = layout(LineageGraph(edges=[("run:r", "artifact:b")]))
    >>> boxes["run:r"][0] < boxes["artifact:b"][0]
    True
    """
    return compute_layout(graph).boxes


def compute_layout(graph: LineageGraph) -> Layout:
    """Full layout: boxes, edge routes, columns and the drawing's size.

    Examples
    --------
    >>> from lamin_lab.lineage.graph import LineageGraph
    >>> compute_layout(LineageGraph(edges=[("run:r", "artifact:b")])).width > 0
    True
    """
    ids = list(graph.nodes)
    edges = [(s, d) for s, d in graph.edges if s != d]
    dag, flipped = _break_cycles(ids, edges)
    layer = _assign_layers(ids, dag)
    succ, pred, chains, layer = _add_dummies(ids, dag, layer)
    layers = _order_layers(ids, layer, succ, pred)
    sizes = {n: node_size(graph.nodes[n].label, graph.nodes[n].sublabel) for n in ids}
    boxes, width, height = _place(layers, sizes, succ, pred)
    spans = _column_spans(layers, boxes)
    routes: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for s, d in edges:
        u, v = (d, s) if (s, d) in flipped else (s, d)
        pts = [_right(boxes[u])]
        for x in chains.get((u, v), []):  # level across the column, so no kink at a dummy
            y = _centre(boxes[x])[1]
            pts += [(spans[x][0], y), (spans[x][1], y)]
        pts.append(_left(boxes[v]))
        routes[(s, d)] = pts[::-1] if (s, d) in flipped else pts
    real = [[n for n in col if n in graph.nodes] for col in layers]
    return Layout(
        boxes={n: boxes[n] for n in ids},
        routes=routes,
        layers=[c for c in real if c],
        width=width,
        height=height,
        reversed_edges=flipped,
    )


def _right(b: tuple[float, ...]) -> tuple[float, float]:
    return (b[0] + b[2], b[1] + b[3] / 2)


def _left(b: tuple[float, ...]) -> tuple[float, float]:
    return (b[0], b[1] + b[3] / 2)


def _centre(b: tuple[float, ...]) -> tuple[float, float]:
    return (b[0] + b[2] / 2, b[1] + b[3] / 2)


def _is_dummy(n: str) -> bool:
    return n.startswith("\x00")


def _column_spans(cols: list[list[str]], boxes: dict) -> dict[str, tuple[float, float]]:
    """Node id → left and right x of its column (the widest real box in it)."""
    spans: dict[str, tuple[float, float]] = {}
    for col in cols:
        real = [boxes[n] for n in col if not _is_dummy(n)] or [boxes[n] for n in col]
        span = (min(b[0] for b in real), max(b[0] + b[2] for b in real))
        spans.update(dict.fromkeys(col, span))
    return spans


def _break_cycles(
    ids: list[str], edges: list[tuple[str, str]]
) -> tuple[list[tuple[str, str]], set[tuple[str, str]]]:
    """Reverse the back edges of an iterative depth-first search."""
    kids: dict[str, list[str]] = {n: [] for n in ids}
    for s, d in edges:
        kids[s].append(d)
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    back: set[tuple[str, str]] = set()
    for root in ids:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(kids[root]))]
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                back.add((node, nxt))
            elif nxt not in state:
                state[nxt] = 1
                stack.append((nxt, iter(kids[nxt])))
    dag = list(dict.fromkeys((d, s) if (s, d) in back else (s, d) for s, d in edges))
    return dag, back


def _assign_layers(ids: list[str], dag: list[tuple[str, str]]) -> dict[str, int]:
    """Longest path from the sources, then sources move next to their consumers."""
    kids: dict[str, list[str]] = {n: [] for n in ids}
    indeg = dict.fromkeys(ids, 0)
    for s, d in dag:
        kids[s].append(d)
        indeg[d] += 1
    layer = dict.fromkeys(ids, 0)
    queue = [n for n in ids if indeg[n] == 0]
    for n in queue:  # the list grows while we walk it: Kahn's algorithm
        for k in kids[n]:
            layer[k] = max(layer[k], layer[n] + 1)
            indeg[k] -= 1
            if indeg[k] == 0:
                queue.append(k)
    has_parent = {d for _, d in dag}
    for n in ids:
        if n not in has_parent and kids[n]:
            layer[n] = min(layer[k] for k in kids[n]) - 1
    return layer


def _add_dummies(
    ids: list[str], dag: list[tuple[str, str]], layer: dict[str, int]
) -> tuple[dict, dict, dict, dict]:
    """Split edges spanning several layers into chains of dummy nodes."""
    layer = dict(layer)
    succ: dict[str, list[str]] = {n: [] for n in ids}
    pred: dict[str, list[str]] = {n: [] for n in ids}
    chains: dict[tuple[str, str], list[str]] = {}
    for s, d in dag:
        prev = s
        chain = []
        for lv in range(layer[s] + 1, layer[d]):
            dummy = f"\x00{len(layer)}"  # cannot clash with a typed node id
            layer[dummy] = lv
            succ[dummy], pred[dummy] = [], []
            succ[prev].append(dummy)
            pred[dummy].append(prev)
            chain.append(dummy)
            prev = dummy
        succ[prev].append(d)
        pred[d].append(prev)
        if chain:
            chains[(s, d)] = chain
    return succ, pred, chains, layer


def _order_layers(ids: list[str], layer: dict[str, int], succ: dict, pred: dict) -> list[list[str]]:
    """Columns in an order with few crossings (barycenter heuristic)."""
    if not layer:
        return []
    low = min(layer.values())
    cols: list[list[str]] = [[] for _ in range(max(layer.values()) - low + 1)]
    for n in _dfs_order(ids, succ, pred):
        cols[layer[n] - low].append(n)
    pos = {n: i for col in cols for i, n in enumerate(col)}
    best, best_crossings = [list(c) for c in cols], count_crossings(cols, succ, pos)
    for _ in range(SWEEPS):
        if best_crossings == 0:
            break
        for i in range(1, len(cols)):
            cols[i] = _sort_by_barycenter(cols[i], pred, pos)
        for i in range(len(cols) - 2, -1, -1):
            cols[i] = _sort_by_barycenter(cols[i], succ, pos)
        crossings = count_crossings(cols, succ, pos)
        if crossings < best_crossings:  # sweeps can make things worse: keep the best
            best, best_crossings = [list(c) for c in cols], crossings
    return best


def count_crossings(cols: list[list[str]], succ: dict, pos: dict) -> int:
    """Edge crossings between adjacent columns (inversions, Fenwick tree).

    Examples
    --------
    >>> count_crossings([["a", "b"], ["c", "d"]], {"a": ["d"], "b": ["c"]},
    ...                 {"a": 0, "b": 1, "c": 0, "d": 1})
    1
    """
    total = 0
    for i in range(len(cols) - 1):
        targets = [pos[k] for n in cols[i] for k in sorted(succ[n], key=pos.__getitem__)]
        size = len(cols[i + 1])
        tree = [0] * (size + 1)
        for seen, t in enumerate(targets):
            # count earlier edges ending strictly below t: those cross this one
            j, below_or_equal = t + 1, 0
            while j > 0:
                below_or_equal += tree[j]
                j -= j & -j
            total += seen - below_or_equal
            j = t + 1
            while j <= size:
                tree[j] += 1
                j += j & -j
    return total


def _dfs_order(ids: list[str], succ: dict, pred: dict) -> list[str]:
    """All nodes (dummies included) in depth-first order from the sources,
    so that related nodes start out near each other."""
    order: list[str] = []
    seen: set[str] = set()
    roots = [n for n in ids if not pred[n]] + ids
    for root in roots:
        if root in seen:
            continue
        seen.add(root)
        stack = [root]
        while stack:
            n = stack.pop()
            order.append(n)
            for k in reversed(succ[n]):
                if k not in seen:
                    seen.add(k)
                    stack.append(k)
    return order


def _sort_by_barycenter(col: list[str], nbrs: dict, pos: dict) -> list[str]:
    """Sort a column by the mean position of each node's neighbours."""
    keys = {}
    for n in col:
        ns = nbrs[n]
        keys[n] = sum(pos[k] for k in ns) / len(ns) if ns else pos[n]
    col = sorted(col, key=keys.__getitem__)
    for i, n in enumerate(col):
        pos[n] = i
    return col


def _place(
    cols: list[list[str]], sizes: dict, succ: dict, pred: dict
) -> tuple[dict[str, tuple[float, float, float, float]], float, float]:
    """Coordinates: columns left to right, rows pulled towards neighbours."""
    size = {n: sizes.get(n, (0.0, 6.0)) for col in cols for n in col}
    xs, x = [], MARGIN
    for col in cols:
        cw = max((size[n][0] for n in col), default=0.0)
        xs.append((x, cw))
        x += cw + GAP_X
    centre: dict[str, float] = {}
    for col in cols:
        # First guess: every column centred on one line, so a plain chain is level at once.
        y = -(sum(size[n][1] for n in col) + GAP_Y * (len(col) - 1)) / 2
        for n in col:
            centre[n] = y + size[n][1] / 2
            y += size[n][1] + GAP_Y
    # Each node's neighbours and how hard each pulls, worked out once for all the sweeps
    # (a 500-node graph takes ~40 sweeps over ~10 columns).
    links = {n: [(k, _weight(n, k)) for k in succ[n] + pred[n]] for col in cols for n in col}
    for sweep in range(PLACE_SWEEPS):
        before = dict(centre)
        order = range(len(cols)) if sweep % 2 == 0 else range(len(cols) - 1, -1, -1)
        for i in order:
            _pava_column(cols[i], size, centre, links)
        if _settled(before, centre):
            break
    top = min((centre[n] - size[n][1] / 2 for n in centre), default=0.0)
    boxes = {}
    height = 0.0
    for (cx, cw), col in zip(xs, cols, strict=True):
        for n in col:
            w, h = size[n]
            y = centre[n] - h / 2 - top + MARGIN
            boxes[n] = (cx + (cw - w) / 2, y, w, h)
            height = max(height, y + h + MARGIN)
    width = (x - GAP_X + MARGIN) if cols else 2 * MARGIN
    return boxes, width, max(height, 2 * MARGIN)


def _pava_column(col: list[str], size: dict, centre: dict, links: dict) -> None:
    """Place one column's nodes (fixed order, minimum gaps) as near as
    possible, in weighted least squares, to the weighted mean centre of their
    neighbours. Each node's wish counts by the weight of its links: then every
    step lowers the same total cost, and the sweeps settle instead of gliding."""
    blocks: list[list] = []  # [sum of weight * (wanted top - offset), weight, height, nodes]
    for n in col:
        total = pulled = 0.0
        for k, w in links[n]:  # the weighted mean centre of the neighbours
            total += w
            pulled += centre[k] * w
        want = pulled / total if total else centre[n]
        total = total or 1.0
        h = size[n][1]
        block = [total * (want - h / 2), total, h, 1]
        while blocks:
            prev = blocks[-1]
            if prev[0] / prev[1] + prev[2] + GAP_Y <= block[0] / block[1]:
                break
            blocks.pop()
            # merge: the new block starts at prev's top; shift its wishes
            shift = prev[2] + GAP_Y
            block = [
                prev[0] + block[0] - shift * block[1],
                prev[1] + block[1],
                prev[2] + GAP_Y + block[2],
                prev[3] + block[3],
            ]
        blocks.append(block)
    i = 0
    for total, weight, _, count in blocks:
        y = total / weight
        for n in col[i : i + count]:
            centre[n] = y + size[n][1] / 2
            y += size[n][1] + GAP_Y
        i += count


def _weight(a: str, b: str) -> float:
    """How hard a link pulls its ends level: dummies (long edges) pull hardest."""
    return WEIGHTS[_is_dummy(a) + _is_dummy(b)]


def _settled(before: dict[str, float], after: dict[str, float]) -> bool:
    """True when a sweep changed the drawing's shape by less than SETTLED px.

    The placement has no anchor, so a whole drawing may glide up or down from
    sweep to sweep; that common shift is left out (the drawing is moved to
    the top margin at the end anyway).
    """
    if not after:
        return True
    moves = [after[n] - before[n] for n in after]
    common = sum(moves) / len(moves)
    return max(abs(m - common) for m in moves) < SETTLED
