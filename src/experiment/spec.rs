//! What an experiment runs: variants (a structure plus overrides), sweep axes over
//! numeric fields named by their path, claims, replications. Read from the scenario's
//! `[experiment]`, `[variants.NAME]`, `[sweep]` and `[[claim]]` tables and from options.
//!
//! Overrides act on the scenario's TOML table before it is validated, so an override is
//! checked by exactly the rules a scenario file is, and its problems name its path.

use std::fmt;

use toml::{Table, Value};

use super::claims::Claim;
pub use super::error::SpecError;
use crate::scenario::reader::{join, shown, Range, Reader};
use crate::scenario::{Scenario, ScenarioError};

fn err<T>(msg: impl Into<String>) -> Result<T, SpecError> {
    Err(SpecError::Request(msg.into()))
}

/// One step of a field path.
#[derive(Clone, Debug, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

/// The path of a numeric field in the scenario: dotted keys, with `[i]` for an element
/// of a list (`roles.call_centre.count`, `demand.seasonality[5]`).
#[derive(Clone, Debug, PartialEq)]
pub struct FieldPath {
    /// The path as written.
    pub text: String,
    steps: Vec<Step>,
}

impl FieldPath {
    /// Parses a path; a malformed one is refused with what is wrong.
    pub fn parse(text: &str) -> Result<FieldPath, SpecError> {
        let text = text.trim();
        let mut steps = vec![];
        for part in text.split('.') {
            let (key, mut rest) = match part.find('[') {
                Some(i) => (&part[..i], &part[i..]),
                None => (part, ""),
            };
            let ok_key = !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            if !ok_key {
                return err(format!(
                    "`{text}` is not a field path: use dotted names like roles.call_centre.count, with [i] for a list element"
                ));
            }
            steps.push(Step::Key(key.to_string()));
            while let Some(r) = rest.strip_prefix('[') {
                let Some(end) = r.find(']') else {
                    return err(format!("`{text}`: `[` without `]`"));
                };
                let Ok(i) = r[..end].trim().parse::<usize>() else {
                    return err(format!(
                        "`{text}`: a list index is a whole number from 0, found `{}`",
                        &r[..end]
                    ));
                };
                steps.push(Step::Index(i));
                rest = &r[end + 1..];
            }
            if !rest.is_empty() {
                return err(format!("`{text}`: unexpected `{rest}`"));
            }
        }
        Ok(FieldPath {
            text: text.to_string(),
            steps,
        })
    }

    /// For a role's field (`roles.R.F...`): the same field in each structure's own table
    /// for role R that gives F (`structures.S.roles.R.F...`), which takes precedence over
    /// it. Empty for any other path.
    fn shadows(&self, table: &Table) -> Vec<FieldPath> {
        let (Some(Step::Key(first)), Some(Step::Key(role)), Some(Step::Key(field))) =
            (self.steps.first(), self.steps.get(1), self.steps.get(2))
        else {
            return vec![];
        };
        if first != "roles" {
            return vec![];
        }
        let Some(Value::Table(structures)) = table.get("structures") else {
            return vec![];
        };
        structures
            .iter()
            .filter(|(_, s)| {
                s.get("roles")
                    .and_then(|r| r.get(role.as_str()))
                    .and_then(|r| r.get(field.as_str()))
                    .is_some()
            })
            .filter_map(|(name, _)| {
                FieldPath::parse(&format!("structures.{name}.{}", self.text)).ok()
            })
            .collect()
    }

    /// The CSV column of a swept field: `param_` and the path, dots and brackets as `_`.
    pub fn column(&self) -> String {
        let mut s = String::from("param_");
        for c in self.text.chars() {
            s.push(match c {
                '.' | '[' => '_',
                ']' => continue,
                c => c,
            });
        }
        s
    }

