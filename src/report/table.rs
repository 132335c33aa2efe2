//! A short plain-text summary of one replication for the terminal.

use std::fmt::Write;

use crate::sim::stats::ratio;
use crate::sim::{Metric, RunResult};

use super::lang::Words;

/// The month-by-month table with a total line, as printed by `salesim run`; the total
/// leaves out the first `warmup` months, whose rows are marked `~`.
pub fn summary(r: &RunResult, warmup: usize, w: &Words) -> String {
    let c = r.currency.to_uppercase();
    let (money, percent) = (|x: f64| w.money(x), |x: f64, d: usize| w.percent(x, d));
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}",
        w.f(
            "run.head",
            &[
                ("scenario", &r.scenario),
                ("structure", &w.label("structure", &r.structure)),
                ("seed", &r.seed),
                ("replication", &r.replication),
            ]
        )
    );
    let _ = writeln!(
        s,
        "{:<8} {:>6} {:>6} {:>6} {:>6} {:>5} {:>12} {:>10} {:>12} {:>5} {:>8}",
        w.t("run.month"),
        w.t("run.leads"),
        w.t("run.unans"),
        w.t("run.avoid"),
        w.t("run.won"),
        w.t("run.sl"),
        w.f("run.revenue", &[("c", &c)]),
        w.t("run.payroll"),
        w.t("run.profit"),
        w.t("run.util"),
        w.t("run.stl")
    );
    let warmup = warmup.min(r.months.len().saturating_sub(1));
    let total = r.total_from(warmup);
    let rows = r.months.iter().enumerate().map(|(i, m)| {
        let mark = if i < warmup { "~" } else { "" };
        (format!("{}{mark}", &r.month_dates[i].to_string()[..7]), m)
    });
    let total_label = w.t("run.total").to_string();
    for (label, m) in rows.chain(std::iter::once((total_label, &total))) {
        // As the utilisation metric: working time less breaks, cold calling left out.
        let util = {
            let (b, a) = m.roles.iter().fold((0u64, 0u64), |(b, a), x| {
                (b + x.busy_ms - x.prospecting_ms, a + x.available_ms())
            });
            ratio(b as f64, a as f64)
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
            percent(Metric::ServiceLevelOpen.read(m, r.gross_margin), 0),
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
    if warmup > 0 {
        let last = r
            .month_dates
            .last()
            .map(|d| d.to_string()[..7].to_string())
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "{}",
            w.n(
                "run.warmup",
                warmup as u64,
                &[
                    ("first", &&r.month_dates[warmup].to_string()[..7]),
                    ("last", &last)
                ]
            )
        );
    }
    let _ = writeln!(s, "{}", w.f("run.legend", &[("open", &r.open_leads)]));
    s
}
