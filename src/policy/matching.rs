//! Wildcard matching of actions, resource ARNs and condition values, with policy variables.
//!
//! Patterns are compiled once at parse time; a pattern that holds a policy variable keeps its
//! parts and is resolved against the request context at evaluation time.

use std::borrow::Cow;

use super::context::{KeyView, RequestContext, Tri};

/// How a glob treats case and colons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// Actions: case-insensitive, `*` and `?` match anything.
    Action,
    /// Resource ARNs: case-sensitive. AWS documents wildcards as matching "within the individual
    /// segments of an ARN (the parts separated by colons)", and "if the `*` wildcard is the last
    /// character of a resource ARN segment, it can expand to match beyond the colon boundaries"
    /// (IAM User Guide, "IAM JSON policy elements: Resource", Using wildcards in resource ARNs).
    /// So a `*` followed by `:` or ending the pattern crosses colons; any other `*`, and `?`, do not.
    Resource,
    /// `StringLike` and each ARN component of `ArnLike`: case-sensitive, wildcards match anything.
    Text,
}

/// One piece of a policy string after the policy-variable syntax has been read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Part {
    /// Literal text (wildcard characters in here are literal).
    Lit(String),
    /// `*`: any run of characters.
    Star,
    /// `?`: exactly one character.
    Quest,
    /// `${key}` or `${key, 'default'}`.
    Var {
        /// Lower-cased context key.
        key: String,
        /// Default used when the key is absent.
        default: Option<String>,
    },
}

/// Why part of an evaluation came out unknown; gathered only on the unknown path.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct Unknowns {
    /// Human-readable causes, such as `context key lambda:sourcefunctionarn`.
    pub(super) causes: Vec<String>,
}

impl Unknowns {
    pub(super) fn push(&mut self, cause: String) {
        if !self.causes.contains(&cause) {
            self.causes.push(cause);
        }
    }
}

/// Outcome of substituting policy variables.
#[derive(Debug)]
pub(super) enum Subst<T> {
    /// Every variable resolved.
    Value(T),
    /// A variable's key is absent and has no default: the element matches nothing.
    NoMatch,
    /// A variable's key is unknown (or multivalued): the outcome is unknown.
    Unknown,
}

/// Splits a policy string into parts. With `variables` false (policy `Version` other than
/// 2012-10-17) `${...}` is literal text: "If you don't include the Version element ... variables
/// like `${aws:username}` are treated as literal strings" (IAM User Guide, policy variables).
/// With `wildcards` false (`StringEquals` and friends) `*` and `?` are literal.
pub(super) fn parse_parts(raw: &str, variables: bool, wildcards: bool) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut lit = String::new();
    let mut rest = raw;
    // Literal text is copied a run at a time, up to the next character that may not be literal
    // (a wildcard, or the `$` of a variable): most policy strings are one run, copied once.
    let special = |c: char| (wildcards && (c == '*' || c == '?')) || (variables && c == '$');
    while let Some(at) = rest.find(special) {
        lit.push_str(&rest[..at]);
        rest = &rest[at..];
        if variables
            && rest.starts_with("${")
            && let Some((part, used)) = parse_variable(&rest[2..])
        {
            match part {
                Part::Lit(s) => lit.push_str(&s),
                other => {
                    flush(&mut parts, &mut lit);
                    parts.push(other);
                }
            }
            rest = &rest[2 + used..];
            continue;
        }
        // `*`, `?` and `$` are one byte each.
        match rest.as_bytes()[0] {
            b'*' if wildcards => {
                flush(&mut parts, &mut lit);
                if parts.last() != Some(&Part::Star) {
                    parts.push(Part::Star);
                }
            }
            b'?' if wildcards => {
                flush(&mut parts, &mut lit);
                parts.push(Part::Quest);
            }
            // A `$` that opens no variable is literal.
            _ => lit.push_str(&rest[..1]),
        }
        rest = &rest[1..];
    }
    lit.push_str(rest);
    flush(&mut parts, &mut lit);
    parts
}

fn flush(parts: &mut Vec<Part>, lit: &mut String) {
    if !lit.is_empty() {
        match parts.last_mut() {
            Some(Part::Lit(prev)) => prev.push_str(lit),
            _ => parts.push(Part::Lit(std::mem::take(lit))),
        }
        lit.clear();
    }
}

