//! A team search as bytes: `search.json` (what the report's section is redrawn from),
//! `teams.csv` (every structure's best team, role and month), `search_path.csv` (each
//! move the search took), the lines for the terminal and the report's section; and
//! `search.json` read back.

use std::fmt::Write as _;
use std::path::Path;

use super::csv::Cell;
use super::folder::SEARCH_JSON;
use super::format::{signed_with_half, with_half};
use super::html::escape;
use super::lang::Words;
use super::results::{io_reason, read_versioned, write_versioned, ResultsError};
use crate::experiment::staffing::{Estimate, Plan};
use crate::experiment::teams::{
    BudgetSource, Change, Move, TeamObjective, TeamResult, TeamSearch, TeamStop,
};

/// `search.json`: the search and the version of salesim that ran it.
pub fn json(s: &TeamSearch) -> Vec<u8> {
    write_versioned("search", s)
}

/// Reads `search.json` from a folder, when there is one.
pub fn load(dir: &Path) -> Result<Option<TeamSearch>, ResultsError> {
    let name = dir.display().to_string();
    let bytes = match std::fs::read(dir.join(SEARCH_JSON)) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(ResultsError::Missing {
                dir: name,
                file: SEARCH_JSON.into(),
                reason: io_reason(&e),
                writers: "`salesim compare --optimise`",
            })
        }
    };
    let text = String::from_utf8(bytes).map_err(|_| ResultsError::Malformed {
        dir: name.clone(),
        file: SEARCH_JSON.into(),
        reason: "not UTF-8 text".into(),
    })?;
    let s: TeamSearch = read_versioned(&name, SEARCH_JSON, "search", &text, "salesim team search")?;
    let malformed = |reason: String| ResultsError::Malformed {
        dir: name.clone(),
        file: SEARCH_JSON.into(),
        reason,
    };
    let months = s.months.len();
    let fits = |t: &TeamResult| {
        let plan = |p: &[Vec<u32>]| p.len() == t.roles.len() && p.iter().all(|x| x.len() == months);
        plan(&t.best)
            && plan(&t.preset)
            && t.searched.len() == t.roles.len()
            && t.pay.len() == t.roles.len()
    };
    if s.warmup_months >= months.max(1) || !s.teams.iter().all(fits) {
        return Err(malformed(format!(
            "every team needs a headcount per role and month ({months}), and a warm-up shorter than the horizon"
        )));
    }
    Ok(Some(s))
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

/// The months the totals cover.
fn counted(s: &TeamSearch) -> std::ops::Range<usize> {
    s.warmup_months.min(s.months.len())..s.months.len()
}

/// Expected pay of one person of role `k` for a month: the role's pay per month over the
/// counted months, per person there.
fn pay_per_person(s: &TeamSearch, t: &TeamResult, k: usize) -> f64 {
    let c = &t.best[k][counted(s)];
    let people: f64 = c.iter().map(|&x| f64::from(x)).sum::<f64>() / c.len().max(1) as f64;
    if people > 0.0 {
        t.pay[k] / people
    } else {
        0.0
    }
}

/// `teams.csv`: a row per structure, role and month.
pub fn team_rows(s: &TeamSearch) -> Vec<Vec<Cell>> {
    let cur = &s.currency;
    let head = [
        "structure".to_string(),
        "role".into(),
        "month".into(),
        "headcount".into(),
        "preset_headcount".into(),
        "searched".into(),
        "counted".into(),
        format!("pay_{cur}"),
    ];
    let mut rows = vec![head.map(Cell::Text).into()];
    let c = counted(s);
    for t in &s.teams {
        for (k, role) in t.roles.iter().enumerate() {
            let each = pay_per_person(s, t, k);
            for (m, month) in s.months.iter().enumerate() {
                let n = t.best[k][m];
                rows.push(vec![
                    text(&t.variant),
                    text(role),
                    text(month),
                    Cell::Int(u64::from(n)),
                    Cell::Int(u64::from(t.preset[k][m])),
                    Cell::Int(u64::from(t.searched[k])),
                    Cell::Int(u64::from(c.contains(&m))),
                    Cell::Num(each * f64::from(n)),
                ]);
            }
        }
    }
    rows
}

