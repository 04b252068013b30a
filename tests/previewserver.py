"""`python build.py serve --port 0` as a subprocess: shared by the preview's tests and bench/soak."""

from __future__ import annotations

import http.client
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from conftest import REPO

PREVIEW = Path(".microsite-cache/preview/site")  # the preview's output, under the site folder
CONNECTED = "() => window.LiveReload && window.LiveReload.connector.protocol > 0"


class Server:
    """`python build.py serve --port 0` running in a site folder, its output collected line by line."""

    def __init__(self, site: Path, *args: str):
        self.site = site
        self.process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--port", "0", *args],
                                        cwd=site, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        self.started = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()
        if not self.started.wait(30):
            self.stop()
            raise RuntimeError("the server did not start:\n" + self.output)
        self.url = re.search(r"http://\S+/", next(line for line in self.lines if line.startswith("serving "))).group(0)
        self.port = int(self.url.rsplit(":", 1)[1].strip("/"))

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))
            if line.startswith("serving "):
                self.started.set()

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def builds(self) -> int:
        return sum(1 for line in self.lines if line.startswith(("built ", "not built")))

    def get(self, path: str, timeout: float = 10) -> tuple[int, str]:
        """GET `path` exactly as written: no client-side normalisation of '..' or %-escapes."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8", "replace")
        finally:
            connection.close()

    def wait_for(self, path: str, condition, timeout: float = 10) -> tuple[int, str]:
        deadline = time.monotonic() + timeout
        while True:
            status, body = self.get(path)
            if condition(status, body) or time.monotonic() > deadline:
                return status, body
            time.sleep(0.02)

    def stop(self, signum: int = signal.SIGINT) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signum)
        return self.process.wait(timeout=10)
