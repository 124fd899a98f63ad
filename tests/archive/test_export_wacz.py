"""WACZ export: a package the Webrecorder validator accepts."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

from civicpost.archive.exports import export
from civicpost.archive.models import Capture


def test_wacz_validates(archive: dict[str, object], tmp_path: Path):
    path = export("wacz", Capture.objects.all(), tmp_path / "archive.wacz")
    with zipfile.ZipFile(path) as package:
        names = set(package.namelist())
        assert {"archive/data.warc.gz", "pages/pages.jsonl", "datapackage.json"} <= names
        assert any(name.startswith("indexes/index.cdx") for name in names)
        datapackage = json.loads(package.read("datapackage.json"))
        pages = package.read("pages/pages.jsonl").decode("utf-8").splitlines()
    assert all(res["hash"].startswith("sha256:") for res in datapackage["resources"])
    assert len(pages) == 1 + 5  # header, and every capture that still has its content
    run = subprocess.run(
        [sys.executable, "-m", "wacz", "validate", "-f", str(path)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "valid" in run.stdout
