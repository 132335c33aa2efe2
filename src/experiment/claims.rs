//! Practitioners' claims as hypotheses: `conveyor.gross_profit >= 2.0 * one_level.gross_profit`
//! is tested on paired replications (common random numbers), never assumed.
//!
//! The claim `a OP k * b` holds on average when the mean of the per-replication
//! difference `a - k b` has the sign `OP` asks for. The verdict is **supported** when the
//! whole 95% confidence interval of that mean is on the claimed side of zero,
//! **refuted** when it is all on the other side, and **inconclusive** otherwise.

use std::fmt;

use serde::Serialize;

use super::error::SpecError;
use super::stats::{CoMoments, Interval};

/// A comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Op {
    /// At least.
    #[serde(rename = ">=")]
    Ge,
    /// More than.
    #[serde(rename = ">")]
    Gt,
    /// At most.
    #[serde(rename = "<=")]
    Le,
    /// Less than.
    #[serde(rename = "<")]
    Lt,
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Op::Ge => ">=",
            Op::Gt => ">",
            Op::Le => "<=",
            Op::Lt => "<",
        })
    }
}

/// `variant.metric`
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Operand {
    /// The structure or variant.
    pub variant: String,
    /// The metric, with or without its currency code.
    pub metric: String,
}

/// The right-hand side: `k * variant.metric`, or a constant.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Rhs {
    /// `k` times an operand.
    Scaled {
        /// The factor.
        k: f64,
        /// The structure and metric.
        operand: Operand,
    },
    /// A number.
    Constant(f64),
}

/// A claim to test.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Claim {
    /// The claim as written.
    pub text: String,
    /// Who makes the claim (a book, a consultant, DOMAIN.md's section).
    pub source: Option<String>,
    /// The left side.
    pub lhs: Operand,
    /// The comparison.
    pub op: Op,
    /// The right side.
    pub rhs: Rhs,
}

/// What the replications say of a claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The whole 95% interval is on the claim's side.
    Supported,
    /// The whole 95% interval is on the other side.
    Refuted,
    /// The interval straddles the line: the replications cannot tell.
    Inconclusive,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verdict::Supported => "supported",
            Verdict::Refuted => "refuted",
            Verdict::Inconclusive => "inconclusive",
        })
    }
}

/// A tested claim.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClaimResult {
    /// The claim tested.
    pub claim: Claim,
    /// What the replications say.
    pub verdict: Verdict,
    /// Mean of `a - k b` (or `a - c`) with its 95% interval.
    pub difference: Interval,
    /// `mean a / mean b` with its 95% interval (a scaled claim only).
    pub ratio: Option<Interval>,
}

fn operand(s: &str, text: &str) -> Result<Operand, SpecError> {
    let s = s.trim();
    match s.split_once('.') {
        Some((v, m)) if !v.is_empty() && !m.is_empty() && !m.contains('.') => Ok(Operand {
            variant: v.trim().to_string(),
            metric: m.trim().to_string(),
        }),
        _ => Err(SpecError::Request(format!(
            "claim `{text}`: `{s}` should be structure.metric, e.g. conveyor.gross_profit"
        ))),
    }
}

impl Claim {
    /// Parses `a.m OP [k *] b.m`, `a.m OP b.m * k` or `a.m OP number`.
    pub fn parse(text: &str) -> Result<Claim, SpecError> {
        let t = text.trim();
        let ops = [(">=", Op::Ge), ("<=", Op::Le), (">", Op::Gt), ("<", Op::Lt)];
        let Some((i, len, op)) = ops
            .iter()
            .find_map(|&(s, op)| t.find(s).map(|i| (i, s.len(), op)))
        else {
            return Err(SpecError::Request(format!(
                "claim `{t}`: no comparison; write e.g. conveyor.gross_profit >= 2.0 * one_level.gross_profit"
            )));
        };
        let lhs = operand(&t[..i], t)?;
        let r = t[i + len..].trim();
        let number = |s: &str| s.trim().parse::<f64>().ok().filter(|x| x.is_finite());
        let rhs = if let Some(c) = number(r) {
            Rhs::Constant(c)
        } else if let Some((a, b)) = r.split_once('*') {
            match (number(a), number(b)) {
                (Some(k), None) => Rhs::Scaled {
                    k,
                    operand: operand(b, t)?,
                },
                (None, Some(k)) => Rhs::Scaled {
                    k,
                    operand: operand(a, t)?,
                },
                _ => {
                    return Err(SpecError::Request(format!(
                        "claim `{t}`: the right side should be a number times structure.metric"
                    )))
                }
            }
        } else {
            Rhs::Scaled {
                k: 1.0,
                operand: operand(r, t)?,
            }
        };
        Ok(Claim {
            text: t.to_string(),
            source: None,
            lhs,
            op,
            rhs,
        })
    }

