""""Copy as Python": an mlplab program that repeats the playground's run.

The snippet builds the same data (data seed), the same network (init seed) and the same
optimizer from the config, then writes the training loop out step by step. Run for N
epochs it ends with the weights the playground shows after N epochs, bit for bit, as
long as the run had no hand edits (edited weights, added points, a single mini-batch
step or a learning rate changed mid-run).
"""

from __future__ import annotations

from mlplab.playground.config import PlaygroundConfig
from mlplab.playground.url_state import to_url_hash

_TEMPLATE = '''"""An mlplab playground run: #{hash}

Trains the playground's network for EPOCHS epochs, as the playground does.
"""
import numpy as np

import mlplab as ml
from mlplab.playground import model_builder as mb
from mlplab.playground.config import make_config
from mlplab.playground.datasets import make_data
from mlplab.playground.run_state import order_generator

EPOCHS = {epochs}
config = make_config({values})
data = make_data(config)  # points drawn from the data seed, shuffled once, split
names = config.features()  # input features: {features}
scaling = mb.feature_scaling(data.train_x, names) if config.standardize else None
X = mb.feature_matrix(data.train_x, names, scaling)
T = mb.targets(config, data.train_y)  # what the loss compares the output with

model = mb.build_model(config)  # weights drawn from the init seed
{model_comment}
optimizer = mb.build_optimizer(config, model, mb.steps_per_epoch(config, len(X)))
loss_fn = mb.make_loss(config)  # {loss}
dead = [None] * len(mb.weight_layers(model))  # links killed by TF-style L1
order_rng = order_generator(config)
batch = config.batch_size or len(X)

for epoch in range(EPOCHS):
    order = order_rng.permutation(len(X)) if config.reshuffle else np.arange(len(X))
    for start in range(0, len(X), batch):
        index = order[start:start + batch]
        model.train()
        optimizer.zero_grad()
        loss = loss_fn(model(ml.tensor(X[index])), ml.tensor(T[index]))
        loss.backward()
        if config.clip > 0:
            ml.nn.utils.clip_grad_norm_(model.parameters(), config.clip)
        lr = optimizer.param_groups[0]["lr"]
        lr = float(lr(optimizer.step_count) if callable(lr) else lr)
        terms = mb.penalty_terms(config, model)  # L1/L2 derivative at the old weights
        optimizer.step()
        mb.regularize(config, model, lr, dead, terms)  # L1/L2 step after the gradient step

print("training loss of the last batch:", float(loss.item()))
'''


def python_snippet(config: PlaygroundConfig, epochs: int) -> str:
    """The program text for ``config`` trained ``epochs`` epochs."""
    from mlplab.playground.model_builder import build_model

    defaults = PlaygroundConfig()
    values = {name: getattr(config, name) for name in PlaygroundConfig.model_fields
              if getattr(config, name) != getattr(defaults, name) and name not in
              ("show_test_data", "discretize", "hide")}
    model_comment = "\n".join("# " + line for line in repr(build_model(config)).splitlines())
    return _TEMPLATE.format(hash=to_url_hash(config), epochs=epochs, values=repr(values),
                            features=", ".join(config.features()),
                            model_comment=model_comment, loss=config.resolved_loss())
