"""Running the real ``rivalgraph serve`` for tests: a fixture project, a free port, SIGTERM at the end.

The fixture project is the real data plus two entities whose labels, alias and
quote carry HTML and script (``XSS-Lab`` and ``XSS-Model``), so every page can
be checked for escaping. The store is built once per test session, outside the
project's own ``.rivalgraph/``.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

XSS_LABEL = '<script>window.__xss = 1</script>XSS Lab'
XSS_LABEL_ZH = '<img src=x onerror="window.__xss = 2">跨站实验室'
XSS_ALIAS = '"><svg onload="window.__xss = 3">'
XSS_QUOTE = '<script>window.__xss = 4</script>跨站实验室开发了跨站模型。'


def _append(path: Path, row: dict[str, str]) -> None:
    with path.open(encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    with path.open("a", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerow([row.get(col, "") for col in header])


def make_project(folder: Path) -> Path:
    """A copy of the repository's ontology and data, plus the XSS entities; returns its root."""
    root = folder / "project"
    shutil.copytree(REPO / "ontology", root / "ontology")
    shutil.copytree(REPO / "data", root / "data")
    data = root / "data"
    (data / "sources" / "xss-note.txt").write_text(XSS_QUOTE + "\n", encoding="utf-8")
    _append(data / "sources.csv", {"id": "xss-note", "type": "Document", "title": "跨站笔记", "title_en": "A note",
                                   "date": "2023", "language": "zh", "file": "data/sources/xss-note.txt"})
    _append(data / "entities.csv", {"id": "XSS-Lab", "type": "Organization;ModelDeveloper", "label_en": XSS_LABEL,
                                    "label_zh": XSS_LABEL_ZH, "aliases_en": XSS_ALIAS,
                                    "description_en": "<b>not bold</b>"})
    _append(data / "entities.csv", {"id": "XSS-Model", "type": "Model", "label_en": "XSS Model",
                                    "label_zh": "跨站模型"})
    _append(data / "statements.csv", {"id": "xss-developer", "subject": "XSS-Model", "predicate": "developer",
                                      "object": "XSS-Lab", "source": "xss-note", "quote": XSS_QUOTE})
    views = root / "exports" / "views"
    views.mkdir(parents=True)
    (views / "index.html").write_text("<!DOCTYPE html><title>views</title><p>generated views</p>\n", encoding="utf-8")
    return root


def build_store(root: Path, store: Path) -> Path:
    """The fixture project's graph in an on-disk store at ``store`` (as `rivalgraph build` writes it)."""
    from rivalgraph.pipeline import build_graph
    from rivalgraph.project import Project
    from rivalgraph.rdfio import trig
    from rivalgraph.store import EmbeddedStore

    built = build_graph(Project(root), shacl=False)
    trig_file = store.parent / "fixture.trig"
    trig_file.write_text(trig(built.quads), encoding="utf-8")
    EmbeddedStore.create(store, trig_file=trig_file).close()
    return store


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Served:
    base: str
    process: subprocess.Popen
    log: Path

    @property
    def endpoint(self) -> str:
        return self.base + "/sparql"

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextmanager
def running_server(root: Path, store: Path, *options: str, log: Path, timeout: float = 1.5):
    """``rivalgraph serve`` in a subprocess on a free port; SIGTERM on exit, which must end it cleanly."""
    port = free_port()
    env = dict(os.environ)
    env["RIVALGRAPH_STORE"] = str(store)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "src"), *filter(None, [env.get("PYTHONPATH")])])
    command = [sys.executable, "-m", "rivalgraph.cli", "serve", "--project", str(root), "--port", str(port),
               "--timeout", str(timeout), "--workers", "3", *options]
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=root)
    served = Served(f"http://127.0.0.1:{port}", process, log)
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"rivalgraph serve exited with {process.returncode}:\n{served.log_text()}")
            try:
                with urllib.request.urlopen(served.endpoint, timeout=2) as response:
                    response.read()
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"rivalgraph serve did not answer within 30 s:\n{served.log_text()}") from None
                time.sleep(0.1)
        yield served
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
                raise AssertionError(f"rivalgraph serve did not stop on SIGTERM:\n{served.log_text()}") from None
    assert process.returncode == 0, f"rivalgraph serve exited with {process.returncode}:\n{served.log_text()}"
    assert "rivalgraph: stopped" in served.log_text()


def fetch(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None, method: str | None = None,
          timeout: float = 15):
    """(status, headers, body) of one plain HTTP request; error statuses are returned, not raised."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.headers, exc.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch_no_redirect(url: str, headers: dict[str, str] | None = None):
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers or {}), timeout=15) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.headers, exc.read()


def as_json(body: bytes):
    return json.loads(body.decode("utf-8"))
