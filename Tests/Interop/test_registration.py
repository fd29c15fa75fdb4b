"""Issue 6 through plain `requests` and authlib: a partner registers a client (RFC 7591) with an
initial access token from `phisut partners add` and a software statement signed by the demo
federation operator key, logs a citizen in with it through the whole flow, then updates (PUT)
and deletes it (RFC 7592)."""
import json
import time

import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.jwk import ECKey, KeySet

from conftest import ROOT, phisut
from login_support import Browser, Device, callback_params, login

REDIRECT = "http://127.0.0.1:8093/callback"


def operator_statement(claims):
    """A software statement signed with the demo operator's test key (Metadata/federation/demo-operator.json)."""
    key = ECKey.import_key(json.loads((ROOT / "Tests/Interop/fixtures/demo-operator-test-key.json").read_text()))
    now = int(time.time())
    return jwt.encode({"alg": "ES256", "kid": key.kid}, {"iss": "demo-operator", "iat": now, "exp": now + 600, **claims},
                      key, algorithms=["ES256"])


@pytest.fixture(scope="module")
def partner_token(broker):
    out = phisut("partners", "add", "--name", "Interop Bank", "--token-uses", "5", db=broker.db).stdout
    return out.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def provider(broker):
    d = broker.get("/.well-known/openid-configuration").json()
    assert d["registration_endpoint"] == broker.url + "/register"
    d["keys"] = KeySet.import_key_set(requests.get(d["jwks_uri"], timeout=10).json())
    return d


def metadata(**extra):
    return {"client_name": "Plain name", "redirect_uris": [REDIRECT], "token_endpoint_auth_method": "client_secret_basic",
            "grant_types": ["authorization_code", "refresh_token"], "scope": "openid profile offline_access",
            "id_token_signed_response_alg": "ES256", "x_interop_note": "kept as sent", **extra}


def test_register_log_in_update_delete(broker, provider, partner_token, citizen_id):
    statement = operator_statement({"client_name": "Interop Bank Portal", "software_id": "interop-portal"})
    r = requests.post(provider["registration_endpoint"], json=metadata(software_statement=statement),
                      headers={"Authorization": f"Bearer {partner_token}"}, timeout=10)
    assert r.status_code == 201, r.text
    reg = r.json()
    assert reg["client_name"] == "Interop Bank Portal"          # the statement wins over plain metadata
    assert reg["software_id"] == "interop-portal" and reg["x_interop_note"] == "kept as sent"
    assert reg["client_secret_expires_at"] == 0 and reg["client_id_issued_at"] <= time.time() + 5
    client_id, secret = reg["client_id"], reg["client_secret"]
    listed = phisut("clients", "list", db=broker.db).stdout
    assert client_id in listed and "Interop Bank Portal" in listed

    # The full login with the freshly registered client.
    session = OAuth2Session(client_id, secret, scope="openid profile offline_access", redirect_uri=REDIRECT,
                            code_challenge_method="S256", token_endpoint_auth_method="client_secret_basic")
    verifier, nonce = generate_token(48), generate_token(20)
    url, state = session.create_authorization_url(provider["authorization_endpoint"], code_verifier=verifier, nonce=nonce)
    callback = login(Browser(), Device(broker, citizen_id), url, REDIRECT)
    assert callback_params(callback)["state"] == state
    token = session.fetch_token(provider["token_endpoint"], authorization_response=callback, state=state, code_verifier=verifier)
    claims = jwt.decode(token["id_token"], provider["keys"], algorithms=["ES256"]).claims
    assert claims["aud"] == client_id and claims["nonce"] == nonce and claims["iss"] == provider["issuer"]
    assert session.get(provider["userinfo_endpoint"]).json()["sub"] == claims["sub"]

    # RFC 7592: read, then replace; the registration access token rotates.
    config = reg["registration_client_uri"]
    auth = {"Authorization": f"Bearer {reg['registration_access_token']}"}
    assert requests.get(config, headers=auth, timeout=10).json()["client_id"] == client_id
    updated = requests.put(config, json=metadata(client_id=client_id, client_name="Renamed portal"), headers=auth, timeout=10)
    assert updated.status_code == 200, updated.text
    assert updated.json()["client_name"] == "Renamed portal" and "client_secret" not in updated.json()
    assert requests.get(config, headers=auth, timeout=10).status_code == 401      # the old token is gone
    auth = {"Authorization": f"Bearer {updated.json()['registration_access_token']}"}

    # The refresh token still works for the updated client (same secret).
    refreshed = session.refresh_token(provider["token_endpoint"], refresh_token=token["refresh_token"])
    assert refreshed["access_token"]

    # Delete: the client, its grants and its consents go.
    assert requests.delete(config, headers=auth, timeout=10).status_code == 204
    assert requests.get(config, headers=auth, timeout=10).status_code == 401
    gone = requests.post(provider["token_endpoint"], timeout=10, auth=(client_id, secret), data={
        "grant_type": "refresh_token", "refresh_token": refreshed["refresh_token"]})
    assert gone.status_code == 401 and gone.json()["error"] == "invalid_client"


def test_registration_refusals(broker, provider, partner_token):
    endpoint = provider["registration_endpoint"]
    assert requests.post(endpoint, json=metadata(), timeout=10).status_code == 401
    bad = requests.post(endpoint, json=metadata(redirect_uris=["http://bank.example/cb"]),
                        headers={"Authorization": f"Bearer {partner_token}"}, timeout=10)
    assert bad.status_code == 400 and bad.json()["error"] == "invalid_redirect_uri"
    statement = operator_statement({"client_name": "X"})
    header, payload, signature = statement.split(".")
    forged = ".".join([header, payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB"), signature])
    tampered = requests.post(endpoint, json=metadata(software_statement=forged),
                             headers={"Authorization": f"Bearer {partner_token}"}, timeout=10)
    assert tampered.status_code == 400 and tampered.json()["error"] == "invalid_software_statement"
