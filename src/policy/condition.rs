//! Condition operators: parsing of `Condition` blocks and their three-valued evaluation.
//!
//! Semantics follow the IAM User Guide ("IAM JSON policy elements: Condition operators",
//! "Conditions with multiple context keys or values", "Multivalued context key examples"):
//! several operators, and several keys in one operator, are AND'ed; several values for one key
//! are OR'ed, and for a negated operator NOR'ed ("If a single negated matching condition operator
//! includes multiple values for a context key, those values are evaluated using a logical NOR").

use std::net::IpAddr;

use serde_json::Value;
use time::{Date, Month, PrimitiveDateTime, Time, UtcOffset};

use super::context::{Lookup, RequestContext, Tri};
use super::document::{JsonPath, Parser, PolicyError};
use super::matching::{ArnGlob, Glob, Mode, Template, Unknowns, concat};

/// Comparison of numeric and date operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cmp {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Cmp {
    fn holds<T: PartialOrd>(self, request: T, policy: T) -> bool {
        match self {
            Cmp::Eq => request == policy,
            Cmp::Lt => request < policy,
            Cmp::Le => request <= policy,
            Cmp::Gt => request > policy,
            Cmp::Ge => request >= policy,
        }
    }
}

/// ForAllValues / ForAnyValue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SetOp {
    None,
    ForAll,
    ForAny,
}

/// The policy values of one condition, compiled for its operator family.
#[derive(Debug, Clone, PartialEq)]
enum Values {
    /// StringEquals family; `fold` for the IgnoreCase operators.
    Str {
        fold: bool,
        values: Vec<Template<String>>,
    },
    /// StringLike family.
    Like(Vec<Template<Glob>>),
    /// Numeric family.
    Num(Cmp, Vec<f64>),
    /// Date family, as Unix nanoseconds.
    Date(Cmp, Vec<i128>),
    /// Bool (policy variables allowed).
    Bool(Vec<Template<String>>),
    /// BinaryEquals: base-64 text compared byte for byte.
    Binary(Vec<String>),
    /// IpAddress / NotIpAddress.
    Ip(Vec<Cidr>),
    /// Arn family.
    Arn(Vec<Template<ArnGlob>>),
    /// Null: `true` means "the key is absent".
    Null(Vec<bool>),
}

impl Eq for Values {}

/// One `operator: { key: values }` entry of a `Condition` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Condition {
    /// The operator as written, for evidence.
    operator: Box<str>,
    /// Lower-cased context key.
    key: Box<str>,
    negated: bool,
    if_exists: bool,
    set: SetOp,
    values: Values,
}

/// An IPv4 or IPv6 network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Cidr {
    v6: bool,
    addr: u128,
    len: u8,
}

impl Cidr {
    /// Parses `203.0.113.0/24`, `2001:DB8::/64` or a bare address ("If you specify an IP address
    /// without the associated routing prefix, IAM uses the default prefix value of /32").
    fn parse(s: &str) -> Option<Cidr> {
        let (addr, len) = match s.trim().split_once('/') {
            Some((a, l)) => (a, Some(l.parse::<u8>().ok()?)),
            None => (s.trim(), None),
        };
        let (v6, bits, max) = match addr.parse::<IpAddr>().ok()? {
            IpAddr::V4(a) => (false, u128::from(u32::from(a)), 32u8),
            IpAddr::V6(a) => (true, u128::from(a), 128u8),
        };
        let len = len.unwrap_or(max);
        if len > max {
            return None;
        }
        Some(Cidr {
            v6,
            addr: bits,
            len,
        })
    }

    fn contains(&self, ip: &Cidr) -> bool {
        if self.v6 != ip.v6 {
            return false;
        }
        let width: u32 = if self.v6 { 128 } else { 32 };
        let shift = width - u32::from(self.len);
        if shift >= 128 {
            return true;
        }
        (self.addr >> shift) == (ip.addr >> shift)
    }
}

