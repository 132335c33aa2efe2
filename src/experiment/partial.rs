//! Partial results of a shard (`--shard K/N`), and merging them into the results of one
//! run. A partial result carries the scenario text and the request it ran, so a merge
//! needs nothing else and can refuse shards of different experiments.

use serde::{Deserialize, Serialize};

use super::{Experiment, PointAcc, Request, SpecError};

const FORMAT: &str = "salesim partial result 2";

/// What one shard computed.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Partial {
    /// The file's format, checked when merging.
    pub format: String,
    /// The salesim version that wrote it.
    pub version: String,
    /// The scenario's name.
    pub scenario: String,
    /// The scenario's seed.
    pub seed: u64,
    /// Hash of the scenario text and the request: equal for shards of one experiment.
    pub fingerprint: String,
    /// Replications of the whole experiment, over every shard.
    pub replications: u64,
    /// `[K, N]`
    pub shard: [u64; 2],
    /// Replications `[from, to)` this shard ran.
    pub range: [u64; 2],
    /// The scenario text the experiment ran.
    pub scenario_text: String,
    /// The options on top of the scenario's own.
    pub request: Request,
    /// Per sweep point, the statistics of this shard's replications.
    pub points: Vec<PointAcc>,
    /// FNV-1a of `points` as JSON, written with them: a file changed after the shard
    /// wrote it is refused.
    pub checksum: String,
}

/// FNV-1a over bytes, as 16 hex digits.
fn fnv(bytes: impl Iterator<Item = u8>) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// The checksum of a shard's statistics.
fn checksum(points: &[PointAcc]) -> String {
    fnv(serde_json::to_string(points)
        .unwrap_or_default()
        .into_bytes()
        .into_iter())
}

/// FNV-1a over the scenario text and the request, as 16 hex digits.
pub fn fingerprint(scenario_text: &str, request: &Request) -> String {
    let req = serde_json::to_string(request).unwrap_or_default();
    fnv(scenario_text.bytes().chain([0u8]).chain(req.bytes()))
}

impl Partial {
    /// The partial result of shard `k` of `n` of `exp`.
    pub fn new(
        exp: &Experiment,
        k: u64,
        n: u64,
        points: Vec<PointAcc>,
    ) -> Result<Partial, SpecError> {
        let range = exp.shard_range(k, n)?;
        let replications = match exp.replications {
            super::Replications::Fixed(r) => r,
            super::Replications::Auto { .. } => unreachable!("shard_range refuses auto"),
        };
        Ok(Partial {
            format: FORMAT.into(),
            version: env!("CARGO_PKG_VERSION").into(),
            scenario: exp.scenario_name.clone(),
            seed: exp.seed,
            fingerprint: fingerprint(&exp.scenario_text, &exp.request),
            replications,
            shard: [k, n],
            range: [range.start, range.end],
            scenario_text: exp.scenario_text.clone(),
            request: exp.request.clone(),
            checksum: checksum(&points),
            points,
        })
    }

    /// The replications `[from, to)` of shard `k` of `n` of `r` (as [`Experiment::shard_range`]).
    fn range_of(k: u64, n: u64, r: u64) -> [u64; 2] {
        let at = |i: u64| (u128::from(r) * u128::from(i) / u128::from(n)) as u64;
        [at(k - 1), at(k)]
    }

