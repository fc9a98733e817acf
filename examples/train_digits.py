"""Train an MLP on the bundled digits from a config file, then reload it and predict.

The same run as `make run` / `mlplab run` / `mlplab train --config
examples/config_digits.toml`, written out in Python with ``mlplab.runs``. Runs on a
fresh machine (scikit-learn ships the digits) in about half a minute:

    python examples/train_digits.py                  # writes runs/digits/
    python examples/train_digits.py --epochs 20      # a quicker, less accurate run
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from mlplab.runs import evaluate_model, load_config, load_trained, run_experiment
from mlplab.runs.data import Part

CONFIG = Path(__file__).with_name("config_digits.toml")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=None, help="override the config")
    parser.add_argument("--output-dir", default=None, help="override the config")
    args = parser.parse_args()

    # 1. Settings: the TOML file, with the command line's values on top.
    config = load_config(CONFIG, epochs=args.epochs, output_dir=args.output_dir)
    print(f"config {CONFIG.name}: hidden {config.hidden}, {config.optimizer} lr {config.lr}, "
          f"dropout {config.dropout}, patience {config.patience}")

    # 2. Split, preprocess on the training split only, train with early stopping, evaluate,
    #    and write model, history, plots and report into runs/<name>/.
    result = run_experiment(config)
    print(f"{result.architecture}: {result.epochs_run} epochs, best epoch {result.best_epoch}, "
          f"{result.seconds:.1f} s")
    for split, values in result.metrics.items():
        print(f"  {split:<5} loss {values['loss']:.4f}  accuracy {values['accuracy']:.4f}")
    print("bias/variance:", result.reading.text)
    print(result.report_text)

    # 3. The saved file alone reproduces the predictions, bit for bit.
    trained = load_trained(result.files["model"])
    proba = trained.predict_proba(Part(result.test_features, None))
    assert np.array_equal(proba, result.test_proba)
    print(f"reloaded {result.files['model']}: identical predictions on {len(proba)} images")

    # 4. `mlplab evaluate` in Python: the run's test split, rebuilt from the saved config.
    evaluation = evaluate_model(result.files["model"], "digits")
    print(f"evaluate: {evaluation.split} split, accuracy {evaluation.metrics['accuracy']:.4f}")
    print("files:", ", ".join(path.name for path in result.files.values()))


if __name__ == "__main__":
    main()
