//! Experiment results as CSV rows (summary, monthly, replications, differences, claims)
//! and as a ranked table for the terminal.
//!
//! Rows are produced point by point, so a sweep can append each point as it finishes.
//! Every file starts with the `point` and `param_*` columns when the experiment sweeps.

use std::fmt::Write as _;

use crate::experiment::{Experiment, PointResult, Stop, Summary, Verdict};
use crate::sim::Metric;

use super::csv::{significant, Cell};
use super::lang::Words;

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

/// The leading columns of every file: `point` and one `param_*` per swept field.
fn lead_header(exp: &Experiment) -> Vec<Cell> {
    if exp.axes.is_empty() {
        return vec![];
    }
    let mut v = vec![text("point")];
    v.extend(exp.axes.iter().map(|a| text(a.path.column())));
    v
}

/// A swept field's value as a cell: its name for a field that takes one, else the number.
fn param_cell(name: Option<&str>, x: f64) -> Cell {
    name.map_or(Cell::Num(x), text)
}

/// `path = value` for a table or a page: the name for a field that takes one, else the
/// number.
pub(crate) fn param_text(path: &str, name: Option<&str>, x: f64) -> String {
    match name {
        Some(name) => format!("{path} = {name}"),
        None => format!("{path} = {}", significant(x)),
    }
}

fn lead(exp: &Experiment, p: &PointResult) -> Vec<Cell> {
    if exp.axes.is_empty() {
        return vec![];
    }
    let mut v = vec![Cell::Int(p.index as u64 + 1)];
    v.extend(
        p.params
            .iter()
            .map(|x| param_cell(x.name.as_deref(), x.value)),
    );
    v
}

fn stats(s: &Summary, with_bounds: bool) -> Vec<Cell> {
    let mut v = vec![
        Cell::Int(s.n),
        Cell::Num(s.mean),
        Cell::Num(s.sd),
        Cell::Num(s.ci95_half),
    ];
    if with_bounds {
        v.push(Cell::Num(s.mean - s.ci95_half));
        v.push(Cell::Num(s.mean + s.ci95_half));
    }
    v.extend([Cell::Num(s.p5), Cell::Num(s.p50), Cell::Num(s.p95)]);
    v
}

fn header(exp: &Experiment, cols: &[&str]) -> Vec<Cell> {
    let mut h = lead_header(exp);
    h.extend(cols.iter().map(|c| text(*c)));
    h
}

/// `summary.csv`: a row per structure and metric, over the horizon.
pub fn summary_header(exp: &Experiment) -> Vec<Cell> {
    header(
        exp,
        &[
            "structure",
            "metric",
            "n",
            "mean",
            "sd",
            "ci95_half",
            "ci95_low",
            "ci95_high",
            "p5",
            "p50",
            "p95",
        ],
    )
}

/// The rows of `summary.csv` for point `p`.
pub fn summary_rows(exp: &Experiment, p: &PointResult) -> Vec<Vec<Cell>> {
    let mut rows = vec![];
    for v in &p.variants {
        for (m, s) in v.metrics.iter().zip(&v.totals) {
            let mut r = lead(exp, p);
            r.extend([text(&v.name), text(m)]);
            r.extend(stats(s, true));
            rows.push(r);
        }
    }
    rows
}

/// `monthly.csv`: a row per structure, month and metric.
pub fn monthly_header(exp: &Experiment) -> Vec<Cell> {
    header(
        exp,
        &[
            "structure",
            "month",
            "metric",
            "n",
            "mean",
            "sd",
            "ci95_half",
            "p5",
            "p50",
            "p95",
        ],
    )
}

