//! A metric against the swept parameter: a line and its 95% CI band per structure. With
//! more than one swept field, one panel per combination of the others.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::draw::{self, Drawn, Look, Pen};
use super::{ChartError, Figure};
use crate::report::results::{Results, Stat};

/// At most this many panels; a larger grid is better read from `summary.csv`.
const MAX_PANELS: usize = 9;

/// One panel: the points that share the values of every axis but the first.
struct Panel {
    label: String,
    /// Per structure: (x, statistic) in order of x.
    lines: Vec<Vec<(f64, Stat)>>,
}

pub struct Sweep<'a> {
    r: &'a Results,
    looks: &'a [Look],
    metric: String,
    panels: Vec<Panel>,
}

impl<'a> Sweep<'a> {
    pub fn new(
        r: &'a Results,
        metric: Option<&str>,
        looks: &'a [Look],
    ) -> Result<Sweep<'a>, ChartError> {
        let metric = r.metric_name(metric.unwrap_or(r.exp.precision_metric_name()));
        if r.total_named(0, 0, &metric).is_none() {
            let mut known: Vec<&String> = r.points[0].totals[0].keys().collect();
            known.sort();
            return Err(ChartError::Unavailable(format!(
                "--metric: no metric `{metric}`; metrics are {}",
                known
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        let mut panels: Vec<Panel> = vec![];
        let mut keys: Vec<Vec<u64>> = vec![];
        // An interrupted sweep has rows for its finished points only.
        for (p, point) in r.exp.points.iter().take(r.points.len()).enumerate() {
            let key: Vec<u64> = point[1..].iter().map(|x| x.to_bits()).collect();
            let k = match keys.iter().position(|k| *k == key) {
                Some(k) => k,
                None => {
                    keys.push(key);
                    let label = r.exp.axes[1..]
                        .iter()
                        .zip(&point[1..])
                        .map(|(a, x)| format!("{} = {}", a.path.text, draw::short(*x, r.words)))
                        .collect::<Vec<_>>()
                        .join(", ");
                    panels.push(Panel {
                        label,
                        lines: vec![vec![]; looks.len()],
                    });
                    panels.len() - 1
                }
            };
            for v in 0..looks.len() {
                let s = r.total_named(p, v, &metric).unwrap_or_default();
                panels[k].lines[v].push((point[0], s));
            }
        }
        if panels.len() > MAX_PANELS {
            return Err(ChartError::Unavailable(format!(
                "the sweep has {} combinations of its other fields; the chart draws at most {MAX_PANELS} panels",
                panels.len()
            )));
        }
        for panel in &mut panels {
            for line in &mut panel.lines {
                line.sort_by(|a, b| a.0.total_cmp(&b.0));
            }
        }
        Ok(Sweep {
            r,
            looks,
            metric,
            panels,
        })
    }

    fn is_share(&self) -> bool {
        self.metric.ends_with("_share")
    }
}

impl Figure for Sweep<'_> {
    fn title(&self) -> String {
        self.r.words.f(
            "chart.sweep.title",
            &[
                (
                    "metric",
                    &self.r.words.column(&self.metric, &self.r.exp.currency),
                ),
                ("field", &self.r.exp.axes[0].path.text),
                ("scenario", &self.r.exp.scenario_name),
            ],
        )
    }

    fn words(&self) -> &'static crate::report::lang::Words {
        self.r.words
    }

    fn subtitle(&self) -> String {
        let reps: Vec<u64> = self
            .r
            .manifest
            .points
            .iter()
            .map(|p| p.replications)
            .collect();
        let (lo, hi) = (
            reps.iter().min().copied().unwrap_or(0),
            reps.iter().max().copied().unwrap_or(0),
        );
        let w = self.r.words;
        let mut s = if lo == hi {
            w.n("chart.sweep.subtitle", lo, &[])
        } else {
            w.n("chart.sweep.subtitle", hi, &[("n", &format!("{lo}-{hi}"))])
        };
        if let Some(cut) = self.r.interrupted() {
            s = format!("{s} · {cut}");
        }
        s
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>, pen: &Pen) -> Drawn
    where
        DB::ErrorType: 'static,
    {
        let n = self.panels.len();
        let cols = if n <= 1 { 1 } else { n.clamp(2, 3) };
        let rows = n.div_ceil(cols);
        let areas = area.split_evenly((rows, cols));
        let all = self.panels.iter().flat_map(|p| p.lines.iter().flatten());
        // Lines, not bars: the axis spans the data, so differences between structures show.
        let ends = all
            .clone()
            .flat_map(|(_, s)| [s.mean - draw::drawn(s.half), s.mean + draw::drawn(s.half)]);
        let (ylo, yhi) = ends
            .filter(|x| x.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), x| {
                (l.min(x), h.max(x))
            });
        let (ylo, yhi) = if ylo.is_finite() {
            (ylo, yhi)
        } else {
            (0.0, 1.0)
        };
        let ypad = ((yhi - ylo) * 0.08).max(yhi.abs() * 1e-6).max(1e-9);
        let (ylo, yhi) = (ylo - ypad, yhi + ypad * 3.0);
        let xs = all.map(|(x, _)| *x);
        let (xlo, xhi) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), x| {
            (l.min(x), h.max(x))
        });
        let xpad = ((xhi - xlo) * 0.04).max(1e-9);
        for (k, panel) in self.panels.iter().enumerate() {
            let mut chart = ChartBuilder::on(&areas[k])
                .caption(&panel.label, pen.bold(14.0, draw::INK))
                .margin(pen.px(8.0))
                .x_label_area_size(pen.pxu(44.0))
                .y_label_area_size(pen.pxu(78.0))
                .build_cartesian_2d((xlo - xpad)..(xhi + xpad), ylo..yhi)?;
            let share = self.is_share();
            let w = pen.words;
            let y_fmt = move |y: &f64| {
                if share {
                    draw::percent(*y, w)
                } else {
                    draw::short(*y, w)
                }
            };
            draw::mesh(
                &mut chart,
                pen,
                &self.r.exp.axes[0].path.text,
                &w.column(&self.metric, &self.r.exp.currency),
                &|x| draw::short(*x, w),
                &y_fmt,
                8,
            )?;
            for (look, line) in self.looks.iter().zip(&panel.lines) {
                let xs: Vec<f64> = line.iter().map(|(x, _)| *x).collect();
                let lo: Vec<f64> = line
                    .iter()
                    .map(|(_, s)| s.mean - draw::drawn(s.half))
                    .collect();
                let hi: Vec<f64> = line
                    .iter()
                    .map(|(_, s)| s.mean + draw::drawn(s.half))
                    .collect();
                draw::band(&mut chart, &xs, &lo, &hi, look.colour, 0.18)?;
            }
            for (look, line) in self.looks.iter().zip(&panel.lines) {
                let pts: Vec<(f64, f64)> = line.iter().map(|(x, s)| (*x, s.mean)).collect();
                draw::mean_line(&mut chart, &pts, look, pen)?;
            }
            if k == 0 {
                draw::series_legend(&mut chart, SeriesLabelPosition::UpperRight, pen)?;
            }
        }
        Ok(())
    }
}
