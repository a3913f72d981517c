"""The GitHub workflows are valid (vendored schema, no network) and do what CONTRIBUTING.md promises."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"


def load(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    on = workflow.get("on", workflow.get(True))  # PyYAML reads the key `on` as True
    return {on: None} if isinstance(on, str) else dict(on)


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def runs(workflow: dict) -> str:
    return "\n".join(step.get("run", "") for step in steps(workflow))


def uses(workflow: dict) -> list[str]:
    return [step["uses"] for step in steps(workflow) if "uses" in step]


@pytest.mark.parametrize("name", ["pr.yml", "publish.yml"])
def test_valid_against_the_github_workflow_schema(name):
    if not CHECK_JSONSCHEMA.exists():
        pytest.skip("check-jsonschema is not installed in this environment")
    result = subprocess.run([str(CHECK_JSONSCHEMA), "--builtin-schema", "vendor.github-workflows",
                             str(WORKFLOWS / name)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", ["pr.yml", "publish.yml"])
def test_python_311_with_pip_cache(name):
    setups = [s for s in steps(load(name)) if s.get("uses", "").startswith("actions/setup-python@")]
    assert setups and all(str(s["with"]["python-version"]) == "3.11" and s["with"]["cache"] == "pip"
                          for s in setups)
    assert any(u.startswith("actions/checkout@") for u in uses(load(name)))


def test_pull_request_runs_tests_check_and_summary():
    workflow = load("pr.yml")
    assert "pull_request" in triggers(workflow)
    commands = runs(workflow)
    assert "make test" in commands
    assert ".venv/bin/gazette check" in commands
    # the promise is the base branch's, not only the pull request's own snapshot
    check = next(s for s in steps(workflow) if ".venv/bin/gazette check" in s.get("run", ""))
    assert '--against "$BASE_SHA"' in check["run"]
    assert check["env"]["BASE_SHA"] == "${{ github.event.pull_request.base.sha }}"
    assert "GITHUB_STEP_SUMMARY" in commands and "--diff-filter=A" in commands and "docs_src" in commands
    # the summary compares with the base branch, so the checkout needs history
    checkout = next(s for s in steps(workflow) if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    # the check's exit status must not be lost in the pipe to tee
    assert workflow["defaults"]["run"]["shell"] == "bash"


def test_publish_deploys_pages_from_main():
    workflow = load("publish.yml")
    assert triggers(workflow)["push"]["branches"] == ["main"]
    assert "make site" in runs(workflow)
    actions = uses(workflow)
    for action in ("actions/configure-pages@v5", "actions/upload-pages-artifact@v3", "actions/deploy-pages@v4"):
        assert action in actions
    upload = next(s for s in steps(workflow) if s.get("uses") == "actions/upload-pages-artifact@v3")
    assert upload["with"]["path"] == "site"
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"]["group"] == "pages"
    deploy = next(job for job in workflow["jobs"].values()
                  if any(s.get("uses") == "actions/deploy-pages@v4" for s in job["steps"]))
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["needs"] == "build"


def test_publish_reuses_the_last_build_caches():
    """The conversion cache and the search shards' indexes of the last publication are restored."""
    workflow = load("publish.yml")
    cache = next(s for s in steps(workflow) if s.get("uses") == "actions/cache@v4")
    assert cache["with"]["path"].split() == ["build/cache", "build/search_index"]
    assert cache["with"]["restore-keys"] == "gazette-build-" and "github.sha" in cache["with"]["key"]
    names = [s.get("uses") or s.get("name") for s in steps(workflow)]
    assert names.index("actions/cache@v4") < names.index("Build the site (make site)")
    # a maintainer can run the workflow by hand to rebuild everything
    assert triggers(workflow)["workflow_dispatch"]["inputs"]["full"]["type"] == "boolean"
    build = next(s for s in steps(workflow) if s.get("name") == "Build the site (make site)")
    assert "inputs.full" in build["env"]["GAZETTE_FULL"]
