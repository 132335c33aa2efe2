//! The results as an Excel workbook (`results.xlsx`): the tables of the results folder as
//! sheets, numbers as numbers with formats (currency, percent, thousands), frozen
//! headers, widths that fit, and native Excel charts (not pictures) drawn from ranges of
//! the workbook, so a consultant can restyle them: revenue by month, lost leads by
//! cause, the totals with their 95% intervals as error bars, and a staffing plan.
//!
//! Every table sheet is its CSV, cell for cell: a cell that reads as a number is written
//! as that number (the CSV holds 15 significant digits, so the sheet holds the CSV's
//! figure to the digit), any other as text. The workbook's creation time is fixed, so
//! the same results give the same bytes.

use rust_xlsxwriter::{
    Chart, ChartErrorBars, ChartErrorBarsType, ChartRange, ChartType, DocProperties, ExcelDateTime,
    Format, FormatBorder, Workbook, Worksheet, XlsxError,
};

use super::html::tables::assumption_rows;
use super::results::Results;
use crate::experiment::staffing::StaffingResult;
use crate::sim::Metric;

/// A table of the results folder: the sheet's name and the CSV's bytes.
pub struct TableFile {
    /// The sheet's name (at most 31 characters, Excel's limit).
    pub sheet: &'static str,
    /// The file's bytes, in the folder's CSV dialect.
    pub csv: Vec<u8>,
}

/// The widest a column is made, in characters.
const MAX_WIDTH: usize = 48;

/// The causes of lost leads, as the lost-leads chart stacks them.
const CAUSES: [Metric; 8] = [
    Metric::LostUnanswered,
    Metric::LostAfterHours,
    Metric::LostNotReached,
    Metric::LostLateResponse,
    Metric::LostNonTarget,
    Metric::LostDealCold,
    Metric::LostDealLost,
    Metric::ContractsLostLate,
];

/// The ranked sheet's figures: metric and its format.
const RANKED: [Metric; 10] = [
    Metric::GrossProfit,
    Metric::Revenue,
    Metric::RevenueNew,
    Metric::RevenueRepeat,
    Metric::DealsWon,
    Metric::LostLeads,
    Metric::LostLeadsShare,
    Metric::ServiceLevelOpen,
    Metric::Payroll,
    Metric::Commissions,
];

struct Formats {
    header: Format,
    money: Format,
    share: Format,
    count: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            header: Format::new()
                .set_bold()
                .set_background_color("F4F4F4")
                .set_border_bottom(FormatBorder::Thin),
            money: Format::new().set_num_format("#,##0"),
            share: Format::new().set_num_format("0.0%"),
            count: Format::new().set_num_format("#,##0.0"),
        }
    }

    /// The format of a figure of metric column `name` (with its unit suffix).
    fn of(&self, name: &str, currency: &str) -> &Format {
        if name.ends_with("_share") {
            &self.share
        } else if name.ends_with(&format!("_{currency}")) {
            &self.money
        } else {
            &self.count
        }
    }
}

fn fixed_time(wb: &mut Workbook) -> Result<(), XlsxError> {
    // A fixed creation time: the same results give the same bytes.
    let t = ExcelDateTime::from_ymd(2026, 1, 1)?;
    wb.set_properties(&DocProperties::new().set_creation_datetime(&t));
    Ok(())
}

/// A series per column `cols` of sheet `sheet`, named by its header, over the categories
/// of column A in rows 2 to `rows + 1`: each chart of a table drawn column by column.
fn series_by_column(chart: &mut Chart, sheet: &str, rows: u32, cols: std::ops::Range<u16>) {
    for c in cols {
        chart
            .add_series()
            .set_name((sheet, 0, c))
            .set_categories((sheet, 1, 0, rows, 0))
            .set_values((sheet, 1, c, rows, c));
    }
}

/// A sheet that prints landscape on A4, `tall` pages high (0: as many as it needs) and
/// one wide: the ranked table and the charts' sheets each print as one page.
fn printable(ws: &mut Worksheet, tall: u16) {
    ws.set_paper_size(9)
        .set_landscape()
        .set_print_fit_to_pages(1, tall);
}

/// A header row in bold, frozen.
fn header(ws: &mut Worksheet, f: &Formats, cells: &[String]) -> Result<(), XlsxError> {
    for (c, h) in cells.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &f.header)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// Column widths from the longest text in the first rows (headers included).
fn widths(ws: &mut Worksheet, rows: &[Vec<String>]) -> Result<(), XlsxError> {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    for c in 0..cols {
        let w = rows
            .iter()
            .take(500)
            .filter_map(|r| r.get(c))
            .map(|s| s.chars().count())
            .max()
            .unwrap_or(8)
            .clamp(8, MAX_WIDTH);
        ws.set_column_width(c as u16, w as f64 + 2.0)?;
    }
    Ok(())
}

