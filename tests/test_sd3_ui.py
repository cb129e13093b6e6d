"""The Stable Diffusion 3 tab's handlers, called as the UI calls them: results, and a clear message for each kind
of bad input."""

from __future__ import annotations

import numpy as np
import pytest

from rlgen import runtime
from rlgen.ui import sd3 as tab

DEFAULTS = dict(prompt="a red star on a blue background", steps=3, guidance=3.0, n_images=2, seed=0,
                randomize=False)


@pytest.fixture(scope="module", autouse=True)
def _one_torch_thread() -> None:
    runtime.configure_torch()


def run(**overrides) -> list[tuple]:
    return list(tab.compare(**{**DEFAULTS, **overrides}))


def test_both_models_stream_side_by_side_and_the_trajectory_has_four_rows():
    frames = run()
    unet, mmdit, trajectory, status, seed = frames[-1]
    assert len(unet) == len(mmdit) == 2 and unet[0].size == mmdit[0].size == (160, 160)
    assert "Step 3/3" in status and seed == 0
    assert [f[3].split(" ")[1] for f in frames] == ["1/3", "2/3", "3/3"]
    assert trajectory.height > 4 * 90  # UNet x_t, UNet x0, MMDiT x_t, MMDiT x0


def test_same_seed_same_images_and_the_two_models_differ():
    a, b = run()[-1], run()[-1]
    for k in (0, 1):
        assert all(np.array_equal(np.asarray(x), np.asarray(y)) for x, y in zip(a[k], b[k]))
    assert not np.array_equal(np.asarray(a[0][0]), np.asarray(a[1][0]))


def test_empty_prompt_is_unconditional_and_unknown_words_are_named():
    assert "unconditional" in run(prompt="  ", steps=1)[-1][3]
    assert "giraffe" in run(prompt="a red giraffe on a blue background", steps=1)[-1][3]


@pytest.mark.parametrize("field,value,message", [
    ("steps", 0, "from 1 to 100"),
    ("steps", 1000, "from 1 to 100"),
    ("n_images", 9, "between 1 and 8"),
    ("prompt", "a " * 150, "cap is 200"),
    ("prompt", "the quick brown fox", "None of the words"),
    ("guidance", 50, "between 0 and 20"),
    ("seed", -1, "whole number from 0"),
])
def test_bad_input_gets_a_message_naming_the_cap(field, value, message):
    with pytest.raises(ValueError, match=message):
        run(**{field: value})


def test_live_experiment_streams_curves_and_refuses_bad_settings():
    frames = list(tab.live_experiment("qk_norm", 10, 0, False))
    figure, status, seed, samples = frames[-1]
    assert "step 10/10" in status and seed == 0
    assert {trace.name for trace in figure.data} == {"QK-norm off", "QK-norm on"}
    assert samples.height > 2 * 112  # a header and a row of samples per arm
    with pytest.raises(ValueError, match="between 10 and 400"):
        next(tab.live_experiment("qk_norm", 5, 0, False))
    with pytest.raises(ValueError, match="Unknown experiment"):
        next(tab.live_experiment("resolution", 10, 0, False))


def test_shipped_experiments_have_figures_or_say_how_to_make_them():
    for name in ("timesteps", "qk_norm", "latent_channels", "positions"):
        figure, summary, samples = tab.initial_shipped(name)
        assert figure is not None and "Final values" in summary and samples is not None, name
        assert tab.FINDINGS[name] in summary  # what the run measured, in words
    with pytest.raises(ValueError, match="Unknown experiment"):
        tab.shipped_experiment("resolution")


def test_a_page_load_reads_the_shipped_results_once_and_makes_each_value_alone(monkeypatch):
    """The tab's three shipped values (figure, summary, samples) are each made alone, from one read of
    RESULTS.json while the file is unchanged; a changed file is read again."""
    import os

    from rlgen.diffusion import sd3_figures

    sd3_figures._read_results.cache_clear()

    def reads() -> int:
        return sd3_figures._read_results.cache_info().misses

    figure, summary, samples = (tab.initial_shipped("positions", part) for part in range(3))
    whole = tab.shipped_experiment("positions")
    assert reads() == 1
    whole_keys = sd3_figures.shipped_results().keys()
    assert figure.to_dict() == whole[0].to_dict() and summary == whole[1] and samples.tobytes() == whole[2].tobytes()
    path = sd3_figures.runtime.checkpoint_path(sd3_figures.EXPERIMENTS_CHECKPOINT) / "RESULTS.json"
    stat = path.stat()
    try:  # the file rewritten (a new mtime): read again
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
        assert sd3_figures.shipped_results().keys() == whole_keys and reads() == 2
    finally:
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    monkeypatch.setattr(tab, "experiment_figure", lambda *args: pytest.fail("the summary or samples drew the figure"))
    assert tab.initial_shipped("positions", 1) == summary and tab.initial_shipped("positions", 2) is not None


def test_tab_lists_its_checkpoints_and_is_registered():
    from rlgen.ui import TABS

    assert TABS["sd3"] == "rlgen.ui.sd3"
    from rlgen import registry

    assert "diffusion-mmdit" in registry.for_tab("sd3")
    for name in registry.for_tab("sd3"):
        assert (runtime.checkpoint_path(name)).is_dir(), name


def test_two_sessions_generating_and_training_at_once_get_what_each_gets_alone():
    from tests.test_sessions import assert_sessions_are_independent

    assert_sessions_are_independent(lambda seed: run(seed=seed, steps=2, n_images=1)[-1][:3])
    assert_sessions_are_independent(lambda seed: list(tab.live_experiment("qk_norm", 10, seed, False))[-1][0])
