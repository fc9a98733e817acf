"""Tests of mlplab.autograd: the notes' examples, gradcheck, torch parity, forward mode, CLI."""