/// Parses an ISO 8601 (W3C profile) date-time or epoch seconds into Unix nanoseconds.
///
/// IAM: "You must specify date/time values with one of the W3C implementations of the ISO 8601
/// date formats or in epoch (UNIX) time." A string of digits is read as epoch seconds (the shape
/// of `aws:EpochTime`), not as a bare year. Time without a zone is taken as UTC.
pub(super) fn parse_date(s: &str) -> Option<i128> {
    let s = s.trim();
    if let Some(nanos) = parse_epoch(s) {
        return Some(nanos);
    }
    let num = |t: &str| -> Option<i64> {
        if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        t.parse().ok()
    };
    let (date_part, time_part) = match s.split_once(['T', 't']) {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let mut ymd = date_part.splitn(3, '-');
    let year = i32::try_from(num(ymd.next()?)?).ok()?;
    let month = match ymd.next() {
        Some(m) => u8::try_from(num(m)?).ok()?,
        None => 1,
    };
    let day = match ymd.next() {
        Some(d) => u8::try_from(num(d)?).ok()?,
        None => 1,
    };
    let date = Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()?;
    let (time, offset) = match time_part {
        None => (Time::MIDNIGHT, UtcOffset::UTC),
        Some(t) => {
            let (clock, offset) = if let Some(c) = t.strip_suffix(['Z', 'z']) {
                (c, UtcOffset::UTC)
            } else if let Some(i) = t.rfind(['+', '-']) {
                let (c, z) = t.split_at(i);
                let sign: i8 = if z.starts_with('-') { -1 } else { 1 };
                let z = &z[1..];
                let (h, m) = match z.split_once(':') {
                    Some((h, m)) => (h, m),
                    None if z.len() == 4 && z.is_ascii() => z.split_at(2),
                    None => (z, "00"),
                };
                let h = i8::try_from(num(h)?).ok()?;
                let m = i8::try_from(num(m)?).ok()?;
                (c, UtcOffset::from_hms(sign * h, sign * m, 0).ok()?)
            } else {
                (t, UtcOffset::UTC)
            };
            let mut hms = clock.splitn(3, ':');
            let h = u8::try_from(num(hms.next()?)?).ok()?;
            let m = u8::try_from(num(hms.next()?)?).ok()?;
            let (sec, nano) = match hms.next() {
                None => (0, 0),
                Some(sec) => {
                    let (whole, frac) = sec.split_once('.').unwrap_or((sec, ""));
                    let nano = if frac.is_empty() {
                        0
                    } else {
                        let digits: String =
                            frac.chars().chain("000000000".chars()).take(9).collect();
                        u32::try_from(num(&digits)?).ok()?
                    };
                    (u8::try_from(num(whole)?).ok()?, nano)
                }
            };
            (Time::from_hms_nano(h, m, sec, nano).ok()?, offset)
        }
    };
    Some(
        PrimitiveDateTime::new(date, time)
            .assume_offset(offset)
            .unix_timestamp_nanos(),
    )
}

/// Reads `-?DIGITS(.DIGITS)?` epoch seconds into nanoseconds.
fn parse_epoch(s: &str) -> Option<i128> {
    let (neg, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || (body.contains('.') && !digits(frac)) || int.len() > 20 {
        return None;
    }
    let secs: i128 = int.parse().ok()?;
    let frac9: String = frac.chars().chain("000000000".chars()).take(9).collect();
    let nanos: i128 = frac9.parse().ok()?;
    let total = secs.checked_mul(1_000_000_000)?.checked_add(nanos)?;
    Some(if neg { -total } else { total })
}

/// Reads the values of one key: a scalar or an array of scalars; booleans and numbers become
/// their JSON text ("true", "10", "2.5").
fn scalar_list(v: &Value) -> Option<Vec<String>> {
    fn one(v: &Value) -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }
    match v {
        Value::Array(items) => items.iter().map(one).collect(),
        other => one(other).map(|s| vec![s]),
    }
}

/// Parses a whole `Condition` block.
pub(super) fn parse_condition_block(
    p: &Parser<'_>,
    v: &Value,
    path: JsonPath<'_>,
    variables: bool,
) -> Result<Vec<Condition>, PolicyError> {
    let block = v
        .as_object()
        .ok_or_else(|| p.err(path, "must be an object of condition operators"))?;
    let mut out = Vec::new();
    for (op_name, keys) in block {
        let op_path = JsonPath::Field(&path, op_name);
        let op = parse_operator(op_name).ok_or_else(|| PolicyError::UnknownOperator {
            policy: p.source.id.clone(),
            path: op_path.to_string(),
            operator: op_name.clone(),
        })?;
        let keys = keys
            .as_object()
            .ok_or_else(|| p.err(op_path, "must be an object of condition keys"))?;
        for (key, vals) in keys {
            let key_path = JsonPath::Field(&op_path, key);
            let raw = scalar_list(vals).ok_or_else(|| {
                p.err(
                    key_path,
                    "values must be strings, numbers, booleans or arrays of them",
                )
            })?;
            let values = compile_values(op.family, &raw, variables)
                .map_err(|bad| p.err(key_path, &format!("invalid value {bad:?} for {op_name}")))?;
            out.push(Condition {
                operator: op_name.as_str().into(),
                key: key.to_ascii_lowercase().into(),
                negated: op.negated,
                if_exists: op.if_exists,
                set: op.set,
                values,
            });
        }
    }
    Ok(out)
}

/// Operator families before their values are compiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    StrEq { fold: bool },
    Like,
    Num(Cmp),
    Date(Cmp),
    Bool,
    Binary,
    Ip,
    Arn,
    Null,
}

struct Op {
    family: Family,
    negated: bool,
    if_exists: bool,
    set: SetOp,
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    if s.len() >= prefix.len()
        && s.is_char_boundary(prefix.len())
        && s[..prefix.len()].eq_ignore_ascii_case(prefix)
    {
        Some(&s[prefix.len()..])
    } else {
        None
    }
}

/// Reads `[ForAllValues:|ForAnyValue:]Base[IfExists]`. Operator names are matched without regard
/// to ASCII case (lenient: IAM stores them as written).
fn parse_operator(name: &str) -> Option<Op> {
    let (set, rest) = if let Some(r) = strip_prefix_ci(name, "ForAllValues:") {
        (SetOp::ForAll, r)
    } else if let Some(r) = strip_prefix_ci(name, "ForAnyValue:") {
        (SetOp::ForAny, r)
    } else {
        (SetOp::None, name)
    };
    let lower = rest.to_ascii_lowercase();
    let (base, if_exists) = match lower.strip_suffix("ifexists") {
        Some(b) => (b, true),
        None => (lower.as_str(), false),
    };
    let (family, negated) = match base {
        "stringequals" => (Family::StrEq { fold: false }, false),
        "stringnotequals" => (Family::StrEq { fold: false }, true),
        "stringequalsignorecase" => (Family::StrEq { fold: true }, false),
        "stringnotequalsignorecase" => (Family::StrEq { fold: true }, true),
        "stringlike" => (Family::Like, false),
        "stringnotlike" => (Family::Like, true),
        "numericequals" => (Family::Num(Cmp::Eq), false),
        "numericnotequals" => (Family::Num(Cmp::Eq), true),
        "numericlessthan" => (Family::Num(Cmp::Lt), false),
        "numericlessthanequals" => (Family::Num(Cmp::Le), false),
        "numericgreaterthan" => (Family::Num(Cmp::Gt), false),
        "numericgreaterthanequals" => (Family::Num(Cmp::Ge), false),
        "dateequals" => (Family::Date(Cmp::Eq), false),
        "datenotequals" => (Family::Date(Cmp::Eq), true),
        "datelessthan" => (Family::Date(Cmp::Lt), false),
        "datelessthanequals" => (Family::Date(Cmp::Le), false),
        "dategreaterthan" => (Family::Date(Cmp::Gt), false),
        "dategreaterthanequals" => (Family::Date(Cmp::Ge), false),
        "bool" => (Family::Bool, false),
        "binaryequals" => (Family::Binary, false),
        "ipaddress" => (Family::Ip, false),
        "notipaddress" => (Family::Ip, true),
        // "The ArnEquals and ArnLike condition operators behave identically."
        "arnequals" | "arnlike" => (Family::Arn, false),
        "arnnotequals" | "arnnotlike" => (Family::Arn, true),
        // "You can add IfExists to the end of any condition operator name except the Null
        // condition"; a set qualifier on Null has no meaning either.
        "null" if !if_exists && set == SetOp::None => (Family::Null, false),
        _ => return None,
    };
    Some(Op {
        family,
        negated,
        if_exists,
        set,
    })
}

