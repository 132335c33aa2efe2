//! The tables of the report: ranking, claims, sweep, staffing, assumptions.

use std::fmt::Write;

use super::escape;
use crate::report::chart::Look;
use crate::report::csv::significant;
use crate::report::format::{money, percent1, with_half};
use crate::report::results::{Results, Stat};
use crate::sim::Metric;

/// `1 234 567 ± 12 345`; `-` when undefined.
pub fn with_ci(s: Option<Stat>, f: fn(f64) -> String) -> String {
    s.map_or_else(|| "-".into(), |s| with_half(s.mean, s.half, f))
}

/// A line on how the results were obtained.
pub fn run_line(r: &Results, p: usize) -> String {
    let exp = &r.exp;
    let n = r.manifest.points[p].replications;
    let mut s = format!(
        "totals over {} · {n} replications per structure on common random numbers · seed {} · baseline {} · salesim {}",
        exp.totals_span(),
        exp.seed,
        exp.variants[exp.baseline].name,
        r.manifest.salesim_version
    );
    if !exp.axes.is_empty() {
        let _ = write!(s, " · {}", point_label(r, p));
    }
    if let Some(cut) = r.interrupted() {
        let _ = write!(s, " · {} {cut}", r.what());
    }
    s
}

/// `point 2: roles.call_centre.count = 4`
pub fn point_label(r: &Results, p: usize) -> String {
    let params: Vec<String> = r
        .exp
        .axes
        .iter()
        .zip(&r.exp.points[p])
        .map(|(a, &x)| crate::report::experiment::param_text(&a.path.text, a.name_at(x), x))
        .collect();
    format!("point {}: {}", p + 1, params.join(", "))
}

/// A cell of a statistic, carrying its exact values for checking against the CSVs.
fn stat_cell(r: &Results, p: usize, v: usize, metric: &str, f: fn(f64) -> String) -> String {
    let name = r.metric_name(metric);
    let s = r.total_named(p, v, &name);
    let (mean, half) = s.map_or((String::new(), String::new()), |s| {
        (significant(s.mean), significant(s.half))
    });
    format!(
        "<td data-structure=\"{}\" data-metric=\"{}\" data-mean=\"{mean}\" data-half=\"{half}\">{}</td>",
        escape(&r.exp.variants[v].name),
        escape(&name),
        escape(&with_ci(s, f))
    )
}

fn swatch(look: &Look) -> String {
    let c = look.colour;
    format!(
        "<span class=\"swatch\" style=\"background:#{:02x}{:02x}{:02x}\"></span>",
        c.0, c.1, c.2
    )
}

/// Variants ordered by gross profit, best first (ties keep the experiment's order).
pub fn by_profit(r: &Results, p: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..r.exp.variants.len()).collect();
    let profit = |v: usize| {
        r.total(p, v, Metric::GrossProfit)
            .map_or(f64::NEG_INFINITY, |s| s.mean)
    };
    order.sort_by(|&a, &b| profit(b).total_cmp(&profit(a)).then(a.cmp(&b)));
    order
}