    /// Sets the field to `x` in `table`, creating tables on the way (a field left to a
    /// preset is set by a scenario override). Validation of the table says whether the
    /// field exists and takes this value.
    pub fn set(&self, table: &mut Table, x: f64) -> Result<(), SpecError> {
        let value = if x.fract() == 0.0 && x.abs() < 9e15 {
            Value::Integer(x as i64)
        } else {
            Value::Float(x)
        };
        let p = &self.text;
        let (cur, _) = self.slot(table)?;
        match cur {
            Value::Table(_) => err(format!(
                "`{p}` names a table, not a number: name one of its fields"
            )),
            Value::String(_) => err(format!(
                "`{p}` names a field that takes a name, not a number (as --set response.decay=severe)"
            )),
            Value::Boolean(_) | Value::Datetime(_) => {
                err(format!("`{p}` names a field that is not a number"))
            }
            Value::Array(a)
                if a.iter()
                    .any(|v| !matches!(v, Value::Integer(_) | Value::Float(_))) =>
            {
                err(format!("`{p}` names a list that is not of numbers"))
            }
            Value::Array(_) | Value::Integer(_) | Value::Float(_) => {
                *cur = value;
                Ok(())
            }
        }
    }

    /// Sets a field that takes a name (a preset, as `response.decay`) to `name`, creating
    /// it when the file leaves it to its default; validation of the table says whether
    /// the field takes this name.
    pub fn set_text(&self, table: &mut Table, name: &str) -> Result<(), SpecError> {
        let p = &self.text;
        let (cur, created) = self.slot(table)?;
        match cur {
            Value::String(_) => {}
            _ if created => {}
            Value::Table(_) => {
                return err(format!(
                    "`{p}` names a table, not a field: name one of its fields"
                ))
            }
            _ => return err(format!("`{p}` takes numbers, not the name `{name}`")),
        }
        *cur = Value::String(name.to_string());
        Ok(())
    }

    /// The field's value in `table`, and whether it was missing (then created, tables on
    /// the way included).
    fn slot<'t>(&self, table: &'t mut Table) -> Result<(&'t mut Value, bool), SpecError> {
        let p = &self.text;
        let Step::Key(k) = &self.steps[0] else {
            unreachable!("a path starts with a key")
        };
        let mut created = !table.contains_key(k);
        let mut cur: &mut Value = table
            .entry(k.clone())
            .or_insert_with(|| empty_for(self.steps.get(1)));
        let mut walked = self.steps[0].to_string();
        for (i, s) in self.steps.iter().enumerate().skip(1) {
            let next = self.steps.get(i + 1);
            cur = match (s, cur) {
                (Step::Key(k), Value::Table(t)) => {
                    created = !t.contains_key(k);
                    t.entry(k.clone()).or_insert_with(|| empty_for(next))
                }
                (Step::Index(j), Value::Array(a)) => {
                    let len = a.len();
                    if *j >= len {
                        return err(format!(
                            "`{p}`: index {j} is past the end of `{walked}`, a list of {len}"
                        ));
                    }
                    created = false;
                    &mut a[*j]
                }
                (Step::Key(_), _) => {
                    return err(format!(
                        "`{p}`: `{walked}` is not a table, so it has no fields"
                    ))
                }
                (Step::Index(j), _) => {
                    return err(format!(
                        "`{p}`: `{walked}` is not a list, so it has no element [{j}]"
                    ))
                }
            };
            walked.push_str(&match s {
                Step::Key(k) => format!(".{k}"),
                Step::Index(j) => format!("[{j}]"),
            });
        }
        Ok((cur, created))
    }
}

/// What a missing step is created as: a table before a key, a number at the end (a
/// missing list cannot be indexed, so an index after a missing key finds an empty list).
fn empty_for(next: Option<&Step>) -> Value {
    match next {
        Some(Step::Key(_)) => Value::Table(Table::new()),
        Some(Step::Index(_)) => Value::Array(vec![]),
        None => Value::Integer(0),
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::Key(k) => f.write_str(k),
            Step::Index(i) => write!(f, "[{i}]"),
        }
    }
}

/// Deep-merges `overlay` into `base`: tables merge key by key, anything else replaces.
pub fn overlay(base: &mut Table, overlay: &Table) {
    for (k, v) in overlay {
        match (base.get_mut(k), v) {
            (Some(Value::Table(b)), Value::Table(o)) => self::overlay(b, o),
            _ => {
                base.insert(k.clone(), v.clone());
            }
        }
    }
}

/// Values of a swept field: a list, one number, or a range `a..b step s` (both ends
/// included; step 1 when omitted).
pub fn parse_values(text: &str) -> Result<Vec<f64>, String> {
    let t = text.trim();
    let t = t
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .unwrap_or(t);
    if let Some((a, rest)) = t.split_once("..") {
        let (b, step) = match rest.split_once("step") {
            Some((b, s)) => (b, number(s)?),
            None => (rest, 1.0),
        };
        return range(number(a)?, number(b)?, step);
    }
    let xs: Vec<f64> = t
        .split(',')
        .filter(|s| !s.trim().is_empty())
        .map(number)
        .collect::<Result<_, _>>()?;
    if xs.is_empty() {
        return Err(
            "no values: give a list (0,2,4), one number, or a range (2.0..4.0 step 0.5)".into(),
        );
    }
    Ok(xs)
}

