//! A finished experiment as its files hold it: `run.json` (what was asked, by which
//! version), `scenario.toml` (the text that ran), and the summary, monthly, differences
//! and claims CSVs. Charts and the report are drawn from this alone, so redrawing from
//! a results folder gives the same bytes as the run that wrote it.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::experiment::{Experiment, Request, Stop};
use crate::sim::Metric;

use super::folder::{CLAIMS, DIFFERENCES, MANIFEST, MONTHLY, SCENARIO, SUMMARY};

/// The CSVs charts and the report read ([`CLAIMS`] too when the run tested claims).
pub const TABLES: [&str; 3] = [SUMMARY, MONTHLY, DIFFERENCES];

/// What a results folder was made by and with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// `salesim` version that wrote the folder; another version's files are refused.
    pub salesim_version: String,
    /// The options on top of the scenario's own.
    pub request: Request,
    /// Whether the CSVs are the spreadsheet variant (`;` and decimal commas).
    pub excel: bool,
    /// Per sweep point: replications run and, for `auto`, why it stopped.
    pub points: Vec<PointRun>,
}

/// How one point of the experiment ended.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PointRun {
    /// Replications run at the point.
    pub replications: u64,
    /// For `auto`: why it stopped.
    pub stop: Option<Stop>,
    /// While the point is still running (a comparison keeps its files up to date as it
    /// goes): the replications it is to run at most. Absent once it has finished.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned: Option<u64>,
}

impl Manifest {
    /// The manifest of this salesim version.
    pub fn new(request: &Request, excel: bool, points: Vec<PointRun>) -> Manifest {
        Manifest {
            salesim_version: env!("CARGO_PKG_VERSION").to_string(),
            request: request.clone(),
            excel,
            points,
        }
    }
}

/// Why a results folder cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum ResultsError {
    /// A file the charts need is not in the folder (or cannot be read).
    #[error("{dir}: cannot read {file} ({reason}); give a folder that {writers} wrote")]
    Missing {
        /// The folder.
        dir: String,
        /// The file.
        file: String,
        /// What the system said.
        reason: String,
        /// The commands that write such a folder.
        writers: &'static str,
    },
    /// The folder was written by another version of salesim.
    #[error("{dir}: written by salesim {found}, this is salesim {ours}; run the experiment again with this version")]
    Version {
        /// The folder.
        dir: String,
        /// The version that wrote it.
        found: String,
        /// This version.
        ours: String,
    },
    /// A file is there but is not what salesim writes.
    #[error("{dir}: {file}: {reason}")]
    Malformed {
        /// The folder.
        dir: String,
        /// The file.
        file: String,
        /// What is wrong with it.
        reason: String,
    },
}

/// One statistic of a metric, as `summary.csv` and `monthly.csv` hold it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Stat {
    /// Replications.
    pub n: u64,
    /// Mean.
    pub mean: f64,
    /// Standard deviation.
    pub sd: f64,
    /// Half-width of the 95% confidence interval of the mean.
    pub half: f64,
    /// 5th percentile.
    pub p5: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
}

/// A paired difference against the baseline, as `differences.csv` holds it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Diff {
    /// Mean paired difference.
    pub mean: f64,
    /// Half-width of its 95% interval.
    pub half: f64,
    /// What the half-width would be without common random numbers.
    pub unpaired_half: f64,
}

/// A claim's verdict, as `claims.csv` holds it.
#[derive(Clone, Debug, PartialEq)]
pub struct ClaimRow {
    /// The sweep point, from 0.
    pub point: usize,
    /// The claim as written.
    pub claim: String,
    /// Who makes it.
    pub source: String,
    /// `supported`, `refuted` or `inconclusive`.
    pub verdict: String,
    /// Ratio of the two sides' means.
    pub ratio: f64,
    /// Lower end of the ratio's 95% interval.
    pub ratio_low: f64,
    /// Upper end of the ratio's 95% interval.
    pub ratio_high: f64,
}

/// The statistics of one sweep point (the only point of a comparison).
#[derive(Debug, Default)]
pub struct Point {
    /// Per variant (in the experiment's order): metric -> total over the horizon.
    pub totals: Vec<HashMap<String, Stat>>,
    /// Per variant: metric -> one statistic per month.
    pub monthly: Vec<HashMap<String, Vec<Stat>>>,
    /// Per variant: metric -> difference against the baseline (none for the baseline).
    pub diffs: Vec<HashMap<String, Diff>>,
}

