//! Running an experiment: replications in parallel, statistics reduced in replication
//! order, so the numbers do not depend on the number of threads or on which replication
//! finished first.

use std::ops::Range;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::claims::{Claim, ClaimResult, Rhs};
use super::spec::{self, Axis, Reference, Replications, SpecError, Variant};
use super::stats::{Acc, CoMoments, Interval, Summary};
use super::Request;
use crate::scenario::reader::Reader;
use crate::scenario::{Scenario, ScenarioError};
use crate::sim::metrics::resolve;
use crate::sim::{self, metric_names, metric_values, Columns, Metric, MonthStats, RunResult};

/// Replications between two precision checks of `auto`: fixed, so that where `auto`
/// stops does not depend on the machine.
pub const BATCH: u64 = 20;

/// Replications of the first batch when their number is fixed: small, so that a
/// comparison's first checkpoint comes within moments of its start.
const FIRST_BATCH: u64 = 8;

/// The most replications between two reductions when their number is fixed.
const MAX_FIXED_BATCH: u64 = 256;

/// The wall time a batch aims at when the number is fixed: long enough to keep threads
/// busy, short enough that a checkpoint every 2 seconds can be kept. The results do not
/// depend on the batches (replications are reduced in their order whatever the batch),
/// so sizing them by the clock changes no number.
const BATCH_SECONDS: f64 = 0.5;

/// The next batch's size after one of `size` replications took `secs` seconds.
fn next_batch(size: u64, secs: f64) -> u64 {
    let per_rep = secs / size.max(1) as f64;
    if per_rep <= 0.0 {
        return MAX_FIXED_BATCH;
    }
    ((BATCH_SECONDS / per_rep) as u64).clamp(FIRST_BATCH, MAX_FIXED_BATCH)
}

/// An experiment ready to run: every variant at every sweep point has been validated.
#[derive(Debug)]
pub struct Experiment {
    /// The scenario's name.
    pub scenario_name: String,
    /// The scenario's seed: replication `i` draws from the streams of `(seed, i)`.
    pub seed: u64,
    /// The currency code money columns end with.
    pub currency: String,
    /// The language the scenario asks its results to be written in.
    pub lang: crate::scenario::Lang,
    /// The scenario text and request it was made from (kept for partial results).
    pub scenario_text: String,
    /// The options on top of the scenario's own.
    pub request: Request,
    /// The variants compared, in the order asked.
    pub variants: Vec<Variant>,
    /// The index of the baseline among the variants.
    pub baseline: usize,
    /// The swept fields.
    pub axes: Vec<Axis>,
    /// The points of the sweep's grid: one value per axis (one empty point without a sweep).
    pub points: Vec<Vec<f64>>,
    /// How many replications per point.
    pub replications: Replications,
    /// Months left out of the totals.
    pub warmup_months: usize,
    /// The claims tested.
    pub claims: Vec<Claim>,
    /// The scenario's claims about structures this run does not compare.
    pub skipped_claims: Vec<Claim>,
    /// Per variant: its metric columns.
    pub metric_names: Vec<Vec<String>>,
    /// First day of each month of the horizon, `YYYY-MM`.
    pub months: Vec<String>,
    /// Per variant and metric: the baseline's metric of the same name.
    pair_map: Vec<Vec<Option<usize>>>,
    /// Per claim: metric indices of its two operands.
    claim_metrics: Vec<(usize, usize, usize, usize)>,
    /// Per variant: the metric `auto` watches.
    precision_metric: Vec<usize>,
    /// Whether each variant also runs its reference department.
    pub reference: Reference,
    /// Per variant: the optional columns its runs write.
    columns: Vec<Columns>,
    base_table: toml::Table,
}

/// The metric called `name`, or `name` with the currency as unit.
fn unknown_metric(what: &str, name: &str, names: &[String]) -> SpecError {
    SpecError::Request(format!(
        "{what}: no metric `{name}`; metrics are {}",
        names.join(", ")
    ))
}