/// The number a CSV cell holds, in the folder's dialect.
fn number(cell: &str, excel: bool) -> Option<f64> {
    let t = if excel {
        cell.replace(',', ".")
    } else {
        cell.to_string()
    };
    let x: f64 = t.parse().ok()?;
    x.is_finite().then_some(x)
}

/// A sheet that is the CSV `t`, cell for cell, figures formatted by their metric.
fn table_sheet(
    wb: &mut Workbook,
    f: &Formats,
    t: &TableFile,
    excel: bool,
    currency: &str,
) -> Result<(), XlsxError> {
    let bytes = t
        .csv
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(&t.csv);
    let mut r = csv::ReaderBuilder::new()
        .delimiter(if excel { b';' } else { b',' })
        .has_headers(false)
        .from_reader(bytes);
    let rows: Vec<Vec<String>> = r
        .records()
        .filter_map(Result::ok)
        .map(|rec| rec.iter().map(str::to_string).collect())
        .collect();
    let ws = wb.add_worksheet();
    ws.set_name(t.sheet)?;
    printable(ws, 0);
    let Some((head, body)) = rows.split_first() else {
        return Ok(());
    };
    header(ws, f, head)?;
    let metric_col = head.iter().position(|h| h == "metric");
    for (i, row) in body.iter().enumerate() {
        let rr = i as u32 + 1;
        let fmt = metric_col
            .and_then(|m| row.get(m))
            .map(|m| f.of(m, currency));
        for (c, cell) in row.iter().enumerate() {
            let col = c as u16;
            // Counts of replications and flags stay plain; a row's figures take its
            // metric's format, a column named with its unit takes that.
            let plain = matches!(head[c].as_str(), "n" | "point" | "replication" | "step");
            match number(cell, excel) {
                Some(x) if plain => {
                    ws.write_number(rr, col, x)?;
                }
                Some(x) => {
                    let cf = fmt.unwrap_or_else(|| f.of(&head[c], currency));
                    ws.write_number_with_format(rr, col, x, cf)?;
                }
                None if cell.is_empty() => {}
                None => {
                    ws.write_string(rr, col, cell)?;
                }
            }
        }
    }
    widths(ws, &rows)
}

/// `results.xlsx` of an experiment's results at point `p`, with the folder's tables.
pub fn workbook(r: &Results, p: usize, tables: &[TableFile]) -> Result<Vec<u8>, XlsxError> {
    let exp = &r.exp;
    let cur = exp.currency.as_str();
    let f = Formats::new();
    let mut wb = Workbook::new();
    fixed_time(&mut wb)?;
    ranked_sheet(&mut wb, &f, r, p)?;
    totals_sheet(&mut wb, &f, r, p)?;
    revenue_sheet(&mut wb, &f, r, p)?;
    lost_sheet(&mut wb, &f, r, p)?;
    for t in tables {
        table_sheet(&mut wb, &f, t, r.manifest.excel, cur)?;
    }
    pairs_sheet(&mut wb, &f, "Assumptions", &assumption_rows(r, p))?;
    let mut prov = vec![
        ("Scenario".to_string(), exp.scenario_name.clone()),
        ("Seed".into(), exp.seed.to_string()),
        ("Baseline".into(), exp.variants[exp.baseline].name.clone()),
        (
            "Replications".into(),
            r.points[p]
                .totals
                .first()
                .and_then(|t| t.values().next())
                .map_or_else(String::new, |s| s.n.to_string()),
        ),
        ("Totals over".into(), exp.totals_span()),
        ("Run".into(), super::html::tables::run_line(r, p)),
        (
            "Written by".into(),
            format!(
                "salesim {} from the results folder (summary.csv, monthly.csv, differences.csv, run.json, scenario.toml); redraw with `salesim report DIR --xlsx`",
                env!("CARGO_PKG_VERSION")
            ),
        ),
    ];
    if let Some(cut) = r.interrupted() {
        prov.push(("Interrupted".into(), format!("the {} was {cut}", r.what())));
    }
    pairs_sheet(&mut wb, &f, "Provenance", &prov)?;
    wb.save_to_buffer()
}

/// A two-column sheet of (what, value) in words.
fn pairs_sheet(
    wb: &mut Workbook,
    f: &Formats,
    name: &str,
    rows: &[(String, String)],
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    printable(ws, 0);
    header(ws, f, &["what".into(), "value".into()])?;
    let wrap = Format::new().set_text_wrap();
    for (i, (k, v)) in rows.iter().enumerate() {
        ws.write_string(i as u32 + 1, 0, k)?;
        ws.write_string_with_format(i as u32 + 1, 1, v, &wrap)?;
    }
    ws.set_column_width(0, 28)?;
    ws.set_column_width(1, 110)?;
    Ok(())
}

