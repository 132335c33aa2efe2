//! What every chart shares: fonts, sizes, the structure-to-look map, number and month
//! labels, markers, legends.

use std::sync::Once;

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::element::ComposedElement;
use plotters::prelude::*;

use crate::report::format;
use crate::report::lang::Words;
use crate::report::results::Results;
use crate::structure::PRESET_NAMES;

/// What a drawing step returns.
pub type Drawn = Result<(), Box<dyn std::error::Error>>;

/// A chart area with numbers on both axes.
pub type Plane<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

static REGULAR: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

/// Registers the shipped font as `sans-serif` (once per process).
pub fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The bytes are the files in assets/fonts: they parse, or the crate is broken.
        let ok = plotters::style::register_font("sans-serif", FontStyle::Normal, REGULAR).is_ok()
            && plotters::style::register_font("sans-serif", FontStyle::Bold, BOLD).is_ok();
        assert!(ok, "the fonts shipped in assets/fonts are valid TrueType");
    });
}

/// Text and strokes: near-black.
pub const INK: RGBColor = RGBColor(33, 33, 33);
/// Secondary text and reference lines.
pub const MUTED: RGBColor = RGBColor(100, 100, 100);
/// Gridlines.
pub const GRID: RGBColor = RGBColor(225, 225, 225);

/// Sizes scaled for the output: 1 for SVG, more for PNG.
pub struct Pen {
    /// Pixels per point of the 1200x720 design (1 for SVG, 1.5 for PNG).
    pub scale: f64,
    /// The language of the chart's words and numbers.
    pub words: &'static Words,
}

impl Pen {
    /// A pen at `scale` writing in `words`.
    pub fn new(scale: f64, words: &'static Words) -> Pen {
        Pen { scale, words }
    }

    /// A length in pixels at this scale.
    pub fn px(&self, x: f64) -> i32 {
        (x * self.scale).round() as i32
    }

    /// `x` design points in whole pixels.
    pub fn pxu(&self, x: f64) -> u32 {
        (x * self.scale).round().max(1.0) as u32
    }

    /// Body text of `size` points.
    pub fn text(&self, size: f64) -> TextStyle<'static> {
        ("sans-serif", size * self.scale).into_font().color(&INK)
    }

    /// A chart's title.
    pub fn title(&self) -> TextStyle<'static> {
        ("sans-serif", 22.0 * self.scale, FontStyle::Bold)
            .into_font()
            .color(&INK)
    }

    /// Bold text of `size` points in colour `c`.
    pub fn bold(&self, size: f64, c: RGBColor) -> TextStyle<'static> {
        ("sans-serif", size * self.scale, FontStyle::Bold)
            .into_font()
            .color(&c)
    }

    /// A line of colour `c`, `width` points wide.
    pub fn line(&self, c: RGBColor, width: f64) -> ShapeStyle {
        c.stroke_width(self.pxu(width))
    }
}

/// A marker shape, so lines differ without colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Marker {
    /// A filled circle.
    Circle,
    /// A filled square.
    Square,
    /// A filled triangle.
    Triangle,
    /// A filled diamond.
    Diamond,
    /// A cross.
    Cross,
}

/// How one structure is drawn in every chart.
#[derive(Clone, Debug)]
pub struct Look {
    /// The structure.
    pub name: String,
    /// Its colour in every chart.
    pub colour: RGBColor,
    /// Its marker in every chart.
    pub marker: Marker,
}

/// Okabe-Ito colours: the five presets keep theirs in every run.
const PRESET_COLOURS: [RGBColor; 5] = [
    RGBColor(0, 114, 178),   // one_level: blue
    RGBColor(230, 159, 0),   // assistant: orange
    RGBColor(0, 158, 115),   // lead_chopper: bluish green
    RGBColor(204, 121, 167), // two_level: reddish purple
    RGBColor(213, 94, 0),    // conveyor: vermillion
];
/// Colours for a scenario's own structures and variants, in order of appearance.
const OTHER_COLOURS: [RGBColor; 4] = [
    RGBColor(86, 180, 233), // sky blue
    RGBColor(0, 0, 0),
    RGBColor(153, 153, 153),
    RGBColor(120, 94, 240),
];
const MARKERS: [Marker; 5] = [
    Marker::Circle,
    Marker::Square,
    Marker::Triangle,
    Marker::Diamond,
    Marker::Cross,
];

