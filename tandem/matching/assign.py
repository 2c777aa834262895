"""Cohort assignment: min-cost flow on a sparse candidate graph, certified optimal.

The flow network is source -> mentee (capacity: mentors wanted) -> mentor (one unit a pair)
-> sink (capacity: free slots). Each pair earns `w = offset + rint(score * 1e6)`; `offset` is
large under the coverage objective so that one more match outweighs any score (OR-Tools solves
that as a maximum flow of minimum cost; under `score` a source -> sink arc takes the rest).

After a solve we compute dual prices ourselves (OR-Tools exposes none): the least mentor
prices `p` are longest paths in the graph of "mentee moves from its mentor j to candidate k"
(an exact Bellman-Ford on the residual graph), and each mentee's utility `u` follows. Any
allowed pair outside the graph with `w - p[j] > u[i]` is added and the graph re-solved; when
no such pair exists anywhere, (u, p) is feasible for the dual of the full problem and its
value equals the assignment's: the gap is zero and the result is the exact optimum of the
full problem.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow

from tandem.matching.candidates import (
    BOUND_MARGIN,
    PRICE_CAP,
    SCALE,
    IntArray,
    Pairs,
    PairSource,
    concat,
    member,
    scaled,
)
from tandem.matching.progress import Progress, ProgressCallback, Stage

Objective = Literal["coverage", "score"]


class AssignmentError(ValueError):
    """Pinned pairs that cannot all hold, or a solver that failed."""


@dataclass(frozen=True)
class Certificate:
    """Proof of optimality: dual values feasible on every allowed pair, equal objectives."""

    primal: int
    dual: int
    rounds: int
    pairs_scanned: int
    rows_scanned: int
    arcs: int

    @property
    def gap(self) -> int:
        """Dual minus primal objective, in units of 1e-6 score; 0 means proven optimal."""
        return self.dual - self.primal


@dataclass(frozen=True)
class Assignment:
    """Pairs chosen (mentee index, mentor index, score), with totals and the certificate."""

    pairs: Pairs
    objective: Objective
    total_score: float
    matched_mentees: int
    certificate: Certificate
    seconds: float
    timings: dict[str, float]
    """Wall time by step: candidates, solve, prices, scan."""

    def summary(self) -> str:
        """One line: objective, matches and the certificate."""
        c = self.certificate
        return (
            f"objective={self.objective} total_score={self.total_score:.6f} "
            f"pairs={len(self.pairs)} matched_mentees={self.matched_mentees} "
            f"certificate: gap={c.gap} rounds={c.rounds} pairs_scanned={c.pairs_scanned} "
            f"rows_scanned={c.rows_scanned} arcs={c.arcs}"
        )


def _solve(
    n: int,
    m: int,
    need: IntArray,
    cap: IntArray,
    i: IntArray,
    j: IntArray,
    w: IntArray,
    coverage_offset: int,
) -> npt.NDArray[np.bool_]:
    """Min-cost flow; returns which pair arcs carry flow.

    Under coverage, OR-Tools' maximum flow of minimum cost finds the same optimum as the
    offset weights without the offset in its costs: a smaller cost range, fewer scaling phases.
    """
    flow = min_cost_flow.SimpleMinCostFlow()
    source, sink = n + m, n + m + 1
    total = int(need.sum())
    mentees = np.arange(n, dtype=np.int64)
    mentors = np.arange(m, dtype=np.int64)
    flow.add_arcs_with_capacity_and_unit_cost(
        np.full(n, source), mentees, need, np.zeros(n, dtype=np.int64)
    )
    costs = -(w - coverage_offset)
    first = flow.add_arcs_with_capacity_and_unit_cost(i, n + j, np.ones(i.size, np.int64), costs)
    zeros_m = np.zeros(m, dtype=np.int64)
    flow.add_arcs_with_capacity_and_unit_cost(n + mentors, np.full(m, sink), cap, zeros_m)
    flow.set_node_supply(source, total)
    flow.set_node_supply(sink, -total)
    if coverage_offset:
        status = flow.solve_max_flow_with_min_cost()
    else:
        flow.add_arc_with_capacity_and_unit_cost(source, sink, total, 0)
        status = flow.solve()
    if status != flow.OPTIMAL:
        raise AssignmentError(f"min-cost flow failed with status {status}")
    if i.size == 0:
        return np.zeros(0, dtype=np.bool_)
    arcs = np.asarray(first, dtype=np.int64)
    return np.asarray(flow.flows(arcs)) > 0


def _ranges(starts: IntArray, lengths: IntArray) -> IntArray:
    """Concatenation of arange(s, s + n) for each (s, n)."""
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
    return np.asarray(np.arange(total, dtype=np.int64) + offsets, dtype=np.int64)


def _prices(
    n: int,
    m: int,
    need: IntArray,
    cap: IntArray,
    i: IntArray,
    j: IntArray,
    w: IntArray,
    x: npt.NDArray[np.bool_],
) -> tuple[IntArray, IntArray]:
    """Least mentor prices and the largest mentee utilities that are dual-optimal."""
    deg = np.bincount(i[x], minlength=n)
    full_mentee = deg >= need
    price = np.zeros(m, dtype=np.int64)
    loose = ~x & ~full_mentee[i]
    np.maximum.at(price, j[loose], w[loose])
    # Edges mentor a -> mentor b for each full mentee on a with a free candidate arc to b.
    mi, mj, mw = i[x], j[x], w[x]
    order = np.argsort(mi, kind="stable")
    mi, mj, mw = mi[order], mj[order], mw[order]
    first = np.searchsorted(mi, np.arange(n))
    free_arc = np.flatnonzero(~x & full_mentee[i])
    reps = deg[i[free_arc]]
    arc = np.repeat(free_arc, reps)
    matched = _ranges(first[i[free_arc]], reps)
    src, dst, wt = mj[matched], j[arc], w[arc] - mw[matched]
    order = np.argsort(src, kind="stable")
    src, dst, wt = src[order], dst[order], wt[order]
    ptr = np.searchsorted(src, np.arange(m + 1))
    active = np.arange(m, dtype=np.int64)
    for _ in range(m + 2):
        edges = _ranges(ptr[active], ptr[active + 1] - ptr[active])
        if edges.size == 0:
            break
        new = price.copy()
        np.maximum.at(new, dst[edges], price[src[edges]] + wt[edges])
        active = np.flatnonzero(new > price)
        price = new
        if active.size == 0:
            break
    else:
        raise AssignmentError("positive cycle in the residual graph: the flow is not optimal")
    utility = np.zeros(n, dtype=np.int64)
    slack_left = np.full(n, PRICE_CAP, dtype=np.int64)
    np.minimum.at(slack_left, mi, mw - price[mj])
    utility[full_mentee] = slack_left[full_mentee]
    utility[need == 0] = PRICE_CAP
    price[cap == 0] = PRICE_CAP
    return price, utility


def _dual_value(
    need: IntArray,
    cap: IntArray,
    price: IntArray,
    utility: IntArray,
    i: IntArray,
    j: IntArray,
    w: IntArray,
    x: npt.NDArray[np.bool_],
) -> int:
    """Dual objective, each arc's pair-capacity dual taking up any positive reduced cost."""
    u_ok, p_ok = need > 0, cap > 0
    if (utility[u_ok] < 0).any() or (price[p_ok] < 0).any():
        raise AssignmentError("negative dual value: the flow is not optimal")
    usable = u_ok[i] & p_ok[j]
    reduced = w[usable] - utility[i[usable]] - price[j[usable]]
    extra = np.maximum(reduced, 0).sum()
    return int((need[u_ok] * utility[u_ok]).sum() + (cap[p_ok] * price[p_ok]).sum() + extra)


