"""Packages: every ``scanner`` sub-package, found by itself, and the top-level ``rules/`` (the default rule
set, where users read it) installed as ``scanner/rules``. The rest of the metadata is in pyproject.toml."""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["scanner", "scanner.*"]), "scanner.rules"],
    package_dir={"scanner.rules": "rules"},
)
