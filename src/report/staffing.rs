//! A staffing plan as bytes: `staffing.json` (what the chart and the page are redrawn
//! from), `staffing.csv`, `staffing_comparison.csv`, the table for the terminal, and the
//! report page; and `staffing.json` read back.

use super::folder::STAFFING_JSON;
use std::fmt::Write as _;
use std::path::Path;

use super::csv::Cell;
use super::format::{money, percent1, signed, signed_with_half, with_half};
use super::html::escape;
use super::results::{io_reason, read_versioned, write_versioned, ResultsError};
use crate::experiment::staffing::{Estimate, StaffingResult};

/// `staffing.json`: the result and the version of salesim that found it.
pub fn json(r: &StaffingResult) -> Vec<u8> {
    write_versioned("result", r)
}

/// Reads `staffing.json` from a folder that `salesim staff` wrote.
pub fn load(dir: &Path) -> Result<StaffingResult, ResultsError> {
    let name = dir.display().to_string();
    let bytes = std::fs::read(dir.join(STAFFING_JSON)).map_err(|e| ResultsError::Missing {
        dir: name.clone(),
        file: STAFFING_JSON.into(),
        reason: io_reason(&e),
        writers: "`salesim staff`",
    })?;
    let text = String::from_utf8(bytes).map_err(|_| ResultsError::Malformed {
        dir: name.clone(),
        file: STAFFING_JSON.into(),
        reason: "not UTF-8 text".into(),
    })?;
    parse(&name, &text)
}

/// Reads the text of `staffing.json` from a folder called `dir` (used in messages).
pub fn parse(dir: &str, text: &str) -> Result<StaffingResult, ResultsError> {
    let r: StaffingResult = read_versioned(
        dir,
        STAFFING_JSON,
        "result",
        text,
        "salesim staffing result",
    )?;
    let months = r.months.len();
    let fits = |p: &[Vec<u32>]| p.len() == r.roles.len() && p.iter().all(|x| x.len() == months);
    let consistent = fits(&r.plan)
        && fits(&r.erlang)
        && r.fixed.len() == months
        && r.rows.len() == months
        && r.alternatives.iter().all(|a| fits(&a.plan));
    if !consistent {
        return Err(ResultsError::Malformed {
            dir: dir.into(),
            file: STAFFING_JSON.into(),
            reason: format!(
                "every plan needs a headcount per role ({}) and month ({months}), and `fixed` and `rows` one entry per month",
                r.roles.len()
            ),
        });
    }
    Ok(r)
}

/// What an interim plan is, for the page and the terminal.
pub const INTERIM: &str = "The search was interrupted before it finished: this is the best plan it had found so far. It has not been through the final checks (contract length, change cost, budget) nor compared with a constant headcount.";

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

/// `staffing.csv`: a row per month.
pub fn plan_rows(r: &StaffingResult) -> Vec<Vec<Cell>> {
    let c = &r.currency;
    let mut head = vec![text("month")];
    for role in &r.roles {
        head.push(text(format!("headcount_{role}")));
        head.push(text(format!("erlang_a_{role}")));
    }
    head.extend(
        [
            "fixed".to_string(),
            "inbound_leads".into(),
            "lost_share".into(),
            "lost_ci95_low".into(),
            "lost_ci95_high".into(),
            "service_level_share".into(),
            "speed_to_lead_mean_min".into(),
            format!("staff_cost_{c}"),
            format!("gross_profit_{c}"),
            format!("gross_profit_ci95_half_{c}"),
        ]
        .map(Cell::Text),
    );
    let mut rows = vec![head];
    for (m, row) in r.rows.iter().enumerate() {
        let mut v = vec![text(&r.months[m])];
        for k in 0..r.roles.len() {
            v.push(Cell::Int(u64::from(r.plan[k][m])));
            v.push(Cell::Int(u64::from(r.erlang[k][m])));
        }
        v.extend([
            Cell::Int(u64::from(r.fixed[m])),
            Cell::Num(row.inbound),
            Cell::Num(row.lost.mean),
            Cell::Num(row.lost.low()),
            Cell::Num(row.lost.high()),
            Cell::Num(row.service.mean),
            Cell::Num(row.speed.mean),
            Cell::Num(row.cost.mean),
            Cell::Num(row.profit.mean),
            Cell::Num(row.profit.half),
        ]);
        rows.push(v);
    }
    rows
}

