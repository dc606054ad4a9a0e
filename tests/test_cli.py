"""The `corpus` command as a whole: every stage's commands, and a fast start."""

import inspect
import os
import subprocess
import sys

from cli import export
from cli import train as train_command
from exports import train
from exports.splits import DEFAULT_SEED


def test_help_lists_every_stage_command():
    result = subprocess.run([sys.executable, "-m", "cli", "--help"], capture_output=True, text=True,
                            env={**os.environ, "COLUMNS": "120", "NO_COLOR": "1"})
    assert result.returncode == 0
    for command in ("clean", "serve", "push", "status", "annotators", "pull", "agreement", "export", "train"):
        assert f" {command} " in result.stdout, command


def test_help_does_not_import_the_heavy_stages():
    code = "import sys, cli; print(sorted(m for m in ('spacy', 'datasets', 'label_studio_sdk', 'dask') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_the_cli_seed_default_is_the_exports_default():
    assert inspect.signature(export.export_).parameters["seed"].default == DEFAULT_SEED


def test_the_train_command_defaults_are_the_trainer_s():
    parameters = inspect.signature(train_command.train).parameters
    trainer = inspect.signature(train.train).parameters
    for name in ("seed", "max_epochs", "patience"):
        assert parameters[name].default == trainer[name].default, name