/// The look of every variant of `r`, in the experiment's order.
pub fn looks(r: &Results) -> Vec<Look> {
    let mut others = 0;
    r.exp
        .variants
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let colour = match PRESET_NAMES.iter().position(|&p| p == v.name) {
                Some(k) => PRESET_COLOURS[k],
                None => {
                    others += 1;
                    OTHER_COLOURS[(others - 1) % OTHER_COLOURS.len()]
                }
            };
            Look {
                name: r.words.label("structure", &v.name).to_string(),
                colour,
                marker: MARKERS[i % MARKERS.len()],
            }
        })
        .collect()
}

/// Encodes an RGB buffer as PNG.
pub fn png(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = vec![];
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header()?;
        w.write_image_data(rgb)?;
        w.finish()?;
    }
    Ok(out)
}

/// `2026-06` -> `Jun`; with more than a year, January says its year (`Jan 27`).
pub fn month_label(months: &[String], i: usize, w: &Words) -> String {
    let Some(m) = months.get(i) else {
        return String::new();
    };
    let month: u32 = m.get(5..7).and_then(|s| s.parse().ok()).unwrap_or(1);
    let name = w.month_short(month);
    if months.len() > 12 && (month == 1 || i == 0) {
        format!("{name} {}", m.get(2..4).unwrap_or(""))
    } else {
        name.to_string()
    }
}

/// The unit a number is shown in: divisor and suffix (`" M"`, `" млн"`).
fn unit_of(a: f64, w: &Words) -> (f64, &str) {
    if a >= 1e9 {
        (1e9, w.t("units.billion"))
    } else if a >= 1e6 {
        (1e6, w.t("units.million"))
    } else if a >= 1e4 {
        (1e3, w.t("units.thousand"))
    } else {
        (1.0, "")
    }
}