    /// The variants the claim compares.
    pub fn variants(&self) -> Vec<&str> {
        let mut v = vec![self.lhs.variant.as_str()];
        if let Rhs::Scaled { operand, .. } = &self.rhs {
            v.push(operand.variant.as_str());
        }
        v
    }

    /// The factor `k` of `a - k b` (0 for a constant right side).
    pub fn k(&self) -> f64 {
        match self.rhs {
            Rhs::Scaled { k, .. } => k,
            Rhs::Constant(_) => 0.0,
        }
    }

    /// The verdict from the paired values `(a, b)` (for a constant, `b` is unused).
    pub fn judge(&self, pairs: &CoMoments) -> ClaimResult {
        let (difference, ratio) = match self.rhs {
            Rhs::Scaled { k, .. } => (pairs.difference(k), Some(pairs.ratio())),
            Rhs::Constant(c) => {
                let mut d = pairs.difference(0.0);
                d.estimate -= c;
                (d, None)
            }
        };
        let (lo, hi) = (difference.low(), difference.high());
        let verdict = if !lo.is_finite() || !hi.is_finite() {
            Verdict::Inconclusive
        } else {
            let (yes, no) = match self.op {
                Op::Ge | Op::Gt => (lo > 0.0, hi < 0.0),
                Op::Le | Op::Lt => (hi < 0.0, lo > 0.0),
            };
            if yes {
                Verdict::Supported
            } else if no {
                Verdict::Refuted
            } else {
                Verdict::Inconclusive
            }
        };
        ClaimResult {
            claim: self.clone(),
            verdict,
            difference,
            ratio,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms() {
        let c = Claim::parse("conveyor.gross_profit >= 2.0 * one_level.gross_profit").unwrap();
        assert_eq!(c.lhs.variant, "conveyor");
        assert_eq!(c.op, Op::Ge);
        assert_eq!(c.k(), 2.0);
        let c = Claim::parse("lead_chopper.lost_leads <= one_level.lost_leads * 0.5").unwrap();
        assert_eq!(c.op, Op::Le);
        assert_eq!(c.k(), 0.5);
        let c = Claim::parse("a.x < 10").unwrap();
        assert_eq!(c.rhs, Rhs::Constant(10.0));
        assert!(Claim::parse("a.x == b.x").is_err());
        assert!(Claim::parse("ax >= b.x")
            .unwrap_err()
            .to_string()
            .contains("structure.metric"));
    }

    #[test]
    fn verdicts_follow_the_interval() {
        let mut pairs = CoMoments::default();
        for i in 0..100 {
            let noise = f64::from(i % 7);
            pairs.add(30.0 + noise, 10.0 + noise);
        }
        let ge2 = Claim::parse("a.m >= 2 * b.m").unwrap();
        assert_eq!(ge2.judge(&pairs).verdict, Verdict::Supported);
        let ge4 = Claim::parse("a.m >= 4 * b.m").unwrap();
        assert_eq!(ge4.judge(&pairs).verdict, Verdict::Refuted);
        let le = Claim::parse("a.m <= 2 * b.m").unwrap();
        assert_eq!(le.judge(&pairs).verdict, Verdict::Refuted);
        // The mean of a is about 32.94 with a CI of about +-0.4: 33 is inside it.
        let c33 = Claim::parse("a.m >= 33").unwrap();
        assert_eq!(c33.judge(&pairs).verdict, Verdict::Inconclusive);
    }
}