/// The ranked comparison with CIs and the paired difference to the baseline.
pub fn ranking(r: &Results, p: usize) -> String {
    let c = r.exp.currency.to_uppercase();
    let looks = crate::report::chart::looks(r);
    let base = r.exp.baseline;
    // With a reference department, the leads lost for want of staff come first.
    let reference =
        (0..r.exp.variants.len()).any(|v| r.total(p, v, Metric::CapacityLoss).is_some());
    let mut h = String::new();
    let _ = write!(
        h,
        "<section id=\"ranking\">\n<h2>Structures ranked by gross profit</h2>\n<div class=\"scroll\"><table>\n<thead><tr>\
         <th>#</th><th class=\"name\">structure</th><th>gross profit, {c}</th><th>vs {} (paired), {c}</th>{}\
         <th>revenue, {c}</th><th>lost waiting, {c}</th><th>avoidable losses</th><th>share of leads</th><th>no staffing saves</th><th>service level</th><th>in working hours</th><th>payroll, {c}</th><th>profit per payroll {c}</th><th>margin on first deals, {c}</th><th>margin on repeat orders, {c}</th></tr></thead>\n<tbody>\n",
        escape(&r.exp.variants[base].name),
        if reference {
            "<th>capacity loss, leads</th><th>per deal of the reference</th>"
        } else {
            ""
        }
    );
    for (rank, v) in by_profit(r, p).into_iter().enumerate() {
        let diff = match r.diff(p, v, Metric::GrossProfit) {
            Some(d) if v != base => format!(
                "{}{} ± {}",
                if d.mean > 0.0 { "+" } else { "" },
                money(d.mean),
                money(d.half)
            ),
            _ => "baseline".into(),
        };
        let capacity = if reference {
            stat_cell(r, p, v, Metric::CapacityLoss.name(), money)
                + &stat_cell(r, p, v, Metric::CapacityLossShare.name(), percent1)
        } else {
            String::new()
        };
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"name\">{}{}</td>{}<td>{}</td>{capacity}{}{}{}{}{}{}{}{}{}{}{}</tr>",
            rank + 1,
            swatch(&looks[v]),
            escape(&r.exp.variants[v].name),
            stat_cell(r, p, v, Metric::GrossProfit.name(), money),
            escape(&diff),
            stat_cell(r, p, v, Metric::Revenue.name(), money),
            stat_cell(r, p, v, Metric::RevenueLostWaiting.name(), money),
            stat_cell(r, p, v, Metric::LostLeads.name(), money),
            stat_cell(r, p, v, Metric::LostLeadsShare.name(), percent1),
            stat_cell(r, p, v, Metric::LostUnavoidable.name(), money),
            stat_cell(r, p, v, Metric::ServiceLevel.name(), percent1),
            stat_cell(r, p, v, Metric::ServiceLevelOpen.name(), percent1),
            stat_cell(r, p, v, Metric::Payroll.name(), money),
            stat_cell(r, p, v, Metric::ProfitPerPayroll.name(), |x| format!(
                "{x:.2}"
            )),
            stat_cell(r, p, v, Metric::ProfitNew.name(), money),
            stat_cell(r, p, v, Metric::ProfitRepeat.name(), money),
        );
    }
    let n = r.manifest.points[p].replications;
    let stop = match r.manifest.points[p].stop {
        Some(crate::experiment::Stop::Precision { .. }) => {
            " (replications added until the precision asked for was reached)"
        }
        Some(crate::experiment::Stop::MaxReached { .. }) => {
            " (the precision asked for was not reached within the maximum number of replications)"
        }
        None => "",
    };
    let _ = write!(
        h,
        "</tbody>\n</table></div>\n<p class=\"note\">Totals over {}, mean ± half-width of the 95% confidence interval over {n} replications{stop}. \
         The paired column compares each structure with {} on the same leads (common random numbers), which is why its interval is narrower than the difference of two columns. {}\
         Avoidable losses: leads lost to calls abandoned in working hours, late responses, deals gone cold and contracts lost late; no staffing saves the non-target, the never reached, the decisions lost to a competitor and the after-hours calls that left no number. \
         Lost waiting: the revenue of orders cancelled and contracts lost while they waited past due, and of orders nobody called to collect in time. \
         Margin: gross margin on the revenue less its commissions, on first deals (new business) and on repeat orders.</p>\n</section>\n",
        escape(&r.exp.totals_span()),
        escape(&r.exp.variants[base].name),
        if reference {
            format!("Capacity loss: the leads a structure loses beyond the same structure with unlimited staff on the same leads (every role {}× over, no cold calling), and that excess per deal the unlimited department keeps; its interval is paired. ", crate::structure::UNLIMITED)
        } else {
            String::new()
        }
    );
    h
}

/// The claims tested at point `p`, with their verdicts.
pub fn claims(r: &Results, p: usize) -> String {
    let rows: Vec<_> = r.claims.iter().filter(|c| c.point == p).collect();
    if rows.is_empty() {
        return String::new();
    }
    let mut h = String::from(
        "<section id=\"claims\">\n<h2>Claims tested</h2>\n<div class=\"scroll\"><table>\n<thead><tr><th class=\"name\">claim</th>\
         <th class=\"name\">source</th><th class=\"name\">verdict</th><th>ratio</th><th>95% CI of the ratio</th></tr></thead>\n<tbody>\n",
    );
    for c in rows {
        let ci = if c.ratio_low.is_finite() {
            format!("[{:.3}, {:.3}]", c.ratio_low, c.ratio_high)
        } else {
            "-".into()
        };
        let ratio = if c.ratio.is_finite() {
            format!("{:.3}", c.ratio)
        } else {
            "-".into()
        };
        let _ = writeln!(
            h,
            "<tr><td class=\"name\"><code>{}</code></td><td class=\"name\">{}</td><td class=\"name {}\">{}</td><td>{ratio}</td><td>{ci}</td></tr>",
            escape(&c.claim),
            escape(&c.source),
            escape(&c.verdict),
            escape(&c.verdict)
        );
    }
    h.push_str("</tbody>\n</table></div>\n<p class=\"note\">Supported: the 95% CI of the paired difference lies wholly on the claim's side; refuted: wholly on the other side; inconclusive: it straddles the line.</p>\n</section>\n");
    h
}