/// `x / div` with up to three significant digits (whole numbers stay whole).
fn in_unit(x: f64, (div, unit): (f64, &str), w: &Words) -> String {
    let v = x / div;
    let a = v.abs();
    let digits = if a >= 100.0 || a == 0.0 || (unit.is_empty() && (a - a.round()).abs() < 1e-9) {
        0
    } else if a >= 10.0 {
        1
    } else {
        2
    };
    let s = format!("{v:.digits$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    format!("{}{unit}", w.num(s))
}

/// A number for an axis or a label: `2.5 M`, `180 k`, `1234`, `0.25`.
pub fn short(x: f64, w: &Words) -> String {
    in_unit(x, unit_of(x.abs(), w), w)
}

/// A mean and its half-width in the mean's unit: `2.5 M ± 0.03 M`, `9109 ± 51`.
/// A confidence half-width as drawn: an undefined one (a single replication) is no
/// interval at all.
pub fn drawn(half: f64) -> f64 {
    if half.is_finite() {
        half
    } else {
        0.0
    }
}

pub fn pair(mean: f64, half: f64, w: &Words) -> String {
    let u = unit_of(mean.abs().max(half), w);
    format!("{} ± {}", in_unit(mean, u, w), in_unit(half, u, w))
}

/// A signed number: `+68 k`, `-1.2 M`.
pub fn signed(x: f64, w: &Words) -> String {
    format::signed(x, |v| short(v, w))
}

/// A share as a whole percentage: `46%`.
pub fn percent(x: f64, w: &Words) -> String {
    w.percent(x, 0)
}

/// An axis range from 0 (or the data's minimum when negative) to a little above the
/// data's maximum.
pub fn span(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values
        .filter(|x| x.is_finite())
        .fold((0.0f64, 0.0f64), |(l, h), x| (l.min(x), h.max(x)));
    let pad = (hi - lo).max(1e-9) * 0.08;
    (if lo < 0.0 { lo - pad } else { 0.0 }, hi + pad)
}

/// Draws `marker` at each point.
pub fn markers<'a, DB: DrawingBackend + 'a>(
    chart: &mut Plane<'a, DB>,
    points: &[(f64, f64)],
    look: &Look,
    pen: &Pen,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    let c = look.colour;
    let pts = points.iter().copied().filter(|p| p.1.is_finite());
    chart.draw_series(pts.map(|p| marker_element(p, look.marker, c, pen, 0)))?;
    Ok(())
}

/// A marker drawn over a short line: one concrete type for every shape, so series and
/// legends can hold any of them.
pub type MarkerElement<C, DB> =
    ComposedElement<C, DB, PathElement<(i32, i32)>, Polygon<(i32, i32)>>;

/// The outline of a marker of radius `r`, in pixels around its centre.
fn outline(m: Marker, r: i32) -> Vec<(i32, i32)> {
    let rf = f64::from(r);
    let round = |v: Vec<(f64, f64)>| -> Vec<(i32, i32)> {
        v.into_iter()
            .map(|(x, y)| (x.round() as i32, y.round() as i32))
            .collect()
    };
    match m {
        Marker::Circle => round(
            (0..16)
                .map(|k| {
                    let a = f64::from(k) * std::f64::consts::TAU / 16.0;
                    (rf * a.cos(), rf * a.sin())
                })
                .collect(),
        ),
        Marker::Square => {
            let h = rf * 0.9;
            round(vec![(-h, -h), (h, -h), (h, h), (-h, h)])
        }
        Marker::Triangle => {
            let h = rf * 1.2;
            round(vec![(0.0, -h), (h * 0.95, h * 0.6), (-h * 0.95, h * 0.6)])
        }
        Marker::Diamond => {
            let h = rf * 1.25;
            round(vec![(0.0, -h), (h, 0.0), (0.0, h), (-h, 0.0)])
        }
        Marker::Cross => {
            // A plus sign turned by 45 degrees.
            let (t, l) = (rf * 0.38, rf * 1.2);
            let plus = [
                (-t, -l),
                (t, -l),
                (t, -t),
                (l, -t),
                (l, t),
                (t, t),
                (t, l),
                (-t, l),
                (-t, t),
                (-l, t),
                (-l, -t),
                (-t, -t),
            ];
            let s = std::f64::consts::FRAC_1_SQRT_2;
            round(
                plus.iter()
                    .map(|&(x, y)| ((x - y) * s, (x + y) * s))
                    .collect(),
            )
        }
    }
}

/// A marker at `p`, over a line `half_line` pixels to each side (0: none).
pub fn marker_element<DB: DrawingBackend, C: Clone>(
    p: C,
    m: Marker,
    c: RGBColor,
    pen: &Pen,
    half_line: i32,
) -> MarkerElement<C, DB> {
    let seg = PathElement::new(vec![(-half_line, 0), (half_line, 0)], pen.line(c, 2.5));
    EmptyElement::at(p) + seg + Polygon::new(outline(m, pen.px(4.5)), c.filled())
}

/// The series legend of a chart, framed, in a corner.
pub fn series_legend<'a, DB: DrawingBackend + 'a>(
    chart: &mut Plane<'a, DB>,
    pos: SeriesLabelPosition,
    pen: &Pen,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    chart
        .configure_series_labels()
        .position(pos)
        .label_font(pen.text(13.0))
        .background_style(WHITE.mix(0.9))
        .border_style(GRID.stroke_width(1))
        .margin(pen.pxu(8.0))
        .legend_area_size(pen.pxu(30.0))
        .draw()?;
    Ok(())
}

/// A row of colour swatches with labels, for charts whose legend spans panels.
pub fn swatch_row<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    items: &[(String, RGBColor)],
    pen: &Pen,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    // Longer words (another language) shrink the row to the area's width.
    let natural = swatch_row_width(area, items, pen, 13.0)?;
    let room = f64::from(area.dim_in_pixel().0);
    let size = if natural > room {
        (13.0 * room / natural).max(9.0)
    } else {
        13.0
    };
    let style = pen.text(size);
    let mut x = pen.px(8.0);
    let y = pen.px(6.0);
    let box_side = pen.px(14.0);
    for (label, c) in items {
        area.draw(&Rectangle::new(
            [(x, y), (x + box_side, y + box_side)],
            c.filled(),
        ))?;
        area.draw(&Rectangle::new(
            [(x, y), (x + box_side, y + box_side)],
            INK.stroke_width(1),
        ))?;
        let tx = x + box_side + pen.px(6.0);
        area.draw_text(label, &style, (tx, y))?;
        let (w, _) = area.estimate_text_size(label, &style)?;
        x = tx + w as i32 + pen.px(22.0);
    }
    Ok(())
}