/// Compiles raw values for a family; `Err` carries the offending value. Policy variables are
/// honoured only where IAM allows them: string, ARN and Bool operators.
fn compile_values(family: Family, raw: &[String], variables: bool) -> Result<Values, String> {
    let each = |f: &dyn Fn(&str) -> Option<()>| -> Result<(), String> {
        for r in raw {
            f(r).ok_or_else(|| r.clone())?;
        }
        Ok(())
    };
    Ok(match family {
        Family::StrEq { fold } => Values::Str {
            fold,
            values: raw
                .iter()
                .map(|r| Template::new(r, variables, false, concat))
                .collect(),
        },
        Family::Like => Values::Like(
            raw.iter()
                .map(|r| Template::new(r, variables, true, |p| Glob::compile(p, Mode::Text)))
                .collect(),
        ),
        Family::Num(cmp) => {
            each(&|r| {
                r.trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite())
                    .map(|_| ())
            })?;
            Values::Num(
                cmp,
                raw.iter()
                    .filter_map(|r| r.trim().parse::<f64>().ok())
                    .collect(),
            )
        }
        Family::Date(cmp) => {
            each(&|r| parse_date(r).map(|_| ()))?;
            Values::Date(cmp, raw.iter().filter_map(|r| parse_date(r)).collect())
        }
        Family::Bool => Values::Bool(
            raw.iter()
                .map(|r| Template::new(r, variables, false, concat))
                .collect(),
        ),
        Family::Binary => Values::Binary(raw.to_vec()),
        Family::Ip => {
            each(&|r| Cidr::parse(r).map(|_| ()))?;
            Values::Ip(raw.iter().filter_map(|r| Cidr::parse(r)).collect())
        }
        Family::Arn => Values::Arn(
            raw.iter()
                .map(|r| Template::new(r, variables, true, ArnGlob::compile))
                .collect(),
        ),
        Family::Null => {
            each(&|r| match r.to_ascii_lowercase().as_str() {
                "true" | "false" => Some(()),
                _ => None,
            })?;
            Values::Null(raw.iter().map(|r| r.eq_ignore_ascii_case("true")).collect())
        }
    })
}

impl Condition {
    /// The context key (lower-cased).
    pub(super) fn key(&self) -> &str {
        &self.key
    }

    /// Evaluates against the request context.
    ///
    /// Missing keys: "If the key that you specify in a policy condition is not present in the
    /// request context, the values do not match and the condition is false. If the policy
    /// condition requires that the key is not matched, such as StringNotLike or ArnNotLike, and
    /// the right key is not present, the condition is true. This logic applies to all condition
    /// operators except ...IfExists and Null check" (IAM User Guide, "IAM JSON policy elements:
    /// Condition operators"). IfExists: "If the key is not present, evaluate the condition element
    /// as true."
    ///
    /// Set operators over a request with no value for the key (the key is missing or its value set
    /// is empty), from "Single-valued vs. multivalued context keys": `ForAllValues` "also returns
    /// true if there are no context keys in the request or if the context key value resolves to a
    /// null dataset, such as an empty string"; `ForAnyValue`: "For no matching context key or a
    /// null dataset, the condition returns false."
    ///
    /// `...IfExists` changes neither. Under `ForAllValues` it could only turn the answer into the
    /// true it already is. Under `ForAnyValue` AWS ignores it: `ForAnyValue:StringEqualsIfExists`
    /// on a request without the key is false, not true as the general IfExists sentence would have
    /// it (observed on real accounts and reported on AWS re:Post, "ForAnyValue:StringEqualsIfExists
    /// behaving unexpectedly"; DOMAIN.md §3). So a Deny written with
    /// `ForAnyValue:StringNotEqualsIfExists` does not stop a request that lacks the key. For an
    /// empty set the answer is false whichever way "present" is read: if an empty set is present,
    /// IfExists does not apply and the ForAnyValue sentence decides; if it is not, ForAnyValue
    /// ignores IfExists as it does for a missing key.
    pub(super) fn eval(&self, ctx: &RequestContext, unknowns: &mut Unknowns) -> Tri {
        let view = ctx.lookup_lc(&self.key);
        if let Values::Null(wants_absent) = &self.values {
            // An empty set counts as null: the User Guide's remedy for "context keys with empty
            // values" evaluating to true is a `Null` check with `false` ("Single-valued vs.
            // multivalued context keys").
            let absent = match view {
                Lookup::Unknown => {
                    unknowns.push(format!("context key {}", self.key));
                    return Tri::Unknown;
                }
                Lookup::Absent | Lookup::Empty => true,
                Lookup::Present(_) => false,
            };
            return Tri::from_bool(wants_absent.contains(&absent));
        }
        match view {
            Lookup::Unknown => {
                unknowns.push(format!("context key {}", self.key));
                Tri::Unknown
            }
            // A set operator over a request with no value for the key: see the doc of `eval`.
            Lookup::Absent | Lookup::Empty if self.set == SetOp::ForAll => Tri::True,
            Lookup::Absent | Lookup::Empty if self.set == SetOp::ForAny => Tri::False,
            Lookup::Absent if self.if_exists => Tri::True,
            Lookup::Absent => Tri::from_bool(self.negated),
            Lookup::Empty => {
                // Only a multivalued key has an empty set, and "Multivalued context keys require
                // a condition set operator": AWS documents no answer for a plain operator (with or
                // without IfExists) over an empty set.
                unknowns.push(format!(
                    "empty value set of context key {} under {} (no set operator)",
                    self.key, self.operator
                ));
                Tri::Unknown
            }
            Lookup::Present(values) => match self.set {
                SetOp::ForAll => {
                    let mut acc = Tri::True;
                    for v in values {
                        acc = acc.and(self.one_value(v, ctx, unknowns));
                        if acc == Tri::False {
                            break;
                        }
                    }
                    acc
                }
                SetOp::ForAny => {
                    let mut acc = Tri::False;
                    for v in values {
                        acc = acc.or(self.one_value(v, ctx, unknowns));
                        if acc == Tri::True {
                            break;
                        }
                    }
                    acc
                }
                SetOp::None => match values {
                    [one] => self.one_value(one, ctx, unknowns),
                    _ => {
                        // IAM documents no semantics for a plain operator over a multivalued
                        // key ("Multivalued context keys require a condition set operator").
                        unknowns.push(format!(
                            "multivalued context key {} used without ForAllValues/ForAnyValue",
                            self.key
                        ));
                        Tri::Unknown
                    }
                },
            },
        }
    }

