//! A staffing plan as bytes: `staffing.json` (what the chart and the page are redrawn
//! from), `staffing.csv`, `staffing_comparison.csv`, the table for the terminal, and the
//! report page; and `staffing.json` read back.

use super::folder::STAFFING_JSON;
use std::fmt::Write as _;
use std::path::Path;

use super::csv::Cell;
use super::format::{signed, signed_with_half, with_half};
use super::html::escape;
use super::lang::Words;
use super::results::{io_reason, read_versioned, write_versioned, ResultsError};
use crate::experiment::staffing::{Estimate, Objective, StaffingResult, Target};

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

fn pm(e: Estimate, f: impl Fn(f64) -> String) -> String {
    with_half(e.mean, e.half, f)
}

/// The objective of `r` in words.
pub fn objective(r: &StaffingResult, w: &Words) -> String {
    match r.goal {
        Some(Objective::Profit) => w.t("staffing.objective.profit").into(),
        Some(Objective::Target(Target::Lost(x))) => {
            w.f("staffing.objective.lost", &[("share", &w.percent(x, 1))])
        }
        Some(Objective::Target(Target::Service { share, seconds })) => w.f(
            "staffing.objective.service",
            &[
                ("share", &w.percent(share, 0)),
                ("seconds", &format!("{seconds:.0}")),
            ],
        ),
        Some(Objective::Target(Target::Speed(x))) => w.f(
            "staffing.objective.speed",
            &[("minutes", &w.num(format!("{x}")))],
        ),
        // A file from before the objective was kept as data: its English words.
        None => r.objective.clone(),
    }
}

/// The name of an alternative plan in words (`seasonal plan`).
fn plan_name<'a>(name: &'a str, w: &'a Words) -> &'a str {
    let key = match name {
        "seasonal plan" => "staffing.plan.seasonal",
        "best constant headcount" => "staffing.plan.constant",
        "scenario's own staffing" => "staffing.plan.own",
        _ => return name,
    };
    w.t(key)
}

/// The roles of `r`, labelled and joined by `sep`.
fn roles(r: &StaffingResult, w: &Words, sep: &str) -> String {
    let v: Vec<&str> = r.roles.iter().map(|x| w.label("role", x)).collect();
    v.join(sep)
}

