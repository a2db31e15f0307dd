#!/usr/bin/env python3
"""One AWS API call against an emulator, for tests: prints the response as JSON on stdout.

    python mocks/aws_call.py --endpoint http://127.0.0.1:PORT --region REGION SERVICE OPERATION ['JSON']

Credentials come from the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN).
OPERATION is the boto3 method name (get_findings, remove_permission, ...). A paginated operation
is read to the end and its list members concatenated. Loopback endpoints only.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from urllib.parse import urlparse

import boto3


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--endpoint", required=True)
    p.add_argument("--region", required=True)
    p.add_argument("service")
    p.add_argument("operation")
    p.add_argument("params", nargs="?", default="{}")
    args = p.parse_args()
    if urlparse(args.endpoint).hostname not in ("127.0.0.1", "localhost", "::1"):
        print("aws_call.py talks to loopback endpoints only", file=sys.stderr)
        return 2
    client = boto3.client(args.service, region_name=args.region, endpoint_url=args.endpoint)
    params = json.loads(args.params)
    if client.can_paginate(args.operation):
        out: dict = {}
        for page in client.get_paginator(args.operation).paginate(**params):
            page.pop("ResponseMetadata", None)
            for k, v in page.items():
                if isinstance(v, list):
                    out.setdefault(k, []).extend(v)
        result = out
    else:
        result = getattr(client, args.operation)(**params)
        result.pop("ResponseMetadata", None)

    def default(o: object) -> str:
        if isinstance(o, (datetime.datetime, datetime.date)):
            return o.isoformat()
        return str(o)

    json.dump(result, sys.stdout, default=default)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