    /// One request value against all policy values: OR, or NOR for negated operators.
    fn one_value(&self, v: &str, ctx: &RequestContext, unknowns: &mut Unknowns) -> Tri {
        let mut any = Tri::False;
        macro_rules! over {
            ($iter:expr, $test:expr) => {
                for item in $iter {
                    any = any.or($test(item));
                    if any == Tri::True {
                        break;
                    }
                }
            };
        }
        match &self.values {
            Values::Str { fold, values } => {
                let fold = *fold;
                over!(values, |t: &Template<String>| t.test(
                    ctx,
                    unknowns,
                    concat,
                    |s| { if fold { eq_fold(s, v) } else { s == v } }
                ))
            }
            Values::Like(values) => over!(values, |t: &Template<Glob>| t.test(
                ctx,
                unknowns,
                |p| Glob::compile(p, Mode::Text),
                |g| g.matches(v, false)
            )),
            Values::Bool(values) => over!(values, |t: &Template<String>| t.test(
                ctx,
                unknowns,
                concat,
                |s| s.eq_ignore_ascii_case(v.trim())
            )),
            Values::Arn(values) => over!(values, |t: &Template<ArnGlob>| t.test(
                ctx,
                unknowns,
                ArnGlob::compile,
                |g| g.matches(v)
            )),
            Values::Num(cmp, values) => {
                let Some(r) = v.trim().parse::<f64>().ok().filter(|r| r.is_finite()) else {
                    return self.unreadable(v, "a number", unknowns);
                };
                any = Tri::from_bool(values.iter().any(|p| cmp.holds(r, *p)));
            }
            Values::Date(cmp, values) => {
                let Some(r) = parse_date(v) else {
                    return self.unreadable(v, "a date", unknowns);
                };
                any = Tri::from_bool(values.iter().any(|p| cmp.holds(r, *p)));
            }
            Values::Binary(values) => any = Tri::from_bool(values.iter().any(|p| p == v)),
            Values::Ip(values) => {
                let Some(r) = Cidr::parse(v.split('/').next().unwrap_or(v)) else {
                    return self.unreadable(v, "an IP address", unknowns);
                };
                any = Tri::from_bool(values.iter().any(|p| p.contains(&r)));
            }
            Values::Null(_) => {}
        }
        // A policy value holding a variable with no value (its key absent, no default) matched
        // nothing above, so a negated operator counts it as "not equal" and may hold. That is
        // what AWS documents, for Allow and Deny alike (IAM User Guide, "IAM policy elements:
        // Variables and tags", Policy variables with no value): "When you use a variable with no
        // value in the condition element of an IAM policy, condition operators like StringEquals
        // or StringLike do not match, and the policy statement does not take effect. Inverted
        // condition operators like StringNotEquals or StringNotLike do match against a null value,
        // as the value of the condition key they are testing against is not equal to or like the
        // effectively null value", with a Deny example: "Access is explicitly denied when
        // aws:principaltag/Team is not set." That section is the specific rule; the page's older
        // general notes ("this might cause the entire statement to be invalid", "any attempt to
        // match it fails and causes the statement to be invalid") do not override it. ArnNotEquals
        // and ArnNotLike, the other inverted operators that take variables, follow the same rule.
        if self.negated { any.negate() } else { any }
    }

    /// A request value the operator cannot read: not a number, a date or an IP address.
    ///
    /// The positive operator does not hold: a value that is not a number is not equal to, below
    /// or above any number, and a statement AWS refused to evaluate would not apply either. The
    /// negated operator would hold only if AWS read "unreadable" as "different"; AWS documents
    /// neither that nor the condition (or the statement) failing, so the negated operator is
    /// unknown rather than a match that rests on nothing but an unreadable value.
    fn unreadable(&self, v: &str, what: &str, unknowns: &mut Unknowns) -> Tri {
        if self.negated {
            unknowns.push(format!(
                "context key {} value {v:?} is not {what} ({} on such a value is not documented)",
                self.key, self.operator
            ));
            Tri::Unknown
        } else {
            Tri::False
        }
    }

