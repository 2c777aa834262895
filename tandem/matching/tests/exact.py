"""An exact reference solver for small instances: the b-matching integer programme (HiGHS)."""

from __future__ import annotations

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

from tandem.matching.candidates import SCALE, Pairs, scaled


def best_objective(
    pairs: Pairs, n: int, m: int, capacity: np.ndarray, per_mentee: int, objective: str
) -> int:
    """The optimum of the full problem in the solver's integer units."""
    if len(pairs) == 0:
        return 0
    w = scaled(pairs.score).astype(np.float64)
    if objective == "coverage":
        w += SCALE * (min(per_mentee * n, int(capacity.sum())) + 1)
    cols = np.arange(len(pairs))
    by_mentee = coo_matrix((np.ones(len(pairs)), (pairs.i, cols)), shape=(n, len(pairs)))
    by_mentor = coo_matrix((np.ones(len(pairs)), (pairs.j, cols)), shape=(m, len(pairs)))
    res = milp(
        -w,
        constraints=[
            LinearConstraint(by_mentee, 0, per_mentee),
            LinearConstraint(by_mentor, 0, capacity),
        ],
        integrality=np.ones(len(pairs)),
        bounds=Bounds(0, 1),
    )
    assert res.status == 0
    return int(np.rint(-res.fun))
