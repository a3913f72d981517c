"""The GitHub workflows are valid (vendored schema, no network), do what CONTRIBUTING.md promises, run
actions pinned to a commit, install from the lock files, and grant the publishing permissions to the
deploy job only."""

from __future__ import annotations

import re
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


def action(workflow: dict, name: str) -> dict:
    """The step that runs action `name` (owner/repo), whatever commit it is pinned to."""
    return next(s for s in steps(workflow) if s.get("uses", "").split("@")[0] == name)


@pytest.mark.parametrize("name", ["pr.yml", "publish.yml"])
def test_actions_pinned_to_a_commit_with_its_tag(name):
    """A tag can be moved to other code; a commit cannot. The tag it was cut from is named beside it."""
    text = (WORKFLOWS / name).read_text(encoding="utf-8")
    lines = [line.strip() for line in text.splitlines() if re.match(r"\s*(- )?uses:", line)]
    assert lines and len(lines) == len(uses(load(name)))
    for line in lines:
        assert re.fullmatch(r"(- )?uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*", line), line


@pytest.mark.parametrize("name", ["pr.yml", "publish.yml"])
def test_installs_only_from_the_lock_files(name):
    """Every Python package comes from the hashed lock files, through make's set-up; the pip cache is
    keyed on them."""
    commands = runs(load(name))
    assert "pip install" not in commands and re.search(r"\bmake (test|site|check)\b", commands)
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "--require-hashes -r $(PIP_LOCK)" in makefile and "--require-hashes -r $(LOCK)" in makefile
    assert "--no-deps --no-build-isolation -e ." in makefile
    assert action(load(name), "actions/setup-python")["with"]["cache-dependency-path"] == "requirements/*.txt"


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
    # the summary is a tested command (tests/test_pr_report.py), not inline code
    assert "GITHUB_STEP_SUMMARY" in commands and '.venv/bin/gazette report --added-since "$BASE_SHA"' in commands
    assert "python -" not in commands and "<<" not in commands
    # the summary compares with the base branch, so the checkout needs history
    assert action(workflow, "actions/checkout")["with"]["fetch-depth"] == 0
    # the check's exit status must not be lost in the pipe to tee
    assert workflow["defaults"]["run"]["shell"] == "bash"
    assert workflow["permissions"] == {"contents": "read"}


def test_publish_deploys_pages_from_main():
    workflow = load("publish.yml")
    assert triggers(workflow)["push"]["branches"] == ["main"]
    assert "make site" in runs(workflow)
    actions = [u.split("@")[0] for u in uses(workflow)]
    for name in ("actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"):
        assert name in actions
    assert action(workflow, "actions/upload-pages-artifact")["with"]["path"] == "site"
    assert workflow["concurrency"]["group"] == "pages"
    deploy = next(job for job in workflow["jobs"].values()
                  if any(s.get("uses", "").startswith("actions/deploy-pages@") for s in job["steps"]))
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["needs"] == "build"


def test_only_the_deploy_job_may_publish():
    """pages: write and id-token: write (the OIDC token the deployment is made with) are the deploy job's
    alone: the build, which runs the archive's converters on what a pull request merged, gets none."""
    workflow = load("publish.yml")
    assert workflow["permissions"] == {"contents": "read"}
    for job_name, job in workflow["jobs"].items():
        granted = job.get("permissions", workflow["permissions"])
        deploys = any(s.get("uses", "").startswith("actions/deploy-pages@") for s in job["steps"])
        if deploys:
            assert granted == {"pages": "write", "id-token": "write"}, job_name
        else:
            assert "write" not in granted.values() and "id-token" not in granted, job_name
    assert "write" not in granted_values(load("pr.yml"))


def granted_values(workflow: dict) -> list[str]:
    """Every permission value granted anywhere in `workflow`."""
    grants = [workflow.get("permissions", {})] + [job.get("permissions", {}) for job in workflow["jobs"].values()]
    return [value for grant in grants for value in (grant.values() if isinstance(grant, dict) else [grant])]


def test_publish_reuses_the_last_build_caches():
    """What the last publication built (build/: the caches, pages and search indexes; site/: what MkDocs
    wrote) is restored before the build, so that a publication after one issue builds what changed."""
    workflow = load("publish.yml")
    cache = action(workflow, "actions/cache")
    assert cache["with"]["path"].split() == ["build", "site"]
    assert cache["with"]["restore-keys"] == "gazette-build-" and "github.sha" in cache["with"]["key"]
    names = [s.get("uses", "").split("@")[0] or s.get("name") for s in steps(workflow)]
    assert names.index("actions/cache") < names.index("Build the site (make site)")
    # a maintainer can run the workflow by hand to rebuild everything
    assert triggers(workflow)["workflow_dispatch"]["inputs"]["full"]["type"] == "boolean"
    build = next(s for s in steps(workflow) if s.get("name") == "Build the site (make site)")
    assert "inputs.full" in build["env"]["GAZETTE_FULL"]