/// A finished experiment, read back.
#[derive(Debug)]
pub struct Results {
    /// The experiment as it was set up (names, months, axes, scenarios); never run here.
    pub exp: Experiment,
    /// What made the folder.
    pub manifest: Manifest,
    /// Per sweep point (one for a comparison).
    pub points: Vec<Point>,
    /// The claims' verdicts.
    pub claims: Vec<ClaimRow>,
    /// The team search that chose the teams ranked (`compare --optimise`).
    pub search: Option<crate::experiment::teams::TeamSearch>,
    /// The words every output of these results is written in: the scenario's `lang`
    /// unless the command asks for another.
    pub words: &'static crate::report::lang::Words,
}

/// The raw contents of a results folder.
pub struct Files<'a> {
    /// `run.json`.
    pub manifest: &'a str,
    /// `scenario.toml`.
    pub scenario: &'a str,
    /// `summary.csv`.
    pub summary: &'a [u8],
    /// `monthly.csv`.
    pub monthly: &'a [u8],
    /// `differences.csv`.
    pub differences: &'a [u8],
    /// `claims.csv`, when the run tested claims.
    pub claims: Option<&'a [u8]>,
}

impl Results {
    /// Writes every output of these results in `lang`, when one is asked for (else in
    /// the language the scenario asks for).
    pub fn set_lang(&mut self, lang: Option<crate::scenario::Lang>) {
        if let Some(l) = lang {
            self.words = crate::report::lang::words(l);
        }
    }

    /// Reads a results folder.
    pub fn load(dir: &Path) -> Result<Results, ResultsError> {
        let name = dir.display().to_string();
        let read = |file: &str| {
            std::fs::read(dir.join(file)).map_err(|e| ResultsError::Missing {
                dir: name.clone(),
                file: file.into(),
                reason: io_reason(&e),
                writers: "`salesim compare` or `salesim sweep`",
            })
        };
        let manifest = read(MANIFEST)?;
        let scenario = read(SCENARIO)?;
        let tables = TABLES.map(read);
        // A comparison writes its manifest first: one killed before its first checkpoint
        // has no tables yet, and says so rather than that a file is missing.
        let running = serde_json::from_slice::<Manifest>(&manifest)
            .ok()
            .and_then(|m| m.points.last().cloned())
            .is_some_and(|p| p.planned.is_some() && p.replications == 0);
        if running && tables.iter().any(Result::is_err) {
            return Err(ResultsError::Malformed {
                dir: name,
                file: SUMMARY.into(),
                reason: "the comparison was interrupted before its first checkpoint: nothing to show yet".into(),
            });
        }
        let [summary, monthly, differences] = tables;
        let (summary, monthly, differences) = (summary?, monthly?, differences?);
        let claims = std::fs::read(dir.join(CLAIMS)).ok();
        let text = |file: &str, b: Vec<u8>| {
            String::from_utf8(b).map_err(|_| ResultsError::Malformed {
                dir: name.clone(),
                file: file.into(),
                reason: "not UTF-8 text".into(),
            })
        };
        let manifest = text(MANIFEST, manifest)?;
        let scenario = text(SCENARIO, scenario)?;
        let search = super::teams::load(dir)?;
        let mut r = Results::parse(
            &name,
            &Files {
                manifest: &manifest,
                scenario: &scenario,
                summary: &summary,
                monthly: &monthly,
                differences: &differences,
                claims: claims.as_deref(),
            },
        )?;
        r.search = search;
        Ok(r)
    }

