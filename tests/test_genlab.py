"""The generative lab's backend against known answers: closed-form mixture scores, closed-form MMD, exact
normalisation of the autoregressive models, and trained models that reach fixed quality thresholds."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch

from rlgen.genlab import autoregressive as ar
from rlgen.genlab import toy2d_data
from rlgen.genlab.flow import euler_paths, straightness, train_rectified_flow
from rlgen.genlab.lab2d import exact_field, relative_error
from rlgen.genlab.metrics import mmd2
from rlgen.genlab.score import annealed_langevin_sample, train_score
from rlgen.genlab.sde import SDES, ddpm_ancestral, probability_flow, reverse_sde, train_ddpm, train_sde_score

# MMD² with the default kernels, 1,000 vs 1,000 points: two fresh draws of the data score ≈ 0 (± 0.002);
# a Gaussian with the data's mean and covariance scores ≈ 0.05 on two moons and 0.27 on the mixture.
MMD_THRESHOLD = 0.02


def last(frames):
    *_, final = frames
    return final


def torch_mixture(mix: toy2d_data.GaussianMixture) -> torch.distributions.MixtureSameFamily:
    """The same mixture built from torch.distributions: the independent peer the closed form is checked with."""
    means = torch.as_tensor(mix.means, dtype=torch.float64)
    scales = torch.as_tensor(mix.stds, dtype=torch.float64)[:, None].expand_as(means)
    return torch.distributions.MixtureSameFamily(
        torch.distributions.Categorical(probs=torch.as_tensor(mix.weights, dtype=torch.float64)),
        torch.distributions.Independent(torch.distributions.Normal(means, scales), 1))


@pytest.mark.parametrize("name", ["gaussian mixture", "8 gaussians"])
@pytest.mark.parametrize(("alpha", "sigma"), [(1.0, 0.0), (1.0, 0.05), (1.0, 0.7), (0.6, 0.8), (0.1, 0.995)])
def test_closed_form_mixture_score_equals_autograd_of_the_log_density(name, alpha, sigma):
    noised = toy2d_data.mixture(name).noised(alpha, sigma)
    points = np.random.default_rng(0).uniform(-3, 3, (200, 2))
    x = torch.tensor(points, requires_grad=True)
    log_p = torch_mixture(noised).log_prob(x)
    (grad,) = torch.autograd.grad(log_p.sum(), x)
    np.testing.assert_allclose(noised.score(points), grad.numpy(), rtol=1e-8, atol=1e-8)
    np.testing.assert_allclose(noised.log_prob(points), log_p.detach().numpy(), rtol=1e-10)


def test_noised_mixture_is_the_law_of_the_noised_samples():
    mix = toy2d_data.mixture("gaussian mixture")
    rng = np.random.default_rng(1)
    noisy = 0.7 * mix.sample(200_000, rng) + 0.5 * rng.standard_normal((200_000, 2))
    reference = mix.noised(0.7, 0.5).sample(200_000, rng)
    np.testing.assert_allclose(noisy.mean(0), reference.mean(0), atol=0.01)
    np.testing.assert_allclose(np.cov(noisy.T), np.cov(reference.T), atol=0.01)


def gaussian_kernel_mean(mu_a, var_a, mu_b, var_b, h):
    """E exp(−‖x − y‖²/2h²) for x ~ N(μ_a, var_a I), y ~ N(μ_b, var_b I) in 2-D (a Gaussian integral)."""
    total = h * h + var_a + var_b
    return (h * h / total) * np.exp(-np.sum((np.subtract(mu_a, mu_b)) ** 2) / (2 * total))


def test_mmd_estimator_matches_the_closed_form_for_two_gaussians():
    rng = np.random.default_rng(2)
    mu_x, var_x, mu_y, var_y, h = (0.0, 0.0), 0.25, (0.4, -0.2), 0.5, 0.5
    x = np.asarray(mu_x) + np.sqrt(var_x) * rng.standard_normal((2000, 2))
    y = np.asarray(mu_y) + np.sqrt(var_y) * rng.standard_normal((2000, 2))
    exact = (gaussian_kernel_mean(mu_x, var_x, mu_x, var_x, h) + gaussian_kernel_mean(mu_y, var_y, mu_y, var_y, h)
             - 2 * gaussian_kernel_mean(mu_x, var_x, mu_y, var_y, h))
    assert mmd2(x, y, bandwidths=(h,)) == pytest.approx(exact, abs=0.006)
    assert abs(mmd2(x, np.asarray(mu_x) + np.sqrt(var_x) * rng.standard_normal((2000, 2)))) < 0.004


def test_mmd_threshold_separates_the_data_from_a_moment_matched_gaussian():
    for name in ("two moons", "gaussian mixture"):
        data = toy2d_data.sample(name, 1000, 0)
        fresh = toy2d_data.sample(name, 1000, 1)
        gauss = np.random.default_rng(0).multivariate_normal(data.mean(0), np.cov(data.T), 1000)
        assert mmd2(fresh, data) < MMD_THRESHOLD / 4
        assert mmd2(gauss, data) > 2 * MMD_THRESHOLD


def test_data_sets_have_their_shapes():
    board = toy2d_data.sample("checkerboard", 5000, 0)
    cells = np.floor(board + 2).astype(int)
    assert ((cells[:, 0] + cells[:, 1]) % 2 == 0).all()  # only the dark squares
    moons = toy2d_data.sample("two moons", 400, 0)
    # the moons' mean heights are ±0.62: a prefix that held one moon only would sit far from 0
    assert abs(moons[:200, 1].mean()) < 0.3
    rings = np.linalg.norm(toy2d_data.sample("circles", 5000, 0), axis=1)
    assert np.mean(np.minimum(abs(rings - 1), abs(rings - 2)) < 0.25) > 0.99
    for name in toy2d_data.DATASETS[:-1]:
        pts = toy2d_data.sample(name, 2000, 3)
        assert pts.shape == (2000, 2) and np.abs(pts).max() < 3.5, name
        np.testing.assert_array_equal(pts, toy2d_data.sample(name, 2000, 3))  # seeded


def test_user_points_are_jittered_copies_and_bad_drawings_are_refused():
    clicked = [[-1.0, -1.0], [1.0, 1.0], [2.0, -2.0]]
    pts = toy2d_data.sample("your points", 3000, 0, clicked)
    nearest = np.min(np.linalg.norm(pts[:, None] - np.asarray(clicked)[None], axis=2), axis=1)
    assert nearest.mean() == pytest.approx(toy2d_data.USER_JITTER * np.sqrt(np.pi / 2), rel=0.1)  # Rayleigh mean
    with pytest.raises(ValueError, match="at least 3"):
        toy2d_data.sample("your points", 10, 0, clicked[:2])
    with pytest.raises(ValueError, match="At most 500"):
        toy2d_data.sample("your points", 10, 0, [[0.0, 0.0]] * 501)
    with pytest.raises(ValueError, match="Unknown data set"):
        toy2d_data.sample("spirals", 10, 0)


def test_straightness_is_zero_on_lines_and_pi_r_squared_minus_chord_squared_on_a_half_circle():
    t = np.linspace(0, 1, 2001)[:, None, None]
    line = (1 - t) * np.array([[0.0, 0.0]]) + t * np.array([[3.0, 4.0]])
    assert straightness(line) == pytest.approx(0.0, abs=1e-12)
    r = 1.5
    theta = np.pi * t[..., 0]  # (steps + 1)×1: one path
    arc = r * np.stack([np.cos(theta), np.sin(theta)], axis=-1)
    # speed πr all along, chord 2r: S = E‖v‖² − ‖chord‖² = (πr)² − (2r)²
    assert straightness(arc) == pytest.approx((np.pi * r) ** 2 - (2 * r) ** 2, rel=1e-3)


# -- trained score models ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def mixture_score_model():
    data = toy2d_data.sample("gaussian mixture", 20_000, 0)
    return last(train_score(data, steps=2000, seed=0)).model


def test_score_net_matches_the_exact_mixture_score_within_10_percent(mixture_score_model):
    mix = toy2d_data.mixture("gaussian mixture")
    model = mixture_score_model
    hi, lo = model.sigmas[0], model.sigmas[-1]
    errors = [relative_error(model, mix, float(np.log(s / lo) / np.log(hi / lo)), seed=i)
              for i, s in enumerate(model.sigmas)]
    assert np.mean(errors) < 0.10, np.round(errors, 3)


def test_exact_field_of_a_score_model_is_the_noised_mixture_score(mixture_score_model):
    mix = toy2d_data.mixture("gaussian mixture")
    pts = np.random.default_rng(0).uniform(-2, 2, (50, 2))
    sigma = mixture_score_model.sigma_at(0.4)
    np.testing.assert_allclose(exact_field(mixture_score_model, mix, 0.4, pts), mix.noised(1, sigma).score(pts))


def test_annealed_langevin_samples_match_the_mixture(mixture_score_model):
    samples = annealed_langevin_sample(mixture_score_model, 1000, seed=3)
    assert mmd2(samples, toy2d_data.sample("gaussian mixture", 1000, 5)) < MMD_THRESHOLD


@pytest.mark.parametrize(("sde_name", "steps"), [
    ("VE SDE", 1200),
    pytest.param("VP SDE", 2000, marks=pytest.mark.slow),  # test_vp_sde_and_ddpm_samplers_leave_the_prior covers it
])
def test_reverse_sde_and_probability_flow_from_the_same_noise_both_match_the_data(sde_name, steps):
    data = toy2d_data.sample("two moons", 20_000, 0)
    model = last(train_sde_score(data, SDES[sde_name], steps=steps, seed=0)).model
    start = model.prior(1000, 3)
    sde_path = reverse_sde(model, start, 200, seed=4)
    ode_path = probability_flow(model, start, 200)
    reference = toy2d_data.sample("two moons", 1000, 5)
    assert mmd2(sde_path[-1], reference) < MMD_THRESHOLD
    assert mmd2(ode_path[-1], reference) < MMD_THRESHOLD
    np.testing.assert_array_equal(sde_path[0], ode_path[0])
    np.testing.assert_array_equal(probability_flow(model, start, 200)[-1], ode_path[-1])  # deterministic
    assert not np.allclose(reverse_sde(model, start, 200, seed=5)[-1], sde_path[-1])  # stochastic


def test_vp_sde_and_ddpm_samplers_leave_the_prior_for_the_data_after_short_training():
    data = toy2d_data.sample("two moons", 20_000, 0)
    reference = toy2d_data.sample("two moons", 1000, 5)
    vp = last(train_sde_score(data, SDES["VP SDE"], steps=1000, seed=0)).model
    ddpm = last(train_ddpm(data, steps=1000, seed=0)).model
    start = vp.prior(1000, 3)
    prior_mmd = mmd2(start, reference)
    for samples in (reverse_sde(vp, start, 200, 4)[-1], probability_flow(vp, start, 200)[-1],
                    ddpm_ancestral(ddpm, start, 4)[-1]):
        assert mmd2(samples, reference) < 0.3 * prior_mmd


@pytest.mark.slow  # the short-training test above covers the sampler; this one holds it to the threshold
def test_ddpm_ancestral_samples_match_the_data():
    data = toy2d_data.sample("two moons", 20_000, 0)
    model = last(train_ddpm(data, steps=2000, seed=0)).model
    samples = ddpm_ancestral(model, model.prior(1000, 3), seed=4)[-1]
    assert mmd2(samples, toy2d_data.sample("two moons", 1000, 5)) < MMD_THRESHOLD


def test_reflow_straightens_the_paths_and_improves_one_step_sampling():
    data = toy2d_data.sample("two moons", 20_000, 0)
    flow = last(train_rectified_flow(data, steps=1000, reflow_steps=700, seed=0)).model
    start = flow.first.prior(1000, 3)
    reference = toy2d_data.sample("two moons", 1000, 5)
    before, after = euler_paths(flow.first, start, 100), euler_paths(flow.second, start, 100)
    assert straightness(after) < 0.2 * straightness(before)
    one_before = mmd2(euler_paths(flow.first, start, 1)[-1], reference)
    one_after = mmd2(euler_paths(flow.second, start, 1)[-1], reference)
    assert one_after < 0.2 * one_before
    assert one_after < 2 * MMD_THRESHOLD
    assert mmd2(after[-1], reference) < MMD_THRESHOLD


# -- autoregressive digits ------------------------------------------------------------------------------------------
def test_digits_split_is_a_fixed_partition_of_all_1797_binarized_images():
    train, test = ar.binarized_digits()
    assert train.shape == (1438, 64) and test.shape == (359, 64)
    assert set(np.unique(train)) == {0.0, 1.0}
    from sklearn.datasets import load_digits

    everything = (load_digits().data >= ar.THRESHOLD).astype(np.float32)
    rows = sorted(map(bytes, np.concatenate([train, test]).astype(np.uint8)))
    assert rows == sorted(map(bytes, everything.astype(np.uint8)))
    np.testing.assert_array_equal(test, ar.binarized_digits()[1])


def test_untrained_models_are_exactly_the_bernoulli_baseline():
    train, test = ar.binarized_digits()
    baseline = ar.BernoulliBaseline.fit(train)
    bias = np.log(baseline.probs / (1 - baseline.probs))
    for model in (ar.FVSBN(bias), ar.NADE(16, bias)):
        if isinstance(model, ar.NADE):
            torch.nn.init.zeros_(model.V)
        assert ar.nll_bits(model, test) == pytest.approx(baseline.nll_bits(test), rel=1e-5)


@pytest.mark.parametrize("kind", ["FVSBN", "NADE"])
def test_autoregressive_likelihood_is_normalised(kind):
    """Summing p(x) over every completion of the last 10 pixels gives the prefix's marginal Π_{i<54} p(x_i|x_<i)."""
    model = last(ar.train_autoregressive(kind, steps=30, seed=0)).model
    prefix = ar.binarized_digits()[1][0][:54]
    tails = np.array(list(itertools.product([0.0, 1.0], repeat=10)), dtype=np.float32)
    images = np.concatenate([np.tile(prefix, (len(tails), 1)), tails], axis=1)
    with torch.no_grad():
        logits = model.logits(torch.as_tensor(images))
        log_p = -torch.nn.functional.binary_cross_entropy_with_logits(
            logits, torch.as_tensor(images), reduction="none").double()
    total = torch.logsumexp(log_p.sum(1), 0)
    marginal = log_p[0, :54].sum()
    assert float(total) == pytest.approx(float(marginal), abs=1e-4)