/// The structures ranked by gross profit, their key figures with 95% half-widths.
fn ranked_sheet(wb: &mut Workbook, f: &Formats, r: &Results, p: usize) -> Result<(), XlsxError> {
    let exp = &r.exp;
    let cur = &exp.currency;
    let ws = wb.add_worksheet();
    ws.set_name("Ranked")?;
    printable(ws, 1);
    let mut head = vec!["rank".to_string(), "structure".into()];
    for m in RANKED {
        let name = m.column(cur);
        head.push(name.clone());
        head.push(format!("{name}_ci95_half"));
    }
    header(ws, f, &head)?;
    ws.set_freeze_panes(1, 2)?;
    let profit = |v: usize| {
        r.total(p, v, Metric::GrossProfit)
            .map_or(f64::NAN, |s| s.mean)
    };
    let mut order: Vec<usize> = (0..exp.variants.len()).collect();
    order.sort_by(|&a, &b| profit(b).total_cmp(&profit(a)));
    let mut texts = vec![head.clone()];
    for (i, &v) in order.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_number(row, 0, i as f64 + 1.0)?;
        ws.write_string(row, 1, &exp.variants[v].name)?;
        texts.push(vec![String::new(), exp.variants[v].name.clone()]);
        for (k, m) in RANKED.into_iter().enumerate() {
            let Some(s) = r.total(p, v, m) else { continue };
            let fmt = f.of(&m.column(cur), cur);
            let col = 2 + 2 * k as u16;
            if s.mean.is_finite() {
                ws.write_number_with_format(row, col, s.mean, fmt)?;
            }
            if s.half.is_finite() {
                ws.write_number_with_format(row, col + 1, s.half, fmt)?;
            }
        }
    }
    widths(ws, &texts)?;
    for c in 2..head.len() as u16 {
        ws.set_column_width(c, 16)?;
    }
    Ok(())
}

/// Gross profit per structure with its 95% interval as error bars.
fn totals_sheet(wb: &mut Workbook, f: &Formats, r: &Results, p: usize) -> Result<(), XlsxError> {
    let exp = &r.exp;
    let cur = &exp.currency;
    let name = "Totals";
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    printable(ws, 1);
    let col = Metric::GrossProfit.column(cur);
    header(
        ws,
        f,
        &["structure".into(), col.clone(), format!("{col}_ci95_half")],
    )?;
    let n = exp.variants.len() as u32;
    for (v, var) in exp.variants.iter().enumerate() {
        let row = v as u32 + 1;
        ws.write_string(row, 0, &var.name)?;
        if let Some(s) = r.total(p, v, Metric::GrossProfit) {
            ws.write_number_with_format(row, 1, s.mean, &f.money)?;
            ws.write_number_with_format(
                row,
                2,
                if s.half.is_finite() { s.half } else { 0.0 },
                &f.money,
            )?;
        }
    }
    ws.set_column_width(0, 24)?;
    ws.set_column_width(1, 22)?;
    ws.set_column_width(2, 26)?;
    let mut chart = Chart::new(ChartType::Column);
    let half = ChartRange::new_from_range(name, 1, 2, n, 2);
    chart
        .add_series()
        .set_name(&format!("gross profit, {}", cur.to_uppercase()))
        .set_categories((name, 1, 0, n, 0))
        .set_values((name, 1, 1, n, 1))
        .set_y_error_bars(
            ChartErrorBars::new().set_type(ChartErrorBarsType::Custom(half.clone(), half)),
        );
    chart
        .title()
        .set_name(&format!("Gross profit over {} (95% CI)", exp.totals_span()));
    chart.legend().set_hidden();
    chart.y_axis().set_num_format("#,##0");
    chart.set_width(760).set_height(420);
    ws.insert_chart(1, 4, &chart)?;
    Ok(())
}

