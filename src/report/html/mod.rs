//! `report.html`: one self-contained page an owner can open and forward. Charts are
//! inline SVG; there is no script, no external file and no network access. The page is
//! well-formed XML (every tag closed), so it can also be checked by an XML parser.
//!
//! Every number on the page is read from [`Results`]; the sentences of "What the
//! numbers say" are built from them in [`sentences`], never written in advance.

mod reading;
pub(crate) mod tables;

use std::fmt::Write;

use super::chart::Kind;
use super::lang::Words;
use super::results::Results;

pub use reading::sentences;

/// Text safe inside an element or a quoted attribute.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

pub(crate) const STYLE: &str = "
body{font-family:'DejaVu Sans',Verdana,Arial,sans-serif;color:#212121;max-width:1240px;margin:0 auto;padding:24px 28px 48px;line-height:1.45}
h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:36px 0 10px;border-bottom:1px solid #ddd;padding-bottom:4px}
h3{font-size:16px;margin:20px 0 6px}.meta{color:#555;margin:0}
table{border-collapse:collapse;margin:6px 0 4px;font-size:14px}
th,td{padding:4px 10px;border-bottom:1px solid #e4e4e4;text-align:right;white-space:nowrap}
th{background:#f4f4f4;font-weight:bold}td.name,th.name{text-align:left}
.swatch{display:inline-block;width:11px;height:11px;margin-right:6px;border:1px solid #444;vertical-align:baseline}
.note{color:#555;font-size:13px;margin:4px 0 0}
figure{margin:18px 0 8px}figure svg{width:100%;height:auto;border:1px solid #e4e4e4}
figcaption{color:#555;font-size:13px}
ul.reading li{margin:4px 0}
.supported{color:#1b6e3a;font-weight:bold}.refuted{color:#a3281f;font-weight:bold}.inconclusive{color:#7a5c00;font-weight:bold}
.scroll{overflow-x:auto;max-width:100%}
td.wrap{white-space:normal;min-width:14em}
@page{size:A4;margin:14mm}
@media print{body{max-width:none;padding:0}h2{break-after:avoid}figure{break-inside:avoid;break-before:auto}.scroll{overflow:visible}table{font-size:11px}th,td{padding:2px 5px}}
";

/// The page of a team search interrupted before the structures were ranked: the best
/// teams found so far.
pub fn search_page(
    s: &crate::experiment::teams::TeamSearch,
    scenario_name: &str,
    w: &Words,
) -> String {
    let mut h = head(scenario_name, w);
    let _ = write!(
        h,
        "<header>\n<h1>{}</h1>\n<p class=\"meta\">{}</p>\n</header>\n",
        escape(scenario_name),
        escape(w.t("report.search_interrupted"))
    );
    h.push_str(&super::teams::section(s, w));
    let _ = write!(
        h,
        "<footer>\n<p class=\"note\">{}</p>\n</footer>\n</body>\n</html>\n",
        w.f(
            "report.footer_search",
            &[
                ("version", &escape(env!("CARGO_PKG_VERSION"))),
                ("command", &"<code>salesim report</code>")
            ]
        )
    );
    h
}

/// The page's head, up to the opening of its body.
pub(crate) fn head(title: &str, w: &Words) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\"/>\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n\
         <title>{} · salesim</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        w.lang().code(),
        escape(title)
    )
}

/// The report of `r` at point `p`, with the charts already drawn as SVG.
pub fn report(r: &Results, p: usize, charts: &[(Kind, String)]) -> String {
    let exp = &r.exp;
    let w = r.words;
    let mut h = head(&exp.scenario_name, w);
    let _ = write!(
        h,
        "<header>\n<h1>{}</h1>\n<p class=\"meta\">{}</p>\n</header>\n",
        escape(&exp.scenario_name),
        escape(&tables::run_line(r, p))
    );
    let _ = write!(
        h,
        "<section id=\"reading\">\n<h2>{}</h2>\n<ul class=\"reading\">\n",
        escape(w.t("report.reading"))
    );
    for s in sentences(r, p) {
        let _ = writeln!(h, "<li>{}</li>", escape(&s));
    }
    h.push_str("</ul>\n</section>\n");
    if let Some(s) = &r.search {
        h.push_str(&super::teams::section(s, w));
    }
    h.push_str(&tables::ranking(r, p));
    h.push_str(&tables::claims(r, p));
    if !exp.axes.is_empty() {
        h.push_str(&tables::sweep(r));
    }
    let _ = write!(
        h,
        "<section id=\"charts\">\n<h2>{}</h2>\n",
        escape(w.t("report.charts"))
    );
    for (kind, svg) in charts {
        let _ = write!(
            h,
            "<figure id=\"chart-{}\">\n{}\n<figcaption>{}</figcaption>\n</figure>\n",
            kind.name(),
            inline_svg(svg),
            escape(&w.f(
                "report.caption",
                &[
                    ("caption", &w.t(&format!("caption.{}", kind.name()))),
                    ("name", &kind.name())
                ]
            )),
        );
    }
    h.push_str("</section>\n");
    h.push_str(&tables::staffing(r, p));
    h.push_str(&tables::assumptions(r, p));
    let _ = write!(
        h,
        "<footer>\n<p class=\"note\">{}</p>\n</footer>\n</body>\n</html>\n",
        w.f(
            "report.footer",
            &[
                ("version", &escape(env!("CARGO_PKG_VERSION"))),
                ("command", &"<code>salesim report</code>")
            ]
        )
    );
    h
}

/// An SVG document as an element of the page: without an XML declaration, and with an
/// accessible role.
pub(crate) fn inline_svg(svg: &str) -> String {
    let body = match svg.find("<svg") {
        Some(i) => &svg[i..],
        None => svg,
    };
    body.replacen("<svg", "<svg role=\"img\"", 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(escape("a < b & \"c\""), "a &lt; b &amp; &quot;c&quot;");
    }

    #[test]
    fn inline_svg_drops_the_declaration() {
        let s = inline_svg("<?xml version=\"1.0\"?>\n<svg width=\"1\"></svg>");
        assert_eq!(s, "<svg role=\"img\" width=\"1\"></svg>");
    }
}