/// The scenario's table, the scenario itself and its experiment tables, with every
/// problem of both found in one pass.
pub(crate) fn read_scenario(
    text: &str,
) -> Result<(toml::Table, Scenario, spec::FileSpec), SpecError> {
    let invalid = |e: ScenarioError| match e {
        ScenarioError::Invalid(problems) => SpecError::Invalid(problems),
        other => SpecError::Request(other.to_string()),
    };
    let table = Scenario::table_from_str(text).map_err(invalid)?;
    let base = Scenario::from_table(&table);
    let mut r = Reader::default();
    let file = spec::read(&mut r, &table);
    super::staffing::check_table(&mut r, &table);
    super::teams::check_table(&mut r, &table);
    r.finish();
    match base {
        Ok(base) if r.problems.is_empty() => Ok((table, base, file)),
        Ok(_) => Err(SpecError::Invalid(r.problems)),
        Err(ScenarioError::Invalid(mut problems)) => {
            problems.extend(r.problems);
            Err(SpecError::Invalid(problems))
        }
        Err(other) => Err(invalid(other)),
    }
}

/// A warm-up must leave some of the horizon to total.
pub(crate) fn check_warmup(warmup: usize, months: usize) -> Result<(), SpecError> {
    if warmup >= months {
        return Err(SpecError::Request(format!(
            "experiment.warmup_months (or --warmup-months): a warm-up of {warmup} months leaves nothing of a {months}-month horizon; it must be less than horizon_months"
        )));
    }
    Ok(())
}

/// The variants to run, in the order asked: the request's list, the scenario's, or every
/// structure.
fn variants(
    request: &Request,
    file: &spec::FileSpec,
    base: &Scenario,
) -> Result<(Vec<String>, Vec<Variant>), SpecError> {
    let names: Vec<String> = match (&request.structures, &file.settings.structures) {
        (Some(v), _) | (None, Some(v)) => v.clone(),
        (None, None) => base
            .structure_names()
            .iter()
            .map(|s| s.to_string())
            .collect(),
    };
    let mut variants = vec![];
    for n in &names {
        if variants.iter().any(|v: &Variant| &v.name == n) {
            return Err(SpecError::Request(format!(
                "structure `{n}` is listed twice"
            )));
        }
        let v = if let Some(v) = file.variants.iter().find(|v| &v.name == n) {
            v.clone()
        } else if base.structure(n).is_some() {
            Variant {
                name: n.clone(),
                structure: n.clone(),
                description: None,
                overlay: toml::Table::new(),
                team: vec![],
            }
        } else {
            let mut known: Vec<&str> = base.structure_names();
            known.extend(file.variants.iter().map(|v| v.name.as_str()));
            return Err(SpecError::Request(format!(
                "unknown structure or variant `{n}`; known: {}",
                known.join(", ")
            )));
        };
        variants.push(v);
    }
    if variants.is_empty() {
        return Err(SpecError::Request("no structures to compare".into()));
    }
    Ok((names, variants))
}

/// The index of the baseline: a baseline asked for must be compared; the scenario's
/// default gives way to `one_level`, then to the first structure, when the run leaves it
/// out.
fn baseline(
    request: &Request,
    settings: &spec::Settings,
    names: &[String],
    variants: &[Variant],
) -> Result<usize, SpecError> {
    let in_run = |n: &String| names.iter().any(|m| m == n);
    let name = match &request.baseline {
        Some(b) => b.clone(),
        None => settings
            .baseline
            .clone()
            .filter(in_run)
            .or_else(|| Some("one_level".to_string()).filter(in_run))
            .unwrap_or_else(|| names[0].clone()),
    };
    variants.iter().position(|v| v.name == name).ok_or_else(|| {
        SpecError::Request(format!(
            "the baseline `{name}` is not among the structures compared ({})",
            names.join(", ")
        ))
    })
}