    /// Checks the partial against itself and against `exp`, the experiment its scenario
    /// and options make: its replications are its shard's, its statistics have the
    /// experiment's shape and count exactly those replications, and they are what the
    /// shard wrote (their checksum).
    pub fn check(&self, exp: &Experiment, origin: &str) -> Result<(), SpecError> {
        let fail = |check: String| Err(SpecError::Shards(format!("{origin}: {check}")));
        let [k, n] = self.shard;
        let want = Self::range_of(k, n, self.replications);
        if self.range != want {
            return fail(format!(
                "holds replications {}..{}, but shard {k}/{n} of {} runs {}..{}",
                self.range[0], self.range[1], self.replications, want[0], want[1]
            ));
        }
        if checksum(&self.points) != self.checksum {
            return fail(
                "its statistics do not match their checksum: the file was changed after the shard wrote it".into(),
            );
        }
        if self.points.len() != exp.points.len() {
            return fail(format!(
                "has {} points, the experiment has {}",
                self.points.len(),
                exp.points.len()
            ));
        }
        let reps = want[1] - want[0];
        for (p, acc) in self.points.iter().enumerate() {
            let at = format!("point {}", p + 1);
            if acc.n != reps {
                return fail(format!(
                    "{at} counts {} replications, the shard ran {reps}",
                    acc.n
                ));
            }
            let shape = acc.variants.len() == exp.variants.len()
                && acc.paired.len() == exp.variants.len()
                && acc.claims.len() == exp.claims.len()
                && acc
                    .variants
                    .iter()
                    .zip(&exp.metric_names)
                    .all(|(periods, names)| {
                        periods.len() == exp.periods()
                            && periods.iter().all(|m| m.len() == names.len())
                    })
                && acc
                    .paired
                    .iter()
                    .zip(&exp.metric_names)
                    .all(|(m, names)| m.len() == names.len());
            if !shape {
                return fail(format!(
                    "{at}: its statistics are not of the experiment's structures, months and metrics"
                ));
            }
            // An undefined value (no calls in a month) is left out of a statistic, so a
            // count may fall short of the replications, never exceed them.
            let counts = acc
                .variants
                .iter()
                .flatten()
                .flatten()
                .all(|a| a.moments.n <= reps && a.sketch.count_checked() == Some(a.moments.n))
                && acc
                    .paired
                    .iter()
                    .flatten()
                    .chain(&acc.claims)
                    .all(|c| c.n <= reps);
            if !counts {
                return fail(format!(
                    "{at}: a statistic counts other than the shard's {reps} replications"
                ));
            }
        }
        Ok(())
    }

    /// Reads a partial result from JSON text; `origin` names it in messages.
    pub fn from_json(text: &str, origin: &str) -> Result<Partial, SpecError> {
        let p: Partial = serde_json::from_str(text).map_err(|e| {
            SpecError::Shards(format!("{origin}: not a salesim partial result ({e})"))
        })?;
        if p.format != FORMAT {
            return Err(SpecError::Shards(format!(
                "{origin}: not a salesim partial result"
            )));
        }
        Ok(p)
    }
}

