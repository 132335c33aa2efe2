//! A short plain-text summary of one replication for the terminal.

use std::fmt::Write;

use crate::sim::RunResult;

use super::format::{money, percent};

/// The month-by-month table with a total line, as printed by `salesim run`.
pub fn summary(r: &RunResult) -> String {
    let c = r.currency.to_uppercase();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} · {} · seed {} · replication {}",
        r.scenario, r.structure, r.seed, r.replication
    );
    let _ = writeln!(
        s,
        "{:<8} {:>6} {:>6} {:>6} {:>6} {:>5} {:>12} {:>10} {:>12} {:>5} {:>8}",
        "month",
        "leads",
        "unans",
        "avoid",
        "won",
        "SL",
        format!("revenue {c}"),
        "payroll",
        "profit",
        "util",
        "STL min"
    );
    let total = r.total();
    let rows = r
        .months
        .iter()
        .enumerate()
        .map(|(i, m)| (r.month_dates[i].to_string()[..7].to_string(), m));
    for (label, m) in rows.chain(std::iter::once(("total".to_string(), &total))) {
        let util = {
            let (b, p) = m
                .roles
                .iter()
                .fold((0u64, 0u64), |(b, p), x| (b + x.busy_ms, p + x.paid_ms));
            if p > 0 {
                b as f64 / p as f64
            } else {
                f64::NAN
            }
        };
        let stl = m.speed_to_lead_mean_min();
        let _ = writeln!(
            s,
            "{:<8} {:>6} {:>6} {:>6} {:>6} {:>5} {:>12} {:>10} {:>12} {:>5} {:>8}",
            label,
            m.leads_arrived(),
            m.lost_unanswered,
            m.lost_leads(),
            m.deals_won,
            percent(m.service_level(), 0),
            money(m.revenue()),
            money(m.payroll() + m.outsourcing()),
            money(m.gross_profit(r.gross_margin)),
            percent(util, 0),
            if stl.is_finite() {
                format!("{stl:.0}")
            } else {
                "-".into()
            },
        );
    }
    let _ = writeln!(
        s,
        "leads still open at the end: {}; avoid: leads lost that staff could have kept (calls abandoned in working hours, late responses, deals gone cold, contracts lost late)",
        r.open_leads
    );
    s
}