/// The sweep's axes (a `--set` replaces the scenario's axis of the same path) and the
/// points of their grid.
fn sweep(file: &[Axis], sets: &[String]) -> Result<(Vec<Axis>, Vec<Vec<f64>>), SpecError> {
    let mut axes = file.to_vec();
    let mut given: Vec<String> = vec![];
    for s in sets {
        let a = spec::parse_set(s)?;
        if given.contains(&a.path.text) {
            // Keeping one silently would run another sweep than the one asked for.
            return Err(SpecError::Request(format!(
                "--set {0}: given twice; give all its values once, e.g. --set {0}=1,2",
                a.path.text
            )));
        }
        given.push(a.path.text.clone());
        axes.retain(|b| b.path.text != a.path.text);
        axes.push(a);
    }
    let points = spec::grid(&axes);
    if points.len() > 100_000 {
        return Err(SpecError::Request(format!(
            "the sweep has {} points; at most 100000",
            points.len()
        )));
    }
    Ok((axes, points))
}

/// How many replications, from the request or the scenario.
fn replications(request: &Request, settings: &spec::Settings) -> Result<Replications, SpecError> {
    match request.replications.unwrap_or(settings.replications) {
        Replications::Fixed(0) => Err(SpecError::Request(
            "replications: must be at least 1".into(),
        )),
        Replications::Auto { precision, .. } if !(precision > 0.0 && precision < 1.0) => {
            Err(SpecError::Request(format!(
                "precision: must be a share between 0 and 1 (0.02 = 2%), found {precision}"
            )))
        }
        r => Ok(r),
    }
}

/// Refuses a variant or sweep point (`what`) whose calendar or currency is not the
/// scenario's: the experiment compares every structure month by month over one
/// calendar, labels the months from the scenario's start and names its money columns in
/// its currency, so a variant with its own would be mislabelled or cut.
fn same_frame(base: &Scenario, sc: &Scenario, what: impl Fn() -> String) -> Result<(), SpecError> {
    let (b, s) = (&base.calendar, &sc.calendar);
    let differs = if s.months() != b.months() {
        Some((
            "horizon_months",
            s.months().to_string(),
            b.months().to_string(),
        ))
    } else if s.start() != b.start() {
        Some(("start", s.start().to_string(), b.start().to_string()))
    } else if sc.currency != base.currency {
        Some(("currency", sc.currency.clone(), base.currency.clone()))
    } else {
        None
    };
    match differs {
        None => Ok(()),
        Some((field, own, scenario)) => Err(SpecError::Request(format!(
            "{}: {field} is {own}, the scenario's is {scenario}; a variant or sweep point keeps the scenario's start, horizon_months and currency (the structures are compared month by month on one calendar): run it as a scenario of its own",
            what()
        ))),
    }
}

/// Validates every variant at every point before anything runs; per variant, its metric
/// columns and whether it has turnover (at any point: then it writes the turnover
/// columns).
fn check_points(
    base: &Scenario,
    table: &toml::Table,
    variants: &[Variant],
    axes: &[Axis],
    points: &[Vec<f64>],
    currency: &str,
    reference: Reference,
) -> Result<(Vec<Vec<String>>, Vec<Columns>), SpecError> {
    let mut metric_names_v = vec![];
    let mut columns = vec![
        Columns {
            turnover: false,
            reference: reference != Reference::None,
        };
        variants.len()
    ];
    for (vi, v) in variants.iter().enumerate() {
        let mut roles_v = vec![];
        for p in points {
            let sc = spec::build(table, Some(v), axes, p)?;
            same_frame(base, &sc, || spec::label(Some(v), axes, p))?;
            let Some(s) = sc.structure(&v.structure) else {
                return Err(SpecError::Request(format!(
                    "variant {}: unknown structure `{}`; known: {}",
                    v.name,
                    v.structure,
                    sc.structure_names().join(", ")
                )));
            };
            columns[vi].turnover |= s.has_turnover();
            if roles_v.is_empty() {
                roles_v = s.roles.iter().map(|r| r.name.clone()).collect();
            }
        }
        metric_names_v.push(metric_names(&roles_v, currency, columns[vi]));
    }
    Ok((metric_names_v, columns))
}