/// Merges the partial results of every shard of one experiment, in shard order.
/// `origins` name the partials in messages.
pub fn merge(parts: &[(String, Partial)]) -> Result<(Experiment, Vec<PointAcc>), SpecError> {
    let Some((first_origin, first)) = parts.first() else {
        return Err(SpecError::Shards(
            "nothing to merge: give the folders the shards wrote".into(),
        ));
    };
    let this = env!("CARGO_PKG_VERSION");
    for (o, p) in parts {
        if p.version != this {
            return Err(SpecError::Shards(format!(
                "{o}: written by salesim {}, this is salesim {this}; rerun the shard or merge with that version",
                p.version
            )));
        }
        if p.seed != first.seed {
            return Err(SpecError::Shards(format!(
                "{o} ran seed {} but {first_origin} ran seed {}: shards of different experiments",
                p.seed, first.seed
            )));
        }
        if p.fingerprint != first.fingerprint || p.scenario_text != first.scenario_text {
            return Err(SpecError::Shards(format!(
                "{o} ran a different scenario or options than {first_origin} (scenario `{}` vs `{}`): shards of different experiments",
                p.scenario, first.scenario
            )));
        }
        if p.shard[1] != first.shard[1] || p.replications != first.replications {
            return Err(SpecError::Shards(format!(
                "{o} is shard {}/{} of {} replications but {first_origin} is {}/{} of {}",
                p.shard[0],
                p.shard[1],
                p.replications,
                first.shard[0],
                first.shard[1],
                first.replications
            )));
        }
    }
    // The experiment the shards say they ran: their replications and shard count must be
    // its own before anything is sized by them.
    let exp = Experiment::new(&first.scenario_text, &first.request)?;
    let r = match exp.replications {
        super::Replications::Fixed(r) => r,
        super::Replications::Auto { .. } => {
            return Err(SpecError::Shards(format!(
                "{first_origin}: its options ask for auto replications, which shards do not run"
            )))
        }
    };
    let n = first.shard[1];
    if first.replications != r || n == 0 || n > r {
        return Err(SpecError::Shards(format!(
            "{first_origin}: shard {}/{n} of {} replications, but its scenario and options run {r} (and at most as many shards)",
            first.shard[0], first.replications
        )));
    }
    let mut by_shard: std::collections::BTreeMap<u64, &(String, Partial)> = Default::default();
    for part in parts {
        let k = part.1.shard[0];
        if k == 0 || k > n {
            return Err(SpecError::Shards(format!(
                "{}: shard {k}/{n} is out of range",
                part.0
            )));
        }
        if let Some(prev) = by_shard.insert(k, part) {
            return Err(SpecError::Shards(format!(
                "shard {k}/{n} given twice: {} and {}",
                prev.0, part.0
            )));
        }
    }
    if by_shard.len() as u64 != n {
        let missing: Vec<String> = (1..=n)
            .filter(|k| !by_shard.contains_key(k))
            .take(10)
            .map(|k| format!("{k}/{n}"))
            .collect();
        let more = n - by_shard.len() as u64 - missing.len() as u64;
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        return Err(SpecError::Shards(format!(
            "shard {}{more} missing",
            missing.join(", ")
        )));
    }
    let mut points: Vec<PointAcc> = (0..exp.points.len()).map(|_| exp.empty_acc()).collect();
    for (o, p) in by_shard.into_values() {
        p.check(&exp, o)?;
        for (acc, part) in points.iter_mut().zip(&p.points) {
            acc.merge(part);
        }
    }
    Ok((exp, points))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::{Discard, Replications};

    fn shard() -> (Experiment, Partial) {
        let text = crate::scenario::DEFAULT_TOML
            .replace("horizon_months = 36 ", "horizon_months = 1 ")
            .replace("warmup_months = 12 ", "warmup_months = 0 ");
        let request = Request {
            structures: Some(vec!["one_level".into(), "conveyor".into()]),
            replications: Some(Replications::Fixed(4)),
            ..Request::default()
        };
        let exp = Experiment::new(&text, &request).unwrap();
        let (acc, _) = exp.run_point(0, Some(0..2), &|_| {}, &mut Discard).unwrap();
        let p = Partial::new(&exp, 1, 2, vec![acc]).unwrap();
        (exp, p)
    }

    fn refused(exp: &Experiment, p: &Partial, says: &str) {
        let e = p.check(exp, "part1").unwrap_err().to_string();
        assert!(e.starts_with("part1: ") && e.contains(says), "{e}");
    }

    /// Each self-check, reached even by a tamperer who seals the changed statistics with
    /// a fresh checksum.
    #[test]
    fn a_partial_is_checked_against_itself() {
        let (exp, p) = shard();
        p.check(&exp, "part1").unwrap();
        let mut q = p.clone();
        q.points[0].variants[0][1][0].moments.mean *= 10.0;
        refused(&exp, &q, "do not match their checksum");
        let mut q = p.clone();
        q.points[0].n = u64::MAX;
        q.checksum = checksum(&q.points);
        refused(
            &exp,
            &q,
            "point 1 counts 18446744073709551615 replications, the shard ran 2",
        );
        let mut q = p.clone();
        q.points[0].variants.pop();
        q.checksum = checksum(&q.points);
        refused(&exp, &q, "not of the experiment's structures");
        let mut q = p.clone();
        q.points[0].variants[1][0][3].moments.n = 3;
        q.checksum = checksum(&q.points);
        refused(&exp, &q, "a statistic counts other than");
        let mut q = p.clone();
        q.points.clear();
        q.checksum = checksum(&q.points);
        refused(&exp, &q, "has 0 points, the experiment has 1");
        let mut q = p.clone();
        q.range = [0, 3];
        refused(
            &exp,
            &q,
            "holds replications 0..3, but shard 1/2 of 4 runs 0..2",
        );
    }

    #[test]
    fn shard_counts_are_checked_before_anything_is_sized_by_them() {
        let (_, p) = shard();
        for n in [1_000_000_000u64, u64::MAX] {
            let mut q = p.clone();
            q.shard = [1, n];
            let e = merge(&[("part1".into(), q)]).unwrap_err().to_string();
            assert!(e.contains("at most as many shards"), "{e}");
        }
        let mut q = p.clone();
        q.replications = u64::MAX;
        let e = merge(&[("part1".into(), q)]).unwrap_err().to_string();
        assert!(e.contains("but its scenario and options run 4"), "{e}");
    }
}
