//! The tables of the report: ranking, claims, sweep, staffing, assumptions.

use std::fmt::Write;

use super::escape;
use crate::report::chart::Look;
use crate::report::csv::significant;
use crate::report::format::with_half;
use crate::report::results::{Results, Stat};
use crate::sim::Metric;

/// `1 234 567 ± 12 345`; `-` when undefined.
pub fn with_ci(s: Option<Stat>, f: impl Fn(f64) -> String) -> String {
    s.map_or_else(|| "-".into(), |s| with_half(s.mean, s.half, f))
}

/// A line on how the results were obtained.
pub fn run_line(r: &Results, p: usize) -> String {
    let exp = &r.exp;
    let w = r.words;
    let n = r.manifest.points[p].replications;
    let mut s = w.n(
        "report.run_line",
        n,
        &[
            ("span", &crate::report::experiment::totals_span(exp, w)),
            ("seed", &exp.seed),
            (
                "base",
                &w.label("structure", &exp.variants[exp.baseline].name),
            ),
            ("version", &r.manifest.salesim_version),
        ],
    );
    if !exp.axes.is_empty() {
        let _ = write!(s, " · {}", point_label(r, p));
    }
    if let Some(cut) = r.interrupted() {
        let part = w.f(
            "report.interrupted_part",
            &[("what", &r.what()), ("cut", &cut)],
        );
        let _ = write!(s, " · {part}");
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
    r.words.f(
        "terminal.point",
        &[("k", &(p + 1)), ("params", &params.join(", "))],
    )
}

/// A cell of a statistic, carrying its exact values for checking against the CSVs.
fn stat_cell(r: &Results, p: usize, v: usize, metric: &str, f: &dyn Fn(f64) -> String) -> String {
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
    let w = r.words;
    let money = &|x: f64| w.money(x);
    let percent1 = &|x: f64| w.percent1(x);
    let c = r.exp.currency.to_uppercase();
    let looks = crate::report::chart::looks(r);
    let base = r.exp.baseline;
    // With a reference department, the leads lost for want of staff come first.
    let reference =
        (0..r.exp.variants.len()).any(|v| r.total(p, v, Metric::CapacityLoss).is_some());
    let mut h = String::new();
    let base_name = w.label("structure", &r.exp.variants[base].name);
    let head = |key: &str| {
        format!(
            "<th>{}</th>",
            escape(&w.f(key, &[("c", &c), ("base", &base_name)]))
        )
    };
    let mut cols = format!(
        "<th>#</th><th class=\"name\">{}</th>",
        escape(w.t("ranking.structure"))
    );
    for key in ["ranking.gross_profit", "ranking.versus"] {
        cols += &head(key);
    }
    if reference {
        cols += &head("ranking.capacity_loss");
        cols += &head("ranking.capacity_share");
    }
    for key in [
        "ranking.revenue",
        "ranking.lost_waiting",
        "ranking.avoidable",
        "ranking.share_of_leads",
        "ranking.unavoidable",
        "ranking.service_level",
        "ranking.service_open",
        "ranking.payroll",
        "ranking.profit_per_payroll",
        "ranking.margin_new",
        "ranking.margin_repeat",
    ] {
        cols += &head(key);
    }
    let _ = write!(
        h,
        "<section id=\"ranking\">\n<h2>{}</h2>\n<div class=\"scroll\"><table>\n<thead><tr>{cols}</tr></thead>\n<tbody>\n",
        escape(w.t("ranking.title"))
    );
    for (rank, v) in by_profit(r, p).into_iter().enumerate() {
        let diff = match r.diff(p, v, Metric::GrossProfit) {
            Some(d) if v != base => format!(
                "{}{} ± {}",
                if d.mean > 0.0 { "+" } else { "" },
                money(d.mean),
                money(d.half)
            ),
            _ => w.t("ranking.baseline").into(),
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
            escape(w.label("structure", &r.exp.variants[v].name)),
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
            stat_cell(r, p, v, Metric::ProfitPerPayroll.name(), &|x| w
                .decimal(x, 2)),
            stat_cell(r, p, v, Metric::ProfitNew.name(), money),
            stat_cell(r, p, v, Metric::ProfitRepeat.name(), money),
        );
    }
    let n = r.manifest.points[p].replications;
    let stop = match r.manifest.points[p].stop {
        Some(crate::experiment::Stop::Precision { .. }) => w.t("ranking.stop_precision"),
        Some(crate::experiment::Stop::MaxReached { .. }) => w.t("ranking.stop_max"),
        None => "",
    };
    let capacity = if reference {
        w.f(
            "ranking.capacity_note",
            &[("times", &crate::structure::UNLIMITED)],
        )
    } else {
        String::new()
    };
    let _ = write!(
        h,
        "</tbody>\n</table></div>\n<p class=\"note\">{}</p>\n</section>\n",
        escape(&w.n(
            "ranking.note",
            n,
            &[
                ("span", &crate::report::experiment::totals_span(&r.exp, w)),
                ("stop", &stop),
                ("base", &base_name),
                ("capacity", &capacity),
            ]
        ))
    );
    h
}

/// The claims tested at point `p`, with their verdicts.
pub fn claims(r: &Results, p: usize) -> String {
    let rows: Vec<_> = r.claims.iter().filter(|c| c.point == p).collect();
    if rows.is_empty() {
        return String::new();
    }
    let w = r.words;
    let mut h = format!(
        "<section id=\"claims\">\n<h2>{}</h2>\n<div class=\"scroll\"><table>\n<thead><tr><th class=\"name\">{}</th>\
         <th class=\"name\">{}</th><th class=\"name\">{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>\n",
        escape(w.t("claims.title")),
        escape(w.t("claims.claim")),
        escape(w.t("claims.source")),
        escape(w.t("claims.verdict")),
        escape(w.t("claims.ratio")),
        escape(w.t("claims.ci")),
    );
    for c in rows {
        let ci = if c.ratio_low.is_finite() {
            format!(
                "[{}; {}]",
                w.decimal(c.ratio_low, 3),
                w.decimal(c.ratio_high, 3)
            )
        } else {
            "-".into()
        };
        let ci = if w.point() == '.' {
            ci.replace(';', ",")
        } else {
            ci
        };
        let ratio = if c.ratio.is_finite() {
            w.decimal(c.ratio, 3)
        } else {
            "-".into()
        };
        let _ = writeln!(
            h,
            "<tr><td class=\"name\"><code>{}</code></td><td class=\"name\">{}</td><td class=\"name {}\">{}</td><td>{ratio}</td><td>{ci}</td></tr>",
            escape(&c.claim),
            escape(&c.source),
            escape(&c.verdict),
            escape(w.t(&format!("verdict.{}", c.verdict)))
        );
    }
    let _ = writeln!(
        h,
        "</tbody>\n</table></div>\n<p class=\"note\">{}</p>\n</section>",
        escape(w.t("claims.note"))
    );
    h
}

/// A sweep: the watched metric per point and structure.
pub fn sweep(r: &Results) -> String {
    let w = r.words;
    let metric = r.exp.precision_metric_name().to_string();
    let mut h = format!(
        "<section id=\"sweep\">\n<h2>{}</h2>\n<div class=\"scroll\"><table>\n<thead><tr><th>{}</th>",
        escape(&w.f(
            "sweep.title",
            &[("metric", &w.column(&metric, &r.exp.currency))]
        )),
        escape(w.t("sweep.point"))
    );
    for a in &r.exp.axes {
        let _ = write!(h, "<th>{}</th>", escape(&a.path.text));
    }
    for v in &r.exp.variants {
        let _ = write!(h, "<th>{}</th>", escape(w.label("structure", &v.name)));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    let share = metric.ends_with("_share");
    let f = |x: f64| {
        if share {
            w.percent1(x)
        } else {
            w.money(x)
        }
    };
    for (p, point) in r.exp.points.iter().take(r.points.len()).enumerate() {
        let _ = write!(h, "<tr><td>{}</td>", p + 1);
        for x in point {
            let _ = write!(h, "<td>{}</td>", escape(&significant(*x)));
        }
        for v in 0..r.exp.variants.len() {
            h.push_str(&stat_cell(r, p, v, &metric, &f));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table></div>\n");
    if !r.complete() {
        let _ = writeln!(
            h,
            "<p class=\"note\">{}</p>",
            escape(&w.f(
                "sweep.interrupted",
                &[("from", &(r.points.len() + 1)), ("to", &r.exp.points.len())]
            ))
        );
    }
    h.push_str("</section>\n");
    h
}

/// Headcount per role and month for every structure, as the scenario sets it.
pub fn staffing(r: &Results, p: usize) -> String {
    let exp = &r.exp;
    let w = r.words;
    let mut h = format!(
        "<section id=\"staffing\">\n<h2>{}</h2>\n",
        escape(w.t("staffing_table.title"))
    );
    let months: Vec<String> = (0..exp.months.len())
        .map(|i| crate::report::chart::month_label(&exp.months, i, w))
        .collect();
    let c = exp.currency.to_uppercase();
    for (v, (sc, s)) in exp.prepare(p).iter().enumerate() {
        let st = &sc.structures[*s];
        let _ = write!(
            h,
            "<h3>{}</h3>\n<div class=\"scroll\"><table>\n<thead><tr><th class=\"name\">{}</th>",
            escape(w.label("structure", &exp.variants[v].name)),
            escape(w.t("staffing_table.role"))
        );
        for m in &months {
            let _ = write!(h, "<th>{}</th>", escape(m));
        }
        let _ = writeln!(
            h,
            "<th>{}</th><th class=\"name\">{}</th></tr></thead>\n<tbody>",
            escape(&w.f("staffing_table.salary", &[("c", &c)])),
            escape(w.t("staffing_table.does"))
        );
        for role in &st.roles {
            let _ = write!(
                h,
                "<tr><td class=\"name\">{}</td>",
                escape(w.label("role", &role.name))
            );
            for k in &role.count {
                let _ = write!(h, "<td>{k}</td>");
            }
            let works: Vec<&str> = role
                .works
                .iter()
                .map(|k| w.label("kind", k.name()))
                .collect();
            let _ = writeln!(
                h,
                "<td>{}</td><td class=\"name wrap\">{}</td></tr>",
                w.money(role.pay.salary_per_month),
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
    let w = r.words;
    let mut h = format!(
        "<section id=\"assumptions\">\n<h2>{}</h2>\n<div class=\"scroll\"><table>\n<tbody>\n",
        escape(w.t("assumptions.title"))
    );
    for (k, v) in assumption_rows(r, p) {
        let _ = writeln!(
            h,
            "<tr><th class=\"name\">{}</th><td class=\"name wrap\">{}</td></tr>",
            escape(&k),
            escape(&v)
        );
    }
    let _ = writeln!(
        h,
        "</tbody>\n</table></div>\n<p class=\"note\">{}</p>\n</section>",
        escape(w.t("assumptions.note"))
    );
    h
}

/// The scenario's key assumptions at point `p`, as (what, figures) in words: the report's
/// table and the workbook's sheet.
pub fn assumption_rows(r: &Results, p: usize) -> Vec<(String, String)> {
    let exp = &r.exp;
    let w = r.words;
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
    // Whole percentages and numbers of the language: `25%`, `6`.
    let pc = |x: f64| w.percent(x, 0);
    let whole = |x: f64| w.decimal(x, 0);
    let one = |x: f64| w.decimal(x, 1);
    let row =
        |key: &str, figures: String| (w.t(&format!("assumptions.{key}")).to_string(), figures);
    let mut rows: Vec<(String, String)> = vec![
        row(
            "horizon",
            w.n(
                "assumptions.horizon_text",
                sc.calendar.months() as u64,
                &[("start", &sc.calendar.start())],
            ),
        ),
        row(
            "inbound",
            w.f(
                "assumptions.inbound_text",
                &[
                    ("year", &w.money(year)),
                    (
                        "month",
                        &crate::report::chart::month_label(&exp.months, peak, w),
                    ),
                    ("peak", &w.money(peak_v)),
                    (
                        "ratio",
                        &one(if low > 0.0 { peak_v / low } else { f64::NAN }),
                    ),
                ],
            ),
        ),
        row(
            "channels",
            w.f(
                "assumptions.channels_text",
                &[
                    ("phone", &pc(d.phone_share)),
                    ("web", &pc(1.0 - d.phone_share)),
                ],
            ),
        ),
        row(
            "patience",
            w.f(
                "assumptions.patience_text",
                &[
                    ("seconds", &whole(sc.response.patience_seconds.mean())),
                    ("callback", &pc(sc.response.callback_share)),
                ],
            ),
        ),
        row(
            "qualification",
            w.f(
                "assumptions.qualification_text",
                &[
                    ("minutes", &whole(sc.qualification.handle_minutes.mean())),
                    ("target", &pc(sc.qualification.target_share)),
                ],
            ),
        ),
    ];
    for s in &sc.segments {
        rows.push((
            w.f(
                "assumptions.segment",
                &[("name", &w.label("segment", &s.name))],
            ),
            w.f(
                "assumptions.segment_text",
                &[
                    ("share", &pc(s.share)),
                    ("touches", &s.touches),
                    ("days", &whole(s.cycle_days.mean())),
                    ("win", &pc(s.win_probability)),
                    ("value", &w.money(s.deal_value.mean())),
                    ("c", &c),
                ],
            ),
        ));
    }
    rows.push(row(
        "clients",
        w.f(
            "assumptions.clients_text",
            &[
                ("active", &sc.clients.initial_active),
                ("churn", &pc(sc.clients.annual_churn)),
            ],
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
    rows.push(row(
        "due",
        w.f(
            "assumptions.due_text",
            &[
                ("contract", &one(day(pw.contract_due))),
                ("entry", &one(day(pw.order_entry_due))),
                ("cancel", &pc(pw.order_cancel_per_late_day)),
                ("walk", &pc(pw.contract_loss_per_late_day)),
                ("lapse", &pc(sc.clients.lapse_after_failure)),
            ],
        ),
    ));
    let collected: Vec<String> = sc
        .segments
        .iter()
        .filter(|g| g.collected_share > 0.0)
        .map(|g| {
            w.f(
                "assumptions.collected",
                &[
                    ("name", &w.label("segment", &g.name)),
                    ("share", &pc(g.collected_share)),
                    ("days", &whole(g.collection_window.secs() / 86_400.0)),
                ],
            )
        })
        .collect();
    rows.push(row(
        "orders",
        w.f(
            "assumptions.orders_text",
            &[
                (
                    "collected",
                    &if collected.is_empty() {
                        w.t("assumptions.self_order").to_string()
                    } else {
                        collected.join(", ")
                    },
                ),
                ("calls", &w.num(sc.clients.calls_per_year.to_string())),
            ],
        ),
    ));
    let first: Vec<&str> = crate::model::WorkKind::DESK
        .iter()
        .filter(|k| sc.dispatch.overdue_first.contains(**k))
        .map(|k| w.label("kind", k.name()))
        .collect();
    rows.push(row(
        "dispatch",
        if first.is_empty() {
            w.t("assumptions.dispatch_list").to_string()
        } else {
            w.f(
                "assumptions.dispatch_text",
                &[
                    (
                        "calls",
                        &if sc.dispatch.calls_first {
                            w.t("assumptions.dispatch_calls")
                        } else {
                            ""
                        },
                    ),
                    ("kinds", &first.join(", ")),
                ],
            )
        },
    ));
    rows.push(row(
        "margin",
        w.f(
            "assumptions.margin_text",
            &[("margin", &pc(sc.gross_margin))],
        ),
    ));
    let resp = &sc.response;
    rows.push(row(
        "after_hours",
        match resp.missed_call_log {
            Some(x) => w.f(
                "assumptions.after_hours_text",
                &[("logged", &pc(x)), ("redial", &pc(resp.redial_share))],
            ),
            None => w.t("assumptions.after_hours_none").into(),
        },
    ));
    let warnings: Vec<String> = exp
        .warnings(p)
        .iter()
        .map(|x| warning_words(x, w))
        .collect();
    if !warnings.is_empty() {
        rows.push(row("warnings", warnings.join(" · ")));
    }
    rows
}

/// A trap of the scenario in words: where it is, and what it does.
fn warning_words(x: &crate::scenario::Warning, w: &crate::report::lang::Words) -> String {
    use crate::scenario::Trap;
    let what = match &x.trap {
        Trap::ColdByConstruction {
            segment,
            share,
            gap_days,
        } => w.f(
            "warning.cold",
            &[
                ("segment", &w.label("segment", segment)),
                ("share", &w.percent(*share, 0)),
                ("gap", &w.num(gap_days.to_string())),
            ],
        ),
        Trap::Unpaid => w.t("warning.unpaid").to_string(),
        Trap::Undone { kind } => w.f(
            "warning.undone",
            &[
                ("kind", &w.label("kind", kind.name())),
                ("what", &w.t(&format!("warning.undone_{}", kind.name()))),
            ],
        ),
        Trap::UncoveredPhone { share, day, hour } => w.f(
            "warning.uncovered",
            &[
                ("share", &w.percent(*share, 0)),
                (
                    "day",
                    &w.list("days.short")
                        .get(day.index())
                        .map_or("", String::as_str),
                ),
                ("from", &format!("{hour:02}:00")),
                ("to", &format!("{:02}:00", hour + 1)),
            ],
        ),
    };
    format!("{}: {what}", x.path)
}
