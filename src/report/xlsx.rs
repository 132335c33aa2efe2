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
use super::lang::Words;
use super::results::Results;
use crate::experiment::staffing::StaffingResult;
use crate::sim::Metric;

/// A table of the results folder: the sheet's name and the CSV's bytes.
pub struct TableFile {
    /// The sheet's key in the catalogue (`sheet.summary`); its name is at most 31
    /// characters in every language, Excel's limit.
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

/// A metric's label in the language, with its currency when that is its unit
/// (`gross profit, USD`).
fn metric_label(w: &Words, m: Metric, currency: &str) -> String {
    w.column(&m.column(currency), currency)
}

/// The half-width column beside `label`.
fn half_label(w: &Words, label: &str) -> String {
    w.f("xlsx.half", &[("label", &label)])
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

/// A new sheet called `name` that prints landscape on A4, `tall` pages high (0: as many
/// as it needs) and one wide: the ranked table and the charts' sheets each print as one
/// page.
fn sheet<'a>(wb: &'a mut Workbook, name: &str, tall: u16) -> Result<&'a mut Worksheet, XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    ws.set_paper_size(9)
        .set_landscape()
        .set_print_fit_to_pages(1, tall);
    Ok(ws)
}

/// A header row in bold, frozen.
fn header(ws: &mut Worksheet, f: &Formats, cells: &[String]) -> Result<(), XlsxError> {
    // Excel's limit on a sheet name is 31 characters; every catalogue's fit.
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
    w: &Words,
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
    let ws = sheet(wb, w.t(t.sheet), 0)?;
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
    let w = r.words;
    let cur = exp.currency.as_str();
    let f = Formats::new();
    let mut wb = Workbook::new();
    fixed_time(&mut wb)?;
    ranked_sheet(&mut wb, &f, r, p)?;
    totals_sheet(&mut wb, &f, r, p)?;
    revenue_sheet(&mut wb, &f, r, p)?;
    lost_sheet(&mut wb, &f, r, p)?;
    for t in tables {
        table_sheet(&mut wb, &f, t, r.manifest.excel, cur, w)?;
    }
    pairs_sheet(
        &mut wb,
        &f,
        w.t("sheet.assumptions"),
        &assumption_rows(r, p),
        w,
    )?;
    let row = |key: &str, v: String| (w.t(&format!("xlsx.{key}")).to_string(), v);
    let mut prov = vec![
        row("scenario", exp.scenario_name.clone()),
        row("seed", exp.seed.to_string()),
        row(
            "baseline",
            w.label("structure", &exp.variants[exp.baseline].name)
                .into(),
        ),
        row(
            "replications",
            r.points[p]
                .totals
                .first()
                .and_then(|t| t.values().next())
                .map_or_else(String::new, |s| s.n.to_string()),
        ),
        row("totals_over", super::experiment::totals_span(exp, w)),
        row("run", super::html::tables::run_line(r, p)),
        row(
            "written_by",
            w.f(
                "xlsx.written_results",
                &[("version", &env!("CARGO_PKG_VERSION"))],
            ),
        ),
    ];
    if let Some(cut) = r.interrupted() {
        prov.push(row(
            "interrupted",
            w.f(
                "report.interrupted_part",
                &[("what", &r.what()), ("cut", &cut)],
            ),
        ));
    }
    pairs_sheet(&mut wb, &f, w.t("sheet.provenance"), &prov, w)?;
    wb.save_to_buffer()
}

