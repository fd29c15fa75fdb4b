"""A third-party OpenID provider for the federation interop test, built from authlib's server
classes (`authlib.oauth2.rfc6749.AuthorizationServer`, its authorization code grant with the
`authlib.oidc.core.OpenIDCode` extension and RFC 7636 PKCE) on a loopback port.

It auto-approves one fixed user whose `pid` claim is a valid citizen ID, and signs ID tokens
with ES256. Only what the broker's OIDC connector uses is served: discovery, JWKS, the
authorization endpoint and the token endpoint (client_secret_basic)."""
import json
import os
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlparse

os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")   # plain http on loopback only

from authlib.oauth2.rfc6749 import AuthorizationServer, ClientMixin, OAuth2Request, grants  # noqa: E402
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload  # noqa: E402
from authlib.oauth2.rfc7636 import CodeChallenge  # noqa: E402
from authlib.oidc.core import UserInfo  # noqa: E402
from authlib.oidc.core.grants import OpenIDCode  # noqa: E402
from joserfc.jwk import ECKey, KeySet  # noqa: E402

ACR = "urn:pyop:loa:substantial"


class User:
    def __init__(self, sub, pid):
        self.sub, self.pid = sub, pid


class Client(ClientMixin):
    def __init__(self, client_id, secret, redirect_uri):
        self.client_id, self.secret, self.redirect_uri = client_id, secret, redirect_uri

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return self.redirect_uri

    def get_allowed_scope(self, scope):
        return " ".join(s for s in (scope or "").split() if s in ("openid", "profile"))

    def check_redirect_uri(self, redirect_uri):
        return redirect_uri == self.redirect_uri

    def check_client_secret(self, client_secret):
        return secrets.compare_digest(client_secret, self.secret)

    def check_endpoint_auth_method(self, method, endpoint):
        return method == "client_secret_basic"

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type == "authorization_code"


class Code:
    def __init__(self, code, client_id, data, user):
        self.code, self.client_id, self.user = code, client_id, user
        self.redirect_uri, self.scope, self.nonce = data.get("redirect_uri"), data.get("scope", ""), data.get("nonce")
        self.code_challenge = data.get("code_challenge")
        self.code_challenge_method = data.get("code_challenge_method")
        self.auth_time = int(time.time())

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def get_nonce(self):
        return self.nonce

    def get_auth_time(self):
        return self.auth_time

    def get_acr(self):
        return ACR

    def get_amr(self):
        return ["pwd"]


class Provider:
    """The provider's state: one client (the broker), one user, issued codes."""

    def __init__(self, client_id, secret, redirect_uri, user):
        self.client = Client(client_id, secret, redirect_uri)
        self.user = user
        self.codes = {}
        self.key = ECKey.generate_key("P-256", parameters={"kid": "pyop-1", "use": "sig"}, private=True)
        self.issuer = None
        self.server = self._authorization_server()

    def _authorization_server(self):
        provider = self

        class Server(AuthorizationServer):
            def query_client(self, client_id):
                return provider.client if client_id == provider.client.client_id else None

            def save_token(self, token, request):
                pass

            def create_oauth2_request(self, request):
                return request

            def handle_response(self, status, body, headers):
                return status, body, headers

            def send_signal(self, name, *args, **kwargs):
                pass

        class CodeGrant(grants.AuthorizationCodeGrant):
            TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic"]

            def save_authorization_code(self, code, request):
                provider.codes[code] = Code(code, request.client.client_id, request.payload.data, request.user)

            def query_authorization_code(self, code, client):
                found = provider.codes.get(code)
                return found if found and found.client_id == client.client_id else None

            def delete_authorization_code(self, authorization_code):
                provider.codes.pop(authorization_code.code, None)

            def authenticate_user(self, authorization_code):
                return authorization_code.user

        class IDToken(OpenIDCode):
            def exists_nonce(self, nonce, request):
                return False

            def resolve_client_private_key(self, client):
                return provider.key

            def get_client_algorithm(self, client):
                return "ES256"

            def get_encode_header(self, client):
                return {"alg": "ES256", "kid": "pyop-1"}

            def get_client_claims(self, client):
                return {"iss": provider.issuer, "aud": [client.get_client_id()]}

            def generate_user_info(self, user, scope):
                return UserInfo(sub=user.sub, pid=user.pid, given_name="Malee", family_name="Srisuk")

        server = Server()
        server.register_grant(CodeGrant, [CodeChallenge(required=True), IDToken(require_nonce=True)])

        def bearer(grant_type, client, user=None, scope=None, expires_in=None, include_refresh_token=True):
            return {"token_type": "Bearer", "access_token": secrets.token_urlsafe(24), "expires_in": 600, "scope": scope}

        server.register_token_generator("default", bearer)
        return server

    def discovery(self):
        return {
            "issuer": self.issuer, "authorization_endpoint": self.issuer + "/authorize",
            "token_endpoint": self.issuer + "/token", "jwks_uri": self.issuer + "/jwks",
            "response_types_supported": ["code"], "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["ES256"], "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic"],
        }


class _Request(OAuth2Request):
    """An OAuth2Request over already-parsed parameters (what authlib's Flask adapter does)."""

    def __init__(self, method, url, params, headers):
        super().__init__(method, url, headers=headers)
        self.payload = BasicOAuth2Payload(params)
        self._params = params

    @property
    def args(self):
        return self._params if self.method == "GET" else {}

    @property
    def form(self):
        return self._params if self.method == "POST" else {}


def _request(method, url, params, headers):
    return _Request(method, url, params, headers)


def serve(provider, port):
    """Runs the provider on 127.0.0.1:port in a daemon thread; returns the HTTP server."""
    provider.issuer = f"http://127.0.0.1:{port}"

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def reply(self, status, body=b"", headers=()):
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def json(self, value, status=200):
            self.reply(status, json.dumps(value).encode(), [("Content-Type", "application/json")])

        def do_GET(self):
            url = urlparse(self.path)
            if url.path == "/.well-known/openid-configuration":
                return self.json(provider.discovery())
            if url.path == "/jwks":
                return self.json(KeySet([provider.key]).as_dict(private=False))
            if url.path == "/authorize":
                params = dict(parse_qsl(url.query))
                request = _request("GET", provider.issuer + self.path, params, self.headers)
                grant = provider.server.get_authorization_grant(request)
                request.user = provider.user   # the fixed user signs in and approves at once
                status, body, headers = provider.server.create_authorization_response(
                    request, grant_user=provider.user, grant=grant)
                return self.reply(status, json.dumps(body).encode() if body else b"", headers)
            self.reply(404)

        def do_POST(self):
            url = urlparse(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            params = dict(parse_qsl(self.rfile.read(length).decode()))
            if url.path == "/token":
                request = _request("POST", provider.issuer + self.path, params, self.headers)
                status, body, headers = provider.server.create_token_response(request)
                return self.reply(status, json.dumps(body).encode(), headers)
            self.reply(404)

    httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd
