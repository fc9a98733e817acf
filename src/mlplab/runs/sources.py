"""Data sources of a run, as written in a config: ``digits``, ``mnist:PATH``,
``csv:PATH,target=COL``, ``synthetic:moons,n=500``, ``parquet:PATH,target=COL``,
``npy:FOLDER``… (see ``mlplab.runs.config``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from mlplab.checks import did_you_mean

__all__ = ["DATA_KINDS", "STREAM_KINDS", "SYNTHETIC_SETS", "DataSpec", "parse_data_spec"]

SYNTHETIC_SETS = ("xor", "or_gate", "and_gate", "circles", "moons", "spirals", "gaussians")
DATA_KINDS = ("digits", "mnist", "fashion-mnist", "csv", "synthetic", "tsv", "jsonl", "npy",
              "parquet")
STREAM_KINDS = ("npy", "parquet", "csv")
"""Sources a run can read chunk by chunk (``stream``): files larger than memory."""
_PATH_KINDS = ("csv", "tsv", "jsonl", "npy", "parquet")  # a path is required
_OPTION_EXAMPLES = {"target": "label", "drop": "id", "n": "500", "noise": "0.2"}


@dataclass(frozen=True)
class DataSpec:
    """A parsed ``data`` string: ``kind[:path_or_name][,key=value...]``."""

    kind: str
    path: str | None = None  # file or folder (csv, tsv, jsonl, npy, parquet, mnist, …)
    name: str | None = None  # synthetic set name
    options: dict[str, str] = field(default_factory=dict)

    @property
    def dropped(self) -> list[str]:
        """The CSV columns ``drop=COL`` (repeatable) leaves out of the features."""
        return [c for c in self.options.get("drop", "").split(";") if c]

    @property
    def image_shape(self) -> tuple[int, int] | None:
        return {"digits": (8, 8), "mnist": (28, 28), "fashion-mnist": (28, 28)}.get(self.kind)

    @property
    def default_name(self) -> str:
        """A folder name for the run: 'digits', 'mnist', the CSV file's stem, 'synthetic-moons'."""
        if self.kind == "synthetic":
            return f"synthetic-{self.name}"
        if self.kind in _PATH_KINDS and self.path:
            return Path(self.path).stem or self.kind
        return self.kind


def _split_options(rest: str, spec: str) -> tuple[str, dict[str, str]]:
    """'data.csv,target=y,drop=id' → ('data.csv', {'target': 'y', 'drop': 'id'}): options are
    trailing ",key=value" parts; a comma inside a path stays part of the path."""
    parts = rest.split(",")
    options: dict[str, str] = {}
    while len(parts) > 1 and "=" in parts[-1]:
        key, _, value = parts.pop().partition("=")
        key, value = key.strip(), value.strip()
        if not value:
            raise ValueError(f"data: the option {key}= in {spec!r} has no value; e.g. "
                             f"{key}={_OPTION_EXAMPLES.get(key, 'VALUE')}")
        if key == "drop" and "drop" in options:  # drop=a,drop=b: several columns
            value = f"{value};{options['drop']}"
        options[key] = value
    return ",".join(parts).strip(), options


def parse_data_spec(spec: str) -> DataSpec:
    """Parse ``digits``, ``mnist:PATH``, ``csv:PATH,target=COL``, ``synthetic:moons,n=500``…

    A CSV source may also leave columns out: ``csv:PATH,target=y,drop=id,drop=name``.

    >>> parse_data_spec("csv:data/iris.csv,target=species")
    DataSpec(kind='csv', path='data/iris.csv', name=None, options={'target': 'species'})
    """
    if not isinstance(spec, str) or not spec.strip():
        raise ValueError("data must be a data source such as 'digits', 'csv:PATH' or "
                         f"'synthetic:moons', got {spec!r}")
    kind, _, rest = spec.strip().partition(":")
    kind = kind.lower().replace("_", "-")
    if kind not in DATA_KINDS:
        raise ValueError(f"data: unknown data source {kind!r}{did_you_mean(kind, DATA_KINDS)}; "
                         "valid: digits, mnist[:PATH], fashion-mnist[:PATH], "
                         "csv:PATH[,target=COL][,drop=COL], synthetic:NAME, tsv:PATH, jsonl:PATH"
                         ", parquet:PATH[,target=COL][,drop=COL], npy:PATH")
    head, options = _split_options(rest, spec)
    allowed = {"csv": {"target", "drop"}, "parquet": {"target", "drop"},
               "synthetic": {"n", "noise"}, "tsv": None, "jsonl": None}
    valid = allowed.get(kind, set())
    if valid is not None:
        unknown = sorted(set(options) - valid)
        if unknown:
            hint = f"; valid for {kind}: {', '.join(sorted(valid))}" if valid else (
                f"; {kind} takes no options")
            raise ValueError(f"data: unknown option {unknown[0]!r} in {spec!r}"
                             f"{did_you_mean(unknown[0], valid or ())}{hint}")
    if kind == "digits":
        if head:
            raise ValueError(f"data: 'digits' takes no path (it ships with scikit-learn), got "
                             f"{spec!r}; write data=\"digits\"")
        return DataSpec(kind)
    if kind == "synthetic":
        name = head.lower().replace("-", "_")
        if name not in SYNTHETIC_SETS:
            raise ValueError(f"data: unknown synthetic set {head!r}"
                             f"{did_you_mean(name, SYNTHETIC_SETS)}; valid: "
                             f"{', '.join(SYNTHETIC_SETS)} (e.g. 'synthetic:moons')")
        for key, kind_ in (("n", int), ("noise", float)):
            if key in options:
                try:
                    value = kind_(options[key])
                except ValueError:
                    raise ValueError(f"data: synthetic option {key}={options[key]!r} is not "
                                     f"a {kind_.__name__}") from None
                if value < (1 if key == "n" else 0):
                    raise ValueError(f"data: synthetic option {key} must be "
                                     f"{'>= 1' if key == 'n' else '>= 0'}, got {options[key]}")
        return DataSpec(kind, name=name, options=options)
    if kind in _PATH_KINDS and not head:
        raise ValueError(f"data: '{kind}' needs a file: write '{kind}:PATH' (e.g. "
                         f"'{kind}:data.{kind}')")
    return DataSpec(kind, path=head or None, options=options)


