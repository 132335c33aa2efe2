//! A calibration as bytes: the terminal table of what was fitted, from how much data and
//! what was kept, and `calibration.html`, each fit against its data (inline SVG, no
//! script, the report's style).

use std::fmt::Write;

use crate::calibrate::fit::{Fit, Value};
use crate::calibrate::stats::{normal_cdf, LogHistogram, Lognormal};
use crate::calibrate::write::shown;
use crate::calibrate::{join_lines, Calibration};
use crate::report::html::escape;

const PHONE: &str = "#2b6cb0";
const WRITTEN: &str = "#dd8a2e";
const FIT: &str = "#222222";

/// What a fit shows in the "fitted" column.
fn fitted(f: &Fit, currency: &str) -> String {
    let unit = match f.unit {
        "" => String::new(),
        "money" => format!(" {}", currency.to_uppercase()),
        u => format!(" {u}"),
    };
    if let Some(e) = f.estimate {
        return format!("{}{unit}", shown(e.value));
    }
    match &f.write {
        Some(Value::Text(s)) => s.clone(),
        Some(Value::List(xs, _)) => format!("{} values", xs.len()),
        Some(Value::Points(ps)) => format!("{} points", ps.len()),
        Some(_) => "written".into(),
        None => "kept".into(),
    }
}

fn interval(f: &Fit) -> String {
    match f.estimate {
        Some(e) if e.lo < e.hi => format!("{}-{}", shown(e.lo), shown(e.hi)),
        _ => String::new(),
    }
}

/// Whether a fit is one of the per-month rows (the table shows the list instead).
fn detail(f: &Fit) -> bool {
    f.path.starts_with("demand.seasonality[")
}

/// The terminal table: every figure, fitted or kept, then the notes and the bad values.
pub fn table(c: &Calibration) -> String {
    let rows: Vec<[String; 5]> = c
        .fitted
        .fits
        .iter()
        .filter(|f| !detail(f))
        .map(|f| {
            [
                f.path.clone(),
                fitted(f, &c.currency),
                interval(f),
                f.from.clone(),
                if f.write.is_none() && f.how.starts_with("kept") {
                    f.how.clone()
                } else {
                    String::new()
                },
            ]
        })
        .collect();
    let head = ["figure", "fitted", "95% CI", "from", ""];
    let mut width = head.map(|h| h.chars().count());
    for r in &rows {
        for (w, cell) in width.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let line = |cells: &[String; 5], out: &mut String| {
        let mut s = String::new();
        for (i, (cell, w)) in cells.iter().zip(width).enumerate() {
            let pad = w - cell.chars().count();
            if i == 1 || i == 2 {
                s.push_str(&" ".repeat(pad));
                s.push_str(cell);
            } else {
                s.push_str(cell);
                if i < 4 {
                    s.push_str(&" ".repeat(pad));
                }
            }
            if i < 4 {
                s.push_str("  ");
            }
        }
        out.push_str(s.trim_end());
        out.push('\n');
    };
    let _ = writeln!(
        out,
        "Calibrated from {} leads, {} calls and {} repeat orders, read as {}; template {}.",
        crate::calibrate::fit::grouped(c.leads),
        crate::calibrate::fit::grouped(c.calls),
        crate::calibrate::fit::grouped(c.orders),
        c.mapping,
        c.template
    );
    out.push('\n');
    line(&head.map(String::from), &mut out);
    for r in &rows {
        line(r, &mut out);
    }
    for n in &c.fitted.notes {
        let _ = writeln!(out, "\n{n}");
    }
    if !c.problems.found.is_empty() {
        let _ = writeln!(
            out,
            "\nBad values (the row skipped, or the value left out):"
        );
        for ((file, col, rule), p) in &c.problems.found {
            let _ = writeln!(
                out,
                "  {file}: {col}: {rule}: {} rows (lines {}; e.g. {:?})",
                crate::calibrate::fit::grouped(p.count),
                join_lines(&p.lines),
                p.example
            );
        }
    }
    out
}

/// A chart of categories: bars side by side per category, and lines through the
/// categories' centres.
struct Chart<'a> {
    title: &'a str,
    y_label: &'a str,
    categories: Vec<String>,
    bars: Vec<(&'a str, &'a str, Vec<f64>)>,
    /// Bars stacked (one column per category) rather than side by side.
    stacked: bool,
    /// Lines: data lines drawn wide, a fit (the last, when `fit_last`) dashed on top.
    lines: Vec<(&'a str, &'a str, Vec<f64>)>,
    /// Per bar series (side by side only), each bar's 95% interval, drawn as a whisker;
    /// empty for none.
    whiskers: Vec<Vec<(f64, f64)>>,
}

