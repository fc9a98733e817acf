"""The space file: every mistake is one line that names the problem and a fix; the
samples are spread on the scale the distribution names."""

from __future__ import annotations

import numpy as np
import pytest

from mlplab.checks import ParameterError
from mlplab.tune import load_space, parse_space
from mlplab.tune.space import Space


def _error(entries, base=None) -> str:
    with pytest.raises(ParameterError) as caught:
        parse_space(entries, base)
    message = str(caught.value)
    assert "\n" not in message and len(message) < 400
    return message


def test_a_space_file_is_read_in_order(tmp_path, base):
    path = tmp_path / "space.toml"
    path.write_text('lr = {log_uniform = [1e-4, 1]}\nmomentum = {one_minus_log_uniform = '
                    '[0.9, 0.999]}\nhidden = {choice = ["64", "128,64"]}\nbatch_size = '
                    '{choice = [32, 64]}\ndropout = {uniform = [0, 0.5]}\nepochs = '
                    '{int_uniform = [2, 5]}\n', encoding="utf-8")
    space = load_space(path)
    assert space.names == ["lr", "momentum", "hidden", "batch_size", "dropout", "epochs"]
    assert [d.param for d in space][:2] == ["lr", "one_minus_momentum"]
    assert space.dimensions[1].stored_range() == pytest.approx((0.001, 0.1))


@pytest.mark.parametrize("entries, words", [
    ({"learning_rate": {"log_uniform": [1e-4, 1]}}, ["'learning_rate'", "did you mean 'lr'"]),
    ({"learnin_rate": {"log_uniform": [1e-4, 1]}}, ["unknown setting 'learnin_rate'"]),
    ({"lrr": {"log_uniform": [1e-4, 1]}}, ["did you mean 'lr'"]),
    ({"lr": {"log_uniform": [1e-4, 1], "uniform": [0, 1]}}, ["one distribution"]),
    ({"lr": {"loguniform": [1e-4, 1]}}, ["did you mean 'log_uniform'"]),
    ({"lr": {"log_uniform": [1, 1e-4]}}, ["empty", "low < high"]),
    ({"dropout": {"uniform": [0.3, 0.3]}}, ["empty"]),
    ({"lr": {"log_uniform": [0, 1]}}, ["log scale needs low > 0"]),
    ({"hidden": {"int_log_uniform": [-4, 8]}}, ["log scale needs low > 0"]),
    ({"momentum": {"one_minus_log_uniform": [0.9, 1.0]}}, ["[0, 1)"]),
    ({"epochs": {"int_uniform": [1.5, 8]}}, ["whole-number"]),
    ({"lr": {"uniform": [0, "1"]}}, ["finite numbers"]),
    ({"lr": {"uniform": [0]}}, ["[low, high]"]),
    ({"batch_size": {"choice": []}}, ["non-empty list"]),
    ({"batch_size": {"choice": [32, 32]}}, ["twice"]),
    ({"hidden": {"choice": [[64, 32]]}}, ['"128,64"']),
    ({}, ["no settings"]),
    ({"output_dir": {"choice": ["a", "b"]}}, ["unknown setting"]),
])
def test_each_mistake_is_one_line(entries, words):
    message = _error(entries)
    for word in words:
        assert word in message, message


def test_values_are_checked_against_the_config(base):
    message = _error({"dropout": {"uniform": [0.0, 1.5]}}, base)
    assert "dropout = 1.5" in message and "[0, 1)" in message
    message = _error({"momentum": {"one_minus_log_uniform": [0.9, 0.99]}}, base)
    assert "sgd" in message  # momentum belongs to sgd/rmsprop, the base optimizer is adam


def test_file_errors_name_the_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="space: file not found"):
        load_space(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("lr = {log_uniform = [1e-4,", encoding="utf-8")
    with pytest.raises(ParameterError, match="not valid TOML"):
        load_space(bad)
    bad.write_text("lr = {log_uniform = [0, 1]}", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"space .*bad.toml: lr: a log scale"):
        load_space(bad)


def _samples(space: Space, n: int) -> dict[str, np.ndarray]:
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0))
    drawn = []
    for _ in range(n):
        trial = study.ask()
        drawn.append(space.suggest(trial))
        study.tell(trial, 0.0)
    return {name: np.array([d[name] for d in drawn]) for name in space.names}


def _ks_uniform(values: np.ndarray, low: float, high: float) -> float:
    """Kolmogorov–Smirnov distance between ``values`` and U(low, high)."""
    x = np.sort((values - low) / (high - low))
    n = len(x)
    return float(max(np.max(np.arange(1, n + 1) / n - x), np.max(x - np.arange(n) / n)))


def test_log_uniform_spreads_evenly_over_decades():
    space = parse_space({"lr": {"log_uniform": [1e-4, 1.0]},
                         "dropout": {"uniform": [1e-4, 1.0]}})
    drawn = _samples(space, 2000)
    # log10 of a log-uniform sample is uniform on [-4, 0] (KS 1% critical value ≈ 0.036)
    assert _ks_uniform(np.log10(drawn["lr"]), -4, 0) < 0.036
    assert _ks_uniform(np.log10(drawn["dropout"]), -4, 0) > 0.3  # uniform is not
    per_decade = np.histogram(np.log10(drawn["lr"]), bins=[-4, -3, -2, -1, 0])[0] / 2000
    assert np.all(np.abs(per_decade - 0.25) < 0.04)
    assert np.mean(drawn["dropout"] > 0.1) > 0.85  # uniform: ~90 % in the top decade


def test_one_minus_beta_is_log_uniform():
    space = parse_space({"momentum": {"one_minus_log_uniform": [0.9, 0.999]}})
    beta = _samples(space, 2000)["momentum"]
    assert beta.min() >= 0.9 and beta.max() <= 0.999
    assert _ks_uniform(np.log10(1 - beta), -3, -1) < 0.036
    # as many β in [0.99, 0.999] as in [0.9, 0.99]: the region where results move most
    assert abs(np.mean(beta > 0.99) - 0.5) < 0.05


def test_grid_points_lie_on_the_scale():
    space = parse_space({"lr": {"log_uniform": [1e-4, 1.0]},
                         "momentum": {"one_minus_log_uniform": [0.9, 0.999]},
                         "epochs": {"int_uniform": [2, 10]}})
    lr, one_minus, epochs = (d.grid(5) for d in space)
    assert np.allclose(np.log10(lr), [-4, -3, -2, -1, 0])
    assert np.allclose(np.log10(one_minus), [-3, -2.5, -2, -1.5, -1])
    assert epochs == [2, 4, 6, 8, 10]
