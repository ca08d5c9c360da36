"""The architecture, as import-linter contracts in pyproject.toml: kept by the real tree, broken by a wrong import."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=project, capture_output=True, text=True, timeout=120, check=False
    )


def test_the_tree_keeps_every_contract():
    result = _lint_imports(PROJECT)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "wrong_import", "contract", "chain"),
    [
        (
            "common/clock.py",
            "from talentcase.cases import workflow",
            "The ground floor (common) knows no domain and no jobs; jobs know no domain",
            "talentcase.common.clock -> talentcase.cases.workflow",
        ),
        (
            "jobs/queue.py",
            "import talentcase.packs.tasks",
            "The ground floor (common) knows no domain and no jobs; jobs know no domain",
            "talentcase.jobs.queue -> talentcase.packs.tasks",
        ),
        (
            "sla/engine.py",
            "from talentcase.extensions import db",
            "The SLA core is pure: no Flask, no database, no models, views or services",
            "talentcase.sla.engine -> talentcase.extensions",
        ),
        (
            "cases/models.py",
            "from talentcase.cases import views",
            "Models know no services, forms or views",
            "talentcase.cases.models -> talentcase.cases.views",
        ),
        (
            "documents/services.py",
            "from flask_login import current_user",
            "Services know no views, forms or the signed-in user (they take plain values)",
            "talentcase.documents.services -> flask_login",
        ),
        (
            "sla/sweep.py",
            "from talentcase.notifications.routing import announce_alert",
            "Cases, documents, packs and sla signal notifications, never import them",
            "talentcase.sla.sweep -> talentcase.notifications.routing",
        ),
    ],
)
def test_a_wrong_import_breaks_its_contract(tmp_path, module, wrong_import, contract, chain):
    shutil.copytree(PROJECT / "talentcase", tmp_path / "talentcase", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(PROJECT / "pyproject.toml", tmp_path)
    with (tmp_path / "talentcase" / module).open("a", encoding="utf-8") as source:
        source.write(f"\n{wrong_import}\n")

    result = _lint_imports(tmp_path)

    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{contract} BROKEN" in result.stdout
    assert chain in result.stdout
    assert "1 broken" in result.stdout  # that contract alone