/// Reads the inside of `${...}` (text after `${`); returns the part and the bytes consumed
/// including the closing brace, or `None` when the syntax is not a variable (kept literal).
fn parse_variable(s: &str) -> Option<(Part, usize)> {
    // The default value is quoted and may contain `}`; '' inside it is one quote.
    let (key_end, default, used) = match s.find([',', '}']) {
        Some(i) if s.as_bytes()[i] == b'}' => (i, None, i + 1),
        Some(i) => {
            let after = &s[i + 1..];
            let trimmed = after.trim_start();
            let skipped = after.len() - trimmed.len();
            let body = trimmed.strip_prefix('\'')?;
            let mut value = String::new();
            let mut chars = body.char_indices();
            let mut close = None;
            while let Some((j, c)) = chars.next() {
                if c == '\'' {
                    if body[j + 1..].starts_with('\'') {
                        value.push('\'');
                        chars.next();
                    } else {
                        close = Some(j + 1);
                        break;
                    }
                } else {
                    value.push(c);
                }
            }
            let close = close?;
            let tail = &body[close..];
            let tail_trim = tail.trim_start();
            if !tail_trim.starts_with('}') {
                return None;
            }
            let used = i + 1 + skipped + 1 + close + (tail.len() - tail_trim.len()) + 1;
            (i, Some(value), used)
        }
        None => return None,
    };
    let key = s[..key_end].trim();
    let part = match key {
        "*" | "?" | "$" => Part::Lit(key.to_string()),
        "" => return None,
        k => Part::Var {
            key: k.to_ascii_lowercase(),
            default,
        },
    };
    Some((part, used))
}

/// Whether any part is a variable that needs the request context.
pub(super) fn has_vars(parts: &[Part]) -> bool {
    parts.iter().any(|p| matches!(p, Part::Var { .. }))
}

/// Substitutes variables from the context. Values substituted are literal text.
pub(super) fn resolve<'a>(
    parts: &'a [Part],
    ctx: &RequestContext,
    unknowns: &mut Unknowns,
) -> Subst<Cow<'a, [Part]>> {
    if !has_vars(parts) {
        return Subst::Value(Cow::Borrowed(parts));
    }
    let mut out: Vec<Part> = Vec::with_capacity(parts.len());
    let mut unknown = false;
    for p in parts {
        let text = match p {
            Part::Var { key, default } => match ctx.get_lc(key) {
                KeyView::Present([one]) => one.clone(),
                KeyView::Present(_) => {
                    // "you can't use a multivalued context key as a policy variable"
                    // (IAM User Guide, single-valued vs multivalued context keys): unknown here.
                    unknowns.push(format!(
                        "multivalued context key {key} used as a policy variable"
                    ));
                    unknown = true;
                    continue;
                }
                KeyView::Absent => match default {
                    Some(d) => d.clone(),
                    None => return Subst::NoMatch,
                },
                KeyView::Unknown => {
                    unknowns.push(format!("policy variable ${{{key}}}"));
                    unknown = true;
                    continue;
                }
            },
            other => {
                out.push(other.clone());
                continue;
            }
        };
        match out.last_mut() {
            Some(Part::Lit(prev)) => prev.push_str(&text),
            _ => out.push(Part::Lit(text)),
        }
    }
    if unknown {
        Subst::Unknown
    } else {
        Subst::Value(Cow::Owned(out))
    }
}

/// Joins resolved parts into literal text (for operators without wildcards).
pub(super) fn concat(parts: &[Part]) -> String {
    let mut s = String::new();
    for p in parts {
        match p {
            Part::Lit(l) => s.push_str(l),
            Part::Star => s.push('*'),
            Part::Quest => s.push('?'),
            Part::Var { .. } => {}
        }
    }
    s
}

/// One token of a general glob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Tok {
    Byte(u8),
    Star { colon: bool },
    One { colon: bool },
}

/// A compiled wildcard pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Glob {
    /// `*`: matches everything.
    Any,
    /// No wildcard.
    Exact(Box<str>),
    /// Literal prefix then a `*` that crosses colons.
    Prefix(Box<str>),
    /// Anything else.
    General {
        toks: Box<[Tok]>,
        /// Some wildcard may not cross `:` (resource mode), which needs the slower matcher.
        restricted: bool,
    },
}

