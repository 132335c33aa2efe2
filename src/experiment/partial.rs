//! Partial results of a shard (`--shard K/N`), and merging them into the results of one
//! run. A partial result carries the scenario text and the request it ran, so a merge
//! needs nothing else and can refuse shards of different experiments.

use serde::{Deserialize, Serialize};

use super::{Experiment, PointAcc, Request, SpecError};

const FORMAT: &str = "salesim partial result";

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
}

/// FNV-1a over the scenario text and the request, as 16 hex digits.
pub fn fingerprint(scenario_text: &str, request: &Request) -> String {
    let req = serde_json::to_string(request).unwrap_or_default();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in scenario_text.bytes().chain([0u8]).chain(req.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
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
            points,
        })
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
pub fn merge(parts: Vec<(String, Partial)>) -> Result<(Experiment, Vec<PointAcc>), SpecError> {
    let Some((first_origin, first)) = parts.first() else {
        return Err(SpecError::Shards(
            "nothing to merge: give the folders the shards wrote".into(),
        ));
    };
    let this = env!("CARGO_PKG_VERSION");
    for (o, p) in &parts {
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
    let n = first.shard[1];
    let mut by_shard: Vec<Option<&(String, Partial)>> = vec![None; n as usize];
    for part in &parts {
        let k = part.1.shard[0];
        if k == 0 || k > n {
            return Err(SpecError::Shards(format!(
                "{}: shard {k}/{n} is out of range",
                part.0
            )));
        }
        if let Some(prev) = by_shard[(k - 1) as usize] {
            return Err(SpecError::Shards(format!(
                "shard {k}/{n} given twice: {} and {}",
                prev.0, part.0
            )));
        }
        by_shard[(k - 1) as usize] = Some(part);
    }
    let missing: Vec<String> = by_shard
        .iter()
        .enumerate()
        .filter(|(_, p)| p.is_none())
        .map(|(i, _)| format!("{}/{n}", i + 1))
        .collect();
    if !missing.is_empty() {
        return Err(SpecError::Shards(format!(
            "shard {} missing",
            missing.join(", ")
        )));
    }
    let exp = Experiment::new(&first.scenario_text, &first.request)?;
    let mut points: Vec<PointAcc> = (0..exp.points.len()).map(|_| exp.empty_acc()).collect();
    for (o, p) in by_shard.into_iter().flatten() {
        if p.points.len() != points.len() {
            return Err(SpecError::Shards(format!(
                "{o}: has {} points, expected {}",
                p.points.len(),
                points.len()
            )));
        }
        for (acc, part) in points.iter_mut().zip(&p.points) {
            acc.merge(part);
        }
    }
    Ok((exp, points))
}