impl Chart<'_> {
    fn svg(&self) -> String {
        let (w, h) = (760.0, 300.0);
        let (left, right, top, bottom) = (64.0, 16.0, 44.0, 46.0);
        let (pw, ph) = (w - left - right, h - top - bottom);
        let n = self.categories.len().max(1);
        let stack: Vec<f64> = (0..n)
            .map(|i| {
                self.bars
                    .iter()
                    .map(|(_, _, v)| v.get(i).copied().unwrap_or(0.0))
                    .sum()
            })
            .collect();
        let y_max = self
            .bars
            .iter()
            .chain(&self.lines)
            .flat_map(|(_, _, v)| v.iter().copied())
            .chain(if self.stacked { stack } else { vec![] })
            .chain(self.whiskers.iter().flatten().map(|w| w.1))
            .filter(|v| v.is_finite())
            .fold(0.0f64, f64::max);
        let y_max = nice_ceiling(y_max);
        let x = |i: f64| left + pw * i / n as f64;
        let y = |v: f64| top + ph * (1.0 - v / y_max);
        let mut s = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" font-family=\"DejaVu Sans, Verdana, Arial, sans-serif\" font-size=\"12\">\n\
             <rect width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>\n<text x=\"{left}\" y=\"20\" font-size=\"15\" font-weight=\"bold\">{}</text>\n",
            escape(self.title)
        );
        // Legend.
        let mut lx = left;
        for (name, color, _) in &self.bars {
            let _ = writeln!(
                s,
                "<rect x=\"{lx}\" y=\"28\" width=\"10\" height=\"10\" fill=\"{color}\"/><text x=\"{}\" y=\"37\">{}</text>",
                lx + 14.0,
                escape(name)
            );
            lx += 24.0 + 7.0 * name.chars().count() as f64;
        }
        for (k, (name, color, _)) in self.lines.iter().enumerate() {
            let style = line_style(k, self.lines.len());
            let _ = writeln!(
                s,
                "<line x1=\"{lx}\" y1=\"33\" x2=\"{}\" y2=\"33\" stroke=\"{color}\" {style}/><text x=\"{}\" y=\"37\">{}</text>",
                lx + 14.0,
                lx + 18.0,
                escape(name)
            );
            lx += 28.0 + 7.0 * name.chars().count() as f64;
        }
        // Grid and y axis.
        for k in 0..=4 {
            let v = y_max * f64::from(k) / 4.0;
            let _ = writeln!(
                s,
                "<line x1=\"{left}\" y1=\"{0:.1}\" x2=\"{1}\" y2=\"{0:.1}\" stroke=\"#e4e4e4\"/><text x=\"{2}\" y=\"{3:.1}\" text-anchor=\"end\">{4}</text>",
                y(v),
                left + pw,
                left - 6.0,
                y(v) + 4.0,
                escape(&shown(v))
            );
        }
        let _ = writeln!(
            s,
            "<text transform=\"translate(14 {:.1}) rotate(-90)\" text-anchor=\"middle\">{}</text>",
            top + ph / 2.0,
            escape(self.y_label)
        );
        // Bars.
        let groups = if self.stacked {
            1.0
        } else {
            self.bars.len().max(1) as f64
        };
        let slot = pw / n as f64;
        let bw = (slot * 0.8 / groups).max(0.5);
        let mut base = vec![0.0; n];
        for (g, (_, color, values)) in self.bars.iter().enumerate() {
            for (i, &v) in values.iter().enumerate().take(n) {
                if v > 0.0 {
                    let (bx, from) = if self.stacked {
                        (x(i as f64) + slot * 0.1, base[i])
                    } else {
                        (x(i as f64) + slot * 0.1 + bw * g as f64, 0.0)
                    };
                    let _ = write!(
                        s,
                        "<rect x=\"{bx:.1}\" y=\"{:.1}\" width=\"{bw:.1}\" height=\"{:.1}\" fill=\"{color}\"/>",
                        y(from + v),
                        y(from) - y(from + v)
                    );
                    base[i] += v;
                }
            }
            s.push('\n');
        }
        if !self.stacked {
            for (g, cis) in self.whiskers.iter().enumerate() {
                for (i, &(lo, hi)) in cis.iter().enumerate().take(n) {
                    if hi <= 0.0 {
                        continue;
                    }
                    let cx = x(i as f64) + slot * 0.1 + bw * (g as f64 + 0.5);
                    let cap = (bw * 0.3).min(4.0);
                    let _ = write!(
                        s,
                        "<path d=\"M{cx:.1} {0:.1}V{1:.1}M{2:.1} {0:.1}H{3:.1}M{2:.1} {1:.1}H{3:.1}\" stroke=\"#333\" stroke-width=\"1\" fill=\"none\"/>",
                        y(lo),
                        y(hi),
                        cx - cap,
                        cx + cap
                    );
                }
            }
            s.push('\n');
        }
        for (k, (_, color, values)) in self.lines.iter().enumerate() {
            let style = line_style(k, self.lines.len());
            let pts: Vec<String> = values
                .iter()
                .enumerate()
                .filter(|(_, v)| v.is_finite())
                .map(|(i, &v)| format!("{:.1},{:.1}", x(i as f64 + 0.5), y(v.min(y_max))))
                .collect();
            let _ = writeln!(
                s,
                "<polyline points=\"{}\" fill=\"none\" stroke=\"{color}\" {style}/>",
                pts.join(" ")
            );
        }
        // X labels, at most fourteen.
        let every = n.div_ceil(14);
        for (i, label) in self.categories.iter().enumerate() {
            if i % every == 0 {
                let _ = write!(
                    s,
                    "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                    x(i as f64 + 0.5),
                    top + ph + 16.0,
                    escape(label)
                );
            }
        }
        let _ = write!(
            s,
            "\n<line x1=\"{left}\" y1=\"{0}\" x2=\"{1}\" y2=\"{0}\" stroke=\"#444\"/>\n</svg>",
            top + ph,
            left + pw
        );
        s
    }
}