/// The rows of `monthly.csv` for point `p`.
pub fn monthly_rows(exp: &Experiment, p: &PointResult) -> Vec<Vec<Cell>> {
    let mut rows = vec![];
    for v in &p.variants {
        for (month, ms) in exp.months.iter().zip(&v.monthly) {
            for (m, s) in v.metrics.iter().zip(ms) {
                let mut r = lead(exp, p);
                r.extend([text(&v.name), text(month), text(m)]);
                r.extend(stats(s, false));
                rows.push(r);
            }
        }
    }
    rows
}

/// `differences.csv`: each structure minus the baseline, on the same replications.
pub fn differences_header(exp: &Experiment) -> Vec<Cell> {
    header(
        exp,
        &[
            "structure",
            "baseline",
            "metric",
            "n",
            "mean_difference",
            "ci95_half",
            "ci95_low",
            "ci95_high",
            "unpaired_ci95_half",
            "ci_narrowing",
            "correlation",
        ],
    )
}

/// The rows of `differences.csv` for point `p`.
pub fn differences_rows(exp: &Experiment, p: &PointResult) -> Vec<Vec<Cell>> {
    p.differences
        .iter()
        .map(|d| {
            let mut r = lead(exp, p);
            r.extend([
                text(&d.structure),
                text(&d.baseline),
                text(&d.metric),
                Cell::Int(d.paired.n),
                Cell::Num(d.paired.estimate),
                Cell::Num(d.paired.half_width),
                Cell::Num(d.paired.low()),
                Cell::Num(d.paired.high()),
                Cell::Num(d.unpaired_half_width),
                Cell::Num(d.unpaired_half_width / d.paired.half_width),
                Cell::Num(d.correlation),
            ]);
            r
        })
        .collect()
}

/// `claims.csv`: each claim's verdict with the interval behind it.
pub fn claims_header(exp: &Experiment) -> Vec<Cell> {
    header(
        exp,
        &[
            "claim",
            "source",
            "verdict",
            "n",
            "difference",
            "difference_ci95_low",
            "difference_ci95_high",
            "ratio",
            "ratio_ci95_low",
            "ratio_ci95_high",
        ],
    )
}

/// The rows of `claims.csv` for point `p`.
pub fn claims_rows(exp: &Experiment, p: &PointResult) -> Vec<Vec<Cell>> {
    p.claims
        .iter()
        .map(|c| {
            let mut r = lead(exp, p);
            let (ratio, lo, hi) = match c.ratio {
                Some(i) => (i.estimate, i.low(), i.high()),
                None => (f64::NAN, f64::NAN, f64::NAN),
            };
            r.extend([
                text(&c.claim.text),
                text(c.claim.source.clone().unwrap_or_default()),
                text(c.verdict.to_string()),
                Cell::Int(c.difference.n),
                Cell::Num(c.difference.estimate),
                Cell::Num(c.difference.low()),
                Cell::Num(c.difference.high()),
                Cell::Num(ratio),
                Cell::Num(lo),
                Cell::Num(hi),
            ]);
            r
        })
        .collect()
}

/// `replications.csv`: a row per replication and structure, with the totals of every
/// metric (a metric a structure does not have, such as another structure's role, is
/// empty).
pub fn replications_header(exp: &Experiment) -> Vec<Cell> {
    let mut h = lead_header(exp);
    h.extend([text("replication"), text("structure")]);
    h.extend(exp.all_metrics().into_iter().map(Cell::Text));
    h
}

/// The rows of one replication (every variant) at point `p`.
pub fn replication_rows(
    exp: &Experiment,
    columns: &[String],
    point: usize,
    replication: u64,
    totals: &[&[f64]],
) -> Vec<Vec<Cell>> {
    let mut rows = vec![];
    for (v, vals) in totals.iter().enumerate() {
        let mut r = vec![];
        if !exp.axes.is_empty() {
            r.push(Cell::Int(point as u64 + 1));
            r.extend(
                exp.axes
                    .iter()
                    .zip(&exp.points[point])
                    .map(|(a, &x)| param_cell(a.name_at(x), x)),
            );
        }
        r.push(Cell::Int(replication));
        r.push(text(&exp.variants[v].name));
        let names = &exp.metric_names[v];
        for c in columns {
            r.push(match names.iter().position(|n| n == c) {
                Some(j) => Cell::Num(vals[j]),
                None => Cell::Num(f64::NAN),
            });
        }
        rows.push(r);
    }
    rows
}