/// `staffing_comparison.csv`: the plan, the best constant headcount and the scenario's
/// own staffing on the same replications.
pub fn comparison_rows(r: &StaffingResult) -> Vec<Vec<Cell>> {
    let c = &r.currency;
    let mut rows = vec![[
        "plan".to_string(),
        "headcounts".into(),
        "meets_target".into(),
        format!("staff_cost_{c}"),
        format!("change_cost_{c}"),
        "lost_share".into(),
        "lost_ci95_half".into(),
        format!("gross_profit_after_changes_{c}"),
        format!("gross_profit_ci95_half_{c}"),
        format!("profit_vs_plan_{c}"),
        format!("profit_vs_plan_ci95_half_{c}"),
        format!("cost_vs_plan_{c}"),
        format!("cost_vs_plan_ci95_half_{c}"),
    ]
    .map(Cell::Text)
    .into_iter()
    .collect()];
    for a in &r.alternatives {
        rows.push(vec![
            text(&a.name),
            text(headcounts(&a.plan)),
            Cell::Int(u64::from(a.meets_target)),
            Cell::Num(a.cost.mean),
            Cell::Num(a.change_cost),
            Cell::Num(a.lost.mean),
            Cell::Num(a.lost.half),
            Cell::Num(a.profit.mean),
            Cell::Num(a.profit.half),
            Cell::Num(a.profit_vs_plan.mean),
            Cell::Num(a.profit_vs_plan.half),
            Cell::Num(a.cost_vs_plan.mean),
            Cell::Num(a.cost_vs_plan.half),
        ]);
    }
    rows
}

/// `3 3 5 8 | 1 1 2 2`: headcount per month, roles separated by `|`.
pub fn headcounts(plan: &[Vec<u32>]) -> String {
    plan.iter()
        .map(|r| r.iter().map(u32::to_string).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join(" | ")
}

fn pm(e: Estimate, f: fn(f64) -> String) -> String {
    with_half(e.mean, e.half, f)
}

fn signed_money(x: f64) -> String {
    signed(x, money)
}

/// The plan and the comparison, for the terminal.
pub fn table(r: &StaffingResult) -> String {
    let cur = r.currency.to_uppercase();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} · {} · {} · objective: {}",
        r.scenario_name,
        r.structure,
        r.roles.join(", "),
        r.objective
    );
    let _ = write!(s, "{:<8}", "month");
    for role in &r.roles {
        let _ = write!(
            s,
            " {:>9} {:>8}",
            role.chars().take(9).collect::<String>(),
            "Erlang A"
        );
    }
    let _ = writeln!(
        s,
        " {:>8} {:>16} {:>8} {:>12}",
        "inbound",
        "lost unanswered",
        "SL",
        format!("cost, {cur}")
    );
    for (m, row) in r.rows.iter().enumerate() {
        let _ = write!(s, "{:<8}", r.months[m]);
        for k in 0..r.roles.len() {
            let mark = if r.fixed[m] { "*" } else { "" };
            let _ = write!(
                s,
                " {:>9} {:>8}",
                format!("{}{mark}", r.plan[k][m]),
                r.erlang[k][m]
            );
        }
        let _ = writeln!(
            s,
            " {:>8} {:>16} {:>8} {:>12}",
            money(row.inbound),
            pm(row.lost, percent1),
            percent1(row.service.mean),
            money(row.cost.mean)
        );
    }
    if r.fixed.iter().any(|&f| f) {
        let _ = writeln!(
            s,
            "* fixed: in the warm-up or within the hiring lead time, kept as the scenario staffs it; the totals leave the warm-up out"
        );
    }
    for a in &r.alternatives {
        let vs = if a.name == "seasonal plan" {
            String::new()
        } else {
            format!(
                " · vs plan: profit {} ± {}, cost {} ± {}",
                signed_money(a.profit_vs_plan.mean),
                money(a.profit_vs_plan.half),
                signed_money(a.cost_vs_plan.mean),
                money(a.cost_vs_plan.half)
            )
        };
        let _ = writeln!(
            s,
            "{:<24} cost {:>10} {cur} · lost {} · profit {} {cur}{}{vs}",
            a.name,
            money(a.cost.mean + a.change_cost),
            pm(a.lost, percent1),
            pm(a.profit, money),
            if a.meets_target {
                ""
            } else {
                " · misses the target"
            }
        );
    }
    let _ = writeln!(
        s,
        "{} replications per plan (common random numbers), {} plans simulated, {} replications in all",
        r.replications, r.evaluations, r.runs
    );
    s
}

/// The staffing report page, with the chart already drawn as SVG.
pub fn page(r: &StaffingResult, svg: &str) -> String {
    let mut h = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>Staffing · {} · salesim</title>\n<style>{}</style>\n</head>\n<body>\n",
        escape(&r.scenario_name),
        super::html::STYLE
    );
    let _ = write!(
        h,
        "<header>\n<h1>Staffing plan: {} in {}</h1>\n<p class=\"meta\">{} · objective: {} · {} replications per plan on common random numbers · {} plans, {} replications in all · salesim {}</p>\n</header>\n",
        escape(&r.roles.join(", ")),
        escape(&r.structure),
        escape(&r.scenario_name),
        escape(&r.objective),
        r.replications,
        r.evaluations,
        r.runs,
        env!("CARGO_PKG_VERSION")
    );
    if !r.complete {
        let _ = writeln!(
            h,
            "<p class=\"note\" id=\"interim\"><strong>Interim plan.</strong> {}</p>",
            escape(INTERIM)
        );
    }
    // An interim plan has not been compared with anything yet.
    if !r.alternatives.is_empty() {
        page_reading(&mut h, r);
    }
    page_plan(&mut h, r);
    if !r.alternatives.is_empty() {
        page_comparison(&mut h, r);
    }
    let _ = write!(
        h,
        "<section id=\"charts\">\n<h2>The plan against the season</h2>\n<figure id=\"chart-staffing\">\n{}\n<figcaption>Planned headcount by month, with the Erlang A estimate, the best constant headcount and the scenario's own staffing; inbound leads behind (also as charts/staffing.svg and .png)</figcaption>\n</figure>\n</section>\n</body>\n</html>\n",
        super::html::inline_svg(svg)
    );
    h
}

