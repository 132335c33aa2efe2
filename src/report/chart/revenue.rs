//! Revenue by month per structure: the mean with the p5-p95 band of replications, and
//! the season's inbound leads drawn behind it on a second axis.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::draw::{self, Drawn, Look, Pen};
use super::{ChartError, Figure};
use crate::report::results::Results;
use crate::sim::Metric;

pub struct Revenue<'a> {
    r: &'a Results,
    looks: &'a [Look],
    /// Per structure: mean, p5, p95 per month.
    lines: Vec<(Vec<f64>, Vec<f64>, Vec<f64>)>,
    /// Inbound leads per month (the same for every structure: common random numbers).
    demand: Vec<f64>,
    replications: u64,
}

impl<'a> Revenue<'a> {
    pub fn new(r: &'a Results, p: usize, looks: &'a [Look]) -> Result<Revenue<'a>, ChartError> {
        let mut lines = vec![];
        for v in 0..looks.len() {
            let s = r
                .monthly(p, v, Metric::Revenue)
                .ok_or_else(|| ChartError::missing("monthly", Metric::Revenue))?;
            lines.push((
                s.iter().map(|x| x.mean).collect(),
                s.iter().map(|x| x.p5).collect(),
                s.iter().map(|x| x.p95).collect(),
            ));
        }
        let base = r.exp.baseline;
        let phone = r
            .monthly(p, base, Metric::LeadsPhone)
            .ok_or_else(|| ChartError::missing("monthly", Metric::LeadsPhone))?;
        let web = r
            .monthly(p, base, Metric::LeadsWeb)
            .ok_or_else(|| ChartError::missing("monthly", Metric::LeadsWeb))?;
        let demand = phone
            .iter()
            .zip(web)
            .map(|(a, b)| a.mean + b.mean)
            .collect();
        Ok(Revenue {
            r,
            looks,
            lines,
            demand,
            replications: r.manifest.points[p].replications,
        })
    }
}

impl Figure for Revenue<'_> {
    fn title(&self) -> String {
        self.r.words.f(
            "chart.revenue.title",
            &[
                ("c", &self.r.exp.currency.to_uppercase()),
                ("scenario", &self.r.exp.scenario_name),
            ],
        )
    }

    fn subtitle(&self) -> String {
        let w = self.r.words;
        w.n(
            "chart.revenue.subtitle",
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
        let months = &self.r.exp.months;
        let (xr, xl) = draw::month_axis(months);
        // Headroom above the bands keeps the legend clear of the lines.
        let (_, ymax) = draw::span(self.lines.iter().flat_map(|l| l.2.iter().map(|x| x * 1.25)));
        let (_, dmax) = draw::span(self.demand.iter().map(|d| d * 1.6));
        let mut chart = ChartBuilder::on(area)
            .x_label_area_size(pen.pxu(44.0))
            .y_label_area_size(pen.pxu(78.0))
            .right_y_label_area_size(pen.pxu(78.0))
            .build_cartesian_2d(xr.clone(), 0.0..ymax)?
            .set_secondary_coord(xr, 0.0..dmax);
        let w = self.r.words;
        let fmt = draw::month_formatter(months, 13, w);
        let money = |y: &f64| draw::short(*y, w);
        draw::warmup(&mut chart, self.r.exp.warmup_months, (0.0, ymax))?;
        draw::mesh(
            &mut chart,
            pen,
            w.t("chart.month"),
            &w.f(
                "chart.revenue.axis",
                &[("c", &self.r.exp.currency.to_uppercase())],
            ),
            &fmt,
            &money,
            xl,
        )?;
        draw::demand_axis(&mut chart, pen)?;
        let grey = RGBColor(205, 205, 205);
        let scale = pen.scale;
        chart
            .draw_secondary_series(self.demand.iter().enumerate().map(|(i, &d)| {
                let x = i as f64;
                Rectangle::new([(x - 0.38, 0.0), (x + 0.38, d)], grey.mix(0.55).filled())
            }))?
            .label(w.t("chart.revenue.inbound"))
            .legend(move |(x, y)| {
                let s = Pen::new(scale, w);
                Rectangle::new(
                    [(x, y - s.px(6.0)), (x + s.px(22.0), y + s.px(6.0))],
                    grey.filled(),
                )
            });
        let xs: Vec<f64> = (0..months.len()).map(|i| i as f64).collect();
        for (look, (_, lo, hi)) in self.looks.iter().zip(&self.lines) {
            draw::band(&mut chart, &xs, lo, hi, look.colour, 0.13)?;
        }
        for (look, (mean, _, _)) in self.looks.iter().zip(&self.lines) {
            let pts: Vec<(f64, f64)> = xs.iter().copied().zip(mean.iter().copied()).collect();
            draw::mean_line(&mut chart, &pts, look, pen)?;
        }
        draw::series_legend(&mut chart, SeriesLabelPosition::UpperLeft, pen)
    }
}
