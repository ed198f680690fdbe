"""Run every benchmark in bench/ and write docs/BENCHMARKS.md (``make bench``).

Each ``bench/bench_*.py`` runs in its own Python process (one benchmark's JVM, memory peak or
solver threads must not colour the next one's figures). A benchmark joins simply by existing. It
hands its figures over in one of two ways:

- it defines ``run(argv: list[str]) -> dict`` — the runner imports the module in the child process,
  calls ``run`` with the arguments (``--quick`` for a smoke run) and records the dict; or
- it is a plain script; then the last stdout line of the form ``BENCH_JSON {...}`` is the dict,
  and without one the runner keeps the script's printed output verbatim.

``--quick`` is passed on to a benchmark whose source mentions ``--quick``; for the others the
runner uses their own smoke-size arguments from `QUICK_FALLBACK_ARGS`.

The report lists the date, the machine, the versions of the parts being measured, and for each
benchmark its figures side by side with the comparisons measured in the same run.

Usage: ``python bench/run_all.py [--quick] [--only NAME ...] [--out docs/BENCHMARKS.md]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import platform
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
DEFAULT_OUT = REPO_DIR / "docs" / "BENCHMARKS.md"
JSON_MARKER = "BENCH_JSON "
PACKAGES = (
    "neo4j", "arcadedb-embedded", "pyomo", "highspy", "numpy", "scipy", "networkx", "pydantic",
    "pint", "fastapi", "uvicorn", "httpx", "streamlit",
)
QUICK_FALLBACK_ARGS: dict[str, list[str]] = {
    "bench_matching": ["--sites", "5000", "--naive-sites", "1000"],
    "bench_optimizer": ["--small"],
}
"""Smoke-size arguments for benchmarks that do not (yet) accept ``--quick`` themselves."""
DEFAULT_TIMEOUT_S = 3600.0
QUICK_NOTE = "quick smoke run (`--quick`): small sizes, figures not representative"
QUICK_TIMEOUT_S = 600.0


def discover(only: list[str] | None = None) -> list[Path]:
    """Every bench/bench_*.py, alphabetically; ``only`` filters by name with or without prefix."""
    scripts = sorted(BENCH_DIR.glob("bench_*.py"))
    if only:
        wanted = {n.removesuffix(".py").removeprefix("bench_") for n in only}
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in wanted]
    return scripts


def machine() -> dict[str, str]:
    """Cores, memory and CPU model of the machine the figures were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        import psutil

        memory = f"{psutil.virtual_memory().total / 2**30:.1f} GiB"
    except ImportError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "CPU": cpu,
        "cores": f"{os.cpu_count()} logical ({usable} usable by this process)",
        "memory": memory,
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
    }


def versions() -> dict[str, str]:
    out = {}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    try:
        from symbiosis.optimizer.solve import new_highs  # highspy.Highs() prints a banner (1.16)

        out["HiGHS (library)"] = new_highs(log=False).version()
    except Exception:  # noqa: BLE001 — a missing or odd highspy must not stop the report
        pass
    return out


def _child(script: Path, argv: list[str]) -> int:
    """Run in the child process: call ``run(argv)`` when the module has it, else run it as a script."""
    spec = importlib.util.spec_from_file_location(f"bench_child_{script.stem}", script)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {script}")
    module = importlib.util.module_from_spec(spec)
    sys.argv = [str(script), *argv]
    spec.loader.exec_module(module)
    run = getattr(module, "run", None)
    if callable(run):
        figures = run(argv)
        print(JSON_MARKER + json.dumps(figures, default=str), flush=True)
        return 0
    main = getattr(module, "main", None)
    if callable(main):
        result = main()
        return int(result) if isinstance(result, int) else 0
    import runpy

    runpy.run_path(str(script), run_name="__main__")
    return 0


def quick_args(script: Path) -> list[str]:
    if "--quick" in script.read_text(encoding="utf-8"):
        return ["--quick"]
    return QUICK_FALLBACK_ARGS.get(script.stem, [])


def run_one(script: Path, quick: bool, timeout_s: float) -> dict[str, Any]:
    """Run one benchmark in a fresh interpreter; return its figures, its output and how it ended."""
    argv = quick_args(script) if quick else []
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", str(script), "--", *argv]
    t0 = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO_DIR), os.environ.get("PYTHONPATH", "")])}
    try:
        proc = subprocess.run(
            cmd, cwd=REPO_DIR, capture_output=True, text=True, timeout=timeout_s, env=env, check=False
        )
        stdout, stderr, code = proc.stdout, proc.stderr, proc.returncode
    except subprocess.TimeoutExpired as exc:
        stdout = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        stderr, code = f"timed out after {timeout_s:.0f} s", -1
    wall_s = time.perf_counter() - t0
    figures = None
    text_lines = []
    for line in stdout.splitlines():
        if line.startswith(JSON_MARKER):
            try:
                figures = json.loads(line[len(JSON_MARKER):])
            except json.JSONDecodeError:
                text_lines.append(line)
        else:
            text_lines.append(line)
    return {
        "name": script.stem,
        "argv": argv,
        "wall_s": wall_s,
        "returncode": code,
        "figures": figures,
        "output": "\n".join(text_lines).strip(),
        "stderr_tail": "\n".join(stderr.strip().splitlines()[-15:]),
    }


