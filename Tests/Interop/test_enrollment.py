"""Issue 3 through third-party JOSE: the officer API, and a device whose proofs and assertions
are made by joserfc (not by our own JOSE code)."""
import json
import subprocess
import time
import uuid
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from joserfc import jws, jwt
from joserfc.jwk import ECKey, OKPKey, RSAKey

from conftest import BIN, check_digit


def person(citizen_id):
    return {"citizen_id": citizen_id, "given_name": {"th": "สมหญิง", "en": "Somying"},
            "family_name": {"th": "ใจดี", "en": "Jaidee"}, "birthdate": "1990-05-17"}


def start_enrollment(broker, token, citizen_id):
    r = broker.post("/officer/v1/enrollments", json=person(citizen_id), headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 201, r.text
    return r.json()


def terms_version(broker):
    return broker.get("/device/v1/terms").json()["version"]


def enroll_device(broker, ticket, citizen_id, key, alg, override=None):
    proof = jws.serialize_compact({"alg": alg}, json.dumps(
        {"enrollment_code": ticket["enrollment_code"], "citizen_id": citizen_id, "iat": int(time.time())}), key,
        algorithms=[alg])
    body = {"enrollment_code": ticket["enrollment_code"], "citizen_id": citizen_id,
            "terms_version": terms_version(broker), "device_name": "joserfc phone",
            "device_key": key.as_dict(private=False), "proof": proof}
    body.update(override or {})
    return broker.post("/device/v1/enroll", json=body)


def assertion(broker, device_id, key, alg, jti=None):
    now = int(time.time())
    claims = {"iss": device_id, "sub": device_id, "aud": broker.url, "iat": now, "exp": now + 120,
              "jti": jti or str(uuid.uuid4())}
    return jwt.encode({"alg": alg, "kid": device_id}, claims, key, algorithms=[alg])


def test_officer_api_returns_the_contract_fields(broker, citizen_id):
    ticket = start_enrollment(broker, broker.officer_token(), citizen_id)
    assert set(ticket) == {"enrollment_id", "enrollment_code", "qr_payload", "expires_at"}
    qr = urlparse(ticket["qr_payload"])
    assert qr.scheme == "phisut"
    q = parse_qs(qr.query)
    assert q["iss"] == [broker.url] and q["code"] == [ticket["enrollment_code"]]
    assert ticket["expires_at"] - time.time() == pytest.approx(600, abs=30)


def test_qr_svg_is_drawn_for_the_officer(broker, citizen_id):
    token = broker.officer_token()
    ticket = start_enrollment(broker, token, citizen_id)
    r = broker.get(f"/officer/v1/enrollments/{ticket['enrollment_id']}/qr.svg", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("image/svg+xml")
    assert r.text.startswith("<svg") and "viewBox" in r.text
    other_office = broker.officer_token(office="CNX-01")
    r = broker.get(f"/officer/v1/enrollments/{ticket['enrollment_id']}/qr.svg", headers={"Authorization": f"Bearer {other_office}"})
    assert r.status_code == 404


@pytest.mark.parametrize("token", [None, "off_wrong"])
def test_officer_api_needs_a_valid_token(broker, citizen_id, token):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    r = broker.post("/officer/v1/enrollments", json=person(citizen_id), headers=headers)
    assert r.status_code == 401 and r.json()["error"] == "invalid_token"


def test_wrong_check_digit_is_invalid_citizen_id(broker, citizen_id):
    bad = citizen_id[:12] + str((int(citizen_id[12]) + 1) % 10)
    r = broker.post("/officer/v1/enrollments", json=person(bad), headers={"Authorization": f"Bearer {broker.officer_token()}"})
    assert r.status_code == 400 and r.json()["error"] == "invalid_citizen_id"


@pytest.mark.parametrize("kind", ["P-256", "Ed25519"])
def test_device_enrolls_with_joserfc_proof_and_authenticates(broker, citizen_id, kind):
    key, alg = (ECKey.generate_key("P-256"), "ES256") if kind == "P-256" else (OKPKey.generate_key("Ed25519"), "EdDSA")
    ticket = start_enrollment(broker, broker.officer_token(), citizen_id)
    r = enroll_device(broker, ticket, citizen_id, key, alg)
    assert r.status_code == 201, r.text
    enrolled = r.json()
    assert enrolled["status"] == "enrolled" and enrolled["citizen_id"] == citizen_id
    device_id = enrolled["device_id"]

    token = assertion(broker, device_id, key, alg, jti="j-" + device_id)
    r = broker.get("/device/v1/requests", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200 and r.json() == {"requests": []}
    # replayed jti
    r = broker.get("/device/v1/requests", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401 and r.json()["error"] == "invalid_token"

    # the code is single-use
    r = enroll_device(broker, ticket, citizen_id, ECKey.generate_key("P-256"), "ES256")
    assert r.status_code == 400 and r.json()["error"] == "invalid_enrollment_code"

    # the device revokes itself; then its assertions stop working
    r = requests_delete(broker, f"/device/v1/devices/{device_id}", assertion(broker, device_id, key, alg))
    assert r.status_code == 200
    r = broker.get("/device/v1/requests", headers={"Authorization": f"Bearer {assertion(broker, device_id, key, alg)}"})
    assert r.status_code == 401


def requests_delete(broker, path, token):
    return requests.delete(broker.url + path, headers={"Authorization": f"Bearer {token}"}, timeout=10)


@pytest.mark.parametrize("case,expected", [
    ("mismatch", "citizen_mismatch"), ("terms", "terms_not_accepted"), ("proof", "invalid_proof"),
    ("code", "invalid_enrollment_code"), ("rsa", "invalid_request"), ("bad_id", "invalid_citizen_id"),
])
def test_device_refusals(broker, citizen_id, case, expected):
    ticket = start_enrollment(broker, broker.officer_token(), citizen_id)
    key = ECKey.generate_key("P-256")
    override = {}
    if case == "mismatch":
        other = check_digit(citizen_id[:11] + ("1" if citizen_id[11] != "1" else "2"))
        r = enroll_device(broker, ticket, other, key, "ES256")
        assert r.status_code == 400 and r.json()["error"] == expected
        return
    if case == "terms":
        override["terms_version"] = "1999-01-01"
    if case == "proof":
        override["proof"] = jws.serialize_compact({"alg": "ES256"}, "{}", key)
    if case == "code":
        override["enrollment_code"] = "nope"
    if case == "rsa":
        override["device_key"] = RSAKey.generate_key(2048).as_dict(private=False)
    if case == "bad_id":
        override["citizen_id"] = "123"
    r = enroll_device(broker, ticket, citizen_id, key, "ES256", override)
    assert r.status_code == 400 and r.json()["error"] == expected, r.text
    assert r.json().get("error_description")


def test_not_json_and_not_object_bodies(broker):
    r = broker.post("/device/v1/enroll", data="not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and r.json()["error"] == "invalid_request"
    r = broker.post("/device/v1/enroll", json=[1, 2])
    assert r.status_code == 400 and r.json()["error"] == "invalid_request"


def test_officer_lists_and_revokes_devices_of_a_lost_phone(broker, citizen_id):
    token = broker.officer_token()
    ticket = start_enrollment(broker, token, citizen_id)
    key = ECKey.generate_key("P-256")
    device_id = enroll_device(broker, ticket, citizen_id, key, "ES256").json()["device_id"]
    auth = {"Authorization": f"Bearer {token}"}
    listing = broker.get(f"/officer/v1/citizens/{citizen_id}/devices", headers=auth).json()["devices"]
    assert [d["device_id"] for d in listing] == [device_id] and listing[0]["status"] == "active"
    r = requests.delete(f"{broker.url}/officer/v1/citizens/{citizen_id}/devices", headers=auth, timeout=10)
    assert r.status_code == 200 and r.json()["devices"][0]["status"] == "revoked"


def test_device_app_enrolls_non_interactively(broker, citizen_id, tmp_path):
    ticket = start_enrollment(broker, broker.officer_token(), citizen_id)
    state = tmp_path / "state.json"
    result = subprocess.run(
        [str(BIN / "phisut-device"), "enroll", "--qr", ticket["qr_payload"], "--citizen-id", citizen_id,
         "--accept-terms", "--passcode", "246810", "--state", str(state)],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("enrolled device ")
    assert (state.stat().st_mode & 0o777) == 0o600
    assert citizen_id not in result.stdout   # masked
    listing = subprocess.run([str(BIN / "phisut-device"), "devices", "--state", str(state)],
                             capture_output=True, text=True, timeout=30)
    assert last.split()[-1] in listing.stdout
    r = subprocess.run([str(BIN / "phisut-device"), "requests", "--state", str(state), "--passcode", "246810"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and '"requests"' in r.stdout
    wrong = subprocess.run([str(BIN / "phisut-device"), "requests", "--state", str(state), "--passcode", "000000"],
                           capture_output=True, text=True, timeout=60)
    assert wrong.returncode != 0