/// The width in pixels of a row of swatches with labels at `size` points.
fn swatch_row_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    items: &[(String, RGBColor)],
    pen: &Pen,
    size: f64,
) -> Result<f64, Box<dyn std::error::Error>>
where
    DB::ErrorType: 'static,
{
    let style = pen.text(size);
    let mut x = f64::from(pen.px(8.0));
    for (label, _) in items {
        let (w, _) = area.estimate_text_size(label, &style)?;
        x += f64::from(pen.px(14.0 + 6.0 + 22.0)) + f64::from(w);
    }
    Ok(x)
}

/// A panel with one row per structure, top to bottom in the order of `names`, and a
/// numeric x axis over `x`.
pub fn rows_panel<'a, DB: DrawingBackend + 'a>(
    area: &'a DrawingArea<DB, Shift>,
    pen: &Pen,
    caption: &str,
    names: &[String],
    x: std::ops::Range<f64>,
    x_desc: &str,
    x_fmt: &dyn Fn(&f64) -> String,
) -> Result<Plane<'a, DB>, Box<dyn std::error::Error>>
where
    DB::ErrorType: 'static,
{
    let n = names.len();
    let mut chart = ChartBuilder::on(area)
        .caption(caption, pen.bold(15.0, INK))
        .margin(pen.px(10.0))
        .x_label_area_size(pen.pxu(if x_desc.is_empty() { 30.0 } else { 44.0 }))
        .y_label_area_size(pen.pxu(104.0))
        .build_cartesian_2d(x, -0.5..n as f64 - 0.5)?;
    let name_of = |y: &f64| {
        let i = y.round();
        if (y - i).abs() > 1e-6 || i < 0.0 {
            return String::new();
        }
        names.get(n - 1 - i as usize).cloned().unwrap_or_default()
    };
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID.stroke_width(1))
        .axis_style(MUTED.stroke_width(1))
        .label_style(pen.text(13.0))
        .axis_desc_style(pen.text(14.0))
        .x_desc(x_desc)
        .x_labels(6)
        .y_labels(n.max(1))
        .x_label_formatter(x_fmt)
        .y_label_formatter(&name_of)
        .draw()?;
    Ok(chart)
}

/// The right end of a [`rows_panel`]'s x axis over `lo..hi` that leaves room for each
/// value label, `(x, text)` drawn from `x` shifted `shift` points: at least `hi`, more
/// when a label would run past the panel (words run longer in some languages).
pub fn room_for_labels<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    pen: &Pen,
    (lo, hi): (f64, f64),
    labels: &[(f64, String)],
    shift: f64,
) -> Result<f64, Box<dyn std::error::Error>>
where
    DB::ErrorType: 'static,
{
    // The plotting width: the panel less the names' column and the margins.
    let plot_w = f64::from(area.dim_in_pixel().0) - f64::from(pen.px(104.0 + 20.0));
    let style = pen.text(12.0);
    let mut end = hi;
    for (x, text) in labels {
        let text_w = f64::from(area.estimate_text_size(text, &style)?.0);
        let free = plot_w - text_w - f64::from(pen.px(shift + 6.0));
        if free > 0.0 && *x > lo {
            end = end.max(lo + (x - lo) * plot_w / free);
        }
    }
    Ok(end)
}