/// A two-column sheet of (what, value) in words.
fn pairs_sheet(
    wb: &mut Workbook,
    f: &Formats,
    name: &str,
    rows: &[(String, String)],
    w: &Words,
) -> Result<(), XlsxError> {
    let ws = sheet(wb, name, 0)?;
    header(ws, f, &[w.t("xlsx.what").into(), w.t("xlsx.value").into()])?;
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
    let w = r.words;
    let cur = &exp.currency;
    let ws = sheet(wb, w.t("sheet.ranked"), 1)?;
    let mut head = vec![w.t("xlsx.rank").to_string(), w.t("xlsx.structure").into()];
    for m in RANKED {
        let label = metric_label(w, m, cur);
        let half = half_label(w, &label);
        head.push(label);
        head.push(half);
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
        let label = w.label("structure", &exp.variants[v].name);
        ws.write_string(row, 1, label)?;
        texts.push(vec![String::new(), label.to_string()]);
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
    let w = r.words;
    let cur = &exp.currency;
    let name = w.t("sheet.totals");
    let ws = sheet(wb, name, 1)?;
    let col = metric_label(w, Metric::GrossProfit, cur);
    header(
        ws,
        f,
        &[
            w.t("xlsx.structure").into(),
            col.clone(),
            half_label(w, &col),
        ],
    )?;
    let n = exp.variants.len() as u32;
    for (v, var) in exp.variants.iter().enumerate() {
        let row = v as u32 + 1;
        ws.write_string(row, 0, w.label("structure", &var.name))?;
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
        .set_name(&col)
        .set_categories((name, 1, 0, n, 0))
        .set_values((name, 1, 1, n, 1))
        .set_y_error_bars(
            ChartErrorBars::new().set_type(ChartErrorBarsType::Custom(half.clone(), half)),
        );
    chart.title().set_name(&w.f(
        "xlsx.totals_title",
        &[("span", &super::experiment::totals_span(exp, w))],
    ));
    chart.legend().set_hidden();
    chart.y_axis().set_num_format("#,##0");
    chart.set_width(760).set_height(420);
    ws.insert_chart(1, 4, &chart)?;
    Ok(())
}

/// Revenue by month, a column per structure, with its line chart.
fn revenue_sheet(wb: &mut Workbook, f: &Formats, r: &Results, p: usize) -> Result<(), XlsxError> {
    let exp = &r.exp;
    let w = r.words;
    let name = w.t("sheet.revenue");
    let ws = sheet(wb, name, 1)?;
    let mut head = vec![w.t("xlsx.month").to_string()];
    head.extend(
        exp.variants
            .iter()
            .map(|v| w.label("structure", &v.name).to_string()),
    );
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
        w.n("xlsx.revenue_warmup", exp.warmup_months as u64, &[])
    } else {
        String::new()
    };
    chart
        .title()
        .set_name(&w.f("xlsx.revenue_title", &[("warmup", &warm)]));
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
    let w = r.words;
    let name = w.t("sheet.lost");
    let ws = sheet(wb, name, 1)?;
    let mut head = vec![w.t("xlsx.structure").to_string()];
    head.extend(CAUSES.iter().map(|&m| metric_label(w, m, &exp.currency)));
    header(ws, f, &head)?;
    let n = exp.variants.len() as u32;
    for (v, var) in exp.variants.iter().enumerate() {
        let row = v as u32 + 1;
        ws.write_string(row, 0, w.label("structure", &var.name))?;
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
    chart.title().set_name(&w.f(
        "xlsx.lost_title",
        &[("span", &super::experiment::totals_span(exp, w))],
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
    w: &Words,
) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    fixed_time(&mut wb)?;
    let name = w.t("sheet.headcount");
    let objective = super::staffing::objective(r, w);
    {
        let ws = sheet(&mut wb, name, 1)?;
        let mut head = vec![w.t("xlsx.month").to_string()];
        head.extend(r.roles.iter().map(|x| w.label("role", x).to_string()));
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
        chart.title().set_name(&w.f(
            "xlsx.headcount_title",
            &[
                ("objective", &objective),
                ("structure", &w.label("structure", &r.structure)),
            ],
        ));
        chart.set_width(900).set_height(420);
        ws.insert_chart(1, head.len() as u16 + 1, &chart)?;
    }
    for t in tables {
        table_sheet(&mut wb, &f, t, excel, &r.currency, w)?;
    }
    let row = |key: &str, v: String| (w.t(&format!("xlsx.{key}")).to_string(), v);
    let prov = vec![
        row("scenario", r.scenario_name.clone()),
        row("structure_is", w.label("structure", &r.structure).into()),
        row("objective", objective),
        row("replications", r.replications.to_string()),
        row(
            "written_by",
            w.f(
                "xlsx.written_staffing",
                &[
                    ("version", &env!("CARGO_PKG_VERSION")),
                    (
                        "interim",
                        &if r.complete { "" } else { w.t("xlsx.interim") },
                    ),
                ],
            ),
        ),
    ];
    pairs_sheet(&mut wb, &f, w.t("sheet.provenance"), &prov, w)?;
    wb.save_to_buffer()
}
