//! One region of an account: its Lambda and EC2 data, and the lookups that need both.

use serde::{Deserialize, Serialize};

use super::{Ec2, EniPair, Function, Lambda, RouteTable, RouteTableSource, Subnet, VpcConfig};

/// Lambda and EC2 data of one region.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RegionData {
    /// The region name.
    pub region: String,
    /// Lambda functions and event source mappings.
    pub lambda: Lambda,
    /// VPC networking.
    pub ec2: Ec2,
}

impl RegionData {
    /// Sorts the region's Lambda and EC2 data.
    pub(super) fn normalize(&mut self) {
        self.lambda.normalize();
        self.ec2.normalize();
    }

    /// The subnet with this id, if collected.
    pub fn subnet(&self, id: &str) -> Option<&Subnet> {
        self.ec2.subnets.iter().find(|s| s.subnet_id == id)
    }

    /// The route table that governs a subnet: the one explicitly associated with it, else the main
    /// route table of `vpc_id` (the subnet's VPC). `None` when neither was collected.
    pub fn route_table_for(
        &self,
        subnet_id: &str,
        vpc_id: &str,
    ) -> Option<(&RouteTable, RouteTableSource)> {
        let tables = &self.ec2.route_tables;
        tables
            .iter()
            .find(|rt| rt.subnet_ids.iter().any(|s| s == subnet_id))
            .map(|rt| (rt, RouteTableSource::Explicit))
            .or_else(|| {
                tables
                    .iter()
                    .find(|rt| rt.main && rt.vpc_id == vpc_id)
                    .map(|rt| (rt, RouteTableSource::Main))
            })
    }

    /// The VPC of a function: from its subnets (Lambda may report an empty `VpcId`), else the VPC id
    /// Lambda reports.
    pub fn function_vpc_id<'a>(&'a self, function: &'a Function) -> Option<&'a str> {
        self.vpc_id_of(self.network_of(function).ok().flatten()?)
    }

    /// The VPC of a network configuration: its first collected subnet's VPC, else the `vpc_id` it
    /// reports.
    pub fn vpc_id_of<'a>(&'a self, vpc: &'a VpcConfig) -> Option<&'a str> {
        vpc.subnet_ids
            .iter()
            .find_map(|s| self.subnet(s).map(|s| s.vpc_id.as_str()))
            .or_else(|| vpc.vpc_id.as_deref().filter(|v| !v.is_empty()))
    }

    /// The network a function runs in: its own VPC attachment, or, for a function on Lambda
    /// Managed Instances, the subnets and security groups of its capacity provider. `Ok(None)`: no
    /// VPC at all. `Err(arn)`: it runs on a provider that was not collected, so its network is
    /// unknown.
    pub fn network_of<'a>(
        &'a self,
        function: &'a Function,
    ) -> Result<Option<&'a VpcConfig>, &'a str> {
        match self.lambda.provider_of(function)? {
            Some(provider) => Ok(Some(&provider.vpc_config).filter(|v| !v.subnet_ids.is_empty())),
            None => Ok(function.vpc()),
        }
    }

    /// The ENI pairs the functions of this region use, each with its users: function names, and
    /// `NAME:VERSION` for published versions whose own VPC attachment keeps a pair in use.
    pub fn eni_pairs_in_use(&self) -> std::collections::BTreeMap<EniPair, Vec<String>> {
        let mut pairs: std::collections::BTreeMap<EniPair, Vec<String>> = Default::default();
        for f in &self.lambda.functions {
            for pair in f.eni_pairs() {
                pairs.entry(pair).or_default().push(f.name.clone());
            }
            for v in &f.published_versions {
                for pair in v.vpc_config.eni_pairs() {
                    let users = pairs.entry(pair).or_default();
                    let user = format!("{}:{}", f.name, v.version);
                    if !users.contains(&user) {
                        users.push(user);
                    }
                }
            }
        }
        pairs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subnet_without_association_falls_back_to_the_main_table() {
        let rt = |id: &str, vpc: &str, main: bool, subnets: &[&str]| RouteTable {
            route_table_id: id.into(),
            vpc_id: vpc.into(),
            main,
            subnet_ids: subnets.iter().map(|s| s.to_string()).collect(),
            routes: vec![],
        };
        let mut region = RegionData::default();
        region.ec2.route_tables = vec![
            rt("rtb-main-other", "vpc-2", true, &[]),
            rt("rtb-main", "vpc-1", true, &[]),
            rt("rtb-private", "vpc-1", false, &["subnet-a"]),
        ];
        let (t, src) = region
            .route_table_for("subnet-a", "vpc-1")
            .expect("explicit");
        assert_eq!(
            (t.route_table_id.as_str(), src),
            ("rtb-private", RouteTableSource::Explicit)
        );
        let (t, src) = region.route_table_for("subnet-b", "vpc-1").expect("main");
        assert_eq!(
            (t.route_table_id.as_str(), src),
            ("rtb-main", RouteTableSource::Main)
        );
        assert!(region.route_table_for("subnet-c", "vpc-3").is_none());
    }
}