def _fmt(value: Any) -> str:
    if value is None:  # a figure that does not apply to this row (e.g. a method without a bound)
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if value == 0:
            return "0"
        if abs(value) >= 1000:
            return f"{value:,.0f}"
        if abs(value) >= 1:
            return f"{value:,.3g}" if abs(value) < 100 else f"{value:,.1f}"
        return f"{value:.3g}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value).replace("|", "\\|").replace("\n", " ")


def _render_value(key: str, value: Any, lines: list[str]) -> None:
    """Lists of flat dicts become tables; nested dicts become sub-sections; scalars become rows."""
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        columns: list[str] = []
        for v in value:
            columns.extend(c for c in v if c not in columns)
        lines += ["", f"**{key}**", "", "| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        for v in value:
            lines.append("| " + " | ".join(_fmt(v.get(c, "")) for c in columns) + " |")
    elif isinstance(value, dict):
        lines += ["", f"**{key}**", "", "| figure | value |", "|---|---|"]
        for k, v in value.items():
            lines.append(f"| {_fmt(k)} | {_fmt(v) if not isinstance(v, dict | list) else json.dumps(v)} |")
    else:
        if lines and lines[-1].startswith("|"):
            lines.append("")  # a table ends only at a blank line
        lines.append(f"- **{key}**: {_fmt(value)}")


def render(results: list[dict[str, Any]], quick: bool, started: dt.datetime) -> str:
    lines = [
        "# Benchmarks",
        "",
        "Generated by `make bench` (`bench/run_all.py`); do not edit by hand. Every comparison in a",
        "section was measured in the same run on the same machine.",
        "",
        f"- **date**: {started.strftime('%Y-%m-%d %H:%M UTC')}",
        f"- **mode**: {QUICK_NOTE if quick else 'full'}",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
    ]
    lines += [f"| {k} | {_fmt(v)} |" for k, v in machine().items()]
    lines += ["", "## Versions", "", "| package | version |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in versions().items()]
    lines += ["", "## Summary", "", "| benchmark | status | wall time (s) |", "|---|---|---|"]
    for r in results:
        status = "ok" if r["returncode"] == 0 else f"failed (exit {r['returncode']})"
        lines.append(f"| {r['name']} | {status} | {r['wall_s']:.1f} |")
    for r in results:
        figures = r["figures"]
        title = figures.get("title", r["name"]) if isinstance(figures, dict) else r["name"]
        args = " ".join(r["argv"])
        lines += ["", f"## {title}", "", f"`bench/{r['name']}.py{' ' + args if args else ''}`"]
        if isinstance(figures, dict):
            if figures.get("description"):
                lines += ["", str(figures["description"])]
            for key, value in figures.items():
                if key not in ("title", "description"):
                    _render_value(key, value, lines)
        elif r["output"]:
            lines += ["", "```text", r["output"][-6000:], "```"]
        if r["returncode"] != 0:
            lines += ["", "Failed; last lines of its error output:", "", "```text", r["stderr_tail"], "```"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    args_list = sys.argv[1:] if argv is None else argv
    if args_list and args_list[0] == "--child":
        rest = args_list[2:]
        return _child(Path(args_list[1]), rest[1:] if rest[:1] == ["--"] else rest)
    parser = argparse.ArgumentParser(description="Run every bench/bench_*.py and write docs/BENCHMARKS.md.")
    parser.add_argument("--quick", action="store_true", help="smoke run of everything in a few minutes")
    parser.add_argument("--only", nargs="*", help="run only these benchmarks (e.g. ingest matching)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="report to write")
    parser.add_argument("--timeout", type=float, default=None, help="seconds allowed per benchmark")
    args = parser.parse_args(args_list)
    timeout_s = args.timeout or (QUICK_TIMEOUT_S if args.quick else DEFAULT_TIMEOUT_S)
    started = dt.datetime.now(dt.UTC)
    scripts = discover(args.only)
    if not scripts:
        print("no benchmark found in bench/", file=sys.stderr)
        return 1
    results = []
    for script in scripts:
        print(f"running {script.name} {' '.join(quick_args(script)) if args.quick else ''}…", flush=True)
        result = run_one(script, args.quick, timeout_s)
        ok = "ok" if result["returncode"] == 0 else f"FAILED (exit {result['returncode']})"
        print(f"  {ok} in {result['wall_s']:.1f} s", flush=True)
        if result["returncode"] != 0 and result["stderr_tail"]:
            print("  " + result["stderr_tail"].replace("\n", "\n  "), file=sys.stderr)
        results.append(result)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render(results, args.quick, started), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0 if all(r["returncode"] == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
