"""`python -m rlgen.bench geometry --quick` runs end to end and writes its figures."""

from __future__ import annotations

import json

from rlgen.bench.__main__ import main


def test_geometry_bench_quick_writes_json(tmp_path, capsys):
    path = tmp_path / "geometry.json"
    assert main(["geometry", "--quick", "--json", str(path)]) == 0
    figures = json.loads(path.read_text())
    assert figures["circle"]["ours"] == figures["circle"]["exact"]
    assert all(size["same_triangles"] for size in figures["delaunay"]["sizes"])
    assert all(size["same_pairs_as_strtree"] for size in figures["bentley_ottmann"]["sizes"])
    assert figures["closest_pair"]["matches_kdtree"]
    assert {"hull_at_most_half_of_qhull", "hull_exact_on_circle", "closest_pair_under_1s",
            "delaunay_within_2x_of_qhull"} <= set(figures["targets"])
    assert "qhull/ours" in capsys.readouterr().out