    /// Reads the contents of a results folder called `dir` (used in messages).
    pub fn parse(dir: &str, f: &Files) -> Result<Results, ResultsError> {
        let malformed = |file: &str, reason: String| ResultsError::Malformed {
            dir: dir.into(),
            file: file.into(),
            reason,
        };
        let manifest: Manifest = serde_json::from_str(f.manifest).map_err(|e| {
            // An older or newer manifest that does not parse still says its version.
            match version_of(f.manifest) {
                Some(v) if v != env!("CARGO_PKG_VERSION") => ResultsError::Version {
                    dir: dir.into(),
                    found: v,
                    ours: env!("CARGO_PKG_VERSION").into(),
                },
                _ => malformed(MANIFEST, format!("not a salesim manifest ({e})")),
            }
        })?;
        if manifest.salesim_version != env!("CARGO_PKG_VERSION") {
            return Err(ResultsError::Version {
                dir: dir.into(),
                found: manifest.salesim_version,
                ours: env!("CARGO_PKG_VERSION").into(),
            });
        }
        let exp = Experiment::new(f.scenario, &manifest.request)
            .map_err(|e| malformed(SCENARIO, e.to_string()))?;
        // A sweep records each point in the manifest once its rows are on disk, so an
        // interrupted sweep's manifest lists fewer points than its grid.
        let finished = manifest.points.len();
        if finished > exp.points.len() {
            return Err(malformed(
                MANIFEST,
                format!(
                    "{finished} points recorded, the scenario and options give {}",
                    exp.points.len()
                ),
            ));
        }
        if finished == 0 {
            return Err(malformed(
                MANIFEST,
                "the sweep was interrupted before its first point finished: nothing to show".into(),
            ));
        }
        let mut r = Results {
            points: (0..finished)
                .map(|_| Point {
                    totals: vec![HashMap::new(); exp.variants.len()],
                    monthly: vec![HashMap::new(); exp.variants.len()],
                    diffs: vec![HashMap::new(); exp.variants.len()],
                })
                .collect(),
            claims: vec![],
            search: None,
            words: crate::report::lang::words(exp.lang),
            exp,
            manifest,
        };
        let (excel, complete) = (r.manifest.excel, r.complete());
        let parse = |file: &str, bytes: &[u8]| {
            let bytes = if complete { bytes } else { whole_lines(bytes) };
            Table::parse(bytes, excel).map_err(|e| malformed(file, e.to_string()))
        };
        let summary = parse(SUMMARY, f.summary)?;
        r.read_summary(&summary)
            .map_err(|e| malformed(SUMMARY, e.to_string()))?;
        if let Some(last) = r.manifest.points.last_mut().filter(|p| p.planned.is_some()) {
            // A point still running when its files were written: its count is that of the
            // statistics beside it, whatever the manifest managed to record.
            let n = r.points.last().into_iter().flat_map(|p| &p.totals);
            last.replications = n.flat_map(|t| t.values()).map(|s| s.n).max().unwrap_or(0);
            // Every planned replication is in the tables: the run ended, and was stopped
            // (if at all) between its last tables and its last manifest. It is whole.
            if last
                .planned
                .is_some_and(|planned| last.replications >= planned)
            {
                last.planned = None;
                if let crate::experiment::Replications::Auto { .. } = r.exp.replications {
                    last.stop = Some(crate::experiment::Stop::MaxReached {
                        replications: last.replications,
                    });
                }
            }
        }
        let monthly = parse(MONTHLY, f.monthly)?;
        r.read_monthly(&monthly)
            .map_err(|e| malformed(MONTHLY, e.to_string()))?;
        let diffs = parse(DIFFERENCES, f.differences)?;
        r.read_differences(&diffs)
            .map_err(|e| malformed(DIFFERENCES, e.to_string()))?;
        // A `claims.csv` an earlier run left behind is not this run's.
        if let Some(c) = f.claims.filter(|_| !r.exp.claims.is_empty()) {
            let claims = parse(CLAIMS, c)?;
            r.read_claims(&claims)
                .map_err(|e| malformed(CLAIMS, e.to_string()))?;
        }
        Ok(r)
    }

    /// Whether every point of the experiment finished (a sweep may have been interrupted).
    pub fn complete(&self) -> bool {
        self.points.len() == self.exp.points.len()
            && self.manifest.points.iter().all(|p| p.planned.is_none())
    }

    /// What a run that did not finish got through: `interrupted after 3 of 8 points` for a
    /// sweep, `interrupted after 240 of 1000 replications` for a comparison; else nothing.
    pub fn interrupted(&self) -> Option<String> {
        let running = self.manifest.points.last().filter(|p| p.planned.is_some());
        if let Some(PointRun {
            replications,
            planned: Some(planned),
            ..
        }) = running
        {
            let w = self.words;
            return Some(match self.exp.replications {
                crate::experiment::Replications::Auto { .. } => {
                    w.n("interrupted.auto", *replications, &[("planned", planned)])
                }
                crate::experiment::Replications::Fixed(_) => {
                    w.n("interrupted.fixed", *planned, &[("done", replications)])
                }
            });
        }
        (!self.complete()).then(|| {
            self.words.n(
                "interrupted.points",
                self.exp.points.len() as u64,
                &[("done", &self.points.len())],
            )
        })
    }