fn number(s: &str) -> Result<f64, String> {
    let s = s.trim();
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x),
        _ => Err(format!("`{s}` is not a finite number")),
    }
}

/// The most points one axis may have.
pub const MAX_AXIS_POINTS: usize = 10_000;

fn range(a: f64, b: f64, step: f64) -> Result<Vec<f64>, String> {
    if step <= 0.0 {
        return Err(format!("the step must be above 0, found {step}"));
    }
    if b < a {
        return Err(format!("the range {a}..{b} runs backwards"));
    }
    let n = ((b - a) / step + 1e-9).floor() as usize + 1;
    if n > MAX_AXIS_POINTS {
        return Err(format!(
            "{n} values; at most {MAX_AXIS_POINTS} per swept field"
        ));
    }
    // Each value from the start (no drift), rounded to 12 significant digits so that
    // 0.1 steps print as 0.3, not 0.30000000000000004.
    Ok((0..n)
        .map(|i| {
            let x = a + i as f64 * step;
            let mag = 10f64.powi(11 - x.abs().log10().floor().max(-300.0) as i32);
            if x == 0.0 || !mag.is_finite() {
                x
            } else {
                (x * mag).round() / mag
            }
        })
        .collect())
}

/// Names given for a field that takes one (`mild,severe`): words of letters, digits,
/// `_` and `-`, starting with a letter. `None` when the text is not such a list.
fn parse_names(text: &str) -> Option<Vec<String>> {
    let t = text.trim();
    let t = t
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .unwrap_or(t);
    let names: Vec<String> = t
        .split(',')
        .map(|w| w.trim().trim_matches('"').to_string())
        .filter(|w| !w.is_empty())
        .collect();
    let word = |w: &String| {
        w.starts_with(|c: char| c.is_ascii_alphabetic())
            && w.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    (!names.is_empty() && names.iter().all(word)).then_some(names)
}

/// One swept field and its values.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    /// The field.
    pub path: FieldPath,
    /// Its values, in order: numbers, or for a field that takes a name, the positions
    /// of `names`.
    pub values: Vec<f64>,
    /// The names a field that takes one is set to (empty for a numeric field).
    pub names: Vec<String>,
}

impl Axis {
    /// A numeric axis.
    pub fn numbers(path: FieldPath, values: Vec<f64>) -> Axis {
        Axis {
            path,
            values,
            names: vec![],
        }
    }

    /// An axis over names (`response.decay = mild, severe`).
    pub fn named(path: FieldPath, names: Vec<String>) -> Axis {
        Axis {
            path,
            values: (0..names.len()).map(|i| i as f64).collect(),
            names,
        }
    }

    /// The name this axis sets at value `x`, for an axis over names.
    pub fn name_at(&self, x: f64) -> Option<&str> {
        self.names.get(x as usize).map(String::as_str)
    }

    /// Sets the field to its value `x` in `table`. A role's field (`roles.R.F`) is also
    /// set where a structure's own table for that role gives it (`structures.S.roles.R.F`),
    /// which would otherwise shadow it: a sweep of a role's headcount sweeps it in every
    /// structure that has the role.
    pub fn apply(&self, table: &mut Table, x: f64) -> Result<(), SpecError> {
        let set = |path: &FieldPath, table: &mut Table| match self.name_at(x) {
            Some(name) => path.set_text(table, name),
            None => path.set(table, x),
        };
        set(&self.path, table)?;
        for path in self.path.shadows(table) {
            set(&path, table)?;
        }
        Ok(())
    }

    /// The value `x` as a message or a table shows it.
    pub fn show(&self, x: f64) -> String {
        self.name_at(x).map_or_else(|| shown(x), str::to_string)
    }
}