/// The claims to test: the scenario's about structures this run compares (the others are
/// set aside: a run of two structures is not an error), and the request's, which must be
/// testable. Per claim, the variant and metric indices of its two operands.
#[allow(clippy::type_complexity)]
fn claims(
    file: &spec::FileSpec,
    request: &Request,
    variants: &[Variant],
    names: &[String],
    metric_names_v: &[Vec<String>],
    currency: &str,
) -> Result<(Vec<Claim>, Vec<Claim>, Vec<(usize, usize, usize, usize)>), SpecError> {
    let (mut claims, skipped): (Vec<_>, Vec<_>) = file
        .claims
        .iter()
        .cloned()
        .partition(|c| c.variants().iter().all(|v| names.iter().any(|n| n == v)));
    for c in &request.claims {
        claims.push(Claim::parse(c)?);
    }
    let mut indices = vec![];
    for c in &claims {
        let operand = |variant: &str, metric: &str| -> Result<(usize, usize), SpecError> {
            let v = variants
                .iter()
                .position(|v| v.name == variant)
                .ok_or_else(|| {
                    SpecError::Request(format!(
                        "claim `{}`: `{variant}` is not among the structures compared ({})",
                        c.text,
                        names.join(", ")
                    ))
                })?;
            let m = resolve(&metric_names_v[v], metric, currency).ok_or_else(|| {
                unknown_metric(&format!("claim `{}`", c.text), metric, &metric_names_v[v])
            })?;
            Ok((v, m))
        };
        let (a, ma) = operand(&c.lhs.variant, &c.lhs.metric)?;
        let (b, mb) = match &c.rhs {
            Rhs::Scaled { operand: o, .. } => operand(&o.variant, &o.metric)?,
            Rhs::Constant(_) => (a, ma),
        };
        indices.push((a, ma, b, mb));
    }
    Ok((claims, skipped, indices))
}

impl Experiment {
    /// Reads the experiment from a scenario's text and the request's options.
    pub fn new(scenario_text: &str, request: &Request) -> Result<Experiment, SpecError> {
        let (table, base, file) = read_scenario(scenario_text)?;
        let settings = &file.settings;
        let (names, mut variants) = variants(request, &file, &base)?;
        for t in &request.teams {
            let v = variants
                .iter_mut()
                .find(|v| v.name == t.variant)
                .ok_or_else(|| {
                    SpecError::Request(format!(
                        "a team is given for `{}`, which is not among the structures compared ({})",
                        t.variant,
                        names.join(", ")
                    ))
                })?;
            v.team = t.roles.clone();
        }
        let baseline = baseline(request, settings, &names, &variants)?;
        let (axes, points) = sweep(&file.sweep, &request.sets)?;
        let replications = replications(request, settings)?;
        let warmup_months = request.warmup_months.unwrap_or(settings.warmup_months);
        check_warmup(warmup_months, base.calendar.months())?;
        let currency = base.currency.clone();
        let reference = request.reference.unwrap_or(settings.reference);
        let (metric_names_v, columns) = check_points(
            &base, &table, &variants, &axes, &points, &currency, reference,
        )?;
        let pair_map = metric_names_v
            .iter()
            .map(|names| {
                names
                    .iter()
                    .map(|n| metric_names_v[baseline].iter().position(|b| b == n))
                    .collect()
            })
            .collect();
        let (claims, skipped_claims, claim_metrics) = claims(
            &file,
            request,
            &variants,
            &names,
            &metric_names_v,
            &currency,
        )?;
        let pm = request
            .precision_metric
            .clone()
            .unwrap_or_else(|| settings.precision_metric.clone());
        let precision_metric = metric_names_v
            .iter()
            .map(|names| {
                resolve(names, &pm, &currency)
                    .ok_or_else(|| unknown_metric("the precision metric", &pm, names))
            })
            .collect::<Result<_, _>>()?;
        let months = (0..base.calendar.months())
            .map(|m| {
                let d = base.calendar.month_date(m);
                format!("{:04}-{:02}", d.year, d.month)
            })
            .collect();
        Ok(Experiment {
            scenario_name: base.name.clone(),
            seed: base.seed,
            currency,
            lang: base.lang,
            scenario_text: scenario_text.to_string(),
            request: request.clone(),
            variants,
            baseline,
            axes,
            points,
            replications,
            warmup_months,
            claims,
            skipped_claims,
            metric_names: metric_names_v,
            months,
            pair_map,
            claim_metrics,
            precision_metric,
            reference,
            columns,
            base_table: table,
        })
    }

