"""The benchmark's table, JSON and plot."""

from pathlib import Path
from typing import Any

from rich.table import Table


def summary(figures: dict[str, Any]) -> dict[str, Any]:
    """Headline ratios computed from one run's figures."""
    extract = figures["extract_rate"]
    by_workers = {r["workers"]: r for r in figures["burst"]}
    one = by_workers.get(1)
    two = by_workers.get(2)
    out: dict[str, Any] = {}
    if one:
        out["e2e_over_extract"] = round(one["rate"] / extract, 3)
        if one.get("merged_rate"):
            out["e2e_merged_over_extract"] = round(one["merged_rate"] / extract, 3)
        out["e2e_over_redis_hop"] = round(one["rate"] / figures["redis_hop_rate"], 4)
    if one and two:
        out["two_workers_over_one"] = round(two["rate"] / one["rate"], 3)
    return out


def table(figures: dict[str, Any]) -> Table:
    """Every figure of the run, with the ratio to its ceiling."""
    t = Table(title=f"meetwire bench — {figures['articles']} articles, mean body {figures['mean_body_chars']} chars")
    for column in ("measure", "value", "compared with"):
        t.add_column(column)
    extract, hop = figures["extract_rate"], figures["redis_hop_rate"]
    t.add_row("offline extract (one core)", f"{extract:,.0f} articles/s", "ceiling of the pipeline's own work")
    t.add_row("raw Redis hop (XREADGROUP 100 + XACK)", f"{hop:,.0f} entries/s", "ceiling of one stream hop")
    for run in figures["burst"]:
        t.add_row(
            f"end to end, burst, {run['workers']} worker(s), batch {run['batch_size']}",
            f"{run['rate']:,.0f} articles/s",
            f"{run['rate'] / extract:.2f}× extract",
        )
        t.add_row(
            f"  latency publish→commit (burst, {run['workers']} worker(s))",
            f"p50 {run['p50_ms']:,.0f} / p95 {run['p95_ms']:,.0f} / p99 {run['p99_ms']:,.0f} ms",
            "",
        )
        if run.get("merged_rate"):
            t.add_row(
                f"  every group done, merge step included ({run['workers']} worker(s))",
                f"{run['merged_rate']:,.0f} articles/s",
                f"{run['merged_rate'] / extract:.2f}× extract",
            )
        t.add_row(
            f"  peak memory, {run['workers']} worker(s), Redis aside",
            f"RSS {run['peak_rss_mb']:,.0f} MB / PSS {run['peak_pss_mb']:,.0f} MB",
            "summed over the processes",
        )
    for run in figures["steady"]:
        t.add_row(
            f"latency at an offered {run['offered_rate']:,.0f} articles/s",
            f"p50 {run['p50_ms']:,.1f} / p95 {run['p95_ms']:,.1f} / p99 {run['p99_ms']:,.1f} ms",
            f"{run['rate']:,.0f} articles/s achieved",
        )
    for name, value in figures["summary"].items():
        t.add_row(name.replace("_", " "), f"{value}", "")
    return t


def plot(figures: dict[str, Any], path: Path) -> None:
    """Throughput against batch size, one line per worker count, with the extract ceiling."""
    try:
        import matplotlib as mpl  # noqa: PLC0415

        mpl.use("Agg")
        import matplotlib.pyplot as plt  # noqa: PLC0415
    except ImportError as exc:
        msg = "plotting needs matplotlib: pip install 'meetwire[bench]'"
        raise RuntimeError(msg) from exc
    fig, ax = plt.subplots(figsize=(7, 4.5))
    grid = figures["grid"]
    for workers in sorted({r["workers"] for r in grid}):
        runs = sorted((r for r in grid if r["workers"] == workers), key=lambda r: r["batch_size"])
        ax.plot([r["batch_size"] for r in runs], [r["rate"] for r in runs], marker="o", label=f"{workers} worker(s)")
    ax.axhline(figures["extract_rate"], linestyle="--", color="grey", label="offline extract, one core")
    ax.set_xscale("log")
    ax.set_xlabel("batch size (entries per read)")
    ax.set_ylabel("end-to-end articles/s")
    ax.set_title("meetwire throughput by batch size and worker processes")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
