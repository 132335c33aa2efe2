//! The charts and the page of a results folder, drawn from its files alone: from an
//! experiment's tables or from a staffing plan.

use std::path::{Path, PathBuf};

use super::{chart_path, write_atomic, FolderError, MANIFEST, REPORT, STAFFING_JSON};
use crate::experiment::staffing::StaffingResult;
use crate::report::chart::{self, Format, Kind, Options};
use crate::report::html;
use crate::report::lang::{words, Lang, Words};
use crate::report::results::{Results, ResultsError};
use crate::report::staffing as rs;

/// The name of the staffing chart (`--kind staffing`, `charts/staffing.svg`).
pub const STAFFING: &str = "staffing";

/// What [`draw_report`] wrote.
#[derive(Debug)]
pub struct Drawn {
    /// The charts (SVG and PNG), then `report.html`.
    pub paths: Vec<PathBuf>,
    /// For a run that did not finish, what the report shows of it.
    pub interrupted: Option<String>,
    /// The language it was drawn in.
    pub lang: Lang,
}

/// Whether `dir` holds what `salesim staff` wrote (and not an experiment's results).
pub(super) fn is_staffing(dir: &Path) -> bool {
    !dir.join(MANIFEST).exists() && dir.join(STAFFING_JSON).exists()
}

/// The results of `dir`, to be written in `lang` (else the scenario's).
pub(super) fn load(dir: &Path, lang: Option<Lang>) -> Result<Results, FolderError> {
    let mut r = Results::load(dir).map_err(|e| FolderError::Input(e.to_string()))?;
    r.set_lang(lang);
    Ok(r)
}

/// The words of a staffing plan's outputs: `lang` if asked, else the scenario's.
pub(super) fn staffing_words(r: &StaffingResult, lang: Option<Lang>) -> &'static Words {
    words(lang.unwrap_or(r.lang))
}

fn load_staffing(dir: &Path) -> Result<StaffingResult, FolderError> {
    rs::load(dir).map_err(|e| FolderError::Input(e.to_string()))
}

/// The index of the point a person numbered from 1.
fn point_index(point: usize, r: &Results) -> Result<usize, FolderError> {
    if point == 0 || point > r.points.len() {
        let cut = r
            .interrupted()
            .map(|c| format!(" (the {} was {c})", r.what()))
            .unwrap_or_default();
        return Err(FolderError::Input(format!(
            "--point {point}: the results have points 1 to {}{cut}",
            r.points.len()
        )));
    }
    Ok(point - 1)
}

/// Draws one chart from `dir` into `path`: of `kind` from an experiment's results
/// (`point` numbered from 1, `metric` for the sweep chart), or the staffing chart when
/// `kind` is `None`; in `lang`, or the language the results were made in.
pub fn draw_chart(
    dir: &Path,
    kind: Option<Kind>,
    format: Format,
    point: usize,
    metric: Option<String>,
    path: &Path,
    lang: Option<Lang>,
) -> Result<(), FolderError> {
    let Some(kind) = kind else {
        let r = load_staffing(dir)?;
        let bytes = chart::staffing::render(&r, format, staffing_words(&r, lang))?;
        return write_atomic(path, |w| w.write_all(&bytes));
    };
    if is_staffing(dir) {
        return Err(FolderError::Input(format!(
            "--kind {}: {} holds a staffing plan, whose chart is --kind {STAFFING}",
            kind.name(),
            dir.display()
        )));
    }
    let r = load(dir, lang)?;
    let opts = Options {
        point: point_index(point, &r)?,
        metric,
    };
    let bytes = chart::render(kind, &r, format, &opts)?;
    write_atomic(path, |w| w.write_all(&bytes))
}