/// Parses `--set path=values`.
pub fn parse_set(spec: &str) -> Result<Axis, SpecError> {
    let Some((p, v)) = spec.split_once('=') else {
        return err(format!(
            "--set `{spec}`: expected path=values, e.g. roles.call_centre.count=0,2,4,6"
        ));
    };
    let path = FieldPath::parse(p)?;
    match parse_values(v) {
        Ok(values) => Ok(Axis::numbers(path, values)),
        Err(e) => match parse_names(v) {
            Some(names) => Ok(Axis::named(path, names)),
            None => Err(SpecError::Request(format!(
                "--set {}: {e} (a field that takes a name takes words: --set response.decay=mild,severe)",
                path.text
            ))),
        },
    }
}

/// The axes of a `[sweep]` table: each leaf is a field path (dotted keys or quoted) with
/// a list of numbers, one number, or a range string. Problems are recorded in `r`.
pub fn sweep_axes(r: &mut Reader, sweep: &Table) -> Vec<Axis> {
    let mut out = vec![];
    leaves(r, sweep, String::new(), &mut out);
    out
}

fn leaves(r: &mut Reader, t: &Table, prefix: String, out: &mut Vec<Axis>) {
    for (k, v) in t {
        let path = join(&prefix, k);
        let at = format!("sweep.{path}");
        if let Some(names) = sweep_names(v) {
            match FieldPath::parse(&path) {
                Ok(path) => out.push(Axis::named(path, names)),
                Err(e) => r.problem(&at, e.to_string()),
            }
            continue;
        }
        let values: Option<Vec<f64>> = match v {
            Value::Table(inner) => {
                leaves(r, inner, path, out);
                continue;
            }
            Value::Integer(i) => Some(vec![*i as f64]),
            Value::Float(f) => Some(vec![*f]),
            Value::String(s) => parse_values(s).map_err(|e| r.problem(&at, e)).ok(),
            Value::Array(a) => {
                let xs: Option<Vec<f64>> = a
                    .iter()
                    .map(|x| match x {
                        Value::Integer(i) => Some(*i as f64),
                        Value::Float(f) if f.is_finite() => Some(*f),
                        _ => None,
                    })
                    .collect();
                if xs.is_none() {
                    r.problem(&at, "every value must be a finite number");
                }
                xs
            }
            _ => {
                r.problem(
                    &at,
                    "expected numbers, a list of them, or a range like \"2.0..4.0 step 0.5\"",
                );
                None
            }
        };
        let Some(values) = values else { continue };
        if values.is_empty() {
            r.problem(&at, "an empty list sweeps nothing");
            continue;
        }
        match FieldPath::parse(&path) {
            Ok(path) => out.push(Axis::numbers(path, values)),
            Err(e) => r.problem(&at, e.to_string()),
        }
    }
}

/// The names of a `[sweep]` leaf over a field that takes one: a list of strings that are
/// all names (`decay = ["mild", "severe"]`), or one name that is not a range.
fn sweep_names(v: &Value) -> Option<Vec<String>> {
    match v {
        Value::String(s) if parse_values(s).is_err() => parse_names(s),
        Value::Array(a) if !a.is_empty() && a.iter().all(Value::is_str) => {
            let names: Vec<String> = a
                .iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect();
            parse_names(&names.join(",")).filter(|n| n.len() == names.len())
        }
        _ => None,
    }
}

/// The points of the full grid over `axes` (the last axis varies fastest); one point
/// with no parameters when there are no axes.
pub fn grid(axes: &[Axis]) -> Vec<Vec<f64>> {
    let mut points = vec![vec![]];
    for a in axes {
        points = points
            .into_iter()
            .flat_map(|p| {
                a.values.iter().map(move |&x| {
                    let mut q = p.clone();
                    q.push(x);
                    q
                })
            })
            .collect();
    }
    points
}

/// A variant: a structure and what it changes in the scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    /// The variant's name.
    pub name: String,
    /// The structure it runs.
    pub structure: String,
    /// What it is, for the report.
    pub description: Option<String>,
    /// Scenario fields this variant sets (merged over the scenario's table).
    pub overlay: Table,
    /// Headcounts set last, over the overlay: per role of the structure, one count per
    /// month (the team `compare --optimise` found for it; empty otherwise).
    pub team: Vec<(String, Vec<u32>)>,
}

/// How many replications.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Replications {
    /// Exactly this many.
    Fixed(u64),
    /// Add batches until the 95% CI half-width of the precision metric is within
    /// `precision` of its mean for every variant, or `max` replications.
    Auto {
        /// The 95% half-width to reach, as a share of the mean.
        precision: f64,
        /// The most replications to run.
        max: u64,
    },
}

