"""The benchmark's smoke run: every figure is measured and reported, the plot is drawn."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration


def test_bench_smoke_run_reports_every_figure_and_draws_the_plot(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEETWIRE_")}
    plot = tmp_path / "bench.png"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "service.cli",
            "bench",
            "-n",
            "40",
            "--workers",
            "1",
            "--batch-sizes",
            "10,100",
            "--rate",
            "20",
            "--steady-seconds",
            "1",
            "--json",
            "--plot",
            str(plot),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(result.stdout)
    assert figures["articles"] == 40
    assert figures["extract_rate"] > 0
    assert figures["redis_hop_rate"] > 0
    (burst,) = figures["burst"]
    assert burst["articles"] == 40
    assert burst["rate"] > 0
    assert burst["p50_ms"] <= burst["p99_ms"]
    assert burst["peak_rss_mb"] > 10
    assert 10 < burst["peak_pss_mb"] <= burst["peak_rss_mb"]
    assert burst["merged_seconds"] >= burst["seconds"]
    assert figures["steady"][0]["offered_rate"] == 20
    assert {(r["workers"], r["batch_size"]) for r in figures["grid"]} == {(1, 10), (1, 100)}
    assert figures["summary"]["e2e_over_extract"] > 0
    assert plot.read_bytes().startswith(b"\x89PNG")
