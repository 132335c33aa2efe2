//! CSV for spreadsheets: UTF-8, a header row, one value per cell, plain decimal numbers
//! (no thousands separators), stable column names with their units.
//!
//! Two dialects ([`Style`]): plain (`,` and decimal points) and the spreadsheet variant
//! for locales with decimal commas (`;`, `,` decimals, a byte-order mark). Two number
//! formats, each for its files: [`number`] (six decimals at most) for one replication's
//! `monthly.csv`, [`significant`] (15 significant digits) for an experiment's statistics,
//! where a mean must read back to the digit.

use std::io::{self, Write};

use crate::sim::{metrics, RunResult};

/// Formats a number for a CSV cell: integers without a decimal point, others with up to
/// six decimals; an undefined ratio (no calls in a month) is an empty cell.
pub fn number(x: f64) -> String {
    if !x.is_finite() {
        String::new()
    } else if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        let s = format!("{x:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

pub(crate) fn csv_error(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// How CSV is written: plain (`,`, `.` decimals), or for spreadsheets in locales that
/// expect `;` and decimal commas (with a UTF-8 byte-order mark so Excel reads UTF-8).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Style {
    /// The spreadsheet variant: `;`, decimal commas and a byte-order mark.
    pub excel: bool,
}

/// A cell: text as is, numbers formatted for the style.
pub enum Cell {
    /// Text, quoted where needed.
    Text(String),
    /// A statistic: up to 15 significant digits.
    Num(f64),
    /// A count.
    Int(u64),
}

impl Style {
    /// The separator of cells.
    pub fn delimiter(&self) -> u8 {
        if self.excel {
            b';'
        } else {
            b','
        }
    }

    /// Bytes a file starts with (the byte-order mark of the Excel variant).
    pub fn preamble(&self) -> &'static [u8] {
        if self.excel {
            b"\xEF\xBB\xBF"
        } else {
            b""
        }
    }

    fn number(&self, x: f64) -> String {
        let s = significant(x);
        if self.excel {
            s.replace('.', ",")
        } else {
            s
        }
    }

    /// Writes a whole file: the preamble, then the rows.
    pub fn write_file(&self, out: &mut dyn Write, rows: &[Vec<Cell>]) -> io::Result<()> {
        out.write_all(self.preamble())?;
        self.write_rows(out, rows)
    }

    /// Writes rows as CSV (quoting where needed).
    pub fn write_rows(&self, out: &mut dyn Write, rows: &[Vec<Cell>]) -> io::Result<()> {
        let mut w = csv::WriterBuilder::new()
            .delimiter(self.delimiter())
            .from_writer(out);
        for row in rows {
            let cells = row.iter().map(|c| match c {
                Cell::Text(s) => s.clone(),
                Cell::Num(x) => self.number(*x),
                Cell::Int(n) => n.to_string(),
            });
            w.write_record(cells).map_err(csv_error)?;
        }
        w.flush()
    }
}

/// A number with at most 15 significant digits, plain decimal, no exponent, no trailing
/// zeros; an undefined value (NaN) is an empty cell.
pub fn significant(x: f64) -> String {
    if !x.is_finite() {
        return String::new();
    }
    if x == 0.0 {
        return "0".into();
    }
    let mag = x.abs().log10().floor() as i32;
    let decimals = (14 - mag).clamp(0, 20) as usize;
    let s = format!("{x:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

/// `monthly.csv` of one replication: a row per month, then a `total` row of the months
/// after the first `warmup` (the warm-up, left out as the experiments leave it out).
pub fn write_monthly(r: &RunResult, warmup: usize, out: impl Write) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let rows: Vec<(String, Vec<(String, f64)>)> = r
        .months
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let label = format!("{}", r.month_dates[i]);
            (
                label,
                metrics(m, &r.role_names, &r.currency, r.gross_margin),
            )
        })
        .collect();
    let header = ["month", "month_start", "structure"]
        .into_iter()
        .map(str::to_string)
        .chain(rows[0].1.iter().map(|(n, _)| n.clone()));
    w.write_record(header).map_err(csv_error)?;
    for (i, (date, vals)) in rows.iter().enumerate() {
        let cells = [(i + 1).to_string(), date.clone(), r.structure.clone()]
            .into_iter()
            .chain(vals.iter().map(|(_, v)| number(*v)));
        w.write_record(cells).map_err(csv_error)?;
    }
    let total = metrics(
        &r.total_from(warmup.min(r.months.len().saturating_sub(1))),
        &r.role_names,
        &r.currency,
        r.gross_margin,
    );
    let cells = ["total".to_string(), String::new(), r.structure.clone()]
        .into_iter()
        .chain(total.iter().map(|(_, v)| number(*v)));
    w.write_record(cells).map_err(csv_error)?;
    w.flush()
}

