//! CSV for spreadsheets: UTF-8, a header row, one value per cell, plain decimal numbers
//! (no thousands separators), stable column names with their units.

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

/// `monthly.csv` of one replication: a row per month, then a `total` row.
pub fn write_monthly(r: &RunResult, out: impl Write) -> io::Result<()> {
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
    let total = metrics(&r.total(), &r.role_names, &r.currency, r.gross_margin);
    let cells = ["total".to_string(), String::new(), r.structure.clone()]
        .into_iter()
        .chain(total.iter().map(|(_, v)| number(*v)));
    w.write_record(cells).map_err(csv_error)?;
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::number;

    #[test]
    fn numbers_are_plain() {
        assert_eq!(number(1234567.0), "1234567");
        assert_eq!(number(0.25), "0.25");
        assert_eq!(number(1.0 / 3.0), "0.333333");
        assert_eq!(number(-2.5), "-2.5");
        assert_eq!(number(f64::NAN), "");
    }
}
