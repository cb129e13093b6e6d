"""The one list of shipped checkpoints: every folder is declared by its domain, loads by its declared loader,
carries its TRAINING.json, and is what `python -m rlgen checkpoints`, `train` and the Spaces exporter use."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from rlgen import registry, runtime
from rlgen.errors import InputError
from rlgen.ui import TABS

ROOT = Path(__file__).resolve().parents[1]


def test_every_shipped_folder_is_declared_and_every_declared_one_ships():
    shipped = {p.name for p in runtime.checkpoint_path("x").parent.iterdir() if p.is_dir()}
    assert set(registry.checkpoints()) == shipped


@pytest.mark.parametrize("name", sorted(registry.checkpoints()))
def test_each_checkpoint_loads_with_its_declared_loader_and_has_a_training_record(name):
    checkpoint = registry.get(name)
    assert checkpoint.tabs and set(checkpoint.tabs) <= set(TABS)
    assert checkpoint.trained_by in registry.trainers()
    assert checkpoint.load() is not None
    record = registry.training_record(name)
    assert record, f"{name} has no TRAINING.json"


def test_unknown_names_get_a_clear_message():
    with pytest.raises(InputError, match="Unknown checkpoint 'nope'; the checkpoints are: "):
        registry.get("nope")
    with pytest.raises(InputError, match="Unknown trainer 'nope'"):
        registry.train("nope", [])


def test_the_fingerprint_changes_with_any_byte(tmp_path, monkeypatch):
    folder = tmp_path / "demo"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "weights.bin").write_bytes(b"\x00\x01")
    monkeypatch.setattr(runtime, "checkpoint_path", lambda name: tmp_path / name)
    size, before = registry.fingerprint("demo")
    (folder / "sub" / "weights.bin").write_bytes(b"\x00\x02")
    assert size == 2 and registry.fingerprint("demo")[1] != before


def test_the_command_lists_every_checkpoint_with_size_and_hash():
    listed = subprocess.run([sys.executable, "-m", "rlgen", "checkpoints"], cwd=ROOT, capture_output=True,
                            text=True, timeout=300, check=True).stdout
    for name in registry.checkpoints():
        size, sha = registry.fingerprint(name)
        assert f"{name} " in listed and sha[:12] in listed
    total = sum(registry.fingerprint(n)[0] for n in registry.checkpoints()) / 2**20
    assert f"{len(registry.checkpoints())} checkpoints, {total:.1f} MB in all" in listed
    assert total < 40  # the project's budget for shipped weights


def test_the_ddpg_agent_saves_and_loads_the_hugging_face_way(tmp_path):
    import numpy as np

    from rlgen.ddpg import DDPGAgent, load_pretrained

    shipped = DDPGAgent.from_pretrained(registry.get("ddpg-pendulum").path)
    copy = DDPGAgent.from_pretrained(shipped.save_pretrained(tmp_path / "agent"))
    obs = np.random.default_rng(0).normal(size=(8, 3)).astype(np.float32)
    assert np.array_equal(copy.act(obs), load_pretrained("ddpg-pendulum").act(obs))
    assert sorted(p.name for p in (tmp_path / "agent").iterdir()) == ["config.json", "model.safetensors"]
    with pytest.raises(InputError, match="No DDPG agent"):
        DDPGAgent.from_pretrained(tmp_path / "empty")


def test_every_trained_checkpoint_declares_what_it_achieved_and_its_record_holds_it():
    from rlgen.registry import _at, checkpoints, headline, training_record

    for checkpoint in checkpoints().values():
        if checkpoint.name == "diffusion-sd3-experiments":  # curves, no weights: its tab draws them all
            continue
        record = training_record(checkpoint.name)
        assert checkpoint.figures, checkpoint.name
        for label, path in checkpoint.figures:
            value = _at(record, path)
            assert isinstance(value, (int, float)) and not isinstance(value, bool), (checkpoint.name, path)
            assert label in headline(record, checkpoint.figures)


def test_every_shipped_checkpoint_opens_with_its_own_classes_from_pretrained():
    """A shipped folder is a Hugging Face folder: each part opens with the from_pretrained of its class (what a
    notebook, or the Hub, would use), without rlgen's loaders."""
    from transformers import LlamaForCausalLM, LlamaForSequenceClassification, PreTrainedTokenizerFast

    from rlgen.ddpg.agent import DDPGAgent
    from rlgen.diffusion.mmdit import MMDiTPipeline
    from rlgen.diffusion.models import ShapeClassifier
    from rlgen.diffusion.pipeline import ShapesPipeline
    from rlgen.vlm.model import TinyKimiVLForConditionalGeneration
    from rlgen.vlm.processor import KimiVLProcessor

    def path(name: str, part: str = ""):
        return registry.get(name).path / part

    opened = {
        "ddpg-pendulum": DDPGAgent.from_pretrained(path("ddpg-pendulum")),
        "ddpg-mountaincar": DDPGAgent.from_pretrained(path("ddpg-mountaincar")),
        "diffusion-base": ShapesPipeline.from_pretrained(path("diffusion-base")),
        "diffusion-flow": ShapesPipeline.from_pretrained(path("diffusion-flow")),
        "diffusion-controlnet": ShapesPipeline.from_pretrained(path("diffusion-controlnet")),
        "diffusion-classifier": ShapeClassifier.from_pretrained(path("diffusion-classifier")),
        "diffusion-mmdit": MMDiTPipeline.from_pretrained(path("diffusion-mmdit")),
        "dpo": (LlamaForCausalLM.from_pretrained(path("dpo", "policy")), LlamaForCausalLM.from_pretrained(
            path("dpo", "ref")), LlamaForSequenceClassification.from_pretrained(path("dpo", "reward_model")),
            PreTrainedTokenizerFast.from_pretrained(path("dpo", "tokenizer"))),
        "vlm": (TinyKimiVLForConditionalGeneration.from_pretrained(path("vlm")),
                KimiVLProcessor.from_pretrained(path("vlm"))),
    }
    weighted = {name for name in registry.checkpoints() if name != "diffusion-sd3-experiments"}
    assert set(opened) == weighted
    assert opened["diffusion-controlnet"].controlnet is not None and opened["diffusion-flow"].controlnet is None
    model, processor = opened["vlm"]
    assert len(processor.tokenizer) <= model.config.text_config.vocab_size