@pytest.fixture(scope="module")
def trained_digit_models():
    return {kind: last(ar.train_autoregressive(kind, seed=0)) for kind in ("FVSBN", "NADE")}


def test_fvsbn_and_nade_beat_the_bernoulli_baseline_and_nade_beats_fvsbn(trained_digit_models):
    fvsbn, nade = trained_digit_models["FVSBN"], trained_digit_models["NADE"]
    baseline = fvsbn.baseline_bits
    assert baseline == pytest.approx(36.39, abs=0.01)
    # Bits per image on the 359 held-out digits: the dependencies between pixels are worth ~10 bits.
    assert fvsbn.test_bits < baseline - 8
    assert nade.test_bits < baseline - 8
    assert nade.test_bits <= fvsbn.test_bits


def test_pixel_by_pixel_sampling_reports_the_conditionals_it_drew_from(trained_digit_models):
    model = trained_digit_models["NADE"].model
    frames = list(ar.sample_pixels(model, seed=3))
    assert [f.index for f in frames] == list(range(64))
    final = frames[-1].image
    assert set(np.unique(final)) <= {0.0, 1.0}
    np.testing.assert_allclose(frames[-1].probs, ar.conditionals(model, final), atol=1e-6)
    assert frames[10].p_next == pytest.approx(frames[11].probs[11], abs=1e-6)
    assert (frames[10].image[11:] == -1).all()
    prefix = ar.binarized_digits()[1][5][:32]
    completed = list(ar.sample_pixels(model, seed=4, prefix=prefix))[-1].image
    np.testing.assert_array_equal(completed[:32], prefix)