/// What each structure's losses are measured against.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reference {
    /// Nothing: no capacity-loss columns.
    #[default]
    None,
    /// The same structure with unlimited staff on the same leads
    /// ([`crate::scenario::Scenario::reference`]): each variant runs twice.
    Unlimited,
}

impl Reference {
    /// The words a user writes.
    pub const NAMES: [&'static str; 2] = ["none", "unlimited"];

    /// The reference called `name`.
    pub fn parse(name: &str) -> Option<Reference> {
        match name {
            "none" => Some(Reference::None),
            "unlimited" => Some(Reference::Unlimited),
            _ => None,
        }
    }
}

/// Settings of the `[experiment]` table.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// How many replications.
    pub replications: Replications,
    /// Metric whose precision `auto` watches.
    pub precision_metric: String,
    /// The structure differences are taken against.
    pub baseline: Option<String>,
    /// The structures and variants to run, in order.
    pub structures: Option<Vec<String>>,
    /// Months excluded from the totals (the department filling up).
    pub warmup_months: usize,
    /// The department each structure's losses are measured against.
    pub reference: Reference,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            replications: Replications::Fixed(100),
            precision_metric: crate::sim::Metric::GrossProfit.name().into(),
            baseline: None,
            structures: None,
            warmup_months: 0,
            reference: Reference::None,
        }
    }
}

/// The most replications one run may ask for.
pub const MAX_REPLICATIONS: u64 = 10_000_000;

/// The experiment sections of a scenario's table.
#[derive(Clone, Debug, PartialEq)]
pub struct FileSpec {
    /// The `[experiment]` table.
    pub settings: Settings,
    /// The `[variants.NAME]` tables.
    pub variants: Vec<Variant>,
    /// The `[sweep]` table's axes.
    pub sweep: Vec<Axis>,
    /// The `[[claim]]` tables.
    pub claims: Vec<Claim>,
}

/// Reads `[experiment]`, `[variants.*]`, `[sweep]` and `[[claim]]`, recording every
/// problem in `r` with its path.
pub fn read(r: &mut Reader, table: &Table) -> FileSpec {
    FileSpec {
        settings: settings(r, table),
        variants: variants(r, table),
        sweep: r
            .table(table, "", "sweep")
            .map(|t| sweep_axes(r, t))
            .unwrap_or_default(),
        claims: claims(r, table),
    }
}

/// The `[experiment]` table.
fn settings(r: &mut Reader, table: &Table) -> Settings {
    let mut s = Settings::default();
    let Some(e) = r.table(table, "", "experiment") else {
        return s;
    };
    let p = "experiment";
    r.open(e, p);
    let max = MAX_REPLICATIONS as i64;
    let replications = r.get(e, "replications");
    if !matches!(replications, Some(Value::String(a)) if a == "auto") {
        for key in ["precision", "max_replications"] {
            if r.get(e, key).is_some() {
                r.problem(join(p, key), "goes with replications = \"auto\"");
            }
        }
    }
    match replications {
        None => {}
        Some(Value::String(a)) if a == "auto" => {
            let precision = r.number_or(e, p, "precision", Range::Within(0.0, 1.0), 0.02);
            if precision <= 0.0 || precision >= 1.0 {
                r.problem(
                    join(p, "precision"),
                    "must be a share between 0 and 1 (0.02 = 2%)",
                );
            }
            let max = r.int_or(e, p, "max_replications", 1, max, 5_000) as u64;
            s.replications = Replications::Auto { precision, max };
        }
        Some(v) => {
            let rule = format!("must be a whole number from 1 to {MAX_REPLICATIONS}, or \"auto\"");
            match *v {
                Value::Integer(n) if (1..=max).contains(&n) => {
                    s.replications = Replications::Fixed(n as u64)
                }
                _ => r.problem(join(p, "replications"), rule),
            }
        }
    }
    if let Some(m) = r.opt_string(e, p, "precision_metric").flatten() {
        s.precision_metric = m;
    }
    s.baseline = r.opt_string(e, p, "baseline").flatten();
    if let Some(v) = r.get(e, "structures") {
        let at = join(p, "structures");
        match r.strings(v, at.clone()) {
            Some(names) if !names.is_empty() => s.structures = Some(names),
            Some(_) => r.problem(at, "expected a non-empty list of names"),
            None => {}
        }
    }
    s.warmup_months = r.int_or(e, p, "warmup_months", 0, 119, 0) as usize;
    if let Some(name) = r.opt_string(e, p, "reference").flatten() {
        match Reference::parse(&name) {
            Some(x) => s.reference = x,
            None => r.problem(
                join(p, "reference"),
                format!(
                    "must be one of {}, found {name:?}",
                    Reference::NAMES.map(|n| format!("{n:?}")).join(", ")
                ),
            ),
        }
    }
    s
}