def assign(
    source: PairSource,
    capacity: npt.ArrayLike,
    per_mentee: int = 1,
    objective: Objective = "coverage",
    min_score: float = 0.0,
    pinned: Pairs | None = None,
    k: int = 20,
    q: int = 20,
    max_rounds: int = 100,
    pool: int = 128,
    prune: float = 0.05,
    lookahead: float = 0.01,
    progress: ProgressCallback | None = None,
) -> Assignment:
    """Certified optimal assignment of mentees to mentors (indices into the source).

    `capacity[j]` is how many mentees mentor j can still take; each mentee gets up to
    `per_mentee` mentors. Pinned pairs are kept and use up capacity; forbidden pairs are the
    source's business (rules, hand-made exclusions). Pairs scoring below `min_score` are not
    allowed. Under `coverage` the number of pairs is maximised first, then the total score.

    The graph starts from each mentee's best `k` allowed mentors; the next best, up to `pool`
    a mentee, are kept aside and checked exactly after every solve, so that only a mentee
    whose `pool`-th score could still beat what it has is scored again against everyone.
    After the first solve, arcs whose reduced cost is below `-prune` (in score units) leave
    the graph for that reserve; whenever a round adds pairs, reserve pairs within `lookahead`
    of violating join them (the next prices often make them violate: fewer re-solves).
    `progress`, when given, is called with a `Progress` as the work advances.
    """
    started = time.perf_counter()
    n, m = source.n_mentees, source.n_mentors
    cap = np.asarray(capacity, dtype=np.int64).copy()
    need = np.full(n, per_mentee, dtype=np.int64)
    if (cap < 0).any() or per_mentee < 0:
        raise AssignmentError("capacities and mentors per mentee must not be negative")
    pins = pinned or Pairs.empty()
    pin_codes = np.unique(pins.i * m + pins.j)
    if len(pins):
        pin_scores, ok = source.lookup(pins.i, pins.j)
        if not ok.all() or pin_codes.size != len(pins):
            raise AssignmentError("a pinned pair is forbidden, unknown or pinned twice")
        pins = Pairs(pins.i, pins.j, pin_scores)
        need -= np.bincount(pins.i, minlength=n)
        cap -= np.bincount(pins.j, minlength=m)
        if (need < 0).any() or (cap < 0).any():
            raise AssignmentError("pinned pairs exceed a capacity or the mentors per mentee")
    offset = SCALE * (min(int(need.sum()), int(cap.sum())) + 1) if objective == "coverage" else 0
    clock = {"candidates": 0.0, "solve": 0.0, "prices": 0.0, "scan": 0.0}
    mark = time.perf_counter()

    def tick(step: str) -> None:
        nonlocal mark
        now = time.perf_counter()
        clock[step] += now - mark
        mark = now

    tell = _Teller(progress)
    reserve, bound = source.initial(max(k, pool), min_score, tell.rows("candidates", n, 0))
    keep = (need[reserve.i] > 0) & (cap[reserve.j] > 0)
    keep &= ~member(reserve.i * m + reserve.j, pin_codes)
    reserve = reserve.subset(keep)
    first_k = _rank_in_row(reserve.i) < k  # the source lists each row best first
    graph, reserve = reserve.subset(first_k), reserve.subset(~first_k)
    tick("candidates")
    row_cut = np.where(
        np.isfinite(bound),
        scaled(np.where(np.isfinite(bound), bound, 0) + BOUND_MARGIN),
        -PRICE_CAP,
    )
    rounds = scanned_pairs = scanned_rows = 0
    # A scanned row remembers a bound on its outside pairs at that round's prices; later it
    # is scanned again only if that bound, plus the largest price drop since, could win.
    outside = np.zeros(n, dtype=np.int64)
    scanned_at = np.full(n, -1, dtype=np.int64)
    history: list[IntArray] = []
    while True:
        rounds += 1
        tell.event("solve", 0, 1, rounds)
        w = offset + scaled(graph.score)
        x = _solve(n, m, need, cap, graph.i, graph.j, w, offset)
        tick("solve")
        price, utility = _prices(n, m, need, cap, graph.i, graph.j, w, x)
        tick("prices")
        free_price = int(price.min()) if m else 0
        limit = offset + row_cut - free_price
        for then in np.unique(scanned_at[scanned_at >= 0]).tolist():
            old = history[then]
            finite = (old < PRICE_CAP) & (price < PRICE_CAP)
            drop = int(max(0, (old - price)[finite].max(initial=0)))
            again = scanned_at == then
            limit[again] = np.minimum(limit[again], offset + outside[again] + drop)
        history.append(price)
        # The reserve first, exactly; then a full scan of the rows it cannot settle.
        from_reserve, reserve = _take_best(reserve, price, utility - offset, q)
        rows = np.flatnonzero((need > 0) & (limit > utility))
        if rows.size:
            exclude = np.sort(np.concatenate([graph.i * m + graph.j, pin_codes]))
            found, seen, bounds = source.scan(
                rows,
                price,
                utility[rows] - offset,
                exclude,
                min_score,
                q,
                tell.rows("scan", rows.size, rounds),
            )
            outside[rows] = bounds
            scanned_at[rows] = len(history) - 1
            found = _union(from_reserve, found, m)
        else:
            found, seen = from_reserve, 0
        tick("scan")
        scanned_pairs += seen
        scanned_rows += rows.size
        if objective == "score":
            found = found.subset(scaled(found.score) > 0)
        if len(found) == 0 or rounds >= max_rounds:
            break
        if lookahead and len(reserve):
            # Not violated yet, but close: the next prices may well make them so. Adding
            # them now saves rounds (each a full re-solve); it never changes the optimum.
            cut = utility - offset - int(lookahead * SCALE)
            near, reserve = _take_best(reserve, price, cut, q)
            found = concat([found, near])
        if rounds == 1 and prune:
            # Arcs far below their mentee's utility at these prices move to the reserve,
            # where they are still checked exactly every round: later solves are smaller.
            slack = w - price[graph.j] - utility[graph.i]
            out = ~x & (slack < -prune * SCALE) & (price[graph.j] < PRICE_CAP)
            reserve = concat([reserve, graph.subset(out)])
            graph = graph.subset(~out)
        graph = concat([graph, found])
    if len(found):
        raise AssignmentError(f"not certified after {max_rounds} rounds")
    primal = int(w[x].sum())
    dual = _dual_value(need, cap, price, utility, graph.i, graph.j, w, x)
    chosen = concat([graph.subset(x), pins])
    tell.event("done", 1, 1, rounds)
    return Assignment(
        pairs=chosen,
        objective=objective,
        total_score=float(scaled(chosen.score).sum()) / SCALE,
        matched_mentees=int(np.unique(chosen.i).size),
        certificate=Certificate(
            primal=primal,
            dual=dual,
            rounds=rounds,
            pairs_scanned=scanned_pairs,
            rows_scanned=scanned_rows,
            arcs=len(graph),
        ),
        seconds=time.perf_counter() - started,
        timings=clock,
    )


