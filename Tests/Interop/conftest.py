"""Starts a real broker (`phisut serve --port 0`) on loopback for the interop tests."""
import os
import pathlib
import re
import subprocess
import tempfile

import pytest
import requests

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = ROOT / ".build" / "debug"


def phisut(*args, db, check=True):
    """Runs the phisut command line; returns the completed process."""
    result = subprocess.run([str(BIN / "phisut"), *args, "--db", db], capture_output=True, text=True, timeout=60)
    if check and result.returncode != 0:
        raise AssertionError(f"phisut {' '.join(args)} failed: {result.stderr}")
    return result


class Broker:
    def __init__(self, process, url, db, workdir):
        self.process, self.url, self.db, self.workdir = process, url, db, workdir

    def officer_token(self, office="BKK-01"):
        out = phisut("officers", "add", "--name", "Test Officer", "--office", office, db=self.db).stdout
        return out.strip().splitlines()[-1]

    def get(self, path, **kw):
        return requests.get(self.url + path, timeout=10, **kw)

    def post(self, path, **kw):
        return requests.post(self.url + path, timeout=10, **kw)


def start_broker(workdir):
    db = os.path.join(workdir, "broker.sqlite")
    process = subprocess.Popen(
        [str(BIN / "phisut"), "serve", "--port", "0", "--db", db, "--metadata", str(ROOT / "Metadata")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    match = re.match(r"listening on (http://\S+)", line)
    if not match:
        process.kill()
        raise RuntimeError(f"broker did not start: {line!r} {process.stderr.read()}")
    return Broker(process, match.group(1), db, workdir)


@pytest.fixture(scope="session")
def broker():
    with tempfile.TemporaryDirectory() as workdir:
        b = start_broker(workdir)
        yield b
        b.process.terminate()
        b.process.wait(timeout=15)


def check_digit(first12: str) -> str:
    total = sum(int(d) * (13 - i) for i, d in enumerate(first12))
    return first12 + str((11 - total % 11) % 10)


_counter = [100000000]


@pytest.fixture
def citizen_id():
    """A fresh, checksum-valid citizen ID per test."""
    _counter[0] += 7
    return check_digit("3" + str(_counter[0]).zfill(11)[-11:])