    /// The replications of shard `k` of `n` (from 1): a contiguous range.
    pub fn shard_range(&self, k: u64, n: u64) -> Result<Range<u64>, SpecError> {
        let Replications::Fixed(r) = self.replications else {
            return Err(SpecError::Request(
                "--shard needs a fixed number of replications, not auto: shards cannot see each other's precision".into(),
            ));
        };
        if n == 0 || k == 0 || k > n {
            return Err(SpecError::Request(format!(
                "--shard {k}/{n}: K must be from 1 to N"
            )));
        }
        if n > r {
            return Err(SpecError::Request(format!(
                "--shard {k}/{n}: more shards than the {r} replications"
            )));
        }
        Ok(r * (k - 1) / n..r * k / n)
    }

    /// The metric `auto` watches (and a sweep chart shows by default), by its column name.
    pub fn precision_metric_name(&self) -> &str {
        &self.metric_names[0][self.precision_metric[0]]
    }

    /// The months the totals cover, as indices into `months`: those after the warm-up.
    pub fn counted(&self) -> Range<usize> {
        self.warmup_months.min(self.months.len())..self.months.len()
    }

    /// Number of periods per variant: the months, then the total.
    pub fn periods(&self) -> usize {
        self.months.len() + 1
    }

    /// The scenario's table as read, before any variant or sweep point.
    pub fn base_table(&self) -> &toml::Table {
        &self.base_table
    }

    /// The scenarios of every variant at point `p`, with their structure index.
    pub fn prepare(&self, p: usize) -> Vec<(Scenario, usize)> {
        self.variants
            .iter()
            .map(|v| {
                let sc = spec::build(&self.base_table, Some(v), &self.axes, &self.points[p])
                    .expect("validated when the experiment was made");
                let s = sc
                    .structure_names()
                    .iter()
                    .position(|&n| n == v.structure)
                    .expect("validated when the experiment was made");
                (sc, s)
            })
            .collect()
    }

    /// The traps in the scenario as each variant runs it at point `p` (each once).
    pub fn warnings(&self, p: usize) -> Vec<crate::scenario::Warning> {
        let mut out: Vec<crate::scenario::Warning> = vec![];
        for (sc, s) in self.prepare(p) {
            let mut ws = crate::scenario::scenario_warnings(&sc);
            ws.extend(crate::scenario::structure_warnings(&sc, &sc.structures[s]));
            for w in ws {
                if !out.contains(&w) {
                    out.push(w);
                }
            }
        }
        out
    }

    /// Empty accumulators for a point.
    pub fn empty_acc(&self) -> PointAcc {
        let periods = self.periods();
        PointAcc {
            n: 0,
            variants: self
                .metric_names
                .iter()
                .map(|names| vec![vec![Acc::default(); names.len()]; periods])
                .collect(),
            paired: self
                .metric_names
                .iter()
                .map(|names| vec![CoMoments::default(); names.len()])
                .collect(),
            claims: vec![CoMoments::default(); self.claims.len()],
        }
    }

    /// The metric values of one run: each month's, then the total (warm-up excluded),
    /// flattened period by period.
    fn values(&self, r: &RunResult, v: usize) -> Vec<f64> {
        let columns = self.columns[v];
        let mut out = Vec::with_capacity(self.periods() * 64);
        for m in &r.months {
            metric_values(m, r.gross_margin, columns, &mut out);
        }
        let mut t = MonthStats::new(r.role_names.len());
        for m in &r.months[self.warmup_months..] {
            t.accumulate(m);
        }
        metric_values(&t, r.gross_margin, columns, &mut out);
        out
    }

