"""Issue 2 through third-party clients: discovery, JWKS, the command line, shutdown."""
import signal
import tempfile
import time

from joserfc.jwk import KeySet

from conftest import phisut, start_broker


def test_discovery_lists_issuer_and_jwks(broker):
    r = broker.get("/.well-known/openid-configuration")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/json")
    doc = r.json()
    assert doc["issuer"] == broker.url
    assert doc["jwks_uri"] == broker.url + "/jwks"
    assert "RS256" in doc["id_token_signing_alg_values_supported"]


def test_jwks_imports_in_joserfc_and_holds_public_keys_only(broker):
    r = broker.get("/jwks")
    assert r.status_code == 200
    data = r.json()
    keyset = KeySet.import_key_set(data)
    algs = {k["alg"] for k in data["keys"]}
    assert {"RS256", "ES256"} <= algs
    for key in data["keys"]:
        assert key["use"] == "sig" and key["kid"]
        assert not ({"d", "p", "q", "dp", "dq", "qi"} & key.keys())
    assert len(keyset.keys) == len(data["keys"])


def test_security_headers_and_errors(broker):
    r = broker.get("/no/such/path")
    assert r.status_code == 404
    assert r.json()["error"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    r = broker.get("/officer/desk")
    assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]


def test_healthz(broker):
    assert broker.get("/healthz").json() == {"status": "ok"}


def test_cli_officer_add_prints_token_last(broker):
    out = phisut("officers", "add", "--name", "Somchai", "--office", "BKK-09", db=broker.db).stdout
    token = out.strip().splitlines()[-1]
    assert token.startswith("off_") and " " not in token
    listing = phisut("officers", "list", db=broker.db).stdout
    assert "BKK-09" in listing


def test_cli_partner_add_prints_initial_access_token(broker):
    out = phisut("partners", "add", "--name", "Bank A", db=broker.db).stdout
    assert out.strip().splitlines()[-1].startswith("iat_")


def test_cli_errors_are_one_line_with_nonzero_exit(broker):
    result = phisut("officers", "add", "--name", "X", db=broker.db, check=False)   # no --office
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1
    result = phisut("frobnicate", db=broker.db, check=False)
    assert result.returncode != 0 and len(result.stderr.strip().splitlines()) == 1


def test_help_for_each_command(broker):
    for cmd in (["serve"], ["officers"], ["partners"], ["keys"]):
        result = phisut(*cmd, "--help", db=broker.db, check=False)
        assert result.returncode == 0 and "usage" in result.stdout


def test_keys_rotate_publishes_new_keys_next_to_old():
    with tempfile.TemporaryDirectory() as workdir:
        b = start_broker(workdir)
        try:
            before = {k["kid"] for k in b.get("/jwks").json()["keys"]}
            b.process.terminate()
            assert b.process.wait(timeout=15) == 0
            out = phisut("keys", "rotate", db=b.db).stdout.split()
            assert len(out) >= 2 and not (set(out) & before)
            b = start_broker(workdir)
            after = {k["kid"] for k in b.get("/jwks").json()["keys"]}
            assert before <= after and set(out) <= after
        finally:
            b.process.terminate()
            b.process.wait(timeout=15)


def test_sigterm_finishes_and_exits_zero_quickly():
    with tempfile.TemporaryDirectory() as workdir:
        b = start_broker(workdir)
        assert b.get("/healthz").status_code == 200
        start = time.monotonic()
        b.process.send_signal(signal.SIGTERM)
        assert b.process.wait(timeout=12) == 0
        assert time.monotonic() - start < 10