/// The plan and the comparison, for the terminal.
pub fn table(r: &StaffingResult, w: &Words) -> String {
    let cur = r.currency.to_uppercase();
    let money = |x: f64| w.money(x);
    let percent1 = |x: f64| w.percent1(x);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} · {} · {} · {}",
        r.scenario_name,
        w.label("structure", &r.structure),
        roles(r, w, ", "),
        w.f("staffing.objective_is", &[("objective", &objective(r, w))])
    );
    let _ = write!(s, "{:<8}", w.t("staffing.month"));
    // Each role's column as wide as its name (nine at least), so no name is cut.
    let labels: Vec<&str> = r.roles.iter().map(|x| w.label("role", x)).collect();
    let widths: Vec<usize> = labels.iter().map(|l| l.chars().count().max(9)).collect();
    for (label, width) in labels.iter().zip(&widths) {
        let _ = write!(s, " {label:>width$} {:>8}", "Erlang A");
    }
    let _ = writeln!(
        s,
        " {:>8} {:>16} {:>8} {:>12}",
        w.t("staffing.inbound"),
        w.t("staffing.lost"),
        w.t("staffing.sl"),
        w.f("staffing.cost", &[("c", &cur)])
    );
    for (m, row) in r.rows.iter().enumerate() {
        let _ = write!(s, "{:<8}", r.months[m]);
        for (k, width) in widths.iter().enumerate() {
            let mark = if r.fixed[m] { "*" } else { "" };
            let _ = write!(
                s,
                " {:>width$} {:>8}",
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
        let _ = writeln!(s, "{}", w.t("staffing.fixed_note"));
    }
    let signed_money = |x: f64| signed(x, money);
    for a in &r.alternatives {
        let vs = if a.name == "seasonal plan" {
            String::new()
        } else {
            w.f(
                "staffing.vs_plan",
                &[
                    ("profit", &signed_money(a.profit_vs_plan.mean)),
                    ("profit_half", &money(a.profit_vs_plan.half)),
                    ("cost", &signed_money(a.cost_vs_plan.mean)),
                    ("cost_half", &money(a.cost_vs_plan.half)),
                ],
            )
        };
        let _ = writeln!(
            s,
            "{:<24} {}{}{vs}",
            plan_name(&a.name, w),
            w.f(
                "staffing.alternative",
                &[
                    (
                        "cost",
                        &format!("{:>10}", money(a.cost.mean + a.change_cost))
                    ),
                    ("c", &cur),
                    ("lost", &pm(a.lost, percent1)),
                    ("profit", &pm(a.profit, money)),
                ]
            ),
            if a.meets_target {
                ""
            } else {
                w.t("staffing.misses")
            }
        );
    }
    let _ = writeln!(
        s,
        "{}",
        w.n(
            "staffing.replications",
            r.replications,
            &[("plans", &r.evaluations), ("runs", &r.runs)]
        )
    );
    s
}

/// The staffing report page, with the chart already drawn as SVG.
pub fn page(r: &StaffingResult, svg: &str, w: &Words) -> String {
    let mut h = super::html::head(
        &w.f("staffing.page_title", &[("scenario", &r.scenario_name)]),
        w,
    );
    let _ = write!(
        h,
        "<header>\n<h1>{}</h1>\n<p class=\"meta\">{}</p>\n</header>\n",
        escape(&w.f(
            "staffing.heading",
            &[
                ("roles", &roles(r, w, ", ")),
                ("structure", &w.label("structure", &r.structure)),
            ]
        )),
        escape(&w.n(
            "staffing.meta",
            r.replications,
            &[
                ("scenario", &r.scenario_name),
                ("objective", &objective(r, w)),
                ("plans", &r.evaluations),
                ("runs", &r.runs),
                ("version", &env!("CARGO_PKG_VERSION")),
            ]
        ))
    );
    if !r.complete {
        let _ = writeln!(
            h,
            "<p class=\"note\" id=\"interim\"><strong>{}</strong> {}</p>",
            escape(w.t("staffing.interim_head")),
            escape(w.t("staffing.interim"))
        );
    }
    // An interim plan has not been compared with anything yet.
    if !r.alternatives.is_empty() {
        page_reading(&mut h, r, w);
    }
    page_plan(&mut h, r, w);
    if !r.alternatives.is_empty() {
        page_comparison(&mut h, r, w);
    }
    let _ = write!(
        h,
        "<section id=\"charts\">\n<h2>{}</h2>\n<figure id=\"chart-staffing\">\n{}\n<figcaption>{}</figcaption>\n</figure>\n</section>\n</body>\n</html>\n",
        escape(w.t("staffing.chart_heading")),
        super::html::inline_svg(svg),
        escape(w.t("staffing.chart_caption"))
    );
    h
}

/// The plan against each alternative, in words.
fn page_reading(h: &mut String, r: &StaffingResult, w: &Words) {
    let cur = r.currency.to_uppercase();
    let _ = write!(
        h,
        "<section id=\"reading\">\n<h2>{}</h2>\n<ul class=\"reading\">\n",
        escape(w.t("report.reading"))
    );
    for a in r.alternatives.iter().skip(1) {
        let saving = -a.cost_vs_plan.mean;
        let _ = writeln!(
            h,
            "<li>{}</li>",
            escape(&w.f(
                "staffing.against",
                &[
                    ("name", &plan_name(&a.name, w)),
                    ("plan", &headcounts(&a.plan)),
                    ("saving", &w.money(saving.abs())),
                    ("saving_half", &w.money(a.cost_vs_plan.half)),
                    ("c", &cur),
                    (
                        "cost_word",
                        &w.t(if saving >= 0.0 {
                            "staffing.less"
                        } else {
                            "staffing.more"
                        })
                    ),
                    ("profit", &w.money(a.profit_vs_plan.mean.abs())),
                    ("profit_half", &w.money(a.profit_vs_plan.half)),
                    (
                        "profit_word",
                        &w.t(if a.profit_vs_plan.mean <= 0.0 {
                            "staffing.more"
                        } else {
                            "staffing.less"
                        })
                    ),
                ]
            ))
        );
    }
    h.push_str("</ul>\n</section>\n");
}

/// Header cells of the words under `keys`, `{c}` the currency.
fn heads(w: &Words, keys: &[&str], cur: &str) -> String {
    keys.iter()
        .map(|k| format!("<th>{}</th>", escape(&w.f(k, &[("c", &cur)]))))
        .collect()
}

/// The plan month by month.
fn page_plan(h: &mut String, r: &StaffingResult, w: &Words) {
    let cur = r.currency.to_uppercase();
    let _ = write!(
        h,
        "<section id=\"plan\">\n<h2>{}</h2>\n<div class=\"scroll\"><table>\n<thead><tr><th class=\"name\">{}</th>",
        escape(w.t("staffing.plan_heading")),
        escape(w.t("staffing.month"))
    );
    for role in &r.roles {
        let _ = write!(
            h,
            "<th>{}</th><th>Erlang A</th>",
            escape(w.label("role", role))
        );
    }
    let _ = writeln!(
        h,
        "{}</tr></thead>\n<tbody>",
        heads(
            w,
            &[
                "staffing.col.inbound",
                "staffing.lost",
                "staffing.col.service",
                "staffing.col.speed",
                "staffing.col.staff_cost",
                "staffing.col.gross_profit",
            ],
            &cur
        )
    );
    let fixed = w.t("staffing.fixed");
    for (m, row) in r.rows.iter().enumerate() {
        let _ = write!(h, "<tr><td class=\"name\">{}</td>", escape(&r.months[m]));
        for k in 0..r.roles.len() {
            let mark = if r.fixed[m] { fixed } else { "" };
            let _ = write!(
                h,
                "<td>{}{}</td><td>{}</td>",
                r.plan[k][m],
                escape(mark),
                r.erlang[k][m]
            );
        }
        let _ = writeln!(
            h,
            "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            w.money(row.inbound),
            escape(&pm(row.lost, |x| w.percent1(x))),
            w.percent1(row.service.mean),
            w.decimal(row.speed.mean, 1),
            w.money(row.cost.mean),
            escape(&pm(row.profit, |x| w.money(x)))
        );
    }
    h.push_str("</tbody>\n</table></div>\n</section>\n");
}

/// The plan, the best constant headcount and the scenario's own staffing.
fn page_comparison(h: &mut String, r: &StaffingResult, w: &Words) {
    let cur = r.currency.to_uppercase();
    let money = |x: f64| w.money(x);
    let _ = writeln!(
        h,
        "<section id=\"comparison\">\n<h2>{}</h2>\n<div class=\"scroll\"><table>\n<thead><tr><th class=\"name\">{}</th><th class=\"name\">{}</th>{}</tr></thead>\n<tbody>",
        escape(w.t("staffing.comparison_heading")),
        escape(w.t("staffing.col.plan")),
        escape(w.t("staffing.col.headcounts")),
        heads(
            w,
            &[
                "staffing.col.meets",
                "staffing.col.staff_cost",
                "staffing.col.change_cost",
                "staffing.lost",
                "staffing.col.profit_after",
                "staffing.col.profit_vs",
            ],
            &cur
        )
    );
    for a in &r.alternatives {
        let _ = writeln!(
            h,
            "<tr><td class=\"name\">{}</td><td class=\"name wrap\"><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(plan_name(&a.name, w)),
            escape(&headcounts(&a.plan)),
            escape(w.t(if a.meets_target { "word.yes" } else { "word.no" })),
            escape(&pm(a.cost, money)),
            money(a.change_cost),
            escape(&pm(a.lost, |x| w.percent1(x))),
            escape(&pm(a.profit, money)),
            escape(&signed_with_half(a.profit_vs_plan.mean, a.profit_vs_plan.half, money))
        );
    }
    let _ = writeln!(
        h,
        "</tbody>\n</table></div>\n<p class=\"note\">{}</p>\n</section>",
        escape(w.t("staffing.comparison_note"))
    );
}
