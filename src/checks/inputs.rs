//! What a check reads, typed: the API operations behind its verdicts, where a failure of each one
//! applies (a region, the whole account, one resource), and the collection plan they add up to.
//!
//! A catalog page names its inputs once, as `service:Operation` strings in `requires` and `reads`; the
//! registry resolves them into [`Input`]s when it loads, so a misspelt operation is a catalog error,
//! not a gate that silently never closes. From the resolved inputs come both the run's
//! [`plan`](crate::checks::plan) and the "not evaluated" gate of the visitors (`each_function`,
//! `each_region`, `each_execution_role`).

use crate::snapshot::{Account, GLOBAL_REGION, Gap};
use std::fmt;

/// An AWS service vpcwarden reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Service {
    /// AWS Lambda.
    Lambda,
    /// Amazon EC2 (VPCs, subnets, security groups, ENIs, route tables, endpoints).
    Ec2,
    /// IAM.
    Iam,
    /// AWS Organizations.
    Organizations,
}

impl Service {
    /// The service prefix as gaps and IAM actions spell it (`lambda`, `ec2`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Service::Lambda => "lambda",
            Service::Ec2 => "ec2",
            Service::Iam => "iam",
            Service::Organizations => "organizations",
        }
    }
}

impl Service {
    /// The account's first gap on any operation of this service (Organizations: any failed read
    /// leaves the SCPs unknown).
    pub fn gap_in(self, account: &Account) -> Option<&Gap> {
        account.gaps.iter().find(|g| g.service == self.as_str())
    }
}

/// Where a failed call leaves data missing: what one gap on the input can affect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// A regional list: its gap is recorded per region and affects that region's resources.
    Region,
    /// An account-wide read (IAM, Organizations): its gap is recorded in the `global` region and
    /// affects every resource of the account.
    Account,
    /// A per-resource read (a function's policy or URL): its gap names the resource, and the
    /// resource itself carries the outcome as a [`Collected`](crate::snapshot::Collected) value.
    Resource,
}

/// One API operation whose data a check reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Input {
    /// The service.
    pub service: Service,
    /// The operation as gaps record it, e.g. `ListFunctions`.
    pub operation: &'static str,
    /// Where its gaps apply.
    pub scope: Scope,
    /// How a catalog page spells it (usually `service:Operation`).
    pub spelled: &'static str,
}

