"""EC2's `Operator` on network interfaces, which moto 5.2.5 neither stores nor returns: the network
interfaces of Lambda Managed Instances (issue 13) are told apart by it.

Importing this module applies the patch (org_server.py and auth_server.py import it before moto's
server starts); `install()` is idempotent.

Wire shapes (botocore model ec2/2016-11-15, which aws-sdk-ec2 1.274 shares):
  CreateNetworkInterface   request member `Operator` (OperatorRequest: `Principal`), on the query
                           wire `Operator.Principal=...`. AWS documents it as "Reserved for internal
                           use": the service that operates the resource (for Lambda Managed
                           Instances, `scaler.lambda.amazonaws.com`, the `ec2:ManagedResourceOperator`
                           of the AWS managed policy AWSLambdaManagedEC2ResourceOperator) sets it.
                           Seeders use it to stand in for that service.
  NetworkInterface         response member `Operator` (locationName `operator`, OperatorResponse:
                           `managed` boolean, `principal` string, `hiddenByDefault` boolean). An
                           interface created with an operator answers `<operator><managed>true</managed>
                           <principal>...</principal></operator>`; any other keeps moto's answer (no
                           `operator` element). `hiddenByDefault` is not sent: it depends on the
                           account's managed resource visibility, which moto does not model.

Not changed: `DescribeNetworkInterfaces` lists every interface whatever `IncludeManagedResources`
says (moto has no managed resource visibility; AWS hides managed resources only when the account
set visibility to `hidden`, and the parameter shows them again), and the `operator.managed` /
`operator.principal` filters stay moto's (unsupported). Tags with the `aws:` prefix, which AWS keeps
for itself (e.g. `aws:lambda:capacity-provider`, documented on the instances of Lambda Managed
Instances), are accepted by moto's CreateNetworkInterface `TagSpecifications` as they are.
"""

from __future__ import annotations

from typing import Any

from moto.core.responses import ActionResult
from moto.ec2.responses.elastic_network_interfaces import ElasticNetworkInterfaces

# The attribute moto's serializer reads for the `Operator` member (XFormedAttributePicker tries
# `Operator`, then `operator`).
OPERATOR_ATTR = "operator"

_orig_create = ElasticNetworkInterfaces.create_network_interface


def _create_network_interface(self: ElasticNetworkInterfaces) -> ActionResult:
    result = _orig_create(self)
    requested = self._get_param("Operator") or {}
    principal = requested.get("Principal") if isinstance(requested, dict) else None
    if principal:
        eni = result.result["NetworkInterface"]  # type: ignore[index]
        setattr(eni, OPERATOR_ATTR, {"Managed": True, "Principal": principal})
    return result


def install() -> None:
    """Keeps `Operator` of CreateNetworkInterface and returns it; safe to call more than once."""
    ElasticNetworkInterfaces.create_network_interface = _create_network_interface  # type: ignore[method-assign]


def operator_of(eni: Any) -> dict[str, Any] | None:
    """The operator an interface was created with (for tests of the patch)."""
    return getattr(eni, OPERATOR_ATTR, None)


install()
