"""Which epochs a ``fit`` call trains: Keras's rule, with the count kept across calls.

``epochs`` is the index of the final epoch, counting every epoch this Trainer has
done (Keras: "the model is not trained for a number of iterations given by
``epochs``, but merely until the epoch of index ``epochs`` is reached"). A call
trains the epochs ``start, …, epochs − 1`` (0-based) where ``start`` is
``initial_epoch`` if given, else ``trainer.epochs_done``. So a second
``fit(epochs=3)`` after three epochs has nothing to train: that is an error, not
a silent no-op; ``fit(epochs=6)`` trains three more.

``initial_epoch`` may skip ahead (weights trained elsewhere, Keras-style) but not go
back: the History and ``epochs_done`` always describe the same epochs. ``epochs=0``
asks for no training in so many words (e.g. to evaluate the initial weights), so it
trains nothing without complaint.
"""

from __future__ import annotations

from mlplab.checks import NON_NEGATIVE_INT, ParameterError, check


def epochs_to_train(epochs: int, initial_epoch: int | None, epochs_done: int) -> range:
    """The 0-based epochs a ``fit(epochs, initial_epoch=...)`` call trains; empty only
    for ``epochs=0``."""
    if epochs == 0:
        return range(0)
    if initial_epoch is None:
        start = epochs_done
    else:
        start = int(check("Trainer.fit", "initial_epoch", initial_epoch, NON_NEGATIVE_INT))
        if start < epochs_done:
            raise ParameterError(
                f"Trainer.fit: initial_epoch={start} goes back before the {epochs_done} "
                f"epochs already done (the History keeps them); leave initial_epoch out to "
                f"continue, or build a new Trainer to count from 0")
    if start >= epochs:
        reason = (f"{epochs_done} epochs are already done" if initial_epoch is None
                  else f"initial_epoch={start}")
        raise ParameterError(
            f"Trainer.fit: nothing to train: epochs={epochs} is the last epoch to reach, "
            f"counted from the first fit as in Keras, and {reason}; e.g. "
            f"epochs={start + epochs} trains {epochs} more")
    return range(start, epochs)