    /// `sweep` or `comparison`: what the run was, in words.
    pub fn what(&self) -> &'static str {
        self.words.t(if self.exp.axes.is_empty() {
            "interrupted.comparison"
        } else {
            "interrupted.sweep"
        })
    }

    /// The index of the variant called `name`.
    pub fn variant(&self, name: &str) -> Option<usize> {
        self.exp.variants.iter().position(|v| v.name == name)
    }

    /// The column name of `metric`, adding the currency when that is its unit
    /// (`gross_profit` -> `gross_profit_usd`).
    pub fn metric_name(&self, metric: &str) -> String {
        let with_unit = format!("{metric}_{}", self.exp.currency);
        let known = self.points.first().and_then(|p| p.totals.first());
        match known {
            Some(t) if !t.contains_key(metric) && t.contains_key(&with_unit) => with_unit,
            _ => metric.to_string(),
        }
    }

    /// The total of `metric` for variant `v` at point `p`.
    pub fn total(&self, p: usize, v: usize, metric: Metric) -> Option<Stat> {
        self.total_named(p, v, &metric.column(&self.exp.currency))
    }

    /// The total of the metric a person named (see [`Results::metric_name`]).
    pub fn total_named(&self, p: usize, v: usize, metric: &str) -> Option<Stat> {
        self.points[p].totals[v]
            .get(&self.metric_name(metric))
            .copied()
    }

    /// The monthly statistics of `metric` for variant `v` at point `p`.
    pub fn monthly(&self, p: usize, v: usize, metric: Metric) -> Option<&[Stat]> {
        self.points[p].monthly[v]
            .get(&metric.column(&self.exp.currency))
            .map(Vec::as_slice)
    }

    /// Variant `v` minus the baseline in `metric` at point `p`.
    pub fn diff(&self, p: usize, v: usize, metric: Metric) -> Option<Diff> {
        self.points[p].diffs[v]
            .get(&metric.column(&self.exp.currency))
            .copied()
    }

    /// The point of a row; `None` for a row of the point an interrupted sweep was
    /// writing (not yet in the manifest, so perhaps incomplete).
    fn row_point(&self, t: &Table, row: &[String]) -> Result<Option<usize>, TableError> {
        if self.exp.axes.is_empty() {
            return Ok(Some(0));
        }
        let p = t.int(row, "point")? as usize;
        if p == 0 || p > self.exp.points.len() {
            return Err(TableError::NoSuchPoint {
                point: p,
                points: self.exp.points.len(),
            });
        }
        Ok((p <= self.points.len()).then_some(p - 1))
    }

    /// The point and variant of a row, `None` for a row to leave out (see `row_point`).
    fn row_place(&self, t: &Table, row: &[String]) -> Result<Option<(usize, usize)>, TableError> {
        match self.row_point(t, row)? {
            Some(p) => Ok(Some((p, self.row_variant(t, row)?))),
            None => Ok(None),
        }
    }

    fn row_variant(&self, t: &Table, row: &[String]) -> Result<usize, TableError> {
        let name = t.text(row, "structure")?;
        self.variant(name)
            .ok_or_else(|| TableError::NoSuchStructure(name.to_string()))
    }

    fn read_summary(&mut self, t: &Table) -> Result<(), TableError> {
        for row in &t.rows {
            let Some((p, v)) = self.row_place(t, row)? else {
                continue;
            };
            let stat = t.stat(row)?;
            let metric = t.text(row, "metric")?.to_string();
            self.points[p].totals[v].insert(metric, stat);
        }
        if self
            .points
            .iter()
            .any(|p| p.totals.iter().any(HashMap::is_empty))
        {
            return Err(TableError::Missing);
        }
        Ok(())
    }

    fn read_monthly(&mut self, t: &Table) -> Result<(), TableError> {
        let months = self.exp.months.len();
        for row in &t.rows {
            let Some((p, v)) = self.row_place(t, row)? else {
                continue;
            };
            let month = t.text(row, "month")?;
            let m = self
                .exp
                .months
                .iter()
                .position(|x| x == month)
                .ok_or_else(|| TableError::NoSuchMonth(month.to_string()))?;
            let stat = t.stat(row)?;
            let metric = t.text(row, "metric")?.to_string();
            let series = self.points[p].monthly[v]
                .entry(metric)
                .or_insert_with(|| vec![Stat::default(); months]);
            series[m] = stat;
        }
        Ok(())
    }

    fn read_differences(&mut self, t: &Table) -> Result<(), TableError> {
        for row in &t.rows {
            let Some((p, v)) = self.row_place(t, row)? else {
                continue;
            };
            let d = Diff {
                mean: t.num(row, "mean_difference")?,
                half: t.num(row, "ci95_half")?,
                unpaired_half: t.num(row, "unpaired_ci95_half")?,
            };
            let metric = t.text(row, "metric")?.to_string();
            self.points[p].diffs[v].insert(metric, d);
        }
        Ok(())
    }

    fn read_claims(&mut self, t: &Table) -> Result<(), TableError> {
        for row in &t.rows {
            let Some(point) = self.row_point(t, row)? else {
                continue;
            };
            self.claims.push(ClaimRow {
                point,
                claim: t.text(row, "claim")?.to_string(),
                source: t.text(row, "source")?.to_string(),
                verdict: t.text(row, "verdict")?.to_string(),
                ratio: t.num(row, "ratio")?,
                ratio_low: t.num(row, "ratio_ci95_low")?,
                ratio_high: t.num(row, "ratio_ci95_high")?,
            });
        }
        Ok(())
    }
}

