"""``load_trained(path).predict_proba(...)`` takes what a user has: an array, a list of rows, a
dict of columns or a pandas-like DataFrame, with the saved preprocessing applied."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from mlplab.runs import load_trained, make_config, predict_file, run_experiment
from mlplab.runs.preprocess import InputRangeWarning


class FrameLike:
    """The two things TrainedModel reads from a pandas DataFrame: columns and [column]."""

    def __init__(self, columns: dict[str, list]) -> None:
        self._columns = columns
        self.columns = list(columns)

    def __getitem__(self, name):
        return _Series(self._columns[name])

    def to_numpy(self):
        return np.column_stack([np.asarray(v) for v in self._columns.values()])


class _Series:
    def __init__(self, values):
        self.values = values

    def astype(self, kind):
        return _Series([kind(v) for v in self.values])

    def to_numpy(self):
        return np.asarray(self.values)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    out = tmp_path_factory.mktemp("runs")
    table = out / "people.csv"
    rows = [f"{20 + i % 40},{'ny' if i % 3 else 'sf'},{'yes' if (i % 40) > 20 else 'no'}"
            for i in range(120)]
    table.write_text("age,city,label\n" + "\n".join(rows) + "\n", encoding="utf-8")
    numbers = run_experiment(make_config(data="synthetic:gaussians,n=300", hidden=[4],
                                         epochs=3, output_dir=str(out)))
    people = run_experiment(make_config(data=f"csv:{table}", hidden=[4], epochs=3,
                                        output_dir=str(out)))
    return numbers, people, table


def test_an_array_and_a_list_of_rows_give_the_runs_own_probabilities(runs):
    numbers, _, _ = runs
    trained = load_trained(numbers.files["model"])
    X = numbers.test_features
    np.testing.assert_array_equal(trained.predict_proba(X), numbers.test_proba)
    np.testing.assert_array_equal(trained.predict_proba(X.tolist()), numbers.test_proba)
    np.testing.assert_array_equal(trained.predict(X), numbers.test_predictions)


def test_a_table_as_dict_or_dataframe_matches_predicting_the_csv_file(runs, tmp_path):
    _, people, table = runs
    trained = load_trained(people.files["model"])
    from_file = predict_file(people.files["model"], table).proba
    columns = {"age": [str(20 + i % 40) for i in range(120)],
               "city": ["ny" if i % 3 else "sf" for i in range(120)]}
    np.testing.assert_array_equal(trained.predict_proba(columns), from_file)
    frame = FrameLike({"age": [20 + i % 40 for i in range(120)], "city": columns["city"]})
    np.testing.assert_array_equal(trained.predict_proba(frame), from_file)


def test_the_training_input_range_is_saved_and_far_inputs_warn_once(runs):
    numbers, _, _ = runs
    trained = load_trained(numbers.files["model"])
    low, high = trained.preprocessor.input_range
    X = numbers.test_features
    assert low <= X.min() and X.max() <= high + (high - low)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        trained.predict_proba(X)  # inside: no warning
        trained.predict_proba(X * 100)
        trained.predict_proba(X * 100)
    ranges = [w for w in caught if issubclass(w.category, InputRangeWarning)]
    assert len(ranges) == 1 and "scaled the same way" in str(ranges[0].message)