/// The `[variants.NAME]` tables.
fn variants(r: &mut Reader, table: &Table) -> Vec<Variant> {
    let Some(vs) = r.table(table, "", "variants") else {
        return vec![];
    };
    let mut out = vec![];
    for name in vs.keys() {
        let p = join("variants", name);
        let Some(t) = r.table(vs, "variants", name) else {
            continue;
        };
        let structure = r.string(t, &p, "structure");
        let description = r.opt_string(t, &p, "description").flatten();
        let mut overlay = t.clone();
        overlay.remove("structure");
        overlay.remove("description");
        for forbidden in crate::scenario::EXPERIMENT_TABLES {
            if overlay.contains_key(forbidden) {
                r.problem(join(&p, forbidden), "a variant cannot set this");
            }
        }
        if let Some(structure) = structure {
            out.push(Variant {
                name: name.clone(),
                structure,
                description,
                overlay,
                team: vec![],
            });
        }
    }
    out
}

/// The `[[claim]]` tables.
fn claims(r: &mut Reader, table: &Table) -> Vec<Claim> {
    let Some(v) = table.get("claim") else {
        return vec![];
    };
    let Some(list) = r.list_value(v, "claim".into()) else {
        return vec![];
    };
    let mut out = vec![];
    for (i, c) in list.iter().enumerate() {
        let p = format!("claim[{i}]");
        let Value::Table(t) = c else {
            r.problem(p, "expected a table");
            continue;
        };
        r.open(t, &p);
        let text = r.string(t, &p, "claim");
        let source = r.opt_string(t, &p, "source").flatten();
        let Some(text) = text else {
            continue;
        };
        match Claim::parse(&text) {
            Ok(mut claim) => {
                claim.source = source;
                out.push(claim);
            }
            Err(e) => r.problem(join(&p, "claim"), e.to_string()),
        }
    }
    out
}

/// Builds the scenario one variant runs at one sweep point: the variant's overlay, then
/// the point's values. Problems name the variant or the swept field.
pub fn build(
    base: &Table,
    variant: Option<&Variant>,
    axes: &[Axis],
    point: &[f64],
) -> Result<Scenario, SpecError> {
    let mut t = match variant {
        Some(v) => variant_table(base, v),
        None => base.clone(),
    };
    for (a, &x) in axes.iter().zip(point) {
        a.apply(&mut t, x)?;
    }
    Scenario::from_table(&t).map_err(|e| {
        let what = label(variant, axes, point);
        match e {
            ScenarioError::Invalid(problems) => SpecError::Override { what, problems },
            other => SpecError::Request(format!("{what}: {other}")),
        }
    })
}

/// The scenario's table as variant `v` runs it: its overlay, then its team.
pub fn variant_table(base: &Table, v: &Variant) -> Table {
    let mut t = base.clone();
    overlay(&mut t, &v.overlay);
    // A variant's `roles.R` fields are for its structure: where the scenario gives that
    // structure its own table for R, which would shadow them, they go there too.
    if let Some(Value::Table(roles)) = v.overlay.get("roles") {
        let own = t
            .get_mut("structures")
            .and_then(|s| s.get_mut(v.structure.as_str()))
            .and_then(|s| s.get_mut("roles"))
            .and_then(Value::as_table_mut);
        if let Some(own) = own {
            for (role, fields) in roles {
                if let (Some(Value::Table(mine)), Value::Table(fields)) =
                    (own.get_mut(role), fields)
                {
                    overlay(mine, fields);
                }
            }
        }
    }
    for (role, counts) in &v.team {
        set_counts(&mut t, &v.structure, role, counts);
    }
    t
}