impl Glob {
    /// Compiles variable-free parts. Case-insensitive modes lower-case the literals.
    pub(super) fn compile(parts: &[Part], mode: Mode) -> Glob {
        let lower = mode == Mode::Action;
        let lit = |s: &str| -> String {
            if lower {
                s.to_ascii_lowercase()
            } else {
                s.to_string()
            }
        };
        match parts {
            [] => return Glob::Exact("".into()),
            [Part::Star] => return Glob::Any,
            [Part::Lit(s)] => return Glob::Exact(lit(s).into()),
            [Part::Lit(s), Part::Star] => return Glob::Prefix(lit(s).into()),
            _ => {}
        }
        let mut toks = Vec::new();
        let mut restricted = false;
        for (i, p) in parts.iter().enumerate() {
            match p {
                Part::Lit(s) => toks.extend(lit(s).bytes().map(Tok::Byte)),
                Part::Var { .. } => {}
                Part::Star => {
                    let colon = match mode {
                        Mode::Resource => match parts.get(i + 1) {
                            None => true,
                            Some(Part::Lit(next)) => next.starts_with(':'),
                            Some(_) => false,
                        },
                        _ => true,
                    };
                    restricted |= !colon;
                    toks.push(Tok::Star { colon });
                }
                Part::Quest => {
                    let colon = mode != Mode::Resource;
                    restricted |= !colon;
                    toks.push(Tok::One { colon });
                }
            }
        }
        Glob::General {
            toks: toks.into_boxed_slice(),
            restricted,
        }
    }

    /// A text this pattern matches, each wildcard filled with `fill` (`?` with `x`): `*` alone
    /// gives `fill` itself.
    pub(super) fn example(&self, fill: &str) -> String {
        match self {
            Glob::Any => fill.to_string(),
            Glob::Exact(s) => s.to_string(),
            Glob::Prefix(p) => format!("{p}{fill}"),
            Glob::General { toks, .. } => {
                let mut bytes = Vec::new();
                for t in toks.iter() {
                    match t {
                        Tok::Byte(b) => bytes.push(*b),
                        Tok::Star { .. } => bytes.extend_from_slice(fill.as_bytes()),
                        Tok::One { .. } => bytes.push(b'x'),
                    }
                }
                String::from_utf8_lossy(&bytes).into_owned()
            }
        }
    }

    /// Matches `text`; `fold` compares ASCII case-insensitively (patterns are already lower).
    pub(super) fn matches(&self, text: &str, fold: bool) -> bool {
        let eq = |a: &str, b: &str| {
            if fold {
                a.eq_ignore_ascii_case(b)
            } else {
                a == b
            }
        };
        match self {
            Glob::Any => true,
            Glob::Exact(s) => eq(s, text),
            Glob::Prefix(p) => {
                text.len() >= p.len() && text.is_char_boundary(p.len()) && eq(p, &text[..p.len()])
            }
            Glob::General { toks, restricted } => {
                if *restricted {
                    match_dp(toks, text.as_bytes(), fold)
                } else {
                    match_greedy(toks, text.as_bytes(), fold)
                }
            }
        }
    }
}

