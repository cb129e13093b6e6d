"""The README's performance table says what the records in docs/bench/ say."""

from __future__ import annotations

from rlgen.bench import _readme


def test_the_readme_table_is_made_from_the_records():
    text = _readme.README.read_text()
    assert _readme.section(text) == _readme.table(), "run `python -m rlgen.bench readme`"


def test_every_recorded_bench_has_a_headline():
    table = _readme.table()
    for name in _readme.recorded():
        assert f"[`{name}`]" in table, name