/// The y coordinate of row `i` of `n` in a [`rows_panel`].
pub fn row_y(i: usize, n: usize) -> f64 {
    (n - 1 - i) as f64
}

/// A month-by-month chart with a second y axis on the right.
pub type Dual<'a, DB> = plotters::chart::DualCoordChartContext<
    'a,
    DB,
    Cartesian2d<RangedCoordf64, RangedCoordf64>,
    Cartesian2d<RangedCoordf64, RangedCoordf64>,
>;

/// The right axis of inbound leads per month, styled like the left one.
pub fn demand_axis<'a, DB: DrawingBackend + 'a>(chart: &mut Dual<'a, DB>, pen: &Pen) -> Drawn
where
    DB::ErrorType: 'static,
{
    chart
        .configure_secondary_axes()
        .label_style(pen.text(13.0))
        .axis_desc_style(pen.text(14.0))
        .axis_style(MUTED.stroke_width(1))
        .y_desc(pen.words.t("chart.inbound_per_month"))
        .y_label_formatter(&|y| short(*y, pen.words))
        .draw()?;
    Ok(())
}

/// Mesh styles shared by every chart: light grid, readable labels.
pub fn mesh<'a, DB: DrawingBackend + 'a>(
    chart: &mut Plane<'a, DB>,
    pen: &Pen,
    x_desc: &str,
    y_desc: &str,
    x_fmt: &dyn Fn(&f64) -> String,
    y_fmt: &dyn Fn(&f64) -> String,
    x_labels: usize,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID.stroke_width(1))
        .axis_style(MUTED.stroke_width(1))
        .label_style(pen.text(13.0))
        .axis_desc_style(pen.text(14.0))
        .x_desc(x_desc)
        .y_desc(y_desc)
        .x_labels(x_labels)
        .y_labels(8)
        .x_label_formatter(x_fmt)
        .y_label_formatter(y_fmt)
        .draw()?;
    Ok(())
}

/// Shades the first `warmup` months of a month-by-month chart, the warm-up its totals
/// leave out; nothing without one.
pub fn warmup<'a, DB: DrawingBackend + 'a>(
    chart: &mut Plane<'a, DB>,
    warmup: usize,
    (lo, hi): (f64, f64),
) -> Drawn
where
    DB::ErrorType: 'static,
{
    if warmup > 0 {
        let shade = RGBColor(236, 236, 236);
        chart.draw_series(std::iter::once(Rectangle::new(
            [(-0.5, lo), (warmup as f64 - 0.5, hi)],
            shade.filled(),
        )))?;
    }
    Ok(())
}

/// The subtitle's note on the shaded warm-up, empty without one.
pub fn warmup_note(warmup: usize, w: &Words) -> String {
    match warmup {
        0 => String::new(),
        n => w.n("chart.warmup_note", n as u64, &[]),
    }
}

/// The x axis of a month-by-month chart: its range and one tick per month.
pub fn month_axis(months: &[String]) -> (std::ops::Range<f64>, usize) {
    let n = months.len().max(1);
    (-0.5..n as f64 - 0.5, n)
}

/// Labels integer positions with their month, anything else with nothing; at most `most`
/// labels, every 1, 2, 3, 6 or 12 months on the calendar (January, April, July, October
/// every three), so that a long horizon's years line up.
pub fn month_formatter<'a>(
    months: &'a [String],
    most: usize,
    w: &'a Words,
) -> impl Fn(&f64) -> String + 'a {
    let step = [1, 2, 3, 6, 12]
        .into_iter()
        .find(|s| months.len().div_ceil(*s) <= most.max(1))
        .unwrap_or(12);
    move |x: &f64| {
        let i = x.round();
        if (x - i).abs() > 1e-6 || i < 0.0 {
            return String::new();
        }
        let i = i as usize;
        let month: usize = months
            .get(i)
            .and_then(|m| m.get(5..7))
            .and_then(|s| s.parse().ok())
            .unwrap_or(1);
        if (month.max(1) - 1) % step != 0 {
            return String::new();
        }
        month_label(months, i, w)
    }
}

