//! A team search as bytes: `search.json` (what the report's section is redrawn from),
//! `teams.csv` (every structure's best team, role and month), `search_path.csv` (each
//! move the search took), the lines for the terminal and the report's section; and
//! `search.json` read back.

use std::fmt::Write as _;
use std::path::Path;

use super::csv::Cell;
use super::folder::SEARCH_JSON;
use super::format::{money, signed_with_half, with_half};
use super::html::escape;
use super::results::{io_reason, read_versioned, write_versioned, ResultsError};
use crate::experiment::staffing::Estimate;
use crate::experiment::teams::{team_words, TeamObjective, TeamResult, TeamSearch};

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
fn amount(s: &TeamSearch, e: Estimate, sign: bool) -> String {
    let f = |x: f64| match s.objective {
        TeamObjective::Profit => money(x),
        TeamObjective::AvoidableLosses => format!("{x:.0}"),
    };
    if sign {
        signed_with_half(e.mean, e.half, f)
    } else {
        with_half(e.mean, e.half, f)
    }
}

fn what(s: &TeamSearch) -> &'static str {
    match s.objective {
        TeamObjective::Profit => "gross profit",
        TeamObjective::AvoidableLosses => "avoidable lost leads",
    }
}

fn gain_words(s: &TeamSearch) -> &'static str {
    match s.objective {
        TeamObjective::Profit => "gain",
        TeamObjective::AvoidableLosses => "leads saved",
    }
}

/// The lines the terminal prints before the ranking.
pub fn terminal(s: &TeamSearch) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "best teams for {} within a staff cost of {} {}/month (pay, commissions, outsourcing; {}):",
        s.objective.describe(),
        money(s.budget),
        s.currency.to_uppercase(),
        s.budget_source
    );
    for t in &s.teams {
        let _ = writeln!(
            out,
            "  {:<18} {}  · staff cost {}/month · {} {} vs preset ({}) · {} moves, {} teams tried{}",
            t.variant,
            team_words(&t.roles, &t.best, counted(s)),
            money(t.staff_cost.mean),
            gain_words(s),
            amount(s, t.gain, true),
            team_words(&t.roles, &t.preset, counted(s)),
            t.path.len(),
            t.teams_tried,
            if t.complete { "" } else { " (interim)" }
        );
    }
    for t in &s.teams {
        if let Some(m) = &t.binding {
            let _ = writeln!(
                out,
                "  the budget binds {}: {}",
                t.variant,
                binding_words(s, m)
            );
        }
    }
    out
}

/// `+1 closer would gain +701 807 ± 29 271 at a staff cost of 18 969 a month`.
fn binding_words(s: &TeamSearch, m: &crate::experiment::teams::Move) -> String {
    format!(
        "{} would gain {} at a staff cost of {} a month",
        m.what,
        amount(s, m.gain, true),
        money(m.staff_cost)
    )
}

/// What an interrupted search's answer is.
pub const INTERIM: &str = "The team search was interrupted before it finished: each structure shows the best team found so far, and a structure not reached shows none. The structures were not ranked at these teams.";

/// The report's section: the best team for each structure and the search's path.
pub fn section(s: &TeamSearch) -> String {
    let mut h = String::new();
    let cur = s.currency.to_uppercase();
    let _ = write!(
        h,
        "<section id=\"teams\">\n<h2>The best team for each structure</h2>\n<p class=\"note\">Each structure is ranked at the team that gives {} within a staff cost of {} {cur} a month (pay, commissions and outsourcing at their expected values; the budget is {}). Every role's headcount was searched together on {} replications of their own, apart from the ranking's: a move of one person (add, remove, or move between roles) was taken only when its paired 95% interval showed a gain.</p>\n",
        escape(s.objective.describe()),
        escape(&money(s.budget)),
        escape(&s.budget_source),
        s.teams.iter().map(|t| t.replications).max().unwrap_or(0)
    );
    if !s.complete {
        let _ = writeln!(
            h,
            "<p class=\"note\"><strong>{}</strong></p>",
            escape(INTERIM)
        );
    }
    let _ = write!(
        h,
        "<div class=\"scroll\"><table>\n<tr><th class=\"name\">structure</th><th class=\"name\">best team</th><th>cost/month, {cur}</th><th class=\"name\">preset team</th><th>preset's cost/month</th><th>{} vs preset*</th><th>moves</th></tr>\n",
        gain_words(s)
    );
    for t in &s.teams {
        let _ = writeln!(
            h,
            "<tr><td class=\"name\">{}</td><td class=\"name\">{}{}</td><td>{}</td><td class=\"name\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&t.variant),
            escape(&team_words(&t.roles, &t.best, counted(s))),
            if t.complete { "" } else { " (so far)" },
            escape(&money(t.staff_cost.mean)),
            escape(&team_words(&t.roles, &t.preset, counted(s))),
            escape(&money(t.preset_staff_cost.mean)),
            escape(&amount(s, t.gain, true)),
            t.path.len(),
        );
    }
    let _ = writeln!(
        h,
        "</table></div>\n<p class=\"note\">*{} of the best team over the preset, paired on the search's replications ({}); the ranking below measures every team again on replications of its own.</p>",
        escape(what(s)),
        if s.objective == TeamObjective::Profit { cur.clone() } else { "fewer lost leads".into() }
    );
    h.push_str("<h3>The search's path</h3>\n");
    for t in &s.teams {
        let _ = write!(
            h,
            "<p class=\"note\"><strong>{}</strong>: from {} ({} teams tried, {} replications)",
            escape(&t.variant),
            escape(&team_words(&t.roles, &t.preset, counted(s))),
            t.teams_tried,
            t.runs
        );
        if t.path.is_empty() {
            h.push_str(", no move taken.");
        } else {
            h.push_str(":</p>\n<ol class=\"reading\">\n");
            for m in &t.path {
                let _ = writeln!(
                    h,
                    "<li>{}: {} {} (95% CI, {} replications), staff cost {} {cur}/month</li>",
                    escape(&m.what),
                    gain_words(s),
                    escape(&amount(s, m.gain, true)),
                    m.replications,
                    escape(&money(m.staff_cost))
                );
            }
            h.push_str("</ol>\n<p class=\"note\">");
        }
        let why = if t.complete {
            let binds = t
                .binding
                .as_ref()
                .map(|m| format!(" With a larger budget, {}.", binding_words(s, m)))
                .unwrap_or_default();
            format!(
                " Stopped at {}: {}.{}",
                escape(&team_words(&t.roles, &t.best, counted(s))),
                escape(&t.stop),
                escape(&binds)
            )
        } else {
            " Interrupted: the best team so far.".to_string()
        };
        let _ = writeln!(h, "{why}</p>");
    }
    h.push_str("<p class=\"note\">Also in teams.csv (each role's headcount and expected pay by month) and search_path.csv.</p>\n</section>\n");
    h
}