/// Sets `structures.STRUCTURE.roles.ROLE.count` to a headcount per month: the one place a
/// searched team or staffing plan is written into a scenario, where nothing shadows it.
pub fn set_counts(t: &mut Table, structure: &str, role: &str, counts: &[u32]) {
    let list = Value::Array(
        counts
            .iter()
            .map(|&c| Value::Integer(i64::from(c)))
            .collect(),
    );
    let mut cur = t;
    for key in ["structures", structure, "roles", role] {
        let entry = cur.entry(key).or_insert_with(|| Value::Table(Table::new()));
        if !entry.is_table() {
            // Not a table where the reader wants one: left for it to report.
            return;
        }
        cur = entry.as_table_mut().expect("checked");
    }
    cur.insert("count".into(), list);
}

/// What a message calls a variant at a sweep point: `variant big at demand.scale = 2`.
pub fn label(variant: Option<&Variant>, axes: &[Axis], point: &[f64]) -> String {
    match (variant, axes.is_empty()) {
        (Some(v), true) => format!("variant {}", v.name),
        (Some(v), false) => format!("variant {} at {}", v.name, describe_point(axes, point)),
        (None, false) => describe_point(axes, point),
        (None, true) => "the scenario".into(),
    }
}

/// `roles.call_centre.count = 4, demand.scale = 1.5`
pub fn describe_point(axes: &[Axis], point: &[f64]) -> String {
    axes.iter()
        .zip(point)
        .map(|(a, x)| format!("{} = {}", a.path.text, a.show(*x)))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_lists_ranges_and_errors() {
        assert_eq!(parse_values("0,2,4,6").unwrap(), vec![0.0, 2.0, 4.0, 6.0]);
        assert_eq!(parse_values("[1, 3]").unwrap(), vec![1.0, 3.0]);
        assert_eq!(
            parse_values("2.0..4.0 step 0.5").unwrap(),
            vec![2.0, 2.5, 3.0, 3.5, 4.0]
        );
        assert_eq!(
            parse_values("0.1..0.3 step 0.1").unwrap(),
            vec![0.1, 0.2, 0.3]
        );
        assert_eq!(parse_values("1..3").unwrap(), vec![1.0, 2.0, 3.0]);
        assert!(parse_values("").is_err());
        assert!(parse_values("4..2").unwrap_err().contains("backwards"));
        assert!(parse_values("1..2 step 0").unwrap_err().contains("step"));
        assert!(parse_values("a,b")
            .unwrap_err()
            .contains("not a finite number"));
    }

    #[test]
    fn paths_set_fields_and_refuse_non_numbers() {
        let mut t: Table =
            "name = \"x\"\n[demand]\nseasonality = [1, 2, 3]\n[roles.a]\nhours = [\"09:00-18:00\"]"
                .parse()
                .unwrap();
        FieldPath::parse("roles.call_centre.count")
            .unwrap()
            .set(&mut t, 4.0)
            .unwrap();
        assert_eq!(t["roles"]["call_centre"]["count"].as_integer(), Some(4));
        FieldPath::parse("demand.seasonality[1]")
            .unwrap()
            .set(&mut t, 2.5)
            .unwrap();
        assert_eq!(t["demand"]["seasonality"][1].as_float(), Some(2.5));
        let e = FieldPath::parse("name")
            .unwrap()
            .set(&mut t, 1.0)
            .unwrap_err();
        assert!(e.to_string().contains("not a number"), "{e}");
        let e = FieldPath::parse("demand")
            .unwrap()
            .set(&mut t, 1.0)
            .unwrap_err();
        assert!(e.to_string().contains("names a table"), "{e}");
        let e = FieldPath::parse("demand.seasonality[9]")
            .unwrap()
            .set(&mut t, 1.0)
            .unwrap_err();
        assert!(e.to_string().contains("past the end"), "{e}");
        assert!(FieldPath::parse("roles..count").is_err());
        assert_eq!(
            FieldPath::parse("demand.seasonality[5]").unwrap().column(),
            "param_demand_seasonality_5"
        );
    }

    #[test]
    fn grid_is_full_and_ordered() {
        let axes = vec![
            Axis::numbers(FieldPath::parse("a").unwrap(), vec![1.0, 2.0]),
            Axis::numbers(FieldPath::parse("b").unwrap(), vec![5.0, 6.0, 7.0]),
        ];
        let g = grid(&axes);
        assert_eq!(g.len(), 6);
        assert_eq!(g[0], vec![1.0, 5.0]);
        assert_eq!(g[1], vec![1.0, 6.0]);
        assert_eq!(g[5], vec![2.0, 7.0]);
        assert_eq!(grid(&[]), vec![Vec::<f64>::new()]);
    }
}