/// Every chart that applies, as SVG and PNG in `DIR/charts`, and `DIR/report.html`: from an
/// experiment's results (at `point`, numbered from 1) or from a staffing plan; in `lang`,
/// or the language the results were made in.
pub fn draw_report(dir: &Path, point: usize, lang: Option<Lang>) -> Result<Drawn, FolderError> {
    if is_staffing(dir) {
        if point != 1 {
            return Err(FolderError::Input(format!(
                "--point {point}: {} holds a staffing plan, which has no points",
                dir.display()
            )));
        }
        let r = load_staffing(dir)?;
        let w = staffing_words(&r, lang);
        return Ok(Drawn {
            lang: w.lang(),
            paths: draw_staffing(dir, &r, lang)?,
            interrupted: (!r.complete).then(|| w.t("interrupted.staffing").to_string()),
        });
    }
    if !dir.join(MANIFEST).exists() {
        // A team search killed before the ranking began: its best teams so far.
        if let Some(s) =
            crate::report::teams::load(dir).map_err(|e| FolderError::Input(e.to_string()))?
        {
            let table = std::fs::read_to_string(dir.join(super::SCENARIO))
                .ok()
                .and_then(|t| crate::scenario::Scenario::table_from_str(&t).ok());
            let field = |key: &str| {
                table
                    .as_ref()
                    .and_then(|t| t.get(key).and_then(|v| v.as_str()).map(String::from))
            };
            let name = field("name").unwrap_or_else(|| "salesim".into());
            let lang = lang
                .or_else(|| field("lang").and_then(|l| Lang::parse(&l)))
                .unwrap_or_default();
            let page = html::search_page(&s, &name, words(lang));
            let path = dir.join(REPORT);
            write_atomic(&path, |w| w.write_all(page.as_bytes()))?;
            return Ok(Drawn {
                lang,
                paths: vec![path],
                interrupted: Some(words(lang).t("interrupted.team_search").to_string()),
            });
        }
    }
    let mut r = Results::load(dir).map_err(|e| match e {
        ResultsError::Missing {
            dir, file, reason, ..
        } => FolderError::Input(
            ResultsError::Missing {
                dir,
                file,
                reason,
                writers: "`salesim compare`, `salesim sweep` or `salesim staff`",
            }
            .to_string(),
        ),
        other => FolderError::Input(other.to_string()),
    })?;
    r.set_lang(lang);
    let p = point_index(point, &r)?;
    let opts = Options {
        point: p,
        metric: None,
    };
    let kinds: Vec<Kind> = Kind::ALL
        .into_iter()
        .filter(|k| k.unavailable(&r).is_none())
        .collect();
    // Draw everything first: a chart that fails leaves no file behind.
    let mut drawn = vec![];
    for &k in &kinds {
        for f in [Format::Svg, Format::Png] {
            drawn.push((k, f, chart::render(k, &r, f, &opts)?));
        }
    }
    let svgs: Vec<(Kind, String)> = drawn
        .iter()
        .filter(|(_, f, _)| *f == Format::Svg)
        .map(|(k, _, b)| (*k, String::from_utf8_lossy(b).into_owned()))
        .collect();
    let page = html::report(&r, p, &svgs);
    let mut written = vec![];
    for (k, f, bytes) in &drawn {
        let path = chart_path(dir, k.name(), f.extension());
        write_atomic(&path, |w| w.write_all(bytes))?;
        written.push(path);
    }
    let path = dir.join(REPORT);
    write_atomic(&path, |w| w.write_all(page.as_bytes()))?;
    written.push(path);
    Ok(Drawn {
        lang: r.words.lang(),
        paths: written,
        interrupted: r.interrupted().map(|cut| {
            let shown = if r.points.len() < r.exp.points.len() {
                "interrupted.shows_points"
            } else {
                "interrupted.shows_replications"
            };
            r.words.f(
                "interrupted.note",
                &[
                    ("what", &r.what()),
                    ("cut", &cut),
                    ("shown", &r.words.t(shown)),
                ],
            )
        }),
    })
}

/// `charts/staffing.svg` and `.png` and `report.html` for `r`, in `lang` or the
/// scenario's; the paths written.
pub fn draw_staffing(
    dir: &Path,
    r: &StaffingResult,
    lang: Option<Lang>,
) -> Result<Vec<PathBuf>, FolderError> {
    let w = staffing_words(r, lang);
    // Draw everything first: a chart that fails leaves no file behind.
    let svg = chart::staffing::render(r, Format::Svg, w)?;
    let png = chart::staffing::render(r, Format::Png, w)?;
    let page = rs::page(r, &String::from_utf8_lossy(&svg), w);
    let mut written = vec![];
    for (bytes, format) in [(&svg, Format::Svg), (&png, Format::Png)] {
        let path = chart_path(dir, STAFFING, format.extension());
        write_atomic(&path, |w| w.write_all(bytes))?;
        written.push(path);
    }
    let path = dir.join(REPORT);
    write_atomic(&path, |w| w.write_all(page.as_bytes()))?;
    written.push(path);
    Ok(written)
}