/// `search_path.csv`: a row per move.
pub fn path_rows(s: &TeamSearch) -> Vec<Vec<Cell>> {
    let cur = &s.currency;
    let unit = match s.objective {
        TeamObjective::Profit => format!("gross_profit_gain_{cur}"),
        TeamObjective::AvoidableLosses => "avoidable_lost_leads_fewer".into(),
    };
    let head = vec![
        text("structure"),
        text("step"),
        text("move"),
        text(&unit),
        text(format!("{unit}_ci95_half")),
        text(format!("staff_cost_per_month_{cur}")),
        text("replications"),
    ];
    let mut rows = vec![head];
    for t in &s.teams {
        for (i, m) in t.path.iter().enumerate() {
            rows.push(vec![
                text(&t.variant),
                Cell::Int(i as u64 + 1),
                text(&m.what),
                Cell::Num(m.gain.mean),
                Cell::Num(m.gain.half),
                Cell::Num(m.staff_cost),
                Cell::Int(m.replications),
            ]);
        }
    }
    rows
}

/// The objective in the search's unit: money, or lost leads.
fn amount(s: &TeamSearch, e: Estimate, sign: bool, w: &Words) -> String {
    let f = |x: f64| match s.objective {
        TeamObjective::Profit => w.money(x),
        TeamObjective::AvoidableLosses => w.decimal(x, 0),
    };
    if sign {
        signed_with_half(e.mean, e.half, f)
    } else {
        with_half(e.mean, e.half, f)
    }
}

/// A key of the objective's words: `teams.profit.KEY` or `teams.losses.KEY`.
fn objective_key(s: &TeamSearch, key: &str) -> String {
    let o = match s.objective {
        TeamObjective::Profit => "profit",
        TeamObjective::AvoidableLosses => "losses",
    };
    format!("teams.{o}.{key}")
}

/// `manager 9` or `qualifier 3 · closer 7`: a team's counted-month headcounts in the
/// language (a range for a role that changes by month).
fn team_words(s: &TeamSearch, roles: &[String], team: &Plan, w: &Words) -> String {
    let labels: Vec<String> = roles
        .iter()
        .map(|r| w.label("role", r).to_string())
        .collect();
    crate::experiment::teams::team_words(&labels, team, counted(s))
}

/// A change in words: `+1 hunter`, `farmer -> hunter`, `-1 call_centre in 2027-07`.
fn change_words(c: &Change, w: &Words) -> String {
    let month = |m: &Option<String>| {
        m.as_ref()
            .map(|m| w.f("teams.in_month", &[("month", m)]))
            .unwrap_or_default()
    };
    match c {
        Change::Add { role, month: m } => format!("+1 {}{}", w.label("role", role), month(m)),
        Change::Remove {
            role,
            month: m,
            over_budget,
        } => format!(
            "-1 {}{}{}",
            w.label("role", role),
            month(m),
            if *over_budget {
                w.t("teams.over_budget")
            } else {
                ""
            }
        ),
        Change::Shift { from, to } => {
            format!("{} -> {}", w.label("role", from), w.label("role", to))
        }
    }
}

/// A move in words: from its data, or the English words of a file without them.
fn move_words(m: &Move, w: &Words) -> String {
    m.change
        .as_ref()
        .map_or_else(|| m.what.clone(), |c| change_words(c, w))
}