    /// The operator as written in the policy.
    pub(super) fn operator(&self) -> &str {
        &self.operator
    }
}

fn eq_fold(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.to_lowercase() == b.to_lowercase()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::policy::document::{PolicyKind, PolicySource};

    fn cond(op: &str, key: &str, vals: Value) -> Condition {
        let src = PolicySource::new("t", PolicyKind::IdentityInline);
        let p = Parser { source: &src };
        let block = serde_json::json!({ op: { key: vals } });
        let mut c = parse_condition_block(&p, &block, JsonPath::Top("Condition"), true).unwrap();
        c.remove(0)
    }

    fn eval(c: &Condition, ctx: &RequestContext) -> Tri {
        c.eval(ctx, &mut Unknowns::default())
    }

    fn ctx() -> RequestContext {
        RequestContext::new().unlisted_absent()
    }

    use Tri::*;
    use serde_json::json;

    #[test]
    fn string_family() {
        let c = cond(
            "StringEquals",
            "aws:PrincipalTag/team",
            json!(["net", "sec"]),
        );
        assert_eq!(
            eval(&c, &ctx().with_value("aws:principaltag/TEAM", "sec")),
            True
        );
        assert_eq!(
            eval(&c, &ctx().with_value("aws:principaltag/team", "Sec")),
            False
        );
        assert_eq!(eval(&c, &ctx()), False);
        assert_eq!(eval(&c, &RequestContext::new()), Unknown);
        // Negated: NOR of the values; true on a missing key.
        let c = cond("StringNotEquals", "k", json!(["a", "b"]));
        assert_eq!(eval(&c, &ctx().with_value("k", "a")), False);
        assert_eq!(eval(&c, &ctx().with_value("k", "c")), True);
        assert_eq!(eval(&c, &ctx()), True);
        let c = cond("StringEqualsIgnoreCase", "k", json!("JohnDoe"));
        assert_eq!(eval(&c, &ctx().with_value("k", "johndoe")), True);
        let c = cond("StringNotEqualsIgnoreCase", "k", json!("JohnDoe"));
        assert_eq!(eval(&c, &ctx().with_value("k", "JOHNDOE")), False);
        assert_eq!(eval(&c, &ctx()), True);
        let c = cond(
            "StringLike",
            "s3:prefix",
            json!(["", "home/", "home/${aws:username}/*"]),
        );
        assert_eq!(
            eval(
                &c,
                &ctx()
                    .with_value("s3:prefix", "home/bob/x")
                    .with_value("aws:username", "bob")
            ),
            True
        );
        assert_eq!(
            eval(
                &c,
                &ctx()
                    .with_value("s3:prefix", "home/eve/x")
                    .with_value("aws:username", "bob")
            ),
            False
        );
        assert_eq!(eval(&c, &ctx().with_value("s3:prefix", "")), True);
        assert_eq!(
            eval(
                &c,
                &RequestContext::new().with_value("s3:prefix", "home/bob/x")
            ),
            Unknown
        );
        // A literal '*' in StringEquals, and the ${*} escape in StringLike.
        let c = cond("StringEquals", "k", json!("a*"));
        assert_eq!(eval(&c, &ctx().with_value("k", "a*")), True);
        assert_eq!(eval(&c, &ctx().with_value("k", "ab")), False);
        let c = cond("StringLike", "k", json!("a${*}*"));
        assert_eq!(eval(&c, &ctx().with_value("k", "a*b")), True);
        assert_eq!(eval(&c, &ctx().with_value("k", "ab")), False);
        let c = cond("StringNotLike", "k", json!("x*"));
        assert_eq!(eval(&c, &ctx().with_value("k", "xy")), False);
        assert_eq!(eval(&c, &ctx().with_value("k", "yx")), True);
    }

    #[test]
    fn numeric_family() {
        let c = cond("NumericLessThanEquals", "s3:max-keys", json!("10"));
        assert_eq!(eval(&c, &ctx().with_value("s3:max-keys", "10")), True);
        assert_eq!(eval(&c, &ctx().with_value("s3:max-keys", "11")), False);
        // A value that is not a number: the positive operator does not hold, the negated one is
        // unknown rather than a match.
        assert_eq!(eval(&c, &ctx().with_value("s3:max-keys", "x")), False);
        assert_eq!(eval(&c, &ctx().with_value("s3:max-keys", "NaN")), False);
        assert_eq!(eval(&c, &ctx()), False);
        for v in ["x", "", "NaN", "inf"] {
            assert_eq!(
                eval(
                    &cond("NumericNotEquals", "n", json!(1)),
                    &ctx().with_value("n", v)
                ),
                Unknown,
                "{v:?}"
            );
        }
        assert_eq!(
            eval(
                &cond("ForAllValues:NumericNotEquals", "n", json!(1)),
                &ctx().with_values("n", ["1", "x"])
            ),
            False
        );
        assert_eq!(
            eval(
                &cond("ForAnyValue:NumericNotEquals", "n", json!(1)),
                &ctx().with_values("n", ["1", "x"])
            ),
            Unknown
        );
        assert_eq!(
            eval(
                &cond("NumericEquals", "n", json!(2.5)),
                &ctx().with_value("n", "2.50")
            ),
            True
        );
        assert_eq!(
            eval(
                &cond("NumericNotEquals", "n", json!([1, 2])),
                &ctx().with_value("n", "2")
            ),
            False
        );
        assert_eq!(
            eval(
                &cond("NumericNotEquals", "n", json!([1, 2])),
                &ctx().with_value("n", "3")
            ),
            True
        );
        assert_eq!(eval(&cond("NumericNotEquals", "n", json!(1)), &ctx()), True);
        assert_eq!(
            eval(
                &cond("NumericLessThan", "n", json!(1)),
                &ctx().with_value("n", "0.5")
            ),
            True
        );
        assert_eq!(
            eval(
                &cond("NumericGreaterThan", "n", json!(1)),
                &ctx().with_value("n", "1")
            ),
            False
        );
        assert_eq!(
            eval(
                &cond("NumericGreaterThanEquals", "n", json!(1)),
                &ctx().with_value("n", "1")
            ),
            True
        );
    }

    #[test]
    fn date_family() {
        let c = cond(
            "DateGreaterThan",
            "aws:TokenIssueTime",
            json!("2020-01-01T00:00:01Z"),
        );
        assert_eq!(
            eval(
                &c,
                &ctx().with_value("aws:tokenissuetime", "2020-06-01T00:00:00Z")
            ),
            True
        );
        assert_eq!(
            eval(
                &c,
                &ctx().with_value("aws:tokenissuetime", "2019-06-01T00:00:00Z")
            ),
            False
        );
        assert_eq!(eval(&c, &ctx()), False);
        // Epoch seconds and offsets compare on the same time line.
        let c = cond("DateLessThan", "aws:CurrentTime", json!(1_700_000_000));
        assert_eq!(
            eval(
                &c,
                &ctx().with_value("aws:currenttime", "2023-11-14T22:13:19Z")
            ),
            True
        );
        assert_eq!(
            eval(
                &c,
                &ctx().with_value("aws:currenttime", "2023-11-14T23:13:21+01:00")
            ),
            False
        );
        let c = cond("DateEquals", "d", json!("2020-01-01"));
        assert_eq!(
            eval(&c, &ctx().with_value("d", "2020-01-01T00:00:00Z")),
            True
        );
        assert_eq!(
            eval(&cond("DateNotEquals", "d", json!("2020-01-01")), &ctx()),
            True
        );
        // A request value that is not a date.
        assert_eq!(
            eval(
                &cond("DateNotEquals", "d", json!("2020-01-01")),
                &ctx().with_value("d", "soon")
            ),
            Unknown
        );
        assert_eq!(
            eval(
                &cond("DateEquals", "d", json!("2020-01-01")),
                &ctx().with_value("d", "soon")
            ),
            False
        );
        assert_eq!(
            eval(
                &cond("DateLessThanEquals", "d", json!("2020-01-01T10:00Z")),
                &ctx().with_value("d", "2020-01-01T10:00:00.000Z")
            ),
            True
        );
        assert_eq!(
            eval(
                &cond(
                    "DateGreaterThanEquals",
                    "d",
                    json!("2020-01-01T10:00:00.5Z")
                ),
                &ctx().with_value("d", "2020-01-01T10:00:00.4Z")
            ),
            False
        );
        assert_eq!(parse_date("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_date("1.5"), Some(1_500_000_000));
        assert_eq!(parse_date("2020-13-01"), None);
        assert_eq!(parse_date("yesterday"), None);
        // Odd inputs never panic.
        for odd in [
            "10:00",
            "2020-01-01T10:00+1é1",
            "2020-01-01T10:00+é12",
            "9999-12-31T23:59:59-23:59",
            "0000-01-01T00:00:00+23:59",
            "2020-01-01T",
            "2020--01",
            "-",
            ".",
            "1.",
            "-.5",
            "99999999999999999999999",
        ] {
            let _ = parse_date(odd);
        }
        assert!(parse_date("9999-12-31T23:59:59-23:59").is_some());
    }

    #[test]
    fn bool_binary_ip_arn() {
        let c = cond("Bool", "aws:SecureTransport", json!(false));
        assert_eq!(
            eval(&c, &ctx().with_value("aws:securetransport", "false")),
            True
        );
        assert_eq!(
            eval(&c, &ctx().with_value("aws:securetransport", "TRUE")),
            False
        );
        assert_eq!(eval(&c, &ctx()), False);
        let c = cond("BinaryEquals", "k", json!("QmluYXJ5VmFsdWVJbkJhc2U2NA=="));
        assert_eq!(
            eval(&c, &ctx().with_value("k", "QmluYXJ5VmFsdWVJbkJhc2U2NA==")),
            True
        );
        assert_eq!(eval(&c, &ctx().with_value("k", "QmluYXJ5")), False);
        let c = cond(
            "IpAddress",
            "aws:SourceIp",
            json!(["203.0.113.0/24", "2001:DB8:1234:5678::/64"]),
        );
        assert_eq!(
            eval(&c, &ctx().with_value("aws:sourceip", "203.0.113.77")),
            True
        );
        assert_eq!(
            eval(&c, &ctx().with_value("aws:sourceip", "203.0.114.1")),
            False
        );
        assert_eq!(
            eval(
                &c,
                &ctx().with_value("aws:sourceip", "2001:db8:1234:5678::1")
            ),
            True
        );
        assert_eq!(
            eval(
                &c,
                &ctx().with_value("aws:sourceip", "2001:db8:1234:5679::1")
            ),
            False
        );
        assert_eq!(eval(&c, &ctx()), False);
        let c = cond("NotIpAddress", "aws:SourceIp", json!("10.0.0.1"));
        assert_eq!(
            eval(&c, &ctx().with_value("aws:sourceip", "10.0.0.1")),
            False
        );
        assert_eq!(
            eval(&c, &ctx().with_value("aws:sourceip", "10.0.0.2")),
            True
        );
        assert_eq!(eval(&c, &ctx()), True);
        assert_eq!(
            eval(&c, &ctx().with_value("aws:sourceip", "not-an-ip")),
            Unknown
        );
        assert_eq!(
            eval(
                &cond("IpAddress", "ip", json!("10.0.0.0/8")),
                &ctx().with_value("ip", "not-an-ip")
            ),
            False
        );
        assert_eq!(
            eval(
                &cond("IpAddress", "ip", json!("0.0.0.0/0")),
                &ctx().with_value("ip", "8.8.8.8")
            ),
            True
        );
        let c = cond("ArnLike", "aws:SourceArn", json!("arn:aws:s3:::bucket-*"));
        assert_eq!(
            eval(
                &c,
                &ctx().with_value("aws:sourcearn", "arn:aws:s3:::bucket-1")
            ),
            True
        );
        assert_eq!(
            eval(&c, &ctx().with_value("aws:sourcearn", "arn:aws:s3:::other")),
            False
        );
        assert_eq!(eval(&c, &ctx()), False);
        let c = cond(
            "ArnEquals",
            "lambda:SourceFunctionArn",
            json!("arn:aws:lambda:us-east-1:123456789012:function:f"),
        );
        assert_eq!(
            eval(
                &c,
                &ctx().with_value(
                    "lambda:sourcefunctionarn",
                    "arn:aws:lambda:us-east-1:123456789012:function:f"
                )
            ),
            True
        );
        let c = cond(
            "ArnNotLike",
            "aws:PrincipalArn",
            json!("arn:aws:iam::*:role/admin"),
        );
        assert_eq!(
            eval(
                &c,
                &ctx().with_value("aws:principalarn", "arn:aws:iam::1:role/admin")
            ),
            False
        );
        assert_eq!(
            eval(
                &c,
                &ctx().with_value("aws:principalarn", "arn:aws:iam::1:role/dev")
            ),
            True
        );
        assert_eq!(eval(&c, &ctx()), True);
        assert_eq!(
            eval(&cond("ArnNotEquals", "a", json!("arn:aws:s3:::x")), &ctx()),
            True
        );
    }

    #[test]
    fn null_ifexists_and_sets() {
        let c = cond("Null", "lambda:SourceFunctionArn", json!("true"));
        assert_eq!(eval(&c, &ctx()), True);
        assert_eq!(
            eval(&c, &ctx().with_value("lambda:sourcefunctionarn", "arn:x")),
            False
        );
        assert_eq!(eval(&c, &RequestContext::new()), Unknown);
        let c = cond("Null", "k", json!(false));
        assert_eq!(eval(&c, &ctx()), False);
        assert_eq!(eval(&c, &ctx().with_value("k", "v")), True);
        let c = cond(
            "StringLikeIfExists",
            "ec2:InstanceType",
            json!(["t1.*", "t2.*", "m3.*"]),
        );
        assert_eq!(eval(&c, &ctx()), True);
        assert_eq!(
            eval(&c, &ctx().with_value("ec2:instancetype", "t2.micro")),
            True
        );
        assert_eq!(
            eval(&c, &ctx().with_value("ec2:instancetype", "m5.large")),
            False
        );
        assert_eq!(eval(&c, &RequestContext::new()), Unknown);
        let c = cond(
            "ForAllValues:StringLike",
            "dynamodb:requestedAttributes",
            json!(["PostDateTime", "Message", "Tags"]),
        );
        assert_eq!(
            eval(
                &c,
                &ctx().with_values("dynamodb:requestedattributes", ["PostDateTime", "Message"])
            ),
            True
        );
        assert_eq!(
            eval(
                &c,
                &ctx().with_values("dynamodb:requestedattributes", ["PostDateTime", "UserName"])
            ),
            False
        );
        assert_eq!(eval(&c, &ctx()), True);
        assert_eq!(
            eval(
                &c,
                &ctx().with_values("dynamodb:requestedattributes", Vec::<String>::new())
            ),
            True
        );
        let c = cond("ForAnyValue:StringLike", "k", json!(["ID", "PostDateTime"]));
        assert_eq!(
            eval(
                &c,
                &ctx().with_values("k", ["UserName", "Message", "PostDateTime"])
            ),
            True
        );
        assert_eq!(eval(&c, &ctx().with_values("k", ["UserName"])), False);
        assert_eq!(eval(&c, &ctx()), False);
        let c = cond(
            "ForAllValues:StringNotEquals",
            "lambda:VpcIds",
            json!(["vpc-1", "vpc-2"]),
        );
        assert_eq!(eval(&c, &ctx()), True);
        assert_eq!(eval(&c, &ctx().with_value("lambda:vpcids", "vpc-1")), False);
        assert_eq!(eval(&c, &ctx().with_value("lambda:vpcids", "vpc-9")), True);
        assert_eq!(
            eval(&c, &ctx().with_values("lambda:vpcids", ["vpc-1", "vpc-9"])),
            False
        );
        let c = cond(
            "ForAnyValue:StringNotEquals",
            "lambda:VpcIds",
            json!(["vpc-1", "vpc-2"]),
        );
        assert_eq!(eval(&c, &ctx()), False);
        assert_eq!(
            eval(&c, &ctx().with_values("lambda:vpcids", ["vpc-1", "vpc-9"])),
            True
        );
        // ForAnyValue ignores IfExists: false on a missing key and on an empty set, while
        // ForAllValues stays true on both.
        for op in [
            "ForAnyValue:StringEqualsIfExists",
            "ForAnyValue:StringNotEqualsIfExists",
            "ForAnyValue:StringLikeIfExists",
            "ForAnyValue:ArnNotLikeIfExists",
        ] {
            let c = cond(op, "k", json!("a"));
            assert_eq!(eval(&c, &ctx()), False, "{op} absent");
            assert_eq!(
                eval(&c, &ctx().with_values("k", Vec::<String>::new())),
                False,
                "{op} empty"
            );
            assert_eq!(eval(&c, &RequestContext::new()), Unknown, "{op} unknown");
        }
        for op in [
            "ForAllValues:StringEqualsIfExists",
            "ForAllValues:StringNotEqualsIfExists",
        ] {
            let c = cond(op, "k", json!("a"));
            assert_eq!(eval(&c, &ctx()), True, "{op} absent");
            assert_eq!(
                eval(&c, &ctx().with_values("k", Vec::<String>::new())),
                True,
                "{op} empty"
            );
        }
        // With values, IfExists changes nothing under a set operator.
        let c = cond(
            "ForAnyValue:StringNotEqualsIfExists",
            "k",
            json!(["a", "b"]),
        );
        assert_eq!(eval(&c, &ctx().with_values("k", ["a", "c"])), True);
        assert_eq!(eval(&c, &ctx().with_values("k", ["a", "b"])), False);
        // A plain operator over an empty set has no documented answer; Null reads it as null.
        for op in ["StringEquals", "StringNotEquals", "StringEqualsIfExists"] {
            assert_eq!(
                eval(
                    &cond(op, "k", json!("a")),
                    &ctx().with_values("k", Vec::<String>::new())
                ),
                Unknown,
                "{op}"
            );
        }
        assert_eq!(
            eval(
                &cond("Null", "k", json!("true")),
                &ctx().with_values("k", Vec::<String>::new())
            ),
            True
        );
        // A plain operator over several request values has no documented meaning.
        assert_eq!(
            eval(
                &cond("StringEquals", "k", json!("a")),
                &ctx().with_values("k", ["a", "b"])
            ),
            Unknown
        );
    }

    #[test]
    fn variables_with_no_value() {
        // IAM User Guide, "IAM policy elements: Variables and tags", Policy variables with no
        // value: positive operators do not match, inverted operators "do match against a null
        // value". A default stands in for the absent key; an unknown key stays unknown.
        let tagged = || ctx().with_value("aws:principaltag/team", "net");
        for (op, absent, default_hit, default_miss) in [
            ("StringEquals", False, True, False),
            ("StringEqualsIgnoreCase", False, True, False),
            ("StringLike", False, True, False),
            ("StringNotEquals", True, False, True),
            ("StringNotEqualsIgnoreCase", True, False, True),
            ("StringNotLike", True, False, True),
        ] {
            let c = cond(op, "aws:PrincipalTag/team", json!("${aws:username}"));
            assert_eq!(eval(&c, &tagged()), absent, "{op} absent");
            assert_eq!(
                eval(&c, &tagged().with_value("aws:username", "net")),
                default_hit,
                "{op} present, same"
            );
            assert_eq!(
                eval(&c, &tagged().with_unknown("aws:username")),
                Unknown,
                "{op} unknown"
            );
            let d = cond(op, "aws:PrincipalTag/team", json!("${aws:username, 'net'}"));
            assert_eq!(eval(&d, &tagged()), default_hit, "{op} default hit");
            let d = cond(op, "aws:PrincipalTag/team", json!("${aws:username, 'web'}"));
            assert_eq!(eval(&d, &tagged()), default_miss, "{op} default miss");
        }
        let arn = "arn:aws:lambda:us-east-1:111122223333:function:f";
        for (op, absent) in [
            ("ArnEquals", False),
            ("ArnLike", False),
            ("ArnNotEquals", True),
            ("ArnNotLike", True),
        ] {
            let c = cond(
                op,
                "aws:SourceArn",
                json!("arn:aws:lambda:us-east-1:111122223333:function:${aws:PrincipalTag/team}"),
            );
            assert_eq!(
                eval(&c, &ctx().with_value("aws:sourcearn", arn)),
                absent,
                "{op}"
            );
        }
        // NOR over the values: another value that matches still makes the negation false.
        let c = cond("StringNotEquals", "k", json!(["${aws:username}", "x"]));
        assert_eq!(eval(&c, &ctx().with_value("k", "x")), False);
        assert_eq!(eval(&c, &ctx().with_value("k", "y")), True);
    }

    #[test]
    fn unknown_propagation_inside_sets() {
        let c = cond(
            "ForAllValues:StringEquals",
            "k",
            json!(["${aws:username}", "x"]),
        );
        let ctx_u = RequestContext::new().with_values("k", ["x", "bob"]);
        assert_eq!(eval(&c, &ctx_u), Unknown);
        let ctx_f = RequestContext::new()
            .with_values("k", ["x", "bob"])
            .with_value("aws:username", "eve");
        assert_eq!(eval(&c, &ctx_f), False);
        let ctx_s = RequestContext::new().with_values("k", ["nope", "bob"]);
        assert_eq!(eval(&c, &ctx_s), Unknown);
    }

    #[test]
    fn operator_names() {
        for op in [
            "NullIfExists",
            "ForAllValues:Null",
            "StringEqualz",
            "IfExists",
            "ForAnyValue:",
        ] {
            assert!(parse_operator(op).is_none(), "{op}");
        }
        assert!(parse_operator("stringequalsifexists").is_some());
        let src = PolicySource::new("t", PolicyKind::IdentityInline);
        let p = Parser { source: &src };
        for bad in [
            json!({"NumericEquals": {"k": "ten"}}),
            json!({"DateEquals": {"k": "soon"}}),
            json!({"IpAddress": {"k": "10.0.0.0/33"}}),
            json!({"Null": {"k": "maybe"}}),
            json!({"StringEquals": {"k": null}}),
            json!({"StringEquals": "x"}),
        ] {
            assert!(
                parse_condition_block(&p, &bad, JsonPath::Top("Condition"), true).is_err(),
                "{bad}"
            );
        }
    }
}