class _Teller:
    """Turns the sources' "rows done" into `Progress` events for the caller's callback."""

    def __init__(self, callback: ProgressCallback | None) -> None:
        self.callback = callback

    def event(self, stage: Stage, done: int, total: int, round_: int) -> None:
        if self.callback is not None:
            self.callback(Progress(stage, done, total, round_))

    def rows(self, stage: Stage, total: int, round_: int) -> Callable[[int], None] | None:
        """A counter of rows done for one step (None when nobody listens)."""
        if self.callback is None:
            return None
        done = 0
        self.event(stage, 0, total, round_)

        def add(count: int) -> None:
            nonlocal done
            done += count
            self.event(stage, done, total, round_)

        return add


def _take_best(reserve: Pairs, price: IntArray, cut: IntArray, q: int) -> tuple[Pairs, Pairs]:
    """Up to q reserve pairs per mentee i with scaled(score) - price[j] > cut[i], best first,
    and the reserve without them (mentors who can take nobody never qualify)."""
    value = scaled(reserve.score) - price[reserve.j]
    best = np.flatnonzero((value > cut[reserve.i]) & (price[reserve.j] < PRICE_CAP))
    best = best[np.lexsort((-value[best], reserve.i[best]))]
    best = best[_rank_in_row(reserve.i[best]) < q]
    left = np.ones(len(reserve), dtype=np.bool_)
    left[best] = False
    return reserve.subset(best), reserve.subset(left)