    /// Replication `rep` of the variant prepared as `(sc, s)`, with its reference
    /// department's inbound losses booked month by month when the experiment has one.
    fn run_one(
        &self,
        sc: &Scenario,
        s: usize,
        reference: Option<&Scenario>,
        rep: u64,
    ) -> RunResult {
        let mut r = sim::run(sc, s, rep);
        if let Some(twin) = reference {
            let t = sim::run(twin, s, rep);
            for (m, tm) in r.months.iter_mut().zip(&t.months) {
                m.reference_lost = tm.cohort_lost;
                m.reference_won = tm.cohort_kept;
            }
        }
        r
    }

    fn add(&self, acc: &mut PointAcc, runs: &[Vec<f64>]) {
        acc.n += 1;
        let periods = self.periods();
        for (v, vals) in runs.iter().enumerate() {
            let m = self.metric_names[v].len();
            for p in 0..periods {
                for (j, a) in acc.variants[v][p].iter_mut().enumerate() {
                    a.add(vals[p * m + j]);
                }
            }
        }
        let tot = |v: usize| &runs[v][(periods - 1) * self.metric_names[v].len()..];
        let base = tot(self.baseline);
        for (v, map) in self.pair_map.iter().enumerate() {
            let t = tot(v);
            for (j, b) in map.iter().enumerate() {
                if let Some(b) = b {
                    acc.paired[v][j].add(t[j], base[*b]);
                }
            }
        }
        for (c, &(a, ma, b, mb)) in self.claim_metrics.iter().enumerate() {
            acc.claims[c].add(tot(a)[ma], tot(b)[mb]);
        }
    }

    /// Runs point `p` over the replications `range` (every replication when `None`;
    /// `auto` decides its own count), reporting each finished run to `progress` and each
    /// replication's totals to `sink`.
    pub fn run_point(
        &self,
        p: usize,
        range: Option<Range<u64>>,
        progress: &(dyn Fn(u64) + Sync),
        sink: &mut dyn Sink,
    ) -> std::io::Result<(PointAcc, Option<Stop>)> {
        let prepared = self.prepare(p);
        let references: Vec<Option<Scenario>> = prepared
            .iter()
            .map(|(sc, s)| (self.reference != Reference::None).then(|| sc.reference(*s)))
            .collect();
        let nv = prepared.len();
        let mut acc = self.empty_acc();
        let (range, auto) = match (range, self.replications) {
            (Some(r), _) => (r, None),
            (None, Replications::Fixed(n)) => (0..n, None),
            (None, Replications::Auto { precision, max }) => (0..max, Some(precision)),
        };
        let mut next = range.start;
        let mut stop = None;
        let mut batch = if auto.is_some() { BATCH } else { FIRST_BATCH };
        while next < range.end {
            let started = std::time::Instant::now();
            let end = (next + batch).min(range.end);
            let tasks = ((end - next) as usize) * nv;
            let runs: Vec<Vec<f64>> = (0..tasks)
                .into_par_iter()
                .map(|i| {
                    let rep = next + (i / nv) as u64;
                    let (sc, s) = &prepared[i % nv];
                    let r = self.run_one(sc, *s, references[i % nv].as_ref(), rep);
                    progress(1);
                    self.values(&r, i % nv)
                })
                .collect();
            for (k, chunk) in runs.chunks(nv).enumerate() {
                let rep = next + k as u64;
                self.add(&mut acc, chunk);
                let totals: Vec<&[f64]> = chunk
                    .iter()
                    .enumerate()
                    .map(|(v, vals)| {
                        let m = self.metric_names[v].len();
                        &vals[(self.periods() - 1) * m..]
                    })
                    .collect();
                sink.replication(p, rep, &totals)?;
            }
            if auto.is_none() {
                batch = next_batch(end - next, started.elapsed().as_secs_f64());
            }
            next = end;
            if let Some(precision) = auto {
                if let Some(s) = self.precise_enough(&acc, precision) {
                    stop = Some(s);
                    break;
                }
            }
            if next < range.end {
                sink.batch(p, &acc, range.end - range.start)?;
            }
        }
        if auto.is_some() && stop.is_none() {
            stop = Some(Stop::MaxReached {
                replications: acc.n,
            });
        }
        Ok((acc, stop))
    }

