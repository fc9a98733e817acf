"""The task registry: tasks register by name; runs reaches text only through a module name."""

from __future__ import annotations

import subprocess
import sys

import pytest

from mlplab.runs import make_config, run_experiment
from mlplab.runs.classify import ClassifyTask
from mlplab.runs.tasks import TASK_MODULES, TASKS, get_task, register_task


def test_runs_loads_the_text_task_by_name_only_when_asked():
    code = ("import sys; import mlplab.runs.experiment, mlplab.runs.config; "
            "assert not any(m.startswith('mlplab.text') for m in sys.modules), 'text loaded'; "
            "from mlplab.runs.tasks import get_task; task = get_task('text'); "
            "assert task.name == 'text' and 'mlplab.text.task' in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)
    assert TASK_MODULES["text"] == "mlplab.text.task"


def test_the_runs_models_module_needs_no_pydantic():
    code = ("import sys; sys.modules['pydantic'] = None; "  # importing pydantic now fails
            "from mlplab.text import TextClassifier; from mlplab.runs.models import build_mlp; "
            "build_mlp(3, 2, [4], seed=0)")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_new_task_registers_itself_and_runs(tmp_path):
    class TwiceSplit(ClassifyTask):
        """Classify, with the dev split taken twice as large (a task's own resolve hook)."""

        name = "classify_big_dev"

        def resolve(self, config):
            config = super().resolve(config)
            return config.model_copy(update={"validation_split": 2 * config.validation_split})

    register_task(TwiceSplit())
    try:
        assert get_task("classify_big_dev").name == "classify_big_dev"
        result = run_experiment(make_config(task="classify_big_dev", data="synthetic:xor,n=100",
                                            hidden=[4], epochs=1, output_dir=str(tmp_path)))
        assert result.config.validation_split == 0.2 and result.sizes["dev"] == 20
    finally:
        del TASKS["classify_big_dev"]
    with pytest.raises(ValueError, match="unknown task 'classify_big_dev'"):
        get_task("classify_big_dev")
