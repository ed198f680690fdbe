"""Water networks: how long the targets take as operations grow, and how good the successive LP
is on several contaminants against a multi-start local NLP solver (scipy SLSQP).

* speed: `water_targets` (four cases) on seeded random fixed-load problems of ``--sizes``
  operations, one and three contaminants, median of ``--repeats`` runs each, side by side;
* quality: on the refinery-like three-contaminant problem of the tests and ``--instances``
  seeded random three-operation, three-contaminant problems, the successive LP's fresh water,
  the best of ``--starts`` SLSQP runs on the bilinear model from random points (a local solver:
  its best is an upper bound on the optimum, not the optimum), and the single-contaminant lower
  bound. The successive LP should never be worse than the NLP's best.

Usage: ``python bench/bench_water.py [--sizes 5 10 20 40] [--repeats 3] [--starts 8] [--instances 3]``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

import numpy as np
from scipy.optimize import minimize

from symbiosis.domain.resource import WaterSource
from symbiosis.water.operations import FixedLoadOperation
from symbiosis.water.problem import Mode, WaterProblem
from symbiosis.water.sources import WaterSupply
from symbiosis.water.targets import target, water_targets

FRESH = WaterSupply("fw", "fresh water", WaterSource.MAINS)
KS = ("a", "b", "c")


def random_problem(rng: random.Random, n: int, ks: tuple[str, ...]) -> WaterProblem:
    ops = []
    for i in range(n):
        cin = {k: float(rng.choice([0, 10, 25, 50, 100, 200])) for k in ks}
        cout = {k: cin[k] + rng.choice([20, 50, 100, 300]) for k in ks}
        load = {k: round(rng.uniform(0.5, 20), 2) for k in ks}
        ops.append(FixedLoadOperation(f"op{i}", f"s{i % 3}", f"op{i}", load, cin, cout))
    return WaterProblem(tuple(ops), (FRESH,))


def refinery_like() -> WaterProblem:
    def op(i: int, load: list[float], cin: list[float], cout: list[float]) -> FixedLoadOperation:
        return FixedLoadOperation(
            f"op{i}",
            "s",
            f"op{i}",
            dict(zip(KS, load, strict=True)),
            dict(zip(KS, cin, strict=True)),
            dict(zip(KS, cout, strict=True)),
        )

    return WaterProblem(
        (
            op(1, [0.675, 18, 1.575], [0, 0, 0], [15, 400, 35]),
            op(2, [3.4, 414.8, 4.0], [20, 300, 45], [120, 12500, 180]),
            op(3, [5.6, 1.4, 520.8], [120, 20, 200], [220, 45, 9500]),
        ),
        (FRESH,),
    )


def nlp_best(p: WaterProblem, starts: int, seed: int) -> float:
    """Best feasible fresh water of SLSQP on the bilinear model (flows and outlet concentrations)
    from random starting points; inf when no start converges."""
    ops = list(p.operations)
    n, nk = len(ops), len(KS)
    load = np.array([[o.load_kg_per_h[k] * 1000 for k in KS] for o in ops])
    cin = np.array([[o.max_inlet_mg_per_l[k] for k in KS] for o in ops])
    cout = np.array([[o.max_outlet_mg_per_l[k] for k in KS] for o in ops])

    def unpack(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return x[:n], x[n : n + n * n].reshape(n, n), x[n + n * n :].reshape(n, nk)

    def eq(x: np.ndarray) -> np.ndarray:
        fw, xx, c = unpack(x)
        f = fw + xx.sum(0)
        return (
            np.array([xx[:, j] @ c[:, k] + load[j, k] - f[j] * c[j, k] for j in range(n) for k in range(nk)])
            / 1000
        )

    def ineq(x: np.ndarray) -> np.ndarray:
        fw, xx, c = unpack(x)
        f = fw + xx.sum(0)
        out = [f[j] - xx[j, :].sum() for j in range(n)]
        out += [cin[j, k] * f[j] - xx[:, j] @ c[:, k] for j in range(n) for k in range(nk)]
        out += [cout[j, k] - c[j, k] for j in range(n) for k in range(nk)]
        return np.array(out)

    rng = np.random.default_rng(seed)
    best = float("inf")
    for _ in range(starts):
        x0 = np.r_[
            rng.uniform(0, 60, n), rng.uniform(0, 30, n * n), (cout * rng.uniform(0.3, 1, cout.shape)).ravel()
        ]
        r = minimize(
            lambda x: x[:n].sum(),
            x0,
            constraints=[{"type": "eq", "fun": eq}, {"type": "ineq", "fun": ineq}],
            bounds=[(0, None)] * len(x0),
            method="SLSQP",
            options={"maxiter": 500, "ftol": 1e-9},
        )
        if r.success and np.abs(eq(r.x)).max() < 1e-6 and ineq(r.x).min() > -1e-6:
            best = min(best, float(r.fun))
    return best


def run(argv: list[str]) -> dict:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[5, 10, 20, 40])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--starts", type=int, default=8)
    ap.add_argument("--instances", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="sizes 5 10, 1 repeat, 2 starts, 1 instance")
    args = ap.parse_args(argv)
    if args.quick:
        args.sizes, args.repeats, args.starts, args.instances = [5, 10], 1, 2, 1
    speed = []
    for n in args.sizes:
        row = {"operations": n}
        for label, ks in (("1 contaminant s", ("a",)), ("3 contaminants s", KS)):
            times = []
            for r in range(args.repeats):
                p = random_problem(random.Random(n * 100 + r), n, ks)
                t0 = time.perf_counter()
                water_targets(p)
                times.append(time.perf_counter() - t0)
            row[label] = round(statistics.median(times), 4)
        row["ratio"] = round(row["3 contaminants s"] / row["1 contaminant s"], 1)
        speed.append(row)
    quality = []
    cases = [("refinery-like", refinery_like())] + [
        (f"random {i}", random_problem(random.Random(7000 + i), 3, KS)) for i in range(args.instances)
    ]
    for name, p in cases:
        t = target(p, Mode.REUSE, True, name)
        quality.append({
            "instance": name,
            "successive LP m3/h": round(t.fresh_m3_per_h, 4),
            f"best of {args.starts} SLSQP m3/h": round(nlp_best(p, args.starts, seed=1), 4),
            "lower bound m3/h": round(t.lower_bound_m3_per_h or float("nan"), 4),
            "LPs": t.network.iterations,
        })  # fmt: skip
    return {
        "title": "Water networks: targets' time and the successive LP against a local NLP solver",
        "description": "water_targets (four cases) on seeded random fixed-load problems, median "
        f"of {args.repeats}; fresh water of the successive LP (reuse) against the best of "
        f"{args.starts} SLSQP runs on the bilinear model and the single-contaminant lower bound",
        "targets time (median)": speed,
        "several contaminants": quality,
    }


def main() -> None:
    import sys

    figures = run(sys.argv[1:])
    print(figures["title"])
    for key in ("targets time (median)", "several contaminants"):
        print(f"\n{key}")
        rows = figures[key]
        print("  ".join(f"{c:>18}" for c in rows[0]))
        for r in rows:
            print("  ".join(f"{v!s:>18}" for v in r.values()))


if __name__ == "__main__":
    main()
