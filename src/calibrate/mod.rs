//! Calibration: a company's own data in, the scenario that describes it out.
//!
//! A leads (or deals) export and, when there is one, a call log are read as streams
//! through a [`Mapping`] (which column is which, what the values mean), their records
//! added up in an [`fit::Accumulator`] whose memory does not grow with the rows, and
//! each scenario figure the data can tell fitted with its 95% interval and the count of
//! records behind it. The figures are written into a template scenario, each with a
//! `# fitted:` comment; what the data cannot tell keeps the template's value and
//! source. Bad values are counted per column with their first line numbers, and the
//! rest of the file is used.

pub mod fit;
pub mod input;
pub mod mapping;
pub mod records;
pub mod stats;
pub mod through;
pub mod write;

use std::io::Read;

pub use fit::{Fit, Fitted, Value};
pub use input::{Dialect, Problems};
pub use mapping::Mapping;

use crate::scenario::Scenario;

/// A file to read: its name (for messages) and its bytes.
pub struct Source {
    /// Its name as the user gave it.
    pub name: String,
    /// Its bytes.
    pub reader: Box<dyn Read>,
}

/// The files a calibration reads: a leads export or event log, and optionally a call
/// log, an orders export and a stage history.
pub struct Inputs {
    /// The leads (or deals) export, or salesim's event log.
    pub leads: Source,
    /// The call log.
    pub calls: Option<Source>,
    /// The orders of clients on the books.
    pub orders: Option<Source>,
    /// The stage history of the leads export.
    pub stages: Option<Source>,
}

impl Inputs {
    /// A leads export (or event log) alone.
    pub fn leads(leads: Source) -> Inputs {
        Inputs {
            leads,
            calls: None,
            orders: None,
            stages: None,
        }
    }
}

/// The template scenario: its name (for messages) and text.
pub struct Template {
    /// The file it came from, or `default.toml`.
    pub name: String,
    /// Its TOML.
    pub text: String,
}

/// A file as read.
#[derive(Clone, Debug, PartialEq)]
pub struct FileRead {
    /// Its name.
    pub name: String,
    /// What it holds: `leads`, `calls`, `orders`, `stages` or `events`.
    pub kind: &'static str,
    /// Its encoding, separators and date order.
    pub dialect: Dialect,
    /// Data rows, and rows skipped for a bad value.
    pub counted: records::Counted,
}

/// The outcome of a calibration.
#[derive(Clone, Debug)]
pub struct Calibration {
    /// The mapping's name.
    pub mapping: String,
    /// The files read.
    pub files: Vec<FileRead>,
    /// Leads and calls used.
    pub leads: u64,
    /// Calls used.
    pub calls: u64,
    /// Repeat orders used.
    pub orders: u64,
    /// Bad values, per file, column and rule.
    pub problems: Problems,
    /// The fits.
    pub fitted: Fitted,
    /// The template's name.
    pub template: String,
    /// The calibrated scenario's TOML (valid: it has been read back).
    pub scenario: String,
    /// The currency of the template (deal values are in it).
    pub currency: String,
}

/// Why a calibration could not be made.
#[derive(Debug, thiserror::Error)]
pub enum CalibrateError {
    /// The input is at fault (a file, a mapping, a column): exit code 2.
    #[error("{0}")]
    Input(String),
    /// Nothing usable remained once the bad rows were left out.
    #[error("{file}: no usable lead: {problems}")]
    NothingUsable {
        /// The file.
        file: String,
        /// What was wrong, in short.
        problems: String,
    },
    /// The written scenario did not read back: a defect of salesim.
    #[error("the calibrated scenario does not validate (a defect of salesim): {0}")]
    Defect(String),
}

/// Reads the mapping named `spec`: a built-in's name, else a TOML file's text.
pub fn mapping_from(spec: &str, file_text: Option<&str>) -> Result<Mapping, CalibrateError> {
    if let Some(m) = Mapping::built_in(spec) {
        return Ok(m);
    }
    match file_text {
        Some(text) => {
            Mapping::from_toml(text).map_err(|e| CalibrateError::Input(format!("{spec}: {e}")))
        }
        None => Err(CalibrateError::Input(format!(
            "--mapping: no built-in mapping {spec:?} and no such file; built in: {}",
            mapping::built_in_names()
        ))),
    }
}

/// The template's seasonality and scale as it writes them (1s and 1 when it does not).
pub(crate) fn template_demand(text: &str) -> ([f64; 12], f64) {
    let table: toml::Table = text.parse().unwrap_or_default();
    let demand = table.get("demand").and_then(toml::Value::as_table);
    let num = |v: &toml::Value| v.as_float().or_else(|| v.as_integer().map(|i| i as f64));
    let mut seasonality = [1.0; 12];
    if let Some(list) = demand
        .and_then(|d| d.get("seasonality"))
        .and_then(toml::Value::as_array)
    {
        for (s, v) in seasonality.iter_mut().zip(list) {
            *s = num(v).unwrap_or(1.0);
        }
    }
    let scale = demand
        .and_then(|d| d.get("scale"))
        .and_then(num)
        .unwrap_or(1.0);
    (seasonality, scale)
}