fn char_len(b: u8) -> usize {
    match b {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

fn byte_eq(p: u8, t: u8, fold: bool) -> bool {
    if fold {
        p == t.to_ascii_lowercase()
    } else {
        p == t
    }
}

/// Classic single-backtrack wildcard match, linear in practice; every wildcard crosses colons.
fn match_greedy(toks: &[Tok], text: &[u8], fold: bool) -> bool {
    let (mut p, mut t) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if let Some(tok) = toks.get(p) {
            match tok {
                Tok::Star { .. } => {
                    star = Some((p + 1, t));
                    p += 1;
                    continue;
                }
                Tok::One { .. } => {
                    t = (t + char_len(text[t])).min(text.len());
                    p += 1;
                    continue;
                }
                Tok::Byte(b) if byte_eq(*b, text[t], fold) => {
                    p += 1;
                    t += 1;
                    continue;
                }
                Tok::Byte(_) => {}
            }
        }
        match star {
            Some((sp, st)) => {
                let nt = (st + char_len(text[st])).min(text.len());
                star = Some((sp, nt));
                p = sp;
                t = nt;
            }
            None => return false,
        }
    }
    toks[p.min(toks.len())..]
        .iter()
        .all(|tok| matches!(tok, Tok::Star { .. }))
}

/// Set-of-positions matcher for patterns with colon-bounded wildcards: O(pattern × text).
fn match_dp(toks: &[Tok], text: &[u8], fold: bool) -> bool {
    let n = text.len();
    let mut cur = vec![false; n + 1];
    let mut next = vec![false; n + 1];
    cur[0] = true;
    for tok in toks {
        next.iter_mut().for_each(|x| *x = false);
        let mut any = false;
        match tok {
            Tok::Byte(b) => {
                for i in 0..n {
                    if cur[i] && byte_eq(*b, text[i], fold) {
                        next[i + 1] = true;
                        any = true;
                    }
                }
            }
            Tok::One { colon } => {
                for i in 0..n {
                    if cur[i] && (*colon || text[i] != b':') {
                        next[(i + char_len(text[i])).min(n)] = true;
                        any = true;
                    }
                }
            }
            Tok::Star { colon } => {
                // next[j] holds when some start i <= j is reachable and text[i..j] holds no
                // colon that this star may not cross; only character boundaries are marked.
                let mut reach = false;
                for j in 0..=n {
                    reach |= cur[j];
                    if reach && (j == n || text[j] & 0xC0 != 0x80) {
                        next[j] = true;
                        any = true;
                    }
                    if j < n && !*colon && text[j] == b':' {
                        reach = false;
                    }
                }
            }
        }
        if !any {
            return false;
        }
        std::mem::swap(&mut cur, &mut next);
    }
    cur[n]
}

/// An `ArnEquals`/`ArnLike` pattern: "Each of the six colon-delimited components of the ARN is
/// checked separately and each can include multi-character match wildcards (*) or
/// single-character match wildcards (?)" (IAM User Guide, ARN condition operators).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum ArnGlob {
    /// Six component globs.
    Components(Box<[Glob]>),
    /// The pattern has fewer than six components: matched as one string (only `*` is common).
    Whole(Glob),
}

impl ArnGlob {
    /// Compiles variable-free parts.
    pub(super) fn compile(parts: &[Part]) -> ArnGlob {
        // Split at the first five literal colons; later colons belong to the resource part.
        let mut comps: Vec<Vec<Part>> = Vec::with_capacity(6);
        let mut cur: Vec<Part> = Vec::new();
        for p in parts {
            match p {
                Part::Lit(s) => {
                    let mut rest = s.as_str();
                    while comps.len() < 5 {
                        let Some(i) = rest.find(':') else { break };
                        if i > 0 {
                            cur.push(Part::Lit(rest[..i].to_string()));
                        }
                        comps.push(std::mem::take(&mut cur));
                        rest = &rest[i + 1..];
                    }
                    if !rest.is_empty() {
                        cur.push(Part::Lit(rest.to_string()));
                    }
                }
                other => cur.push(other.clone()),
            }
        }
        comps.push(cur);
        if comps.len() < 6 {
            ArnGlob::Whole(Glob::compile(parts, Mode::Text))
        } else {
            ArnGlob::Components(comps.iter().map(|c| Glob::compile(c, Mode::Text)).collect())
        }
    }

    /// Matches an ARN from the request context.
    pub(super) fn matches(&self, text: &str) -> bool {
        match self {
            ArnGlob::Whole(g) => g.matches(text, false),
            ArnGlob::Components(globs) => {
                let mut n = 0;
                for (g, comp) in globs.iter().zip(text.splitn(6, ':')) {
                    if !g.matches(comp, false) {
                        return false;
                    }
                    n += 1;
                }
                n == 6
            }
        }
    }
}

/// A pattern from a policy that may contain policy variables: compiled once when it has none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Template<T> {
    /// The text as written in the policy, for evidence.
    pub(super) raw: Box<str>,
    parts: Box<[Part]>,
    fixed: Option<T>,
}