/// How line `k` of `n` is drawn: data wide and light, the fit (the last of two or more)
/// thin and dashed over it.
fn line_style(k: usize, n: usize) -> &'static str {
    if n > 1 && k == n - 1 {
        "stroke-width=\"2\" stroke-dasharray=\"7 4\""
    } else if n > 1 {
        "stroke-width=\"5\" stroke-opacity=\"0.55\""
    } else {
        "stroke-width=\"2\""
    }
}

/// A round number at or above `x` (1, 2 or 5 times a power of ten).
fn nice_ceiling(x: f64) -> f64 {
    if x <= 0.0 || !x.is_finite() {
        return 1.0;
    }
    let p = 10f64.powf(x.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|k| k * p)
        .find(|&v| v >= x)
        .unwrap_or(10.0 * p)
}

/// A histogram on `ln x` against a lognormal fit: bins with data (a margin either side)
/// and the fit's expected counts.
fn histogram_chart(
    title: &str,
    unit: &str,
    h: &LogHistogram,
    fit: &Lognormal,
    expected_of: u64,
) -> String {
    let first = h.bins.iter().position(|&c| c > 0).unwrap_or(0);
    let last = h.bins.iter().rposition(|&c| c > 0).unwrap_or(0);
    // Merge bins so that the chart has at most 40.
    let span = last + 1 - first;
    let merge = span.div_ceil(40).max(1);
    let mut categories = vec![];
    let mut counts = vec![];
    let mut expected = vec![];
    let mut i = first;
    while i <= last {
        let j = (i + merge).min(last + 1);
        let (a, b) = (h.edge(i), h.edge(j));
        categories.push(shown(a.exp()));
        counts.push(h.bins[i..j].iter().sum::<u64>() as f64);
        let p = normal_cdf((b - fit.mu) / fit.sigma) - normal_cdf((a - fit.mu) / fit.sigma);
        expected.push(p * expected_of as f64);
        i = j;
    }
    Chart {
        title,
        y_label: unit,
        categories,
        bars: vec![("data", PHONE, counts)],
        stacked: false,
        lines: vec![("lognormal fit", FIT, expected)],
        whiskers: vec![],
    }
    .svg()
}

