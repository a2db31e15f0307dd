//! Trust-policy reading: does a role's trust policy let a given AWS service assume it?
//!
//! Lambda@Edge exemption needs only this one question. It reads every shape AWS accepts (Statement as
//! object or array, Principal `"*"` or `{"Service": string|array}`, NotPrincipal, Action/NotAction with
//! wildcards) and lets an explicit Deny win over an Allow.

use serde_json::Value;

/// The answer about one service.
#[derive(Debug, Clone, PartialEq)]
pub enum TrustAnswer {
    /// An Allow statement admits the service and no Deny takes it back; `statement` is its Sid or index.
    Trusted {
        /// `Sid` of the allowing statement, or `Statement[i]`.
        statement: String,
    },
    /// No statement admits the service (or a Deny removes it).
    NotTrusted,
    /// The document is not a policy this reader understands; the text says which field.
    Unreadable(String),
}

/// Whether `service` (e.g. `edgelambda.amazonaws.com`) may `sts:AssumeRole` under this trust policy.
pub fn trusts_service(doc: &Value, service: &str) -> TrustAnswer {
    let statements: Vec<&Value> = match doc.get("Statement") {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(o @ Value::Object(_)) => vec![o],
        Some(_) => {
            return TrustAnswer::Unreadable("Statement is neither an object nor an array".into());
        }
        None => return TrustAnswer::Unreadable("the document has no Statement".into()),
    };
    let mut allowed = None;
    for (i, st) in statements.iter().enumerate() {
        let name = || {
            st.get("Sid")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map_or_else(|| format!("Statement[{i}]"), str::to_string)
        };
        let effect = match st.get("Effect").and_then(Value::as_str) {
            Some("Allow") => true,
            Some("Deny") => false,
            _ => {
                return TrustAnswer::Unreadable(format!(
                    "Statement[{i}].Effect is not Allow or Deny"
                ));
            }
        };
        let principal_match = match (st.get("Principal"), st.get("NotPrincipal")) {
            (Some(p), None) => match principal_names_service(p, service) {
                Ok(m) => m,
                Err(e) => return TrustAnswer::Unreadable(format!("Statement[{i}].Principal {e}")),
            },
            (None, Some(p)) => match principal_names_service(p, service) {
                Ok(m) => !m,
                Err(e) => {
                    return TrustAnswer::Unreadable(format!("Statement[{i}].NotPrincipal {e}"));
                }
            },
            _ => {
                return TrustAnswer::Unreadable(format!(
                    "Statement[{i}] needs exactly one of Principal and NotPrincipal"
                ));
            }
        };
        let action_match = match (st.get("Action"), st.get("NotAction")) {
            (Some(a), None) => match any_pattern_matches(a, "sts:AssumeRole") {
                Ok(m) => m,
                Err(e) => return TrustAnswer::Unreadable(format!("Statement[{i}].Action {e}")),
            },
            (None, Some(a)) => match any_pattern_matches(a, "sts:AssumeRole") {
                Ok(m) => !m,
                Err(e) => return TrustAnswer::Unreadable(format!("Statement[{i}].NotAction {e}")),
            },
            _ => {
                return TrustAnswer::Unreadable(format!(
                    "Statement[{i}] needs exactly one of Action and NotAction"
                ));
            }
        };
        if principal_match && action_match {
            if !effect {
                return TrustAnswer::NotTrusted;
            }
            allowed.get_or_insert_with(name);
        }
    }
    match allowed {
        Some(statement) => TrustAnswer::Trusted { statement },
        None => TrustAnswer::NotTrusted,
    }
}

/// Whether a Principal element names the service (`"*"` names everyone).
fn principal_names_service(p: &Value, service: &str) -> Result<bool, String> {
    match p {
        Value::String(s) if s == "*" => Ok(true),
        Value::Object(map) => {
            for (kind, v) in map {
                let names = string_list(v)?;
                if kind == "Service" && names.iter().any(|n| n.eq_ignore_ascii_case(service)) {
                    return Ok(true);
                }
                if kind == "AWS" && names.contains(&"*") {
                    // `{"AWS": "*"}` means every AWS principal, which does not include services.
                    continue;
                }
            }
            Ok(false)
        }
        _ => Err("is neither \"*\" nor an object".into()),
    }
}

fn string_list(v: &Value) -> Result<Vec<&str>, String> {
    match v {
        Value::String(s) => Ok(vec![s.as_str()]),
        Value::Array(a) => a
            .iter()
            .map(|x| {
                x.as_str()
                    .ok_or_else(|| "has a value that is not a string".to_string())
            })
            .collect(),
        _ => Err("has a value that is neither a string nor an array".into()),
    }
}

