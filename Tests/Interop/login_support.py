"""Helpers of test_login.py: a `requests` session playing the citizen's browser through the
broker's pages (CONTRACT.md, "Browser pages"), and a device simulated with joserfc (CONTRACT.md,
"Device API"). Nothing here knows the broker's internals."""
import json
import time
import uuid
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlparse

import requests
from joserfc import jws, jwt
from joserfc.jwk import ECKey


def person(citizen_id):
    return {"citizen_id": citizen_id, "given_name": {"th": "สมชาย", "en": "Somchai"},
            "family_name": {"th": "รักไทย", "en": "Rakthai"}, "birthdate": "1985-02-11"}


class Device:
    """A phone enrolled through the officer and device APIs with a fresh P-256 key."""

    def __init__(self, broker, citizen_id):
        self.broker, self.citizen_id = broker, citizen_id
        token = broker.officer_token()
        r = broker.post("/officer/v1/enrollments", json=person(citizen_id), headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 201, r.text
        code = r.json()["enrollment_code"]
        self.key = ECKey.generate_key("P-256")
        proof = jws.serialize_compact({"alg": "ES256"}, json.dumps(
            {"enrollment_code": code, "citizen_id": citizen_id, "iat": int(time.time())}), self.key, algorithms=["ES256"])
        terms = broker.get("/device/v1/terms").json()["version"]
        r = broker.post("/device/v1/enroll", json={
            "enrollment_code": code, "citizen_id": citizen_id, "terms_version": terms, "device_name": "pytest phone",
            "device_key": self.key.as_dict(private=False), "proof": proof})
        assert r.status_code == 201, r.text
        self.device_id = r.json()["device_id"]

    def bearer(self):
        now = int(time.time())
        claims = {"iss": self.device_id, "sub": self.device_id, "aud": self.broker.url, "iat": now, "exp": now + 120,
                  "jti": str(uuid.uuid4())}
        token = jwt.encode({"alg": "ES256", "kid": self.device_id}, claims, self.key, algorithms=["ES256"])
        return {"Authorization": f"Bearer {token}"}

    def pending(self, timeout=10):
        """The first pending request, waiting for the push to arrive."""
        deadline = time.time() + timeout
        while True:
            r = self.broker.get("/device/v1/requests", headers=self.bearer())
            assert r.status_code == 200, r.text
            if r.json()["requests"]:
                return r.json()["requests"][0]
            assert time.time() < deadline, "no approval request reached the device"
            time.sleep(0.05)

    def decide(self, request_id, approve, number=None):
        payload = {"request_id": request_id, "approve": approve, "iat": int(time.time())}
        if number is not None:
            payload["number"] = number
        decision = jws.serialize_compact({"alg": "ES256", "kid": self.device_id}, json.dumps(payload), self.key,
                                         algorithms=["ES256"])
        return self.broker.post(f"/device/v1/requests/{request_id}/decision", json={"decision": decision},
                                headers=self.bearer())


class _Forms(HTMLParser):
    """Collects forms (by id) with their inputs and named buttons, and <output> texts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.outputs = {}, {}
        self._form = None
        self._output = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"action": a.get("action", ""), "method": a.get("method", "get").upper(), "fields": [], "buttons": []}
            if a.get("id"):
                self.forms[a["id"]] = self._form
        elif tag in ("input", "button") and self._form is not None and a.get("name"):
            kind = a.get("type", "submit" if tag == "button" else "text")
            if kind == "submit":
                self._form["buttons"].append((a["name"], a.get("value", "")))
            else:
                self._form["fields"].append((a["name"], a.get("value") or ""))
        elif tag == "output" and a.get("id"):
            self._output = a["id"]
            self.outputs[self._output] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        if tag == "output":
            self._output = None

    def handle_data(self, data):
        if self._output:
            self.outputs[self._output] += data


def read_page(response):
    parser = _Forms()
    parser.feed(response.text)
    return parser


class Browser:
    """A citizen's browser: cookies kept by `requests`, redirects followed by hand so the test
    sees the one that goes back to the relying party."""

    def __init__(self):
        self.http = requests.Session()
        self.http.headers["Accept-Language"] = "en"

    def go(self, method, url, stop_at, data=None):
        r = self.http.request(method, url, data=data, allow_redirects=False, timeout=10)
        for _ in range(10):
            if r.status_code not in (301, 302, 303, 307, 308):
                return r, None
            location = urljoin(r.url, r.headers["Location"])
            if location.startswith(stop_at):
                return r, location
            r = self.http.get(location, allow_redirects=False, timeout=10)
        raise AssertionError("redirect loop")

    def submit(self, response, form_id, stop_at, overrides=None, button=None):
        page = read_page(response)
        assert form_id in page.forms, f"no {form_id} on {response.url}: {response.text[:400]}"
        form = page.forms[form_id]
        data = [(n, (overrides or {}).get(n, v)) for n, v in form["fields"]]
        data += [(n, v) for n, v in (overrides or {}).items() if n not in {k for k, _ in form["fields"]}]
        if button:
            assert button in form["buttons"], f"{form_id} lacks the button {button}: {form['buttons']}"
            data.append(button)
        return self.go(form["method"], urljoin(response.url, form["action"]), stop_at, data=data)


def login(browser, device, authorization_url, redirect_uri, approve=True, consent="allow", number_override=None):
    """The whole front channel: returns the callback URL the broker redirected to."""
    r, callback = browser.go("GET", authorization_url, redirect_uri)
    if callback:
        return callback
    r, callback = browser.submit(r, "login-form", redirect_uri, overrides={"citizen_id": device.citizen_id})
    assert callback is None, callback
    page = read_page(r)
    number = page.outputs.get("number-challenge", "").strip()
    assert number.isdigit(), f"no number challenge: {r.text[:400]}"
    pending = device.pending()
    assert pending["number_challenge"] is True
    assert device.citizen_id not in json.dumps(pending)   # no personal data beyond the claims asked for
    decision = device.decide(pending["request_id"], approve, number_override or (number if approve else None))
    assert decision.status_code == 200, decision.text
    assert decision.json()["status"] == ("approved" if approve else "denied")
    r, callback = browser.submit(r, "continue-form", redirect_uri)
    if callback:
        return callback
    r, callback = browser.submit(r, "consent-form", redirect_uri, button=("consent", consent))
    assert callback, f"no redirect after consent: {r.status_code} {r.text[:400]}"
    return callback


def callback_params(url):
    """Query parameters of a callback, each given once."""
    q = parse_qs(urlparse(url).query)
    assert all(len(v) == 1 for v in q.values()), q
    return {k: v[0] for k, v in q.items()}
