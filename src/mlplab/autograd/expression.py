"""A safe little expression language for the CLI: "x*(x+y)" → mlplab tensors.

The text is parsed with Python's ``ast`` and walked under a whitelist; it is
never passed to ``eval``. Allowed: numbers, variable names, ``+ - * / **``,
unary ``-``/``+``, parentheses, and calls to the functions in ``FUNCTIONS``.
Anything else (attributes, subscripts, strings, lambdas, keywords, …) is refused
with a one-line ``ValueError`` that names the construct and lists what is allowed.

>>> import mlplab as ml
>>> expr = parse("x*(x+y)")
>>> expr.variables
('x', 'y')
>>> float(expr(x=ml.tensor(2.0), y=ml.tensor(1.0)))
6.0
"""

from __future__ import annotations

import ast
import difflib
import math
from collections.abc import Callable, Mapping
from typing import Any

from mlplab.autograd import ops
from mlplab.autograd.tensor import Tensor
from mlplab.backend import get_default_dtype, xp

MAX_LENGTH = 2000  # longer input is refused before parsing (the parser recurses)

FUNCTIONS: dict[str, tuple[int, Callable[..., Tensor]]] = {
    "exp": (1, ops.exp),
    "log": (1, ops.log),
    "sqrt": (1, ops.sqrt),
    "abs": (1, ops.abs),
    "relu": (1, ops.relu),
    "sigmoid": (1, ops.sigmoid),
    "tanh": (1, ops.tanh),
    "max": (2, ops.maximum),
    "maximum": (2, ops.maximum),
    "min": (2, ops.minimum),
    "minimum": (2, ops.minimum),
}
"""Callable names → (number of arguments, primitive). max/min are elementwise of two."""

_BINARY: dict[type, Callable[[Any, Any], Tensor]] = {
    ast.Add: ops.add,
    ast.Sub: ops.sub,
    ast.Mult: ops.mul,
    ast.Div: ops.div,
    ast.Pow: ops.power,
}
_REFUSED_SYMBOL = {ast.MatMult: "@", ast.FloorDiv: "//", ast.Mod: "%", ast.LShift: "<<",
                   ast.RShift: ">>", ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^",
                   ast.Invert: "~", ast.Not: "not"}

ALLOWED = ("numbers, variable names, + - * / **, unary -, parentheses, and calls to "
           + ", ".join(FUNCTIONS))


def _quote(source: str, limit: int = 60) -> str:
    """The expression for an error message, shortened so the message stays one line."""
    return repr(source if len(source) <= limit else source[: limit - 1] + "…")


def _refuse(source: str, what: str) -> ValueError:
    return ValueError(f"expression {_quote(source)}: {what} is not allowed; allowed: {ALLOWED}")


def _operator(node: ast.UnaryOp | ast.BinOp) -> str:
    symbol = _REFUSED_SYMBOL.get(type(node.op), type(node.op).__name__)
    return f"the operator {symbol} in {_quote(ast.unparse(node))}"


def _describe(node: ast.AST) -> str:
    """Name a refused construct the way a user would recognise it."""
    kinds = {
        ast.Attribute: "attribute access", ast.Subscript: "indexing", ast.Lambda: "lambda",
        ast.Compare: "comparison", ast.BoolOp: "and/or", ast.IfExp: "if-else",
        ast.List: "a list", ast.Tuple: "a tuple", ast.Dict: "a dict", ast.Set: "a set",
        ast.NamedExpr: "assignment (:=)", ast.JoinedStr: "an f-string", ast.Starred: "*args",
    }
    kind = next((label for cls, label in kinds.items() if isinstance(node, cls)),
                type(node).__name__)
    try:
        return f"{kind} ({ast.unparse(node)})"
    except Exception:  # unparse is cosmetic; never let it hide the refusal
        return kind


