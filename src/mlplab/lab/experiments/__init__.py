"""The lab's experiments: one module per claim, each with ``CLAIM`` and ``run(lab)``.

The catalog (:mod:`mlplab.lab.catalog`) imports every module here and lists those that
define both; see :mod:`mlplab.lab.claim` for the contract.
"""