/// The bytes up to the end of the last whole line: an interrupted write may leave part of
/// a row after it.
fn whole_lines(bytes: &[u8]) -> &[u8] {
    match bytes.iter().rposition(|&b| b == b'\n') {
        Some(i) => &bytes[..=i],
        None => bytes,
    }
}

pub(crate) fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        _ => e.to_string(),
    }
}

/// `{"salesim_version": ..., key: value}` as pretty JSON with a final newline: a staffing
/// plan's or a team search's file, which [`read_versioned`] reads back.
pub(crate) fn write_versioned<T: serde::Serialize>(key: &str, value: &T) -> Vec<u8> {
    struct Doc<'a, T>(&'a str, &'a T);
    impl<T: serde::Serialize> serde::Serialize for Doc<'_, T> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeMap;
            let mut m = s.serialize_map(Some(2))?;
            m.serialize_entry("salesim_version", env!("CARGO_PKG_VERSION"))?;
            m.serialize_entry(self.0, self.1)?;
            m.end()
        }
    }
    let mut bytes = serde_json::to_vec_pretty(&Doc(key, value)).unwrap_or_else(|e| {
        unreachable!("results always serialise (non-finite numbers are text): {e}")
    });
    bytes.push(b'\n');
    bytes
}

/// The `T` under `key` of a JSON document `{"salesim_version": ..., key: T}` (a staffing
/// plan, a team search) called `file` in the folder `dir`, written by this version of
/// salesim; `what` names it in messages ("salesim staffing result").
pub(crate) fn read_versioned<T: serde::de::DeserializeOwned>(
    dir: &str,
    file: &str,
    key: &str,
    text: &str,
    what: &str,
) -> Result<T, ResultsError> {
    let ours = env!("CARGO_PKG_VERSION");
    let malformed = |reason: String| ResultsError::Malformed {
        dir: dir.into(),
        file: file.into(),
        reason: format!("not a {what} ({reason})"),
    };
    let version = |found: String| ResultsError::Version {
        dir: dir.into(),
        found,
        ours: ours.into(),
    };
    let mut doc: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(text).map_err(|e| malformed(e.to_string()))?;
    match doc.remove("salesim_version") {
        Some(serde_json::Value::String(v)) if v == ours => {}
        Some(serde_json::Value::String(v)) => return Err(version(v)),
        _ => return Err(malformed("no salesim_version".into())),
    }
    let body = doc
        .remove(key)
        .ok_or_else(|| malformed(format!("no `{key}`")))?;
    if let Some(k) = doc.keys().next() {
        return Err(malformed(format!("unknown field `{k}`")));
    }
    serde_json::from_value(body).map_err(|e| malformed(e.to_string()))
}

/// The `salesim_version` of a manifest that does not parse as this version's.
pub(crate) fn version_of(text: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(text).ok()?;
    Some(v.get("salesim_version")?.as_str()?.to_string())
}