fn figure(h: &mut String, id: &str, svg: &str, caption: &str) {
    let _ = write!(
        h,
        "<figure id=\"{id}\">\n{svg}\n<figcaption>{}</figcaption>\n</figure>\n",
        escape(caption)
    );
}

/// `calibration.html`.
pub fn html(c: &Calibration) -> String {
    // The page is English: its month and weekday names come from the English catalogue.
    let words = crate::report::lang::words(crate::scenario::Lang::En);
    let mut h = crate::report::html::head("Calibration", words);
    let files: Vec<String> = c
        .files
        .iter()
        .map(|f| {
            let sep = match f.dialect.separator {
                b';' => "\";\"",
                b'\t' => "tab",
                _ => "\",\"",
            };
            format!(
                "{} ({}: {} rows, {} skipped; {}, separator {sep}, decimal \"{}\")",
                f.name,
                f.kind,
                crate::calibrate::fit::grouped(f.counted.rows),
                crate::calibrate::fit::grouped(f.counted.skipped),
                f.dialect.encoding,
                f.dialect.decimal as char
            )
        })
        .collect();
    let _ = write!(
        h,
        "<header>\n<h1>Calibration</h1>\n<p class=\"meta\">{}</p>\n<p class=\"meta\">Read as {}; the other figures are the template's ({}).</p>\n</header>\n",
        escape(&files.join("; ")),
        escape(&c.mapping),
        escape(&c.template)
    );
    // The table of fits.
    let _ = write!(
        h,
        "<section id=\"fits\">\n<h2>What was fitted</h2>\n<div class=\"scroll\"><table>\n<tr><th class=\"name\">figure</th><th>fitted</th><th>95% CI</th><th class=\"name\">from</th><th class=\"name\">how</th></tr>\n"
    );
    for f in &c.fitted.fits {
        let _ = writeln!(
            h,
            "<tr><td class=\"name\">{}</td><td>{}</td><td>{}</td><td class=\"name\">{}</td><td class=\"name wrap\">{}</td></tr>",
            escape(&f.path),
            escape(&fitted(f, &c.currency)),
            escape(&interval(f)),
            escape(&f.from),
            escape(&f.how)
        );
    }
    h.push_str("</table></div>\n");
    for n in &c.fitted.notes {
        let _ = writeln!(h, "<p class=\"note\">{}</p>", escape(n));
    }
    h.push_str("</section>\n");
    if !c.problems.found.is_empty() {
        h.push_str("<section id=\"problems\">\n<h2>Bad values</h2>\n<p class=\"note\">A row with an unreadable creation time, a duplicate id or an unknown status is skipped; another bad value is left out and the row used.</p>\n<table>\n<tr><th class=\"name\">file</th><th class=\"name\">column</th><th class=\"name\">rule</th><th>rows</th><th class=\"name\">first lines</th><th class=\"name\">example</th></tr>\n");
        for ((file, col, rule), p) in &c.problems.found {
            let _ = writeln!(
                h,
                "<tr><td class=\"name\">{}</td><td class=\"name\">{}</td><td class=\"name\">{}</td><td>{}</td><td class=\"name\">{}</td><td class=\"name\">{}</td></tr>",
                escape(file),
                escape(col),
                rule,
                p.count,
                join_lines(&p.lines),
                escape(&p.example)
            );
        }
        h.push_str("</table>\n</section>\n");
    }
    h.push_str("<section id=\"charts\">\n<h2>Each fit against its data</h2>\n");
    let ch = &c.fitted.charts;
    if !ch.months.is_empty() {
        let fitted_line: Vec<f64> = ch.months.iter().map(|m| m.3.unwrap_or(f64::NAN)).collect();
        let mut lines = vec![];
        if fitted_line.iter().any(|v| v.is_finite()) {
            lines.push(("fit: base x seasonality", FIT, fitted_line));
        }
        let svg = Chart {
            title: "Inbound leads per month",
            y_label: "leads",
            categories: ch
                .months
                .iter()
                .map(|m| format!("{} {}", words.month_short(m.0.month), m.0.year % 100))
                .collect(),
            bars: vec![
                (
                    "phone",
                    PHONE,
                    ch.months.iter().map(|m| m.1 as f64).collect(),
                ),
                (
                    "written",
                    WRITTEN,
                    ch.months.iter().map(|m| m.2 as f64).collect(),
                ),
            ],
            stacked: true,
            lines,
            whiskers: vec![],
        }
        .svg();
        figure(&mut h, "chart-months", &svg, "Full months only, the channels stacked; the line is what the fitted base and seasonality expect.");
    }
    let svg = Chart {
        title: "Inbound leads by hour of day",
        y_label: "leads",
        categories: (0..24).map(|i| format!("{i:02}")).collect(),
        bars: vec![
            (
                "phone",
                PHONE,
                ch.hours[0].iter().map(|&x| x as f64).collect(),
            ),
            (
                "written",
                WRITTEN,
                ch.hours[1].iter().map(|&x| x as f64).collect(),
            ),
        ],
        stacked: false,
        lines: vec![],
        whiskers: ch.hours_ci.iter().map(|c| c.to_vec()).collect(),
    }
    .svg();
    figure(
        &mut h,
        "chart-hours",
        &svg,
        "The hour weights written are these counts as shares of each channel; the whiskers are each count's 95% interval.",
    );
    let svg = Chart {
        title: "Inbound leads per day, by weekday",
        y_label: "leads per day",
        categories: words.list("days.short").to_vec(),
        bars: vec![
            ("phone", PHONE, ch.weekdays[0].to_vec()),
            ("written", WRITTEN, ch.weekdays[1].to_vec()),
        ],
        stacked: false,
        lines: vec![],
        whiskers: ch.weekdays_ci.iter().map(|c| c.to_vec()).collect(),
    }
    .svg();
    figure(&mut h, "chart-weekdays", &svg, "Leads over the number of such days in the data, with each rate's 95% interval; the weekday weights written are these as shares.");
    if let Some((km, mean)) = &ch.patience {
        // Up to the last second with a caller still waiting, at most five minutes.
        let end = km
            .iter()
            .rposition(|&s| s > 0.001)
            .map_or(km.len(), |i| i + 1)
            .clamp(10, 300);
        let svg = Chart {
            title: "Phone patience: share of callers still waiting",
            y_label: "share still waiting",
            categories: (1..=end).map(|s| format!("{s} s")).collect(),
            bars: vec![],
            stacked: false,
            lines: vec![
                ("Kaplan-Meier (data)", PHONE, km[..end].to_vec()),
                (
                    "exponential fit",
                    FIT,
                    (1..=end).map(|s| (-(s as f64) / mean).exp()).collect(),
                ),
            ],
            whiskers: vec![],
        }
        .svg();
        figure(
            &mut h,
            "chart-patience",
            &svg,
            &format!(
                "Answered calls are censored at their wait; the fitted mean patience is {} s.",
                shown(*mean)
            ),
        );
    }
    if !ch.bands.is_empty() && ch.bands.iter().any(|b| b.interested.n > 0) {
        let mut lo: f64 = 0.0;
        let mut categories = vec![];
        let mut curve = vec![];
        for b in &ch.bands {
            categories.push(if b.upto.is_finite() {
                format!("{}-{}", minutes_label(lo), minutes_label(b.upto))
            } else {
                format!("over {}", minutes_label(lo))
            });
            let mid = if b.upto.is_finite() {
                (lo.max(1.0) * b.upto).sqrt()
            } else {
                lo * 2.0
            };
            curve.push(ch.decay.as_ref().map_or(f64::NAN, |(_, d)| d.factor(mid)));
            lo = b.upto;
        }
        let name = ch
            .decay
            .as_ref()
            .map_or("curve".to_string(), |(n, _)| format!("decay: {n}"));
        let svg = Chart {
            title: "Speed to lead: share still interested, by delay to the first call",
            y_label: "share interested",
            categories,
            bars: vec![(
                "data",
                PHONE,
                ch.bands.iter().map(|b| b.interested.value).collect(),
            )],
            stacked: false,
            lines: vec![(&name, FIT, curve)],
            whiskers: vec![],
        }
        .svg();
        let counts: Vec<String> = ch
            .bands
            .iter()
            .map(|b| b.interested.n.to_string())
            .collect();
        figure(
            &mut h,
            "chart-decay",
            &svg,
            &format!(
                "First contacts per band: {}. Leads answered live are not in it.",
                counts.join(", ")
            ),
        );
        h.push_str("<table>\n<tr><th class=\"name\">delay to the first call</th><th>first contacts</th><th>still interested</th><th>95% CI</th><th>won in the end</th><th>95% CI</th></tr>\n");
        let mut lo: f64 = 0.0;
        for b in &ch.bands {
            let band = if b.upto.is_finite() {
                format!("{}-{}", minutes_label(lo), minutes_label(b.upto))
            } else {
                format!("over {}", minutes_label(lo))
            };
            let pct = |e: &crate::calibrate::stats::Estimate| {
                if e.n == 0 {
                    ("-".to_string(), String::new())
                } else {
                    (
                        format!("{:.1}%", e.value * 100.0),
                        format!("{:.1}-{:.1}%", e.lo * 100.0, e.hi * 100.0),
                    )
                }
            };
            let (i, ici) = pct(&b.interested);
            let (w, wci) = pct(&b.won);
            let _ = writeln!(
                h,
                "<tr><td class=\"name\">{}</td><td>{}</td><td>{i}</td><td>{ici}</td><td>{w}</td><td>{wci}</td></tr>",
                escape(&band),
                b.interested.n
            );
            lo = b.upto;
        }
        h.push_str("</table>\n");
    }
    let money = |fit: &Lognormal, more: &str| {
        format!(
            "Bins of equal width in log value; lognormal mean {} {}, cv {:.2}{more}.",
            shown(fit.mean().value),
            c.currency.to_uppercase(),
            fit.cv()
        )
    };
    // Each kind of histogram: its list, title, y axis, id, and caption (after the fit's
    // mean and cv for money).
    type Fits = Vec<(String, LogHistogram, Lognormal)>;
    let histograms: [(&Fits, &str, &str, &str, bool, &str); 4] = [
        (&ch.values, "Deal value", "won deals", "value", true, ""),
        (
            &ch.orders,
            "Repeat order value",
            "orders",
            "orders",
            true,
            " (the figure written is fitted through the model: care grows a client's orders)",
        ),
        (
            &ch.gaps,
            "Days between a client's orders",
            "gaps",
            "gaps",
            false,
            "The fit counts each client's last, still open gap as censored; the figure written is fitted through the model (orders follow the season, wait for a collection call, stop when a client leaves).",
        ),
        (
            &ch.cycles,
            "Days from deal start to decision",
            "deals decided",
            "cycle",
            false,
            "The fit counts the deals gone cold or still open as censored, so it may lie above the bars at long cycles; the cycle written is fitted through the model.",
        ),
    ];
    for (list, title, unit, id, is_money, text) in histograms {
        for (name, hist, fit) in list {
            let svg = histogram_chart(&format!("{title}, {name}"), unit, hist, fit, hist.n);
            let caption = if is_money {
                money(fit, text)
            } else {
                text.to_string()
            };
            figure(
                &mut h,
                &format!("chart-{id}-{}", slug(name)),
                &svg,
                &caption,
            );
        }
    }
    h.push_str("</section>\n<footer>\n<p class=\"note\">Made by salesim ");
    h.push_str(env!("CARGO_PKG_VERSION"));
    h.push_str(" (<code>salesim calibrate</code>).</p>\n</footer>\n</body>\n</html>\n");
    h
}

fn minutes_label(m: f64) -> String {
    if m < 60.0 {
        format!("{m:.0} min")
    } else if m < 1440.0 {
        format!("{:.0} h", m / 60.0)
    } else {
        format!("{:.0} d", m / 1440.0)
    }
}

fn slug(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect()
}
