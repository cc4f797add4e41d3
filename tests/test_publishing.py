"""docs/publiceren.md: the GitLab and GitHub pipelines run, command for command, on a clean checkout.

The pipelines are the YAML blocks of the recipe that start with a comment
naming their file (``# .gitlab-ci.yml``, ``# .github/workflows/...``),
parsed with PyYAML: the ``script:`` lines of GitLab's ``pages`` job and the
``run:`` steps of the GitHub workflow. They run with bash in a ``git
clone`` of this repository (its root is an archive: mkdocs.yml and
entries/), with the job's variables set. The one thing not run as written is
``pip install "$KENNISBANK_PAKKET"``: the test uses the kennisbank already
installed in this venv (its bin/ first on PATH) instead of installing from a
package index, which the test run must not reach.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO

RECIPE = REPO / "docs" / "publiceren.md"
VENV_BIN = Path(sys.executable).parent


def pipelines() -> dict[str, dict]:
    """File name (from the block's first comment) to its parsed YAML, for each YAML block of the recipe."""
    found = {}
    for block in re.findall(r"```yaml\n(.*?)```", RECIPE.read_text(encoding="utf-8"), flags=re.DOTALL):
        first = block.splitlines()[0]
        assert first.startswith("# "), f"a pipeline block starts with a comment naming its file: {first!r}"
        found[first[2:].strip()] = yaml.safe_load(block)
    return found


def gitlab_job() -> tuple[list[str], dict[str, str]]:
    job = pipelines()[".gitlab-ci.yml"]["pages"]
    return job["script"], job.get("variables", {})


def github_steps() -> tuple[list[str], dict[str, str]]:
    workflow = pipelines()[".github/workflows/publiceren.yml"]
    commands, variables = [], {}
    for job in workflow["jobs"].values():
        variables.update(job.get("env", {}))
        for step in job.get("steps", []):
            variables.update(step.get("env", {}))
            if "run" in step:
                commands.extend(line for line in step["run"].splitlines() if line.strip())
    return commands, variables


def installs_kennisbank(command: str) -> bool:
    return command.startswith("pip install") and "KENNISBANK_PAKKET" in command


def run_pipeline(commands: list[str], variables: dict[str, str], checkout: Path) -> None:
    env = {**os.environ, **{key: str(value) for key, value in variables.items()},
           "PATH": f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}"}
    for command in commands:
        if installs_kennisbank(command):
            continue
        done = subprocess.run(["bash", "-euo", "pipefail", "-c", command], cwd=checkout, env=env,
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"{command}:\n{done.stdout}\n{done.stderr}"


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A clean clone of this repository: only what is committed, no site/ and no cache."""
    target = tmp_path / "archief"
    subprocess.run(["git", "-c", "safe.directory=*", "clone", "--quiet", str(REPO), str(target)],
                   check=True, capture_output=True, timeout=300)
    assert not (target / "site").exists()
    return target


def test_recipe_has_both_pipelines() -> None:
    script, variables = gitlab_job()
    assert any(installs_kennisbank(line) for line in script) and "KENNISBANK_PAKKET" in variables
    assert "kennisbank build" in script
    steps, variables = github_steps()
    assert any(installs_kennisbank(line) for line in steps) and "KENNISBANK_PAKKET" in variables
    assert "kennisbank build" in steps
    workflow = pipelines()[".github/workflows/publiceren.yml"]
    uses = [step.get("uses", "") for job in workflow["jobs"].values() for step in job["steps"]]
    assert any(use.startswith("actions/upload-pages-artifact@") for use in uses)
    assert any(use.startswith("actions/deploy-pages@") for use in uses)
    [upload] = [step for job in workflow["jobs"].values() for step in job["steps"]
                if step.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert upload["with"]["path"] == "site"


def test_gitlab_pipeline_publishes_public(checkout: Path) -> None:
    script, variables = gitlab_job()
    run_pipeline(script, variables, checkout)
    assert (checkout / "public" / "index.html").is_file()
    assert (checkout / "public" / "pagefind" / "pagefind.js").is_file()
    assert not (checkout / "site").exists()
    assert pipelines()[".gitlab-ci.yml"]["pages"]["artifacts"]["paths"] == ["public"]


def test_github_workflow_builds_site(checkout: Path) -> None:
    steps, variables = github_steps()
    run_pipeline(steps, variables, checkout)
    assert (checkout / "site" / "index.html").is_file()
    assert (checkout / "site" / "pagefind" / "pagefind.js").is_file()