def _rank_in_row(i: IntArray) -> IntArray:
    """Position of each entry within its run of equal row indices (rows grouped)."""
    if i.size == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.concatenate([[True], i[1:] != i[:-1]]))
    lengths = np.diff(np.concatenate([starts, [i.size]]))
    return np.asarray(np.arange(i.size) - np.repeat(starts, lengths), dtype=np.int64)


def _union(a: Pairs, b: Pairs, m: int) -> Pairs:
    """Pairs of a and b, each once."""
    both = concat([a, b])
    _, first = np.unique(both.i * m + both.j, return_index=True)
    return both.subset(first)


def greedy(
    pairs: Pairs,
    n_mentees: int,
    capacity: npt.ArrayLike,
    per_mentee: int = 1,
    min_score: float = 0.0,
) -> Pairs:
    """What most platforms do: take pairs best score first while both sides have room."""
    cap = np.asarray(capacity, dtype=np.int64).copy()
    need = np.full(n_mentees, per_mentee, dtype=np.int64)
    order = np.argsort(-pairs.score, kind="stable")
    mentee, mentor, score = pairs.i.tolist(), pairs.j.tolist(), pairs.score.tolist()
    chosen: list[int] = []
    for a in order.tolist():
        if score[a] >= min_score and need[mentee[a]] > 0 and cap[mentor[a]] > 0:
            need[mentee[a]] -= 1
            cap[mentor[a]] -= 1
            chosen.append(a)
    pick = np.array(chosen, dtype=np.int64)
    return Pairs(pairs.i[pick], pairs.j[pick], pairs.score[pick])


def total(pairs: Pairs) -> float:
    """Total score of pairs, summed in the solver's integer units."""
    return float(scaled(pairs.score).sum()) / SCALE