impl<T> Template<T> {
    /// A text this pattern can match: each wildcard filled with `fill` (`?` with `x`), each
    /// policy variable with `fill` too (the value a request would substitute is not known here).
    pub(super) fn example(&self, fill: &str) -> String {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Lit(s) => s.clone(),
                Part::Star | Part::Var { .. } => fill.to_string(),
                Part::Quest => "x".to_string(),
            })
            .collect()
    }

    /// Parses `raw` and precompiles it with `compile` when it holds no variable.
    pub(super) fn new(
        raw: &str,
        variables: bool,
        wildcards: bool,
        compile: impl Fn(&[Part]) -> T,
    ) -> Self {
        let parts = parse_parts(raw, variables, wildcards);
        let fixed = if has_vars(&parts) {
            None
        } else {
            Some(compile(&parts))
        };
        Self {
            raw: raw.into(),
            parts: parts.into_boxed_slice(),
            fixed,
        }
    }

    /// Tests the compiled form with `test`, resolving variables first when there are any.
    ///
    /// A variable whose key is absent with no default makes the element match nothing: "When
    /// policy variables reference a condition context key that has no value or is not present in
    /// an authorization context for a request, the value is effectively null. There is no equal
    /// or like value" (IAM User Guide, "IAM policy elements: Variables and tags", Policy variables
    /// with no value). What a negation of that no-match means is decided, with the sentence it
    /// rests on, by the caller: a negated condition operator and `NotResource`.
    /// A default (`${key, 'value'}`) stands in for the absent key; a key that is unknown, or
    /// multivalued, makes the element unknown.
    pub(super) fn test(
        &self,
        ctx: &RequestContext,
        unknowns: &mut Unknowns,
        compile: impl Fn(&[Part]) -> T,
        test: impl Fn(&T) -> bool,
    ) -> Tri {
        if let Some(f) = &self.fixed {
            return Tri::from_bool(test(f));
        }
        match resolve(&self.parts, ctx, unknowns) {
            Subst::Value(parts) => Tri::from_bool(test(&compile(&parts))),
            Subst::NoMatch => Tri::False,
            Subst::Unknown => Tri::Unknown,
        }
    }
}

/// Whether an IAM action pattern (`ec2:*NetworkInterface*`) covers an action, case-insensitively.
pub fn action_matches(pattern: &str, action: &str) -> bool {
    Glob::compile(&parse_parts(pattern, false, true), Mode::Action).matches(action, true)
}