/// Why a table of a results folder does not read as what salesim writes (the file it is
/// in is named by [`ResultsError::Malformed`]).
#[derive(Debug, thiserror::Error)]
enum TableError {
    /// The CSV itself does not parse.
    #[error("{0}")]
    Csv(String),
    /// A column salesim writes is not in the header.
    #[error("no column `{0}`; not a file salesim wrote")]
    NoColumn(String),
    /// A row is shorter than the header.
    #[error("a row has no `{0}`")]
    ShortRow(String),
    /// A cell that should hold a number.
    #[error("`{column}` is not a number: {text:?}")]
    NotNumber {
        /// The cell's column.
        column: String,
        /// What the cell holds.
        text: String,
    },
    /// A cell that should hold a whole number.
    #[error("`{column}` is not a whole number: {text:?}")]
    NotWhole {
        /// The cell's column.
        column: String,
        /// What the cell holds.
        text: String,
    },
    /// A row of a point the run does not have.
    #[error("point {point} is not one of the run's {points}")]
    NoSuchPoint {
        /// The row's point, from 1.
        point: usize,
        /// How many points the run has.
        points: usize,
    },
    /// A row of a structure the run did not compare.
    #[error("structure {0:?} is not one the run compared")]
    NoSuchStructure(String),
    /// A row of a month outside the horizon.
    #[error("month {0:?} is not in the horizon")]
    NoSuchMonth(String),
    /// A structure or point without a row.
    #[error("a structure or point of the run has no rows")]
    Missing,
}

/// A CSV file as header and text rows.
struct Table {
    columns: HashMap<String, usize>,
    rows: Vec<Vec<String>>,
    excel: bool,
}

impl Table {
    fn parse(bytes: &[u8], excel: bool) -> Result<Table, TableError> {
        let bytes = bytes
            .strip_prefix(b"\xEF\xBB\xBF".as_slice())
            .unwrap_or(bytes);
        let mut r = csv::ReaderBuilder::new()
            .delimiter(if excel { b';' } else { b',' })
            .from_reader(bytes);
        let columns = r
            .headers()
            .map_err(|e| TableError::Csv(e.to_string()))?
            .iter()
            .enumerate()
            .map(|(i, h)| (h.to_string(), i))
            .collect();
        let mut rows = vec![];
        for rec in r.records() {
            let rec = rec.map_err(|e| TableError::Csv(e.to_string()))?;
            rows.push(rec.iter().map(str::to_string).collect());
        }
        Ok(Table {
            columns,
            rows,
            excel,
        })
    }

    fn text<'r>(&self, row: &'r [String], col: &str) -> Result<&'r str, TableError> {
        let i = *self
            .columns
            .get(col)
            .ok_or_else(|| TableError::NoColumn(col.to_string()))?;
        row.get(i)
            .map(String::as_str)
            .ok_or_else(|| TableError::ShortRow(col.to_string()))
    }

    /// A number; an empty cell is an undefined value (NaN).
    fn num(&self, row: &[String], col: &str) -> Result<f64, TableError> {
        let s = self.text(row, col)?;
        if s.is_empty() {
            return Ok(f64::NAN);
        }
        let plain = if self.excel {
            s.replace(',', ".")
        } else {
            s.to_string()
        };
        // salesim writes an undefined value as an empty cell, never `inf` or `NaN`: such
        // a cell is not a statistic of a run, and would be shown as "inf ± ...".
        match plain.parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(x),
            _ => Err(TableError::NotNumber {
                column: col.to_string(),
                text: s.to_string(),
            }),
        }
    }

    fn int(&self, row: &[String], col: &str) -> Result<u64, TableError> {
        let s = self.text(row, col)?;
        s.parse().map_err(|_| TableError::NotWhole {
            column: col.to_string(),
            text: s.to_string(),
        })
    }

    fn stat(&self, row: &[String]) -> Result<Stat, TableError> {
        Ok(Stat {
            n: self.int(row, "n")?,
            mean: self.num(row, "mean")?,
            sd: self.num(row, "sd")?,
            half: self.num(row, "ci95_half")?,
            p5: self.num(row, "p5")?,
            p50: self.num(row, "p50")?,
            p95: self.num(row, "p95")?,
        })
    }
}
