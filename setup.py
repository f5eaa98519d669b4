"""Packaging glue: ships the top-level site_template/ folder inside the package as helpgen.site_template."""
from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["helpgen*"]) + ["helpgen.site_template"],
    package_dir={"helpgen.site_template": "site_template"},
)