def test_batch_sampler_draws_digits_with_the_models_pixel_frequencies(trained_digit_models):
    model = trained_digit_models["FVSBN"].model
    images = ar.sample_images(model, 1000, seed=0)
    train, _ = ar.binarized_digits()
    assert np.abs(images.mean(0) - train.mean(0)).mean() < 0.05


def test_bad_training_requests_are_refused_with_the_cap_in_the_message():
    with pytest.raises(ValueError, match="between 1 and 5000"):
        next(ar.train_autoregressive("NADE", steps=10**6))
    with pytest.raises(ValueError, match="Unknown model"):
        next(ar.train_autoregressive("PixelCNN"))
    with pytest.raises(ValueError, match="between 1 and 20000"):
        next(train_score(np.zeros((10, 2)), steps=10**6))
    with pytest.raises(ValueError, match="at most 64 pixels"):
        next(ar.sample_pixels(ar.FVSBN(), 0, prefix=np.full(65, 1.0)))


def test_ddpm_ancestral_sampler_equals_diffusers_ddpm_scheduler_with_the_same_noise():
    diffusers = pytest.importorskip("diffusers")
    model = last(train_ddpm(toy2d_data.sample("two moons", 2000, 0), steps=20, seed=0)).model
    start = model.prior(300, 1)
    ours = ddpm_ancestral(model, start, seed=9)[-1]
    scheduler = diffusers.DDPMScheduler(num_train_timesteps=len(model.betas), trained_betas=model.betas.tolist(),
                                        variance_type="fixed_large", clip_sample=False)
    scheduler.set_timesteps(len(model.betas))
    gen = torch.Generator().manual_seed(9)
    x = torch.as_tensor(start)
    with torch.no_grad():
        for k in scheduler.timesteps:
            eps = model.eps_tensor(x, torch.full((len(x),), int(k)))
            x = scheduler.step(eps, int(k), x, generator=gen).prev_sample
    np.testing.assert_allclose(ours, x.numpy(), atol=1e-4)