/// A sweep: the watched metric per point and structure.
pub fn sweep(r: &Results) -> String {
    let metric = r.exp.precision_metric_name().to_string();
    let mut h = format!(
        "<section id=\"sweep\">\n<h2>The sweep: {} at every point</h2>\n<div class=\"scroll\"><table>\n<thead><tr><th>point</th>",
        escape(&metric)
    );
    for a in &r.exp.axes {
        let _ = write!(h, "<th>{}</th>", escape(&a.path.text));
    }
    for v in &r.exp.variants {
        let _ = write!(h, "<th>{}</th>", escape(&v.name));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    let f: fn(f64) -> String = if metric.ends_with("_share") {
        percent1
    } else {
        money
    };
    for (p, point) in r.exp.points.iter().take(r.points.len()).enumerate() {
        let _ = write!(h, "<tr><td>{}</td>", p + 1);
        for x in point {
            let _ = write!(h, "<td>{}</td>", escape(&significant(*x)));
        }
        for v in 0..r.exp.variants.len() {
            h.push_str(&stat_cell(r, p, v, &metric, f));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table></div>\n");
    if !r.complete() {
        let _ = writeln!(
            h,
            "<p class=\"note\">The sweep was interrupted: points {} to {} did not finish and are not shown. Run it again to complete the grid.</p>",
            r.points.len() + 1,
            r.exp.points.len()
        );
    }
    h.push_str("</section>\n");
    h
}

/// Headcount per role and month for every structure, as the scenario sets it.
pub fn staffing(r: &Results, p: usize) -> String {
    let exp = &r.exp;
    let mut h = String::from("<section id=\"staffing\">\n<h2>Staffing per role and month</h2>\n");
    let months: Vec<String> = (0..exp.months.len())
        .map(|i| crate::report::chart::month_label(&exp.months, i))
        .collect();
    let c = exp.currency.to_uppercase();
    for (v, (sc, s)) in exp.prepare(p).iter().enumerate() {
        let st = &sc.structures[*s];
        let _ = write!(
            h,
            "<h3>{}</h3>\n<div class=\"scroll\"><table>\n<thead><tr><th class=\"name\">role</th>",
            escape(&exp.variants[v].name)
        );
        for m in &months {
            let _ = write!(h, "<th>{}</th>", escape(m));
        }
        let _ = writeln!(h, "<th>salary per person-month, {c}</th><th class=\"name\">does</th></tr></thead>\n<tbody>");
        for role in &st.roles {
            let _ = write!(h, "<tr><td class=\"name\">{}</td>", escape(&role.name));
            for k in &role.count {
                let _ = write!(h, "<td>{k}</td>");
            }
            let works: Vec<String> = role.works.iter().map(|w| w.to_string()).collect();
            let _ = writeln!(
                h,
                "<td>{}</td><td class=\"name wrap\">{}</td></tr>",
                money(role.pay.salary_per_month),
                escape(&works.join(", "))
            );
        }
        h.push_str("</tbody>\n</table></div>\n");
    }
    h.push_str("</section>\n");
    h
}

/// The scenario's key figures, as the baseline ran them.
pub fn assumptions(r: &Results, p: usize) -> String {
    let mut h =
        String::from("<section id=\"assumptions\">\n<h2>Key assumptions</h2>\n<div class=\"scroll\"><table>\n<tbody>\n");
    for (k, v) in assumption_rows(r, p) {
        let _ = writeln!(
            h,
            "<tr><th class=\"name\">{}</th><td class=\"name wrap\">{}</td></tr>",
            escape(&k),
            escape(&v)
        );
    }
    h.push_str("</tbody>\n</table></div>\n<p class=\"note\">Every figure is in scenario.toml beside this page.</p>\n</section>\n");
    h
}

/// The scenario's key assumptions at point `p`, as (what, figures) in words: the report's
/// table and the workbook's sheet.
pub fn assumption_rows(r: &Results, p: usize) -> Vec<(String, String)> {
    let exp = &r.exp;
    let scenarios = exp.prepare(p);
    let (sc, _) = &scenarios[exp.baseline];
    let c = exp.currency.to_uppercase();
    let d = &sc.demand;
    let year: f64 = d.per_month.iter().sum();
    let (peak, peak_v) =
        d.per_month.iter().enumerate().fold(
            (0, f64::MIN),
            |(bi, bv), (i, &v)| if v > bv { (i, v) } else { (bi, bv) },
        );
    let low = d.per_month.iter().copied().fold(f64::INFINITY, f64::min);
    let mut rows: Vec<(String, String)> = vec![
        (
            "Horizon".into(),
            format!(
                "{} months from {}",
                sc.calendar.months(),
                sc.calendar.start()
            ),
        ),
        (
            "Inbound leads".into(),
            format!(
                "{} over the horizon; busiest month {} ({} leads, {:.1}× the quietest)",
                money(year),
                crate::report::chart::month_label(&exp.months, peak),
                money(peak_v),
                if low > 0.0 { peak_v / low } else { f64::NAN }
            ),
        ),
        (
            "Channels".into(),
            format!(
                "{:.0}% phone, {:.0}% web and e-mail",
                d.phone_share * 100.0,
                (1.0 - d.phone_share) * 100.0
            ),
        ),
        (
            "Phone patience".into(),
            format!(
                "{:.0} s on average; {:.0}% of those who hang up ask for a callback",
                sc.response.patience_seconds.mean(),
                sc.response.callback_share * 100.0
            ),
        ),
        (
            "Qualification".into(),
            format!(
                "{:.0} min per lead; {:.0}% are target leads",
                sc.qualification.handle_minutes.mean(),
                sc.qualification.target_share * 100.0
            ),
        ),
    ];
    for s in &sc.segments {
        rows.push((
            format!("Segment {}", s.name),
            format!(
                "{:.0}% of deals; {} touches over {:.0} days on average; wins {:.0}%; deal value {} {c} on average",
                s.share * 100.0,
                s.touches,
                s.cycle_days.mean(),
                s.win_probability * 100.0,
                money(s.deal_value.mean())
            ),
        ));
    }
    rows.push((
        "Clients".into(),
        format!(
            "{} active at the start; {:.0}% lapse in a year when cared for",
            sc.clients.initial_active,
            sc.clients.annual_churn * 100.0
        ),
    ));
    let day = |t: crate::engine::Time| {
        let week = sc.office.weekly_ms() as f64;
        let days = (0..7)
            .filter(|&d| !sc.office.day(crate::engine::Weekday::ALL[d]).is_empty())
            .count()
            .max(1) as f64;
        t.0 as f64 / (week / days)
    };
    let pw = &sc.paperwork;
    rows.push((
        "Due work".into(),
        format!(
            "a contract within {:.1} working days of the decision, an order's entry within {:.1}; \
             past due, {:.0}% of waiting orders are cancelled and {:.0}% of won clients walk away per day late; \
             a client failed so leaves with a chance of {:.0}%",
            day(pw.contract_due),
            day(pw.order_entry_due),
            pw.order_cancel_per_late_day * 100.0,
            pw.contract_loss_per_late_day * 100.0,
            sc.clients.lapse_after_failure * 100.0
        ),
    ));
    let collected: Vec<String> = sc
        .segments
        .iter()
        .filter(|g| g.collected_share > 0.0)
        .map(|g| {
            format!(
                "{}: {:.0}% within {:.0} days",
                g.name,
                g.collected_share * 100.0,
                g.collection_window.secs() / 86_400.0
            )
        })
        .collect();
    rows.push((
        "Orders that need a call".into(),
        format!(
            "{}; clients call their owner {} times a year",
            if collected.is_empty() {
                "clients order by themselves".to_string()
            } else {
                collected.join(", ")
            },
            sc.clients.calls_per_year
        ),
    ));
    let first: Vec<&str> = crate::model::WorkKind::DESK
        .iter()
        .filter(|k| sc.dispatch.overdue_first.contains(**k))
        .map(|k| k.name())
        .collect();
    rows.push((
        "Who picks what".into(),
        if first.is_empty() {
            "each role's list of work, in order".to_string()
        } else {
            format!(
                "{}work past due first ({}), earliest due first; then each role's list",
                if sc.dispatch.calls_first {
                    "a ringing call, then "
                } else {
                    ""
                },
                first.join(", ")
            )
        },
    ));
    rows.push((
        "Gross margin".into(),
        format!("{:.0}% of revenue", sc.gross_margin * 100.0),
    ));
    let resp = &sc.response;
    rows.push((
        "Calls nobody is at work for".into(),
        match resp.missed_call_log {
            Some(x) => format!(
                "{:.0}% logged and called back (interest decaying from the call), the rest lost after hours; {:.0}% of callers who hang up call again",
                x * 100.0,
                resp.redial_share * 100.0
            ),
            None => "ring until the caller gives up, as any call".into(),
        },
    ));
    let warnings: Vec<String> = exp.warnings(p).iter().map(ToString::to_string).collect();
    if !warnings.is_empty() {
        rows.push(("Warnings".into(), warnings.join(" · ")));
    }
    rows
}