    /// `Some` when every variant's precision metric has a CI half-width within
    /// `precision` of its mean (at least two batches first).
    fn precise_enough(&self, acc: &PointAcc, precision: f64) -> Option<Stop> {
        if acc.n < 2 * BATCH {
            return None;
        }
        let last = self.periods() - 1;
        let worst = (0..self.variants.len())
            .map(|v| {
                let m = &acc.variants[v][last][self.precision_metric[v]].moments;
                m.half_width() / m.mean.abs()
            })
            .fold(
                0.0f64,
                |a, b| if b.is_nan() { f64::INFINITY } else { a.max(b) },
            );
        (worst <= precision).then_some(Stop::Precision {
            replications: acc.n,
            relative_half_width: worst,
        })
    }

    /// The results of a point from its accumulators.
    pub fn result(&self, p: usize, acc: &PointAcc, stop: Option<Stop>) -> PointResult {
        let last = self.periods() - 1;
        let variants = self
            .variants
            .iter()
            .enumerate()
            .map(|(v, var)| VariantResult {
                name: var.name.clone(),
                structure: var.structure.clone(),
                metrics: self.metric_names[v].clone(),
                currency: self.currency.clone(),
                totals: acc.variants[v][last].iter().map(Acc::summary).collect(),
                monthly: acc.variants[v][..last]
                    .iter()
                    .map(|ms| ms.iter().map(Acc::summary).collect())
                    .collect(),
            })
            .collect();
        let mut differences = vec![];
        for (v, map) in self.pair_map.iter().enumerate() {
            if v == self.baseline {
                continue;
            }
            for (j, b) in map.iter().enumerate() {
                if b.is_none() {
                    continue;
                }
                let c = &acc.paired[v][j];
                differences.push(Difference {
                    structure: self.variants[v].name.clone(),
                    baseline: self.variants[self.baseline].name.clone(),
                    metric: self.metric_names[v][j].clone(),
                    paired: c.difference(1.0),
                    unpaired_half_width: c.unpaired_half_width(),
                    correlation: c.correlation(),
                });
            }
        }
        let claims = self
            .claims
            .iter()
            .zip(&acc.claims)
            .map(|(c, pairs)| c.judge(pairs))
            .collect();
        PointResult {
            index: p,
            params: self
                .axes
                .iter()
                .zip(&self.points[p])
                .map(|(a, &value)| Param {
                    path: a.path.text.clone(),
                    column: a.path.column(),
                    value,
                    name: a.name_at(value).map(String::from),
                })
                .collect(),
            replications: acc.n,
            stop,
            variants,
            differences,
            claims,
        }
    }

    /// Every metric column of any variant, in first-seen order (the columns of
    /// `replications.csv`).
    pub fn all_metrics(&self) -> Vec<String> {
        let mut out: Vec<String> = vec![];
        for names in &self.metric_names {
            for n in names {
                if !out.contains(n) {
                    out.push(n.clone());
                }
            }
        }
        out
    }
}

/// Receives results as they are made.
pub trait Sink {
    /// One replication finished for every variant: their totals, in variant order.
    fn replication(
        &mut self,
        point: usize,
        replication: u64,
        totals: &[&[f64]],
    ) -> std::io::Result<()>;

    /// A batch of replications finished and more are to come: `acc` holds every
    /// replication of the point so far, `planned` is the most it will run.
    fn batch(&mut self, _point: usize, _acc: &PointAcc, _planned: u64) -> std::io::Result<()> {
        Ok(())
    }
}