macro_rules! inputs {
    ($($(#[$doc:meta])* $name:ident = ($service:ident, $op:literal, $scope:ident, $spelled:literal);)*) => {
        $(
            $(#[$doc])*
            pub const $name: Input = Input {
                service: Service::$service,
                operation: $op,
                scope: Scope::$scope,
                spelled: $spelled,
            };
        )*
        /// Every input a catalog page may name.
        pub const ALL: &[Input] = &[$($name),*];
    };
}

inputs! {
    /// The functions of a region (`$LATEST` configurations).
    LIST_FUNCTIONS = (Lambda, "ListFunctions", Region, "lambda:ListFunctions");
    /// The published versions too (`ListFunctions` with `FunctionVersion=ALL`): their VPC
    /// attachments keep ENI pairs in use. More pages of the same call, so its gap is ListFunctions'.
    LIST_FUNCTION_VERSIONS = (Lambda, "ListFunctions", Region, "lambda:ListFunctions(FunctionVersion=ALL)");
    /// The capacity providers (Lambda Managed Instances) of a region: the network of the functions
    /// that run on them.
    LIST_CAPACITY_PROVIDERS = (Lambda, "ListCapacityProviders", Region, "lambda:ListCapacityProviders");
    /// The event source mappings of a region.
    LIST_EVENT_SOURCE_MAPPINGS = (Lambda, "ListEventSourceMappings", Region, "lambda:ListEventSourceMappings");
    /// A function's resource-based policy (one call per function).
    GET_POLICY = (Lambda, "GetPolicy", Resource, "lambda:GetPolicy");
    /// A function's aliases (one call per function; then a policy, and a URL, per alias).
    LIST_ALIASES = (Lambda, "ListAliases", Resource, "lambda:ListAliases");
    /// A function's URL configuration (one call per function).
    GET_FUNCTION_URL_CONFIG = (Lambda, "GetFunctionUrlConfig", Resource, "lambda:GetFunctionUrlConfig");
    /// The VPCs of a region.
    DESCRIBE_VPCS = (Ec2, "DescribeVpcs", Region, "ec2:DescribeVpcs");
    /// The subnets of a region.
    DESCRIBE_SUBNETS = (Ec2, "DescribeSubnets", Region, "ec2:DescribeSubnets");
    /// The security groups of a region.
    DESCRIBE_SECURITY_GROUPS = (Ec2, "DescribeSecurityGroups", Region, "ec2:DescribeSecurityGroups");
    /// The network interfaces of a region.
    DESCRIBE_NETWORK_INTERFACES = (Ec2, "DescribeNetworkInterfaces", Region, "ec2:DescribeNetworkInterfaces");
    /// The route tables of a region.
    DESCRIBE_ROUTE_TABLES = (Ec2, "DescribeRouteTables", Region, "ec2:DescribeRouteTables");
    /// The VPC endpoints of a region.
    DESCRIBE_VPC_ENDPOINTS = (Ec2, "DescribeVpcEndpoints", Region, "ec2:DescribeVpcEndpoints");
    /// Every user, group, role and policy of the account.
    GET_ACCOUNT_AUTHORIZATION_DETAILS = (Iam, "GetAccountAuthorizationDetails", Account, "iam:GetAccountAuthorizationDetails");
    /// The organization the account belongs to.
    DESCRIBE_ORGANIZATION = (Organizations, "DescribeOrganization", Account, "organizations:DescribeOrganization");
    /// The organization's root.
    LIST_ROOTS = (Organizations, "ListRoots", Account, "organizations:ListRoots");
    /// The account's OU path.
    LIST_PARENTS = (Organizations, "ListParents", Account, "organizations:ListParents");
    /// The SCPs attached along that path.
    LIST_POLICIES_FOR_TARGET = (Organizations, "ListPoliciesForTarget", Account, "organizations:ListPoliciesForTarget");
    /// Each SCP's document.
    DESCRIBE_POLICY = (Organizations, "DescribePolicy", Account, "organizations:DescribePolicy");
}

impl Input {
    /// The input a catalog page names (`lambda:ListFunctions`), if vpcwarden knows it.
    pub fn parse(spelled: &str) -> Option<Input> {
        ALL.iter().copied().find(|i| i.spelled == spelled.trim())
    }

    /// The IAM action that reads it (`lambda:ListFunctions`): what vpcwarden's own policy must grant.
    pub fn action(&self) -> String {
        format!("{}:{}", self.service.as_str(), self.operation)
    }

    /// Whether two inputs are answered by the same call (the versions are more pages of
    /// `ListFunctions`).
    pub fn same_operation(&self, other: &Input) -> bool {
        self.service == other.service && self.operation == other.operation
    }

    /// Whether `gap` is a failure of this input (any region, any resource).
    pub fn is(&self, gap: &Gap) -> bool {
        gap.service == self.service.as_str() && gap.operation == self.operation
    }

    /// The gap that leaves this input missing for a resource of `account` in `region`: for a regional
    /// list, that region's gap; for an account-wide read, the account's. Per-resource inputs are read
    /// from the resource's own `Collected` value, so they have no region-wide gap.
    pub fn gap_in<'a>(&self, account: &'a Account, region: &str) -> Option<&'a Gap> {
        match self.scope {
            Scope::Region => account.gap(region, self.service.as_str(), self.operation),
            Scope::Account => account.gap(GLOBAL_REGION, self.service.as_str(), self.operation),
            Scope::Resource => None,
        }
    }

    /// The gap of this input in any region of the account (a global resource, such as a role,
    /// depends on every region's list).
    pub fn gap_anywhere<'a>(&self, account: &'a Account) -> Option<&'a Gap> {
        account
            .gaps
            .iter()
            .find(|g| self.is(g) && g.resource.is_none())
    }
}

impl fmt::Display for Input {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.spelled)
    }
}

/// The first gap among `inputs` for a resource of `account` in `region`, skipping `except` (the
/// visitor's own list, whose gap it reports once for the region).
pub fn first_gap<'a>(
    inputs: &[Input],
    account: &'a Account,
    region: &str,
    except: &[Input],
) -> Option<&'a Gap> {
    inputs
        .iter()
        .filter(|i| !except.iter().any(|e| i.same_operation(e)))
        .find_map(|i| i.gap_in(account, region))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_input_parses_from_its_own_spelling_and_unknowns_do_not() {
        for input in ALL {
            assert_eq!(Input::parse(input.spelled), Some(*input));
        }
        assert_eq!(Input::parse("lambda:ListFunction"), None);
        assert_eq!(Input::parse("ec2:describesubnets"), None);
    }

    #[test]
    fn spellings_are_unique() {
        let mut seen = std::collections::HashSet::new();
        assert!(ALL.iter().all(|i| seen.insert(i.spelled)));
    }
}