class Expression:
    """A parsed, checked expression. Call it with tensors for its variables.

    Attributes:
        source: the text as given.
        variables: the variable names, in order of first appearance.
    """

    def __init__(self, source: str, tree: ast.Expression, variables: tuple[str, ...]) -> None:
        self.source = source
        self._tree = tree
        self.variables = variables

    def __repr__(self) -> str:
        return f"Expression({self.source!r})"

    def __call__(self, /, **values: Any) -> Tensor:
        """Evaluate with ``values`` (tensors or numbers) for the variables."""
        return self.evaluate(values)

    def evaluate(self, values: Mapping[str, Any], *, name_nodes: bool = True) -> Tensor:
        """Evaluate with ``values`` (tensors or numbers) for the variables.

        Numbers in the text become constant tensors of the variables' float dtype
        (so float64 inputs are not rounded through float32 constants). With
        ``name_nodes`` each intermediate tensor is named after its sub-expression
        ("x + y"), which ``ml.graph.to_dot`` shows in the drawing.
        """
        missing = [v for v in self.variables if v not in values]
        if missing:
            raise ValueError(f"expression {_quote(self.source)}: no value for "
                             f"{', '.join(missing)}; give one for every variable")
        floats = [xp.asarray(v.data if isinstance(v, Tensor) else v).dtype for v in values.values()]
        floats = [d for d in floats if d.kind == "f"]
        dtype = xp.result_type(*floats) if floats else get_default_dtype()
        try:
            result = self._eval(self._tree.body, values, dtype, name_nodes)
        except RecursionError:
            raise ValueError(f"expression {_quote(self.source)}: nested too deeply") from None
        return result if isinstance(result, Tensor) else Tensor(result, dtype=dtype)

    def _eval(self, node: ast.AST, values: Mapping[str, Any], dtype: Any,
              name_nodes: bool) -> Any:
        if isinstance(node, ast.Constant):
            return Tensor(xp.asarray(node.value, dtype=dtype))
        if isinstance(node, ast.Name):
            return values[node.id]
        if isinstance(node, ast.UnaryOp):
            operand = self._eval(node.operand, values, dtype, name_nodes)
            out = ops.neg(operand) if isinstance(node.op, ast.USub) else operand
        elif isinstance(node, ast.BinOp):
            left = self._eval(node.left, values, dtype, name_nodes)
            right = self._eval(node.right, values, dtype, name_nodes)
            out = _BINARY[type(node.op)](left, right)
        else:  # ast.Call, checked by parse()
            args = [self._eval(a, values, dtype, name_nodes) for a in node.args]
            out = FUNCTIONS[node.func.id][1](*args)
        if name_nodes and isinstance(out, Tensor) and out._prim is not None and out.name is None:
            out.name = ast.unparse(node)
        return out


def parse(source: str) -> Expression:
    """Parse and check ``source``; raise ``ValueError`` naming anything outside the whitelist."""
    if not isinstance(source, str):
        raise TypeError(f"expression: expected a string, got {type(source).__name__}")
    if not source.strip():
        raise ValueError(f"expression is empty; write something like 'x*(x+y)' using {ALLOWED}")
    if len(source) > MAX_LENGTH:
        raise ValueError(f"expression is {len(source)} characters long; the limit is "
                         f"{MAX_LENGTH}")
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as err:
        raise ValueError(f"expression {_quote(source)}: invalid syntax at column {err.offset} "
                         f"({err.msg}); allowed: {ALLOWED}") from None
    except (RecursionError, MemoryError):
        raise ValueError(f"expression {_quote(source)}: nested too deeply") from None
    variables: list[str] = []
    _check(tree.body, source, variables)
    return Expression(source, tree, tuple(variables))


def _check(node: ast.AST, source: str, variables: list[str]) -> None:
    """Allow only whitelisted node kinds; collect variable names left to right.

    Iterative pre-order walk (left operand before right), so it has no recursion limit.
    """
    stack = [node]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, int | float):
                raise _refuse(source, f"the constant {node.value!r}")
            if not math.isfinite(float(node.value)):
                raise ValueError(f"expression {_quote(source)}: a number overflows to "
                                 f"{node.value}; use values within ±1e308")
        elif isinstance(node, ast.Name):
            if node.id in FUNCTIONS:
                raise ValueError(f"expression {_quote(source)}: {node.id} is a function; call it, "
                                 f"e.g. {node.id}(x)")
            if node.id.startswith("_"):
                raise _refuse(source, f"the name {node.id!r} (names starting with _)")
            if node.id not in variables:
                variables.append(node.id)
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, ast.USub | ast.UAdd):
                raise _refuse(source, _operator(node))
            stack.append(node.operand)
        elif isinstance(node, ast.BinOp):
            if type(node.op) not in _BINARY:
                raise _refuse(source, _operator(node))
            stack += [node.right, node.left]
        elif isinstance(node, ast.Call):
            _check_call(node, source)
            stack += reversed(node.args)
        else:
            raise _refuse(source, _describe(node))


def _check_call(node: ast.Call, source: str) -> None:
    if not isinstance(node.func, ast.Name):
        raise _refuse(source, f"calling {ast.unparse(node.func)!r}")
    name = node.func.id
    if name not in FUNCTIONS:
        close = difflib.get_close_matches(name, FUNCTIONS, n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise _refuse(source, f"the function {name!r}{hint}")
    if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
        raise _refuse(source, f"keyword or * arguments in {ast.unparse(node)!r}")
    arity = FUNCTIONS[name][0]
    if len(node.args) != arity:
        raise ValueError(f"expression {_quote(source)}: {name} takes {arity} argument"
                         f"{'s' if arity > 1 else ''}, got {len(node.args)} in "
                         f"{ast.unparse(node)!r}")


def evaluate(source: str, **values: Any) -> Tensor:
    """Parse ``source`` and evaluate it with ``values`` for its variables."""
    return parse(source)(**values)
