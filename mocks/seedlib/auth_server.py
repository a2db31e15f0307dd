#!/usr/bin/env python3
"""moto_server for the `access-denied` scenario: IAM enforcement with two moto 5.2.5 bugs fixed.

    $VPCWARDEN_PYTHON mocks/seedlib/auth_server.py -H 127.0.0.1 -p PORT      (same args as moto_server)

Start it as a DEDICATED server (never the shared one): seed.py --scenario access-denied turns on
enforcement for the whole process. Until then it behaves exactly like moto_server.

Fixes applied (monkeypatches, only in this process):
1. Signature check. moto recomputes SigV4 over `body or data`: for a request without body and
   query `data` is the header dict, so EVERY Lambda GET (ListFunctions, GetPolicy,
   GetFunctionUrlConfig, ListEventSourceMappings, ...) fails with SignatureDoesNotMatch once
   enforcement is on; for form posts (EC2, IAM, STS) it re-encodes the parsed form, which only
   matches what botocore sent. We recompute over the exact bytes received (a WSGI middleware keeps
   them per request thread).
2. Error shapes. moto renders every auth error as `<ErrorResponse><Errors><Error>` XML, which the
   AWS SDKs cannot parse for JSON services (Lambda, Organizations, SQS) nor for EC2, and which has an
   extra <Errors> level for awsQuery (IAM, STS). We render them the way AWS does:
     json / rest-json: {"__type": "AccessDeniedException", "message": ...}  (HTTP 403)
     ec2:  <Response><Errors><Error><Code>UnauthorizedOperation</Code>...  (HTTP 403)
     query (iam, sts): <ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>... (HTTP 403)
"""

from __future__ import annotations

import io
import json
import sys
import threading
import uuid
from typing import Any
from xml.sax.saxutils import escape

from botocore.awsrequest import AWSRequest
from werkzeug.exceptions import HTTPException

from moto.core.responses import BaseResponse
from moto.core.utils import get_service_model
from moto.iam import access_control as ac

JSON_CODES = {"AccessDenied": "AccessDeniedException",
              "SignatureDoesNotMatch": "InvalidSignatureException",
              "InvalidClientTokenId": "UnrecognizedClientException"}
EC2_CODES = {"AccessDenied": "UnauthorizedOperation"}


class _ShapedAuthError(HTTPException):
    def __init__(self, status: int, body: str) -> None:
        super().__init__()
        self.code = status
        self.description = body


_raw = threading.local()


class _KeepRawBody:
    """WSGI middleware: read the request body once, keep the bytes for the signature check."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        environ["wsgi.input"] = io.BytesIO(body)
        _raw.body = body
        return self.app(environ, start_response)


def _create_aws_request(self: Any) -> AWSRequest:
    signed_headers = self._get_string_between(
        "SignedHeaders=", ",", self._headers["Authorization"]).split(";")
    headers = self._create_headers_for_aws_request(signed_headers, self._headers)
    body = getattr(_raw, "body", None)
    if body is None:  # not behind the middleware: fall back to moto's own choice
        body = self._body or self._data
    request = AWSRequest(method=self._method, url=self._path, data=body, headers=headers)
    request.context["timestamp"] = headers["X-Amz-Date"]
    return request


_orig_auth = BaseResponse._authenticate_and_authorize_normal_action


def _auth(self: Any, resource: str = "*") -> None:
    try:
        _orig_auth(self, resource)
    except HTTPException as e:
        code = getattr(e, "error_type", None)
        if code is None:
            raise
        message = getattr(e, "message", "") or ""
        status = int(getattr(e, "code", 403) or 403)
        try:
            protocol = get_service_model(self.boto3_service_name).metadata.get("protocol", "query")
        except Exception:  # noqa: BLE001
            protocol = "query"
        rid = str(uuid.uuid4())
        if protocol in ("json", "rest-json"):
            body = json.dumps({"__type": JSON_CODES.get(code, code), "message": message,
                               "Message": message})
        elif protocol == "ec2":
            if code == "AccessDenied":
                message = f"You are not authorized to perform this operation. {message}"
            body = (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error>"
                    f"<Code>{EC2_CODES.get(code, code)}</Code><Message>{escape(message)}</Message>"
                    f"</Error></Errors><RequestID>{rid}</RequestID></Response>")
        else:
            body = (f"<ErrorResponse xmlns=\"https://{self.boto3_service_name}.amazonaws.com/doc/\">"
                    f"<Error><Type>Sender</Type><Code>{code}</Code><Message>{escape(message)}</Message>"
                    f"</Error><RequestId>{rid}</RequestId></ErrorResponse>")
        raise _ShapedAuthError(status, body) from e


def install() -> None:
    ac.IAMRequestBase._create_aws_request = _create_aws_request
    BaseResponse._authenticate_and_authorize_normal_action = _auth


def main() -> None:
    install()
    # The Lambda operations moto lacks (capacity providers, qualifiers, ...) and Security Hub's
    # BatchUpdateFindings, as on the shared server (org_server.py), so a scan sees the same API here.
    try:
        from . import ec2_patch, lambda_patch, securityhub_patch  # noqa: F401  (ec2_patch applies itself on import)
    except ImportError:  # run as a script: mocks/seedlib is sys.path[0]
        import ec2_patch, lambda_patch, securityhub_patch  # type: ignore[no-redef]  # noqa: E401, F401
    lambda_patch.install()
    securityhub_patch.install()
    __import__("faults").install()  # mocks/seedlib/faults.py: the fault mode, off until a test turns it on
    import moto.server as server

    real_run_simple = server.run_simple

    def run_simple(host: str, port: int, app: Any, **kw: Any) -> None:
        real_run_simple(host, port, _KeepRawBody(app), **kw)

    server.run_simple = run_simple
    server.main(sys.argv[1:])


if __name__ == "__main__":
    sys.dont_write_bytecode = True
    main()