/// The months the totals cover, for a reader: `24 months, 2027-01 to 2028-12 (the
/// first 12 months, from 2026-01, a warm-up left out)`.
pub fn totals_span(exp: &Experiment, w: &Words) -> String {
    let counted = &exp.months[exp.counted()];
    let warmup = exp.months.len() - counted.len();
    let (Some(first), Some(last)) = (counted.first(), counted.last()) else {
        return w.t("span.none").into();
    };
    let n = counted.len() as u64;
    let mut s = if n == 1 {
        w.f("span.one", &[("first", first)])
    } else {
        w.n("span.months", n, &[("first", first), ("last", last)])
    };
    if warmup > 0 {
        s += &w.n("span.warmup", warmup as u64, &[("from", &exp.months[0])]);
    }
    s
}

fn with_ci(s: Option<&Summary>, f: impl Fn(f64) -> String) -> String {
    match s {
        Some(s) if s.n > 0 => {
            if s.ci95_half.is_finite() {
                format!("{} ± {}", f(s.mean), f(s.ci95_half))
            } else {
                f(s.mean)
            }
        }
        _ => "-".into(),
    }
}

/// The structures ranked by gross profit, with 95% CIs, then the claims' verdicts.
pub fn ranked_table(exp: &Experiment, p: &PointResult, w: &Words) -> String {
    let c = exp.currency.to_uppercase();
    let money = |x: f64| w.money(x);
    let mut s = String::new();
    if !p.params.is_empty() {
        let params: Vec<String> = p
            .params
            .iter()
            .map(|x| param_text(&x.path, x.name.as_deref(), x.value))
            .collect();
        let _ = writeln!(
            s,
            "{}",
            w.f(
                "terminal.point",
                &[("k", &(p.index + 1)), ("params", &params.join(", "))]
            )
        );
    }
    let mut order: Vec<usize> = (0..p.variants.len()).collect();
    let profit = |i: usize| {
        p.variants[i]
            .total(Metric::GrossProfit)
            .map_or(f64::NEG_INFINITY, |x| x.mean)
    };
    order.sort_by(|&a, &b| profit(b).total_cmp(&profit(a)).then(a.cmp(&b)));
    let int = |x: f64| format!("{x:.0}");
    // With a reference department, the leads lost for want of staff come first.
    let reference = p
        .variants
        .iter()
        .any(|v| v.total(Metric::CapacityLoss).is_some());
    let rows: Vec<Vec<String>> = order
        .iter()
        .enumerate()
        .map(|(rank, &i)| {
            let v = &p.variants[i];
            let mut row = vec![
                format!("{}", rank + 1),
                w.label("structure", &v.name).to_string(),
                with_ci(v.total(Metric::GrossProfit), money),
                with_ci(v.total(Metric::Revenue), money),
            ];
            if reference {
                row.push(with_ci(v.total(Metric::CapacityLoss), int));
            }
            row.extend([
                with_ci(v.total(Metric::LostLeads), int),
                with_ci(v.total(Metric::ServiceLevelOpen), |x| w.percent1(x)),
                with_ci(v.total(Metric::Payroll), money),
            ]);
            row
        })
        .collect();
    let cur = [("c", &c as &dyn std::fmt::Display)];
    let mut head = vec![
        "#".to_string(),
        w.t("terminal.structure").into(),
        w.f("terminal.gross_profit", &cur),
        w.f("terminal.revenue", &cur),
    ];
    if reference {
        head.push(w.t("terminal.capacity_loss").into());
    }
    head.extend([
        w.t("terminal.avoidable").into(),
        w.t("terminal.service").into(),
        w.f("terminal.payroll", &cur),
    ]);
    let widths: Vec<usize> = (0..head.len())
        .map(|k| {
            rows.iter()
                .map(|r| r[k].chars().count())
                .chain([head[k].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| {
        let mut l = String::new();
        for (k, cell) in cells.iter().enumerate() {
            let pad = widths[k] - cell.chars().count();
            if k == 1 {
                l.push_str(cell);
                l.push_str(&" ".repeat(pad));
            } else {
                l.push_str(&" ".repeat(pad));
                l.push_str(cell);
            }
            l.push_str("  ");
        }
        l.trim_end().to_string()
    };
    let _ = writeln!(s, "{}", line(&head));
    for r in &rows {
        let _ = writeln!(s, "{}", line(r));
    }
    // Gross profit against the baseline on the same replications.
    let gp: Vec<&crate::experiment::Difference> = p
        .differences
        .iter()
        .filter(|d| d.metric == Metric::GrossProfit.column(&exp.currency))
        .collect();
    if let Some(first) = gp.first() {
        let _ = writeln!(
            s,
            "{}",
            w.f(
                "terminal.versus",
                &[("base", &w.label("structure", &first.baseline))]
            )
        );
        let width = gp
            .iter()
            .map(|d| w.label("structure", &d.structure).chars().count())
            .max()
            .unwrap_or(0);
        for d in &gp {
            let sign = if d.paired.estimate >= 0.0 { "+" } else { "" };
            let _ = writeln!(
                s,
                "  {:width$}  {sign}{} ± {}  ({})",
                w.label("structure", &d.structure),
                money(d.paired.estimate),
                money(d.paired.half_width),
                w.f(
                    "terminal.unpaired",
                    &[("half", &money(d.unpaired_half_width))]
                ),
            );
        }
    }
    let stop = match p.stop {
        Some(Stop::Precision {
            replications,
            relative_half_width,
        }) => w.n(
            "terminal.precision_reached",
            replications,
            &[("worst", &w.decimal(relative_half_width * 100.0, 2))],
        ),
        Some(Stop::MaxReached { replications }) => w.n("terminal.max_reached", replications, &[]),
        None => String::new(),
    };
    let _ = writeln!(
        s,
        "{}",
        w.n("terminal.replications", p.replications, &[("stop", &stop)])
    );
    if reference {
        let _ = writeln!(s, "{}", w.t("terminal.capacity_note"));
    }
    let _ = writeln!(s, "{}", w.t("terminal.avoidable_note"));
    let verdicts = [
        w.t("verdict.supported"),
        w.t("verdict.refuted"),
        w.t("verdict.inconclusive"),
    ];
    let mark_width = verdicts
        .iter()
        .map(|v| v.chars().count())
        .max()
        .unwrap_or(0);
    for cl in &p.claims {
        let mark = match cl.verdict {
            Verdict::Supported => verdicts[0],
            Verdict::Refuted => verdicts[1],
            Verdict::Inconclusive => verdicts[2],
        };
        let detail = match cl.ratio {
            Some(r) if r.half_width.is_finite() => w.f(
                "terminal.claim_ratio",
                &[
                    ("ratio", &w.decimal(r.estimate, 3)),
                    ("low", &w.decimal(r.low(), 3)),
                    ("high", &w.decimal(r.high(), 3)),
                ],
            ),
            _ => w.f(
                "terminal.claim_difference",
                &[
                    ("diff", &w.num(significant(cl.difference.estimate))),
                    ("low", &w.num(significant(cl.difference.low()))),
                    ("high", &w.num(significant(cl.difference.high()))),
                ],
            ),
        };
        let _ = writeln!(
            s,
            "{} {mark:mark_width$} {}  ({detail})",
            w.t("terminal.claim"),
            cl.claim.text
        );
    }
    s
}