/// Whether a resource ARN pattern without policy variables covers a resource ARN.
pub fn resource_matches(pattern: &str, resource: &str) -> bool {
    Glob::compile(&parse_parts(pattern, false, true), Mode::Resource).matches(resource, false)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// `parse_parts` as it was first written, a character at a time: the reference the run-wise
    /// version must agree with.
    fn parse_parts_by_char(raw: &str, variables: bool, wildcards: bool) -> Vec<Part> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        let mut rest = raw;
        while let Some(c) = rest.chars().next() {
            if variables
                && rest.starts_with("${")
                && let Some((part, used)) = parse_variable(&rest[2..])
            {
                match part {
                    Part::Lit(s) => lit.push_str(&s),
                    other => {
                        flush(&mut parts, &mut lit);
                        parts.push(other);
                    }
                }
                rest = &rest[2 + used..];
                continue;
            }
            match c {
                '*' if wildcards => {
                    flush(&mut parts, &mut lit);
                    if parts.last() != Some(&Part::Star) {
                        parts.push(Part::Star);
                    }
                }
                '?' if wildcards => {
                    flush(&mut parts, &mut lit);
                    parts.push(Part::Quest);
                }
                _ => lit.push(c),
            }
            rest = &rest[c.len_utf8()..];
        }
        flush(&mut parts, &mut lit);
        parts
    }

    #[test]
    fn parts_are_read_a_run_at_a_time_as_they_were_a_character_at_a_time() {
        let cases = [
            "",
            "arn:aws:lambda:us-east-1:123456789012:function:f",
            "lambda:*",
            "*",
            "**",
            "a*?*b",
            "?",
            "$",
            "$$",
            "a$b",
            "${",
            "${}",
            "${aws:username}",
            "arn:aws:s3:::bucket/${aws:username}/*",
            "${aws:username, 'none'}",
            "${x, 'with } brace and '' quote'}",
            "${x, 'unclosed}",
            "${x 'no comma'}",
            "${*}${?}${$}",
            "é*ü?ß${aws:PrincipalTag/Team}λ",
            "*${aws:username}*",
            "tail$",
        ];
        for raw in cases {
            for variables in [false, true] {
                for wildcards in [false, true] {
                    assert_eq!(
                        parse_parts(raw, variables, wildcards),
                        parse_parts_by_char(raw, variables, wildcards),
                        "{raw:?} variables={variables} wildcards={wildcards}"
                    );
                }
            }
        }
    }

    #[test]
    fn action_wildcards_case_insensitive() {
        assert!(action_matches("ec2:*", "EC2:CreateNetworkInterface"));
        assert!(action_matches("*", "lambda:InvokeFunction"));
        assert!(action_matches(
            "ec2:*NetworkInterface*",
            "ec2:DescribeNetworkInterfaces"
        ));
        assert!(action_matches(
            "ec2:*NetworkInterface*",
            "ec2:CreateNetworkInterfacePermission"
        ));
        assert!(!action_matches(
            "ec2:*NetworkInterface*",
            "ec2:DescribeSubnets"
        ));
        assert!(action_matches("EC2:Describe?ubnets", "ec2:DescribeSubnets"));
        assert!(!action_matches("ec2:Describe?", "ec2:Describe"));
        assert!(action_matches(
            "ec2:CreateNetworkInterface",
            "ec2:createnetworkinterface"
        ));
        assert!(!action_matches(
            "ec2:CreateNetworkInterface",
            "ec2:CreateNetworkInterfaces"
        ));
        assert!(action_matches("s3:*Object*", "s3:GetObjectAcl"));
        assert!(action_matches("a*b*c", "aXXbYYbZZc"));
        assert!(!action_matches("a*b*c", "aXXbYYbZZ"));
    }

    #[test]
    fn resource_wildcards_follow_segment_rule() {
        assert!(resource_matches(
            "*",
            "arn:aws:ec2:us-east-1:1:network-interface/eni-1"
        ));
        assert!(resource_matches(
            "arn:aws:ec2:*:*:network-interface/*",
            "arn:aws:ec2:us-east-1:123:network-interface/eni-1"
        ));
        assert!(resource_matches(
            "arn:aws:s3:::bucket/*",
            "arn:aws:s3:::bucket/a/b/c"
        ));
        // A trailing * crosses colons ...
        assert!(resource_matches(
            "arn:aws:lambda:us-east-1:123:function:*",
            "arn:aws:lambda:us-east-1:123:function:f:prod"
        ));
        assert!(resource_matches(
            "arn:aws:ec2:*",
            "arn:aws:ec2:us-east-1:123:subnet/s-1"
        ));
        // ... a * inside a segment does not.
        assert!(!resource_matches(
            "arn:aws:lambda:*:123:function:a*z",
            "arn:aws:lambda:r:123:function:a:z"
        ));
        assert!(resource_matches(
            "arn:aws:lambda:*:123:function:a*z",
            "arn:aws:lambda:r:123:function:a-z"
        ));
        assert!(!resource_matches("arn:aws:s3:::b?c", "arn:aws:s3:::b:c"));
        // Case-sensitive.
        assert!(!resource_matches(
            "arn:aws:iam::123:user/Bob",
            "arn:aws:iam::123:user/bob"
        ));
        assert!(resource_matches(
            "arn:aws:iam::123:user/B?b",
            "arn:aws:iam::123:user/Bob"
        ));
    }

    #[test]
    fn unicode_question_mark_is_one_char() {
        assert!(resource_matches("arn:aws:s3:::b/?", "arn:aws:s3:::b/é"));
        assert!(!resource_matches("arn:aws:s3:::b/??", "arn:aws:s3:::b/é"));
        assert!(action_matches("x:?", "x:é"));
    }

    #[test]
    fn variables_and_special_characters() {
        let parts = parse_parts(
            "a/${aws:username}/${*}${?}${$}/${aws:userid, 'anon''s'}",
            true,
            true,
        );
        assert_eq!(
            parts,
            vec![
                Part::Lit("a/".into()),
                Part::Var {
                    key: "aws:username".into(),
                    default: None
                },
                Part::Lit("/*?$/".into()),
                Part::Var {
                    key: "aws:userid".into(),
                    default: Some("anon's".into())
                },
            ]
        );
        // Without Version 2012-10-17 the text is literal.
        assert_eq!(
            parse_parts("${aws:username}", false, true),
            vec![Part::Lit("${aws:username}".into())]
        );
        // Malformed variables stay literal.
        assert_eq!(
            parse_parts("${aws:username", true, false),
            vec![Part::Lit("${aws:username".into())]
        );
        assert_eq!(
            parse_parts("${x, nodefault}", true, false),
            vec![Part::Lit("${x, nodefault}".into())]
        );
        assert_eq!(
            parse_parts("${a, '}'}", true, false),
            vec![Part::Var {
                key: "a".into(),
                default: Some("}".into())
            }]
        );
    }

    #[test]
    fn resolve_three_ways() {
        let parts = parse_parts(
            "home/${aws:username, 'guest'}/${aws:PrincipalTag/team}",
            true,
            true,
        );
        let mut u = Unknowns::default();
        let ctx = RequestContext::new()
            .with_value("aws:username", "bob")
            .with_value("aws:principaltag/team", "net");
        match resolve(&parts, &ctx, &mut u) {
            Subst::Value(p) => assert_eq!(concat(&p), "home/bob/net"),
            other => panic!("{other:?}"),
        }
        let ctx = RequestContext::new()
            .unlisted_absent()
            .with_value("aws:principaltag/team", "net");
        match resolve(&parts, &ctx, &mut u) {
            Subst::Value(p) => assert_eq!(concat(&p), "home/guest/net"),
            other => panic!("{other:?}"),
        }
        let ctx = RequestContext::new()
            .unlisted_absent()
            .with_value("aws:username", "bob");
        assert!(matches!(resolve(&parts, &ctx, &mut u), Subst::NoMatch));
        let ctx = RequestContext::new().with_value("aws:username", "bob");
        assert!(matches!(resolve(&parts, &ctx, &mut u), Subst::Unknown));
        let ctx = RequestContext::new()
            .with_values("aws:username", ["a", "b"])
            .with_value("aws:principaltag/team", "net");
        assert!(matches!(resolve(&parts, &ctx, &mut u), Subst::Unknown));
        assert!(!u.causes.is_empty());
    }

    #[test]
    fn arn_like_is_component_wise() {
        // The IAM User Guide's example: StringLike matches, ArnLike does not.
        let pat = parse_parts("arn:aws:someservice:*:111122223333:finance/*", false, true);
        let value = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt";
        assert!(Glob::compile(&pat, Mode::Text).matches(value, false));
        assert!(!ArnGlob::compile(&pat).matches(value));
        assert!(
            ArnGlob::compile(&pat).matches("arn:aws:someservice:us-east-2:111122223333:finance/x")
        );
        let star = parse_parts("*", false, true);
        assert!(ArnGlob::compile(&star).matches("arn:aws:s3:::b"));
        let s3 = parse_parts("arn:aws:s3:::bucket-*", false, true);
        assert!(ArnGlob::compile(&s3).matches("arn:aws:s3:::bucket-1"));
        assert!(!ArnGlob::compile(&s3).matches("arn:aws:s3::bucket-1"));
    }

    #[test]
    fn greedy_and_dp_agree_on_unrestricted_patterns() {
        let pats = ["*a*", "a?c*", "*:*", "**x", "?", "", "a*b?c*d", "*é*"];
        let texts = [
            "", "a", "abc", "a:b", "xxx", "abxcd", "aXbYcZZd", "é", "aé:x",
        ];
        for p in pats {
            let parts = parse_parts(p, false, true);
            let toks: Vec<Tok> = match Glob::compile(&parts, Mode::Text) {
                Glob::General { toks, .. } => toks.into_vec(),
                _ => continue,
            };
            for t in texts {
                assert_eq!(
                    match_greedy(&toks, t.as_bytes(), false),
                    match_dp(&toks, t.as_bytes(), false),
                    "{p} vs {t}"
                );
            }
        }
    }
}