/// Why a structure's search stopped, in words.
fn stop_words(s: &TeamSearch, t: &TeamResult, w: &Words) -> String {
    if t.stopped.is_empty() {
        return t.stop.clone();
    }
    let binds = |b: bool| if b { w.t("teams.binds") } else { "" };
    let parts: Vec<String> = t
        .stopped
        .iter()
        .map(|x| match x {
            TeamStop::NothingToSearch => w.t("teams.stop.nothing").to_string(),
            TeamStop::NoMove { binds: b } => w.f("teams.stop.no_move", &[("binds", &binds(*b))]),
            TeamStop::LocalOptimum {
                monthly,
                replications,
                best,
                gain,
                binds: b,
            } => w.n(
                "teams.stop.optimum",
                *replications,
                &[
                    (
                        "monthly",
                        &if *monthly {
                            w.t("teams.stop.monthly")
                        } else {
                            ""
                        },
                    ),
                    ("best", &change_words(best, w)),
                    ("gain", &amount(s, *gain, false, w)),
                    ("binds", &binds(*b)),
                ],
            ),
        })
        .collect();
    parts.join(w.t("teams.stop.then"))
}

/// Where the budget came from, in words.
fn budget_words(s: &TeamSearch, w: &Words) -> String {
    match &s.budget_from {
        Some(BudgetSource::Given) => w.t("teams.budget.given").into(),
        Some(BudgetSource::Baseline {
            variant,
            replications,
        }) => w.n(
            "teams.budget.baseline",
            *replications,
            &[("name", &w.label("structure", variant))],
        ),
        None => s.budget_source.clone(),
    }
}

/// The lines the terminal prints before the ranking.
pub fn terminal(s: &TeamSearch, w: &Words) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        w.f(
            "teams.terminal.head",
            &[
                ("objective", &w.t(&objective_key(s, "describe"))),
                ("budget", &w.money(s.budget)),
                ("c", &s.currency.to_uppercase()),
                ("source", &budget_words(s, w)),
            ]
        )
    );
    for t in &s.teams {
        let _ = writeln!(
            out,
            "  {:<18} {}",
            w.label("structure", &t.variant),
            w.f(
                "teams.terminal.line",
                &[
                    ("team", &team_words(s, &t.roles, &t.best, w)),
                    ("cost", &w.money(t.staff_cost.mean)),
                    ("gain_word", &w.t(&objective_key(s, "gain"))),
                    ("gain", &amount(s, t.gain, true, w)),
                    ("preset", &team_words(s, &t.roles, &t.preset, w)),
                    ("moves", &t.path.len()),
                    ("tried", &t.teams_tried),
                    (
                        "interim",
                        &if t.complete {
                            ""
                        } else {
                            w.t("teams.terminal.interim")
                        }
                    ),
                ]
            )
        );
    }
    for t in &s.teams {
        if let Some(m) = &t.binding {
            let _ = writeln!(
                out,
                "  {}",
                w.f(
                    "teams.terminal.binds",
                    &[
                        ("name", &w.label("structure", &t.variant)),
                        ("move", &binding_words(s, m, w)),
                    ]
                )
            );
        }
    }
    out
}

/// `+1 closer would gain +701 807 ± 29 271 at a staff cost of 18 969 a month`.
fn binding_words(s: &TeamSearch, m: &Move, w: &Words) -> String {
    w.f(
        "teams.binding",
        &[
            ("move", &move_words(m, w)),
            ("gain", &amount(s, m.gain, true, w)),
            ("cost", &w.money(m.staff_cost)),
        ],
    )
}

