//! Experiment results as CSV rows (summary, monthly, replications, differences, claims)
//! and as a ranked table for the terminal.
//!
//! Rows are produced point by point, so a sweep can append each point as it finishes.
//! Every file starts with the `point` and `param_*` columns when the experiment sweeps.

use std::fmt::Write as _;

use crate::experiment::{Experiment, PointResult, Stop, Summary, Verdict};
use crate::sim::Metric;

use super::csv::{significant, Cell};
use super::format::{money, percent1};

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
pub fn ranked_table(exp: &Experiment, p: &PointResult) -> String {
    let c = exp.currency.to_uppercase();
    let mut s = String::new();
    if !p.params.is_empty() {
        let params: Vec<String> = p
            .params
            .iter()
            .map(|x| param_text(&x.path, x.name.as_deref(), x.value))
            .collect();
        let _ = writeln!(s, "point {}: {}", p.index + 1, params.join(", "));
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
                v.name.clone(),
                with_ci(v.total(Metric::GrossProfit), money),
                with_ci(v.total(Metric::Revenue), money),
            ];
            if reference {
                row.push(with_ci(v.total(Metric::CapacityLoss), int));
            }
            row.extend([
                with_ci(v.total(Metric::LostLeads), int),
                with_ci(v.total(Metric::ServiceLevelOpen), percent1),
                with_ci(v.total(Metric::Payroll), money),
            ]);
            row
        })
        .collect();
    let mut head = vec![
        "#".to_string(),
        "structure".into(),
        format!("gross profit, {c}"),
        format!("revenue, {c}"),
    ];
    if reference {
        head.push("capacity loss".into());
    }
    head.extend([
        "avoidable losses".into(),
        "service level*".into(),
        format!("payroll, {c}"),
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
            "gross profit vs {} on the same replications (paired ±, and the ± without common random numbers):",
            first.baseline
        );
        let w = gp
            .iter()
            .map(|d| d.structure.chars().count())
            .max()
            .unwrap_or(0);
        for d in &gp {
            let sign = if d.paired.estimate >= 0.0 { "+" } else { "" };
            let _ = writeln!(
                s,
                "  {:w$}  {sign}{} ± {}  (unpaired ± {})",
                d.structure,
                money(d.paired.estimate),
                money(d.paired.half_width),
                money(d.unpaired_half_width),
            );
        }
    }
    let stop = match p.stop {
        Some(Stop::Precision {
            replications,
            relative_half_width,
        }) => format!(
            "; precision reached after {replications} replications (worst CI ±{:.2}% of the mean)",
            relative_half_width * 100.0
        ),
        Some(Stop::MaxReached { replications }) => format!(
            "; the maximum of {replications} replications came before the precision asked for"
        ),
        None => String::new(),
    };
    let _ = writeln!(
        s,
        "{} replications per structure, common random numbers, ± = 95% CI half-width{stop}",
        p.replications
    );
    if reference {
        let _ = writeln!(
            s,
            "capacity loss: leads lost beyond the same structure with unlimited staff on the same leads (paired ±)"
        );
    }
    let _ = writeln!(
        s,
        "avoidable losses: calls abandoned in working hours, late responses, deals gone cold, contracts lost late; *calls in working hours answered in time"
    );
    for cl in &p.claims {
        let mark = match cl.verdict {
            Verdict::Supported => "supported   ",
            Verdict::Refuted => "refuted     ",
            Verdict::Inconclusive => "inconclusive",
        };
        let detail = match cl.ratio {
            Some(r) if r.half_width.is_finite() => {
                format!("ratio {:.3} [{:.3}, {:.3}]", r.estimate, r.low(), r.high())
            }
            _ => format!(
                "difference {} [{}, {}]",
                significant(cl.difference.estimate),
                significant(cl.difference.low()),
                significant(cl.difference.high())
            ),
        };
        let _ = writeln!(s, "claim {mark} {}  ({detail})", cl.claim.text);
    }
    s
}