/// The event log of one replication (`run --events`): a row per event, its time a date
/// and a time of day (`2026-03-02 09:14:05`, on the scenario's calendar), the lead's id
/// (`P17` a call, `W17` a written lead, `O3` found by cold calling), the event, who did it
/// (role and person, numbered among all staff from 1), how it ended, the money and the
/// wait in seconds. The columns are those a CRM export or call log has, so the log is the
/// same shape as a company's own data.
pub fn write_events(
    r: &RunResult,
    segments: &[String],
    rows: &[crate::sim::log::LogRow],
    out: impl Write,
) -> io::Result<()> {
    use crate::sim::log::Channel;
    let start = r.month_dates.first().map_or(0, |d| d.days_since_epoch());
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "time", "lead_id", "channel", "event", "role", "person", "outcome", "amount", "wait_s",
        "segment",
    ])
    .map_err(csv_error)?;
    for row in rows {
        let date = crate::engine::Date::from_days_since_epoch(start + i64::from(row.at.day()));
        let secs = row.at.time_of_day() / 1000;
        let time = format!(
            "{date} {:02}:{:02}:{:02}",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        );
        let (channel, n) = Channel::of(row.lead);
        let letter = match channel {
            Channel::Phone => 'P',
            Channel::Web => 'W',
            Channel::Outbound => 'O',
            Channel::Client => 'K',
        };
        let (role, person) = row.who.map_or((String::new(), String::new()), |(k, e)| {
            (
                r.role_names.get(k as usize).cloned().unwrap_or_default(),
                (e + 1).to_string(),
            )
        });
        w.write_record([
            time,
            format!("{letter}{n}"),
            channel.name().to_string(),
            row.kind.name().to_string(),
            role,
            person,
            row.outcome.to_string(),
            if row.amount != 0.0 {
                number(row.amount)
            } else {
                String::new()
            },
            row.wait.map_or(String::new(), |t| number(t.secs())),
            row.segment
                .and_then(|k| segments.get(usize::from(k)))
                .cloned()
                .unwrap_or_default(),
        ])
        .map_err(csv_error)?;
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::{number, significant, Cell, Style};

    #[test]
    fn numbers_are_plain() {
        assert_eq!(number(1234567.0), "1234567");
        assert_eq!(number(0.25), "0.25");
        assert_eq!(number(1.0 / 3.0), "0.333333");
        assert_eq!(number(-2.5), "-2.5");
        assert_eq!(number(f64::NAN), "");
    }

    #[test]
    fn significant_digits_are_plain() {
        assert_eq!(significant(1234567.0), "1234567");
        assert_eq!(significant(0.1 + 0.2), "0.3");
        assert_eq!(significant(-2.5), "-2.5");
        assert_eq!(significant(1.0 / 3.0), "0.333333333333333");
        assert_eq!(significant(123_456_789.123_456_7), "123456789.123457");
        assert_eq!(significant(f64::NAN), "");
        assert_eq!(significant(-0.0), "0");
    }

    #[test]
    fn excel_style_uses_semicolons_and_decimal_commas() {
        let mut out = vec![];
        let rows = vec![vec![Cell::Text("a,b".into()), Cell::Num(1.5), Cell::Int(3)]];
        Style { excel: true }.write_rows(&mut out, &rows).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "a,b;1,5;3\n");
        let mut out = vec![];
        Style::default().write_rows(&mut out, &rows).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "\"a,b\",1.5,3\n");
    }
}