/// A sink that keeps nothing.
pub struct Discard;

impl Sink for Discard {
    fn replication(&mut self, _: usize, _: u64, _: &[&[f64]]) -> std::io::Result<()> {
        Ok(())
    }
}

/// Accumulated statistics of one point: mergeable across shards.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PointAcc {
    /// Replications seen.
    pub n: u64,
    /// `[variant][period][metric]`, the last period being the total.
    pub variants: Vec<Vec<Vec<Acc>>>,
    /// `[variant][metric]`: (variant total, baseline total) pairs.
    pub paired: Vec<Vec<CoMoments>>,
    /// Per claim: (left, right) totals.
    pub claims: Vec<CoMoments>,
}

impl PointAcc {
    /// Adds another shard's statistics of the same point.
    pub fn merge(&mut self, o: &PointAcc) {
        self.n += o.n;
        for (a, b) in self.variants.iter_mut().zip(&o.variants) {
            for (pa, pb) in a.iter_mut().zip(b) {
                for (x, y) in pa.iter_mut().zip(pb) {
                    x.merge(y);
                }
            }
        }
        for (a, b) in self.paired.iter_mut().zip(&o.paired) {
            for (x, y) in a.iter_mut().zip(b) {
                x.merge(y);
            }
        }
        for (x, y) in self.claims.iter_mut().zip(&o.claims) {
            x.merge(y);
        }
    }
}

/// Why `auto` stopped adding replications.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Stop {
    /// Every variant reached the precision asked for.
    Precision {
        /// Replications run.
        replications: u64,
        /// The widest 95% half-width, as a share of its mean.
        relative_half_width: f64,
    },
    /// The maximum number of replications ran first.
    MaxReached {
        /// Replications run.
        replications: u64,
    },
}

/// A swept field's value at a point.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Param {
    /// The field's path in the scenario.
    pub path: String,
    /// Its column in the output files.
    pub column: String,
    /// Its value at the point (for a field that takes a name, the name's position).
    pub value: f64,
    /// The name it is set to, for a field that takes one (`response.decay`).
    pub name: Option<String>,
}

/// A structure's statistics at one point.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VariantResult {
    /// The variant's name.
    pub name: String,
    /// The structure it runs.
    pub structure: String,
    /// Its metric columns, in output order.
    pub metrics: Vec<String>,
    /// The currency code money columns end with.
    #[serde(skip)]
    pub currency: String,
    /// Per metric, over the horizon (warm-up excluded).
    pub totals: Vec<Summary>,
    /// `[month][metric]`.
    pub monthly: Vec<Vec<Summary>>,
}

impl VariantResult {
    /// The total of `metric`.
    pub fn total(&self, metric: Metric) -> Option<&Summary> {
        let column = metric.column(&self.currency);
        let i = self.metrics.iter().position(|m| *m == column)?;
        self.totals.get(i)
    }
}

/// A structure minus the baseline on the same replications.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Difference {
    /// The variant.
    pub structure: String,
    /// The baseline it is compared with.
    pub baseline: String,
    /// The metric's column.
    pub metric: String,
    /// Mean paired difference with its 95% interval.
    pub paired: Interval,
    /// What the half-width would be without common random numbers.
    pub unpaired_half_width: f64,
    /// Correlation of the two structures' values across replications.
    pub correlation: f64,
}

/// Everything one point of an experiment found.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PointResult {
    /// The point's index, from 0.
    pub index: usize,
    /// The swept fields' values at the point.
    pub params: Vec<Param>,
    /// Replications run at the point.
    pub replications: u64,
    /// For `auto`: why it stopped.
    pub stop: Option<Stop>,
    /// Per variant, its statistics.
    pub variants: Vec<VariantResult>,
    /// Per variant other than the baseline and metric, the paired difference.
    pub differences: Vec<Difference>,
    /// The claims' verdicts.
    pub claims: Vec<ClaimResult>,
}