/// Calibrates: reads the `inputs` through `mapping` (recognised from the leads file's
/// header when `None`), fits, and writes the figures into `template`.
pub fn calibrate(
    inputs: Inputs,
    mapping: Option<Mapping>,
    template: &Template,
) -> Result<Calibration, CalibrateError> {
    let Inputs {
        leads,
        calls,
        orders,
        stages,
    } = inputs;
    let sc = Scenario::from_toml_str(&template.text)
        .map_err(|e| CalibrateError::Input(format!("{}: {e}", template.name)))?;
    let bad = |file: &str, e: String| CalibrateError::Input(format!("{file}: {e}"));
    let forced = mapping.as_ref().map(Mapping::forced).unwrap_or_default();
    let mut table = input::Table::open(leads.reader, &forced).map_err(|e| bad(&leads.name, e))?;
    let mapping = match mapping {
        Some(m) => m,
        None => {
            let (_, m) = Mapping::recognise(&table.header).ok_or_else(|| {
                bad(
                    &leads.name,
                    format!(
                        "cannot tell which export this is from its columns ({}); pass --mapping with one of {} or a mapping file",
                        table.header.join(", "),
                        mapping::built_in_names()
                    ),
                )
            })?;
            let f = m.forced();
            if let Some(o) = f.date_order.as_deref() {
                table.dialect.date_order = if o == "mdy" {
                    input::DateOrder::Mdy
                } else {
                    input::DateOrder::Dmy
                };
            }
            if let Some(d) = f.decimal.as_deref() {
                table.dialect.decimal = if d == "," { b',' } else { b'.' };
            }
            m
        }
    };
    let mut acc = fit::Accumulator::new();
    let mut problems = Problems::default();
    let mut files = Vec::new();
    // The history is read first (the leads' touches are counted from it as the leads
    // stream past), and listed last.
    let mut stage_file = None;
    let history = match stages {
        Some(_) if mapping.events => {
            return Err(bad(
                &leads.name,
                "--stages: an event log carries its deals' touches; a stage history goes with a leads export".into(),
            ))
        }
        Some(s) => {
            let mut t = input::Table::open(s.reader, &forced).map_err(|e| bad(&s.name, e))?;
            let (history, counted) =
                records::read_stages(&mut t, &mapping.stages, &s.name, &mut problems)
                    .map_err(|e| bad(&s.name, e))?;
            stage_file = Some(FileRead {
                name: s.name.clone(),
                kind: "stages",
                dialect: t.dialect.clone(),
                counted,
            });
            Some(history)
        }
        None => None,
    };
    let kind = if mapping.events { "events" } else { "leads" };
    let counted = if mapping.events {
        records::read_events(&mut table, &leads.name, &mut acc, &mut problems)
    } else {
        records::read_leads(
            &mut table,
            &mapping.leads,
            &leads.name,
            &mut acc,
            &mut problems,
            history.as_ref(),
        )
    }
    .map_err(|e| bad(&leads.name, e))?;
    files.push(FileRead {
        name: leads.name.clone(),
        kind,
        dialect: table.dialect.clone(),
        counted,
    });
    if acc.leads() == 0 {
        let first = problems
            .found
            .iter()
            .next()
            .map(|((_, col, rule), p)| {
                format!(
                    "{} rows with {rule} in {col} (lines {})",
                    p.count,
                    join_lines(&p.lines)
                )
            })
            .unwrap_or_else(|| "the file has no data rows".into());
        return Err(CalibrateError::NothingUsable {
            file: leads.name,
            problems: first,
        });
    }
    if let Some(c) = calls {
        let mut t = input::Table::open(c.reader, &forced).map_err(|e| bad(&c.name, e))?;
        let counted = records::read_calls(&mut t, &mapping.calls, &c.name, &mut acc, &mut problems)
            .map_err(|e| bad(&c.name, e))?;
        files.push(FileRead {
            name: c.name.clone(),
            kind: "calls",
            dialect: t.dialect.clone(),
            counted,
        });
    }
    if let Some(o) = orders {
        let mut t = input::Table::open(o.reader, &forced).map_err(|e| bad(&o.name, e))?;
        let counted =
            records::read_orders(&mut t, &mapping.orders, &o.name, &mut acc, &mut problems)
                .map_err(|e| bad(&o.name, e))?;
        files.push(FileRead {
            name: o.name.clone(),
            kind: "orders",
            dialect: t.dialect.clone(),
            counted,
        });
    }
    files.extend(stage_file);
    let fitted = acc.finish(&sc, template_demand(&template.text), mapping.events);
    let sources: Vec<String> = files
        .iter()
        .map(|f| {
            format!(
                "{} ({} rows, {} skipped)",
                f.name,
                fit::grouped(f.counted.rows),
                fit::grouped(f.counted.skipped)
            )
        })
        .collect();
    let header = format!(
        "# Calibrated by `salesim calibrate` from {}, read as {},\n\
         # on the template {}. A figure whose comment starts \"fitted:\" was estimated from\n\
         # those data (with its 95% interval and the records behind it); every other figure\n\
         # and its source comment is the template's. calibration.html shows each fit against\n\
         # its data.\n\n",
        sources.join(" and "),
        mapping.name,
        template.name
    );
    let name = format!("{} (calibrated)", sc.name);
    let mut fitted = fitted;
    let render = |fits: &[Fit]| write::scenario(&template.text, fits, &name, &header);
    through::refit(&mut fitted, &render).map_err(CalibrateError::Defect)?;
    let scenario = render(&fitted.fits).map_err(CalibrateError::Defect)?;
    Scenario::from_toml_str(&scenario).map_err(|e| CalibrateError::Defect(e.to_string()))?;
    Ok(Calibration {
        mapping: mapping.name,
        files,
        leads: acc.leads(),
        calls: acc.calls(),
        orders: acc.orders(),
        problems,
        fitted,
        template: template.name.clone(),
        scenario,
        currency: sc.currency.clone(),
    })
}

/// Line numbers as `2, 7, 9`.
pub fn join_lines(lines: &[u64]) -> String {
    lines
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