/// The report's section: the best team for each structure and the search's path.
pub fn section(s: &TeamSearch, w: &Words) -> String {
    let mut h = String::new();
    let cur = s.currency.to_uppercase();
    let _ = write!(
        h,
        "<section id=\"teams\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n",
        escape(w.t("teams.title")),
        escape(&w.n(
            "teams.intro",
            s.teams.iter().map(|t| t.replications).max().unwrap_or(0),
            &[
                ("objective", &w.t(&objective_key(s, "describe"))),
                ("budget", &w.money(s.budget)),
                ("c", &cur),
                ("source", &budget_words(s, w)),
            ]
        ))
    );
    if !s.complete {
        let _ = writeln!(
            h,
            "<p class=\"note\"><strong>{}</strong></p>",
            escape(w.t("teams.interim"))
        );
    }
    let _ = write!(
        h,
        "<div class=\"scroll\"><table>\n<tr><th class=\"name\">{}</th><th class=\"name\">{}</th><th>{}</th><th class=\"name\">{}</th><th>{}</th><th>{}</th><th>{}</th></tr>\n",
        escape(w.t("teams.col.structure")),
        escape(w.t("teams.col.best")),
        escape(&w.f("teams.col.cost", &[("c", &cur)])),
        escape(w.t("teams.col.preset")),
        escape(w.t("teams.col.preset_cost")),
        escape(&w.f(
            "teams.col.gain",
            &[("gain_word", &w.t(&objective_key(s, "gain")))]
        )),
        escape(w.t("teams.col.moves")),
    );
    for t in &s.teams {
        let _ = writeln!(
            h,
            "<tr><td class=\"name\">{}</td><td class=\"name\">{}{}</td><td>{}</td><td class=\"name\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(w.label("structure", &t.variant)),
            escape(&team_words(s, &t.roles, &t.best, w)),
            escape(if t.complete { "" } else { w.t("teams.so_far") }),
            escape(&w.money(t.staff_cost.mean)),
            escape(&team_words(s, &t.roles, &t.preset, w)),
            escape(&w.money(t.preset_staff_cost.mean)),
            escape(&amount(s, t.gain, true, w)),
            t.path.len(),
        );
    }
    let unit = if s.objective == TeamObjective::Profit {
        cur.clone()
    } else {
        w.t("teams.fewer_lost").to_string()
    };
    let _ = writeln!(
        h,
        "</table></div>\n<p class=\"note\">{}</p>",
        escape(&w.f(
            "teams.table_note",
            &[("what", &w.t(&objective_key(s, "what"))), ("unit", &unit)]
        ))
    );
    let _ = writeln!(h, "<h3>{}</h3>", escape(w.t("teams.path")));
    for t in &s.teams {
        let _ = write!(
            h,
            "<p class=\"note\"><strong>{}</strong>: {}",
            escape(w.label("structure", &t.variant)),
            escape(&w.f(
                "teams.from",
                &[
                    ("preset", &team_words(s, &t.roles, &t.preset, w)),
                    ("tried", &t.teams_tried),
                    ("runs", &t.runs),
                ]
            ))
        );
        if t.path.is_empty() {
            h.push_str(&escape(w.t("teams.no_move")));
        } else {
            h.push_str(":</p>\n<ol class=\"reading\">\n");
            for m in &t.path {
                let _ = writeln!(
                    h,
                    "<li>{}</li>",
                    escape(&w.n(
                        "teams.step",
                        m.replications,
                        &[
                            ("move", &move_words(m, w)),
                            ("gain_word", &w.t(&objective_key(s, "gain"))),
                            ("gain", &amount(s, m.gain, true, w)),
                            ("cost", &w.money(m.staff_cost)),
                            ("c", &cur),
                        ]
                    ))
                );
            }
            h.push_str("</ol>\n<p class=\"note\">");
        }
        let why = if t.complete {
            let binds = t
                .binding
                .as_ref()
                .map(|m| w.f("teams.larger_budget", &[("move", &binding_words(s, m, w))]))
                .unwrap_or_default();
            w.f(
                "teams.stopped",
                &[
                    ("team", &team_words(s, &t.roles, &t.best, w)),
                    ("why", &stop_words(s, t, w)),
                    ("binds", &binds),
                ],
            )
        } else {
            w.t("teams.interrupted").to_string()
        };
        let _ = writeln!(h, "{}</p>", escape(&why));
    }
    let _ = writeln!(
        h,
        "<p class=\"note\">{}</p>\n</section>",
        escape(w.t("teams.files"))
    );
    h
}
