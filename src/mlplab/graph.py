"""``ml.graph``: draw the recorded computational graph (see ``mlplab.autograd.graph``).

>>> import mlplab as ml
>>> x = ml.tensor(2.0, requires_grad=True, name="x")
>>> ml.graph.to_dot(x * x).startswith("digraph")
True
"""

from mlplab.autograd.graph import format_array, nodes, op_label, retain_grads, to_dot

__all__ = ["format_array", "nodes", "op_label", "retain_grads", "to_dot"]
