"""``mlplab export onnx|torch MODEL --out FILE``: a saved model for other runtimes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

EXPORT_HELP = """Export a saved model for serving (ONNX) or for PyTorch.

\b
Examples:
  mlplab export onnx runs/digits --out digits.onnx
  mlplab export torch runs/digits/model.safetensors --out digits.pt
"""

MODEL_HELP = "A model file (e.g. runs/digits/model.safetensors) or a run folder."


def register(app: typer.Typer) -> None:
    from mlplab.cli import HelpGroup

    export_app = typer.Typer(name="export", cls=HelpGroup, help=EXPORT_HELP,
                             no_args_is_help=True, rich_markup_mode=None,
                             add_completion=False)

    @export_app.command("onnx")
    def onnx_command(
        model: Annotated[Path, typer.Argument(help=MODEL_HELP)],
        out: Annotated[Path, typer.Option(metavar="FILE", help="The .onnx file to write.")],
        opset: Annotated[int | None, typer.Option(
            metavar="N", help="ONNX opset, 13 to 21 [default: 17].")] = None,
        preprocessing: Annotated[bool, typer.Option(
            help="Fold the run's fitted Standardizer in as the first nodes.")] = True,
    ) -> None:
        """Write the network (with its input standardization and class names) as ONNX."""
        from mlplab.export import to_onnx

        written = to_onnx(model, out, opset=opset, preprocessing=preprocessing)
        typer.echo(f"wrote {written} (input 'input', output 'output': raw outputs; "
                   "onnxruntime runs it)")

    @export_app.command("torch")
    def torch_command(
        model: Annotated[Path, typer.Argument(help=MODEL_HELP)],
        out: Annotated[Path, typer.Option(metavar="FILE", help="The .pt file to write.")],
    ) -> None:
        """Write the network's PyTorch state_dict and architecture (torch.save)."""
        from mlplab.export import save_torch

        written = save_torch(model, out)
        typer.echo(f"wrote {written} (keys 'state_dict' and 'architecture'; read it with "
                   "torch.load)")

    app.add_typer(export_app, name="export")
