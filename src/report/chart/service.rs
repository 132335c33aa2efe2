//! Service level and speed to lead by month: how fast each structure answers.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::draw::{self, Drawn, Look, Pen};
use super::{ChartError, Figure};
use crate::report::results::Results;
use crate::sim::Metric;

pub struct Service<'a> {
    r: &'a Results,
    looks: &'a [Look],
    /// Per structure: share of calls answered within the service-level time, per month.
    level: Vec<Vec<f64>>,
    /// Per structure: mean speed to lead per month, in minutes.
    speed: Vec<Vec<f64>>,
    replications: u64,
}

impl<'a> Service<'a> {
    pub fn new(r: &'a Results, p: usize, looks: &'a [Look]) -> Result<Service<'a>, ChartError> {
        let series = |v: usize, m: Metric| -> Result<Vec<f64>, ChartError> {
            let s = r
                .monthly(p, v, m)
                .ok_or_else(|| ChartError::missing("monthly", m))?;
            Ok(s.iter().map(|x| x.mean).collect())
        };
        let mut level = vec![];
        let mut speed = vec![];
        for v in 0..looks.len() {
            level.push(series(v, Metric::ServiceLevel)?);
            speed.push(series(v, Metric::SpeedToLeadMean)?);
        }
        Ok(Service {
            r,
            looks,
            level,
            speed,
            replications: r.manifest.points[p].replications,
        })
    }
}

impl Figure for Service<'_> {
    fn title(&self) -> String {
        self.r.words.f(
            "chart.service.title",
            &[("scenario", &self.r.exp.scenario_name)],
        )
    }

    fn subtitle(&self) -> String {
        let w = self.r.words;
        w.n(
            "chart.service.subtitle",
            self.replications,
            &[("warmup", &draw::warmup_note(self.r.exp.warmup_months, w))],
        )
    }

    fn words(&self) -> &'static crate::report::lang::Words {
        self.r.words
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>, pen: &Pen) -> Drawn
    where
        DB::ErrorType: 'static,
    {
        let panels = area.split_evenly((1, 2));
        let hours = self.speed.iter().flatten().any(|&m| m > 180.0);
        let w = self.r.words;
        let (axis, div) = if hours {
            ("chart.service.speed_hours", 60.0)
        } else {
            ("chart.service.speed_minutes", 1.0)
        };
        let speed: Vec<Vec<f64>> = self
            .speed
            .iter()
            .map(|s| s.iter().map(|m| m / div).collect())
            .collect();
        self.panel(
            &panels[0],
            pen,
            w.t("chart.service.level"),
            w.t("chart.service.level_axis"),
            &self.level,
            (0.0, 1.0),
            &|y| draw::percent(*y, w),
        )?;
        let top = draw::span(speed.iter().flatten().copied()).1;
        self.panel(
            &panels[1],
            pen,
            w.t("chart.service.speed"),
            w.t(axis),
            &speed,
            (0.0, top),
            &|y| draw::short(*y, w),
        )
    }
}

impl Service<'_> {
    #[allow(clippy::too_many_arguments)]
    fn panel<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        pen: &Pen,
        caption: &str,
        y_desc: &str,
        lines: &[Vec<f64>],
        (lo, hi): (f64, f64),
        y_fmt: &dyn Fn(&f64) -> String,
    ) -> Drawn
    where
        DB::ErrorType: 'static,
    {
        let months = &self.r.exp.months;
        let (xr, xl) = draw::month_axis(months);
        let mut chart = ChartBuilder::on(area)
            .caption(caption, pen.bold(15.0, draw::INK))
            .margin(pen.px(8.0))
            .x_label_area_size(pen.pxu(44.0))
            .y_label_area_size(pen.pxu(70.0))
            .build_cartesian_2d(xr, lo..hi)?;
        let fmt = draw::month_formatter(months, 13, pen.words);
        draw::warmup(&mut chart, self.r.exp.warmup_months, (lo, hi))?;
        let x_desc = pen.words.t("chart.month");
        draw::mesh(&mut chart, pen, x_desc, y_desc, &fmt, y_fmt, xl)?;
        for (look, line) in self.looks.iter().zip(lines) {
            let pts: Vec<(f64, f64)> = line
                .iter()
                .enumerate()
                .map(|(i, &y)| (i as f64, y))
                .collect();
            draw::mean_line(&mut chart, &pts, look, pen)?;
        }
        draw::series_legend(&mut chart, SeriesLabelPosition::LowerRight, pen)
    }
}
