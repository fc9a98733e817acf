"""The module system: registration, walking the tree, modes, dtype casts, state dicts,
repr, containers, summary and forward hooks."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import mlplab as ml
from mlplab import nn


class Block(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc = nn.Linear(3, 4, seed=0)
        self.norm = nn.BatchNorm1d(4)
        self.scale = nn.Parameter(np.ones(1, dtype=np.float32))
        self.register_buffer("steps", np.zeros(1))
        self.register_buffer("cache", np.zeros(2), persistent=False)
        self.alpha = 0.5  # a plain setting

    def forward(self, x):
        return self.norm(self.fc(x)) * self.scale


class Net(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.block = Block()
        self.head = nn.Sequential(nn.ReLU(), nn.Dropout(0.5), nn.Linear(4, 2, seed=1))

    def forward(self, x):
        return self.head(self.block(x))


def test_parameters_buffers_and_submodules_are_registered_by_assignment() -> None:
    net = Net()
    assert [n for n, _ in net.named_parameters()] == [
        "block.scale", "block.fc.weight", "block.fc.bias", "block.norm.weight",
        "block.norm.bias", "head.2.weight", "head.2.bias"]
    assert len(list(net.parameters())) == 7
    assert [n for n, _ in net.named_buffers()] == [
        "block.steps", "block.cache", "block.norm.running_mean", "block.norm.running_var",
        "block.norm.num_batches_tracked"]
    assert [n for n, _ in net.named_children()] == ["block", "head"]
    assert [n for n, _ in net.named_modules()] == [
        "", "block", "block.fc", "block.norm", "head", "head.0", "head.1", "head.2"]
    assert net.block.alpha == 0.5 and "alpha" not in net.block._parameters


def test_shared_parameters_are_listed_once() -> None:
    shared = nn.Linear(2, 2, seed=0)
    model = nn.Sequential(shared, nn.Tanh(), shared)
    assert len(list(model.parameters())) == 2
    assert len(list(model.modules())) == 3


def test_reassigning_and_deleting_attributes() -> None:
    block = Block()
    block.scale = None
    assert "scale" not in dict(block.named_parameters())
    with pytest.raises(TypeError, match="expected a Parameter or None"):
        block.scale = np.ones(1)
    block.fc = nn.Identity()
    assert "fc.weight" not in dict(block.named_parameters())
    del block.norm
    assert not hasattr(block, "norm")


def test_assigning_before_super_init_is_a_clear_error() -> None:
    class Bad(nn.Module):
        def __init__(self) -> None:
            self.w = nn.Parameter(np.ones(2))
            super().__init__()

    with pytest.raises(AttributeError, match=r"super\(\).__init__\(\) first"):
        Bad()


def test_train_eval_reach_every_submodule() -> None:
    net = Net()
    assert all(m.training for m in net.modules())
    net.eval()
    assert not any(m.training for m in net.modules())
    net.train()
    assert all(m.training for m in net.modules())


def test_zero_grad_sets_grads_to_none() -> None:
    net = Net()
    net(np.ones((3, 3))).sum().backward()
    assert all(p.grad is not None for p in net.parameters())
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())


def test_to_double_casts_parameters_and_buffers_in_place() -> None:
    net = Net()
    params = list(net.parameters())
    net(np.ones((3, 3))).sum().backward()
    assert net.double() is net
    assert [id(p) for p in net.parameters()] == [id(p) for p in params]  # same objects
    assert all(p.dtype == np.float64 and p.grad.dtype == np.float64 for p in params)
    assert net.block.norm.running_mean.dtype == np.float64
    assert net.block.norm.num_batches_tracked.dtype == np.int64  # integers stay integers
    net.float()
    assert all(p.dtype == np.float32 for p in params)
    with pytest.raises(TypeError, match="floating dtype"):
        net.to("int32")


@pytest.mark.parametrize("device", ["cuda", "cuda:0", "mps", "gpu", "CUDA", torch.device("cuda")])
def test_to_a_gpu_says_mlplab_runs_on_the_cpu_and_how_to_reach_a_gpu(device) -> None:
    net = Net()
    with pytest.raises(ValueError) as info:
        net.to(device)
    message = str(info.value)
    assert "\n" not in message and "cannot interpret" not in message
    assert "CPU only (NumPy)" in message and "export the model to PyTorch" in message
    with pytest.raises(ValueError, match="CPU only"):
        net.to(device=device)


def test_to_the_cpu_changes_nothing() -> None:
    net = Net()
    before = [p.data for p in net.parameters()]
    assert net.to("cpu") is net and net.to(torch.device("cpu")) is net
    assert net.to("float64", device="cpu") is net
    assert all(p.dtype == np.float64 for p in net.parameters())
    assert all(p.data is not b for p, b in zip(net.parameters(), before, strict=True))


def test_state_dict_holds_copies_of_parameters_and_persistent_buffers() -> None:
    net = Net()
    state = net.state_dict()
    assert "block.cache" not in state and "block.steps" in state
    assert "block.norm.num_batches_tracked" in state
    state["head.2.weight"][...] = 123.0
    assert not np.any(net.head[2].weight.data == 123.0)


def test_load_state_dict_round_trip_in_place() -> None:
    a, b = Net(), Net()
    b.reset_parameters(seed=99)
    a(np.random.default_rng(0).standard_normal((4, 3)))  # move a's running statistics
    weight = b.block.fc.weight
    result = b.load_state_dict(a.state_dict())
    assert result.missing_keys == [] and result.unexpected_keys == []
    assert b.block.fc.weight is weight
    for key, value in a.state_dict().items():
        np.testing.assert_array_equal(b.state_dict()[key], value, err_msg=key)


def test_load_state_dict_lists_every_problem_in_one_error() -> None:
    net = Net()
    state = net.state_dict()
    del state["head.2.bias"]
    state["extra.weight"] = np.zeros(3)
    state["block.fc.weight"] = np.zeros((5, 3))
    with pytest.raises(ValueError) as info:
        net.load_state_dict(state)
    message = str(info.value)
    assert "missing keys: 'head.2.bias'" in message
    assert "unexpected keys: 'extra.weight'" in message
    assert "'block.fc.weight' has shape (5, 3) in the state dict but (4, 3) in the model" in message


def test_load_state_dict_not_strict_reports_but_still_refuses_wrong_shapes() -> None:
    net = Net()
    state = net.state_dict()
    del state["head.2.bias"]
    result = net.load_state_dict(state, strict=False)
    assert result.missing_keys == ["head.2.bias"]
    state["head.2.weight"] = np.zeros((3, 3))
    with pytest.raises(ValueError, match="shape mismatch"):
        net.load_state_dict(state, strict=False)


def test_state_dict_names_load_into_pytorch() -> None:
    model = nn.Sequential(nn.Linear(3, 4, seed=0), nn.BatchNorm1d(4), nn.PReLU(),
                          nn.LayerNorm(4), nn.Linear(4, 2, seed=1))
    twin = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4), torch.nn.PReLU(),
                               torch.nn.LayerNorm(4), torch.nn.Linear(4, 2))
    twin.load_state_dict({k: torch.tensor(v) for k, v in model.state_dict().items()})
    assert list(model.state_dict()) == list(twin.state_dict())


def test_repr_reads_like_pytorch() -> None:
    model = nn.Sequential(nn.Linear(2, 3, seed=0), nn.LeakyReLU(0.2),
                          nn.Sequential(nn.Dropout(0.1), nn.Linear(3, 1, bias=False, seed=0)))
    assert repr(model) == (
        "Sequential(\n"
        "  (0): Linear(in_features=2, out_features=3, bias=True)\n"
        "  (1): LeakyReLU(negative_slope=0.2)\n"
        "  (2): Sequential(\n"
        "    (0): Dropout(p=0.1)\n"
        "    (1): Linear(in_features=3, out_features=1, bias=False)\n"
        "  )\n"
        ")")
    assert repr(nn.BatchNorm1d(3)) == (
        "BatchNorm1d(3, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)")
    assert repr(nn.LayerNorm(3)) == "LayerNorm((3,), eps=1e-05, elementwise_affine=True)"
    assert repr(nn.ReLU()) == "ReLU()"


def test_sequential_behaves_like_a_list_of_layers() -> None:
    a, b, c = nn.Linear(2, 3, seed=0), nn.ReLU(), nn.Linear(3, 1, seed=0)
    model = nn.Sequential(a, b)
    model.append(c)
    assert len(model) == 3 and model[0] is a and model[-1] is c
    assert list(model) == [a, b, c]
    head = model[:2]
    assert isinstance(head, nn.Sequential) and head[1] is b and head[0] is a
    x = np.ones((4, 2))
    np.testing.assert_array_equal(model(x).data, c(b(a(x))).data)
    del model[1]
    assert len(model) == 2 and model[1] is c
    model.insert(1, b)
    assert [type(m).__name__ for m in model] == ["Linear", "ReLU", "Linear"]
    assert nn.Sequential([a, b])[1] is b
    with pytest.raises(IndexError, match="out of range"):
        model[3]
    with pytest.raises(TypeError, match="expected a Module"):
        model.append(np.ones(2))


def test_module_list_registers_its_modules() -> None:
    layers = nn.ModuleList([nn.Linear(2, 2, seed=i) for i in range(3)])
    layers.append(nn.Linear(2, 1, seed=3))
    assert len(layers) == 4
    assert [n for n, _ in layers.named_parameters()][-2:] == ["3.weight", "3.bias"]
    assert isinstance(layers[1:], nn.ModuleList)


def test_summary_counts_parameters_and_shapes() -> None:
    model = nn.Sequential(nn.Linear(784, 512, seed=0), nn.BatchNorm1d(512), nn.ReLU(),
                          nn.Dropout(0.2), nn.Linear(512, 10, seed=0))
    twin = torch.nn.Sequential(torch.nn.Linear(784, 512), torch.nn.BatchNorm1d(512),
                               torch.nn.ReLU(), torch.nn.Dropout(0.2), torch.nn.Linear(512, 10))
    before = model.state_dict()
    text = nn.summary(model.train(), (784,))
    expected_total = sum(p.numel() for p in twin.parameters())
    assert expected_total == 784 * 512 + 512 + 2 * 512 + 512 * 10 + 10
    assert f"Total params: {expected_total:,}" in text
    assert "Linear (0)" in text and "(-1, 512)" in text and "(-1, 10)" in text
    assert f"{784 * 512 + 512:,}" in text
    assert model.training and model[3].training  # modes restored
    for key, value in model.state_dict().items():  # running statistics untouched
        np.testing.assert_array_equal(value, before[key], err_msg=key)


def test_forward_hooks_see_every_output_and_can_be_removed() -> None:
    model = nn.Sequential(nn.Linear(2, 3, seed=0), nn.Tanh())
    seen = []
    handle = model[1].register_forward_hook(lambda m, inputs, out: seen.append(out.shape))
    model(np.ones((5, 2)))
    handle.remove()
    model(np.ones((5, 2)))
    assert seen == [(5, 3)]


def test_reset_parameters_on_a_model_reaches_every_layer_and_keeps_identity() -> None:
    model = nn.Sequential(nn.Linear(3, 3), nn.Maxout(3, 2, 2), nn.Linear(2, 1))
    params = list(model.parameters())
    values = [p.data.copy() for p in params]
    model.reset_parameters(seed=0)
    assert all(p is q for p, q in zip(params, model.parameters(), strict=True))
    assert all(not np.array_equal(p.data, v) for p, v in zip(params, values, strict=True))


def test_requires_grad_toggle() -> None:
    model = nn.Linear(2, 2).requires_grad_(False)
    out = model(ml.tensor(np.ones((1, 2))))
    assert not out.requires_grad


def test_an_optimizer_built_before_double_keeps_training_the_model() -> None:
    model = nn.Sequential(nn.Linear(3, 2, seed=0))
    optimizer = ml.optim.SGD(model.parameters(), lr=0.1)
    model.double()
    before = model[0].weight.data.copy()
    model(np.ones((4, 3))).sum().backward()
    optimizer.step()
    assert model[0].weight.dtype == np.float64
    np.testing.assert_allclose(model[0].weight.data, before - 0.1 * 4.0, rtol=1e-12)


def test_deepcopy_gives_an_independent_model() -> None:
    import copy

    model = nn.Sequential(nn.Linear(2, 3, seed=0), nn.BatchNorm1d(3))
    clone = copy.deepcopy(model)
    clone[0].weight.data[...] = 0.0
    assert not np.all(model[0].weight.data == 0.0)
    assert clone.state_dict().keys() == model.state_dict().keys()
