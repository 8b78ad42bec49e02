"""Run, train, evaluate and build helpers used by the Makefile.

A package, so scripts import each other as ``scripts.<name>`` (the Makefile puts the repository root
on ``PYTHONPATH``); run one with ``python scripts/<name>.py`` or ``python -m scripts.<name>``.
"""