/// A mean line with markers, labelled for the legend.
pub fn mean_line<'a, DB: DrawingBackend + 'a>(
    chart: &mut Plane<'a, DB>,
    points: &[(f64, f64)],
    look: &Look,
    pen: &Pen,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    let style = pen.line(look.colour, 2.5);
    let (marker, colour) = (look.marker, look.colour);
    let legend_pen = Pen::new(pen.scale, pen.words);
    let half = pen.px(11.0);
    chart
        .draw_series(LineSeries::new(
            points.iter().copied().filter(|p| p.1.is_finite()),
            style,
        ))?
        .label(look.name.clone())
        .legend(move |(x, y)| marker_element((x + half, y), marker, colour, &legend_pen, half));
    markers(chart, points, look, pen)
}

/// A shaded band between `low` and `high`.
pub fn band<'a, DB: DrawingBackend + 'a>(
    chart: &mut Plane<'a, DB>,
    xs: &[f64],
    low: &[f64],
    high: &[f64],
    colour: RGBColor,
    alpha: f64,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    let mut pts: Vec<(f64, f64)> = vec![];
    for (i, &x) in xs.iter().enumerate() {
        if high[i].is_finite() {
            pts.push((x, high[i]));
        }
    }
    for (i, &x) in xs.iter().enumerate().rev() {
        if low[i].is_finite() {
            pts.push((x, low[i]));
        }
    }
    if pts.len() >= 3 {
        chart.draw_series(std::iter::once(Polygon::new(
            pts,
            colour.mix(alpha).filled(),
        )))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_numbers() {
        let w = crate::report::lang::english();
        assert_eq!(short(2_497_455.0, w), "2.5 M");
        assert_eq!(short(10_809_242.0, w), "10.8 M");
        assert_eq!(short(68_421.0, w), "68.4 k");
        assert_eq!(short(180_000.0, w), "180 k");
        assert_eq!(short(9109.0, w), "9109");
        assert_eq!(short(0.25, w), "0.25");
        assert_eq!(short(-64_301.0, w), "-64.3 k");
        assert_eq!(signed(68_421.0, w), "+68.4 k");
        assert_eq!(percent(0.4601, w), "46%");
        assert_eq!(pair(9109.2, 51.2, w), "9109 ± 51.2");
        assert_eq!(pair(2_497_455.0, 27_087.0, w), "2.5 M ± 0.03 M");
        assert_eq!(pair(12_385.0, 7_609.0, w), "12.4 k ± 7.61 k");
    }

    #[test]
    fn months_are_named() {
        let w = crate::report::lang::english();
        let m: Vec<String> = ["2026-11", "2026-12", "2027-01"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(month_label(&m, 0, w), "Nov");
        assert_eq!(month_label(&m, 2, w), "Jan");
        let long: Vec<String> = (0..14)
            .map(|i| format!("{}-{:02}", 2026 + i / 12, i % 12 + 1))
            .collect();
        assert_eq!(month_label(&long, 0, w), "Jan 26");
        assert_eq!(month_label(&long, 12, w), "Jan 27");
        assert_eq!(month_label(&long, 13, w), "Feb");
        assert_eq!(month_label(&long, 99, w), "");
        let ru = crate::report::lang::words(crate::scenario::Lang::Ru);
        assert_eq!(month_label(&long, 12, ru), "янв 27");
        assert_eq!(short(2_497_455.0, ru), "2,5 млн");
        assert_eq!(pair(12_385.0, 7_609.0, ru), "12,4 тыс. ± 7,61 тыс.");
    }

    #[test]
    fn spans_start_at_zero_unless_negative() {
        assert_eq!(span([1.0, 10.0].into_iter()).0, 0.0);
        let (lo, hi) = span([-5.0, 5.0, f64::NAN].into_iter());
        assert!(lo < -5.0 && hi > 5.0);
    }
}