/// Revenue by month, a column per structure, with its line chart.
fn revenue_sheet(wb: &mut Workbook, f: &Formats, r: &Results, p: usize) -> Result<(), XlsxError> {
    let exp = &r.exp;
    let name = "Revenue by month";
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    printable(ws, 1);
    let mut head = vec!["month".to_string()];
    head.extend(exp.variants.iter().map(|v| v.name.clone()));
    header(ws, f, &head)?;
    let months = exp.months.len() as u32;
    for (m, label) in exp.months.iter().enumerate() {
        ws.write_string(m as u32 + 1, 0, label)?;
    }
    for v in 0..exp.variants.len() {
        let Some(stats) = r.monthly(p, v, Metric::Revenue) else {
            continue;
        };
        for (m, s) in stats.iter().enumerate() {
            if s.mean.is_finite() {
                ws.write_number_with_format(m as u32 + 1, v as u16 + 1, s.mean, &f.money)?;
            }
        }
    }
    for c in 0..head.len() as u16 {
        ws.set_column_width(c, 16)?;
    }
    let mut chart = Chart::new(ChartType::Line);
    series_by_column(&mut chart, name, months, 1..exp.variants.len() as u16 + 1);
    let warm = if exp.warmup_months > 0 {
        format!(
            " (the first {} months a warm-up, left out of the totals)",
            exp.warmup_months
        )
    } else {
        String::new()
    };
    chart
        .title()
        .set_name(&format!("Revenue by month, mean of replications{warm}"));
    chart
        .y_axis()
        .set_name(&exp.currency.to_uppercase())
        .set_num_format("#,##0");
    chart.set_width(900).set_height(440);
    ws.insert_chart(1, head.len() as u16 + 1, &chart)?;
    Ok(())
}

/// Lost leads by cause over the counted months, a row per structure, stacked.
fn lost_sheet(wb: &mut Workbook, f: &Formats, r: &Results, p: usize) -> Result<(), XlsxError> {
    let exp = &r.exp;
    let name = "Lost leads by cause";
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    printable(ws, 1);
    let mut head = vec!["structure".to_string()];
    head.extend(CAUSES.iter().map(|m| m.column(&exp.currency)));
    header(ws, f, &head)?;
    let n = exp.variants.len() as u32;
    for (v, var) in exp.variants.iter().enumerate() {
        let row = v as u32 + 1;
        ws.write_string(row, 0, &var.name)?;
        for (k, m) in CAUSES.into_iter().enumerate() {
            if let Some(s) = r.total(p, v, m) {
                ws.write_number_with_format(row, k as u16 + 1, s.mean, &f.count)?;
            }
        }
    }
    for c in 0..head.len() as u16 {
        ws.set_column_width(c, 20)?;
    }
    let mut chart = Chart::new(ChartType::BarStacked);
    series_by_column(&mut chart, name, n, 1..CAUSES.len() as u16 + 1);
    chart.title().set_name(&format!(
        "Lost leads by cause over {}, mean of replications",
        exp.totals_span()
    ));
    chart.set_width(900).set_height(420);
    ws.insert_chart(n + 2, 0, &chart)?;
    Ok(())
}

/// `results.xlsx` of a staffing plan: the plan and its comparison as sheets, the
/// headcount by month charted.
pub fn staffing_workbook(
    r: &StaffingResult,
    tables: &[TableFile],
    excel: bool,
) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    fixed_time(&mut wb)?;
    let name = "Headcount";
    {
        let ws = wb.add_worksheet();
        ws.set_name(name)?;
        printable(ws, 1);
        let mut head = vec!["month".to_string()];
        head.extend(r.roles.iter().cloned());
        header(ws, &f, &head)?;
        for (m, label) in r.months.iter().enumerate() {
            ws.write_string(m as u32 + 1, 0, label)?;
            for (k, counts) in r.plan.iter().enumerate() {
                ws.write_number(m as u32 + 1, k as u16 + 1, f64::from(counts[m]))?;
            }
        }
        for c in 0..head.len() as u16 {
            ws.set_column_width(c, 14)?;
        }
        let months = r.months.len() as u32;
        let mut chart = Chart::new(ChartType::Column);
        series_by_column(&mut chart, name, months, 1..r.roles.len() as u16 + 1);
        chart.title().set_name(&format!(
            "Headcount by month for {} ({})",
            r.objective, r.structure
        ));
        chart.set_width(900).set_height(420);
        ws.insert_chart(1, head.len() as u16 + 1, &chart)?;
    }
    for t in tables {
        table_sheet(&mut wb, &f, t, excel, &r.currency)?;
    }
    let prov = vec![
        ("Scenario".to_string(), r.scenario_name.clone()),
        ("Structure".into(), r.structure.clone()),
        ("Objective".into(), r.objective.clone()),
        ("Replications".into(), r.replications.to_string()),
        (
            "Written by".into(),
            format!(
                "salesim {} from staffing.json; redraw with `salesim report DIR --xlsx`{}",
                env!("CARGO_PKG_VERSION"),
                if r.complete {
                    ""
                } else {
                    " (an interim plan: the search was interrupted)"
                }
            ),
        ),
    ];
    pairs_sheet(&mut wb, &f, "Provenance", &prov)?;
    wb.save_to_buffer()
}