/// The plan against each alternative, in words.
fn page_reading(h: &mut String, r: &StaffingResult) {
    let cur = r.currency.to_uppercase();
    h.push_str("<section id=\"reading\">\n<h2>What the numbers say</h2>\n<ul class=\"reading\">\n");
    for a in r.alternatives.iter().skip(1) {
        let saving = -a.cost_vs_plan.mean;
        let _ = writeln!(
            h,
            "<li>{}</li>",
            escape(&format!(
                "Against the {} ({}), the seasonal plan costs {} ± {} {cur} {} in staff and changes, and earns {} ± {} {cur} {} gross profit on the same leads.",
                a.name,
                headcounts(&a.plan),
                money(saving.abs()),
                money(a.cost_vs_plan.half),
                if saving >= 0.0 { "less" } else { "more" },
                money(a.profit_vs_plan.mean.abs()),
                money(a.profit_vs_plan.half),
                if a.profit_vs_plan.mean <= 0.0 { "more" } else { "less" },
            ))
        );
    }
    h.push_str("</ul>\n</section>\n");
}

/// The plan month by month.
fn page_plan(h: &mut String, r: &StaffingResult) {
    let cur = r.currency.to_uppercase();
    h.push_str("<section id=\"plan\">\n<h2>The plan, month by month</h2>\n<div class=\"scroll\"><table>\n<thead><tr><th class=\"name\">month</th>");
    for role in &r.roles {
        let _ = write!(h, "<th>{}</th><th>Erlang A</th>", escape(role));
    }
    let _ = writeln!(h, "<th>inbound leads</th><th>lost unanswered</th><th>service level</th><th>speed to lead, min</th><th>staff cost, {cur}</th><th>gross profit, {cur}</th></tr></thead>\n<tbody>");
    for (m, row) in r.rows.iter().enumerate() {
        let _ = write!(h, "<tr><td class=\"name\">{}</td>", escape(&r.months[m]));
        for k in 0..r.roles.len() {
            let mark = if r.fixed[m] { " (fixed)" } else { "" };
            let _ = write!(
                h,
                "<td>{}{mark}</td><td>{}</td>",
                r.plan[k][m], r.erlang[k][m]
            );
        }
        let _ = writeln!(
            h,
            "<td>{}</td><td>{}</td><td>{}</td><td>{:.1}</td><td>{}</td><td>{}</td></tr>",
            money(row.inbound),
            escape(&pm(row.lost, percent1)),
            percent1(row.service.mean),
            row.speed.mean,
            money(row.cost.mean),
            escape(&pm(row.profit, money))
        );
    }
    h.push_str("</tbody>\n</table></div>\n</section>\n");
}

/// The plan, the best constant headcount and the scenario's own staffing.
fn page_comparison(h: &mut String, r: &StaffingResult) {
    let cur = r.currency.to_uppercase();
    h.push_str("<section id=\"comparison\">\n<h2>Against a constant headcount and the scenario's own staffing</h2>\n<div class=\"scroll\"><table>\n<thead><tr><th class=\"name\">plan</th><th class=\"name\">headcount by month</th><th>meets target</th>");
    let _ = writeln!(h, "<th>staff cost, {cur}</th><th>change cost, {cur}</th><th>lost unanswered</th><th>gross profit after changes, {cur}</th><th>profit vs plan, {cur}</th></tr></thead>\n<tbody>");
    for a in &r.alternatives {
        let _ = writeln!(
            h,
            "<tr><td class=\"name\">{}</td><td class=\"name wrap\"><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&a.name),
            escape(&headcounts(&a.plan)),
            if a.meets_target { "yes" } else { "no" },
            escape(&pm(a.cost, money)),
            money(a.change_cost),
            escape(&pm(a.lost, percent1)),
            escape(&pm(a.profit, money)),
            escape(&signed_with_half(a.profit_vs_plan.mean, a.profit_vs_plan.half, money))
        );
    }
    h.push_str("</tbody>\n</table></div>\n<p class=\"note\">± = 95% confidence interval half-width; differences are paired on the same replications.</p>\n</section>\n");
}