fn any_pattern_matches(v: &Value, action: &str) -> Result<bool, String> {
    Ok(string_list(v)?
        .iter()
        .any(|p| wildcard_match_ci(p.as_bytes(), action.as_bytes())))
}

/// IAM action matching: case-insensitive, `*` any run, `?` one character.
fn wildcard_match_ci(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == b'?' || pattern[p].eq_ignore_ascii_case(&text[t])) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == b'*' {
            star = Some(p);
            mark = t;
            p += 1;
        } else if let Some(s) = star {
            p = s + 1;
            mark += 1;
            t = mark;
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const EDGE: &str = "edgelambda.amazonaws.com";

    #[test]
    fn reads_every_principal_and_statement_shape() {
        let array = json!({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["lambda.amazonaws.com","edgelambda.amazonaws.com"]},"Action":"sts:AssumeRole"}]});
        assert_eq!(
            trusts_service(&array, EDGE),
            TrustAnswer::Trusted {
                statement: "Statement[0]".into()
            }
        );
        let object = json!({"Statement":{"Sid":"Edge","Effect":"Allow","Principal":{"Service":"edgelambda.amazonaws.com"},"Action":["sts:*"]}});
        assert_eq!(
            trusts_service(&object, EDGE),
            TrustAnswer::Trusted {
                statement: "Edge".into()
            }
        );
        let star = json!({"Statement":[{"Effect":"Allow","Principal":"*","Action":"*"}]});
        assert!(matches!(
            trusts_service(&star, EDGE),
            TrustAnswer::Trusted { .. }
        ));
    }

    #[test]
    fn lambda_only_role_is_not_edge() {
        let doc = json!({"Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]});
        assert_eq!(trusts_service(&doc, EDGE), TrustAnswer::NotTrusted);
        let aws_star = json!({"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]});
        assert_eq!(trusts_service(&aws_star, EDGE), TrustAnswer::NotTrusted);
        let other_action = json!({"Statement":[{"Effect":"Allow","Principal":{"Service":EDGE},"Action":"sts:TagSession"}]});
        assert_eq!(trusts_service(&other_action, EDGE), TrustAnswer::NotTrusted);
    }

    #[test]
    fn deny_beats_allow_and_not_forms_invert() {
        let doc = json!({"Statement":[
            {"Effect":"Allow","Principal":{"Service":EDGE},"Action":"sts:AssumeRole"},
            {"Effect":"Deny","Principal":"*","Action":"sts:Assume*"}]});
        assert_eq!(trusts_service(&doc, EDGE), TrustAnswer::NotTrusted);
        let not_action = json!({"Statement":[{"Effect":"Allow","Principal":{"Service":EDGE},"NotAction":"sts:TagSession"}]});
        assert!(matches!(
            trusts_service(&not_action, EDGE),
            TrustAnswer::Trusted { .. }
        ));
        let not_principal = json!({"Statement":[{"Effect":"Allow","NotPrincipal":{"Service":EDGE},"Action":"sts:AssumeRole"}]});
        assert_eq!(
            trusts_service(&not_principal, EDGE),
            TrustAnswer::NotTrusted
        );
    }

    #[test]
    fn malformed_documents_name_the_field() {
        let cases = [
            (json!({}), "no Statement"),
            (json!({"Statement": 3}), "Statement is neither"),
            (
                json!({"Statement":[{"Effect":"Maybe","Principal":"*","Action":"*"}]}),
                "Statement[0].Effect",
            ),
            (
                json!({"Statement":[{"Effect":"Allow","Principal":5,"Action":"*"}]}),
                "Statement[0].Principal",
            ),
            (
                json!({"Statement":[{"Effect":"Allow","Principal":"*"}]}),
                "Action and NotAction",
            ),
            (json!("not a policy"), "no Statement"),
        ];
        for (doc, needle) in cases {
            match trusts_service(&doc, EDGE) {
                TrustAnswer::Unreadable(msg) => {
                    assert!(msg.contains(needle), "{msg} lacks {needle}")
                }
                other => panic!("{doc} gave {other:?}"),
            }
        }
    }

    #[test]
    fn wildcards_match_like_iam_actions() {
        assert!(wildcard_match_ci(b"STS:assume*", b"sts:AssumeRole"));
        assert!(wildcard_match_ci(b"sts:Assume?ole", b"sts:AssumeRole"));
        assert!(!wildcard_match_ci(b"sts:Assume", b"sts:AssumeRole"));
        assert!(wildcard_match_ci(b"*", b"sts:AssumeRole"));
    }
}
