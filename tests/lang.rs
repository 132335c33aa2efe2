//! `--lang en|ru|bg` and `lang = "ru"`: the report, the charts, the terminal tables and
//! the workbook in the client's language. Every word a person reads comes from the
//! catalogues in `assets/lang/`; what stays English is what is an interface or a name
//! (CSV columns, file names, the scenario's own texts and the claims' expressions).

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use assert_cmd::Command;
use salesim::report::lang::{english, words};
use salesim::scenario::Lang;

fn salesim() -> Command {
    Command::cargo_bin("salesim").unwrap()
}

/// A short default scenario (4 months, the first a warm-up), as a file in `dir`.
fn short(dir: &Path, lang: Option<&str>) -> PathBuf {
    let mut text = common::with_horizon(&common::scenario_text("default.toml"), 4);
    let warmup = text
        .lines()
        .find(|l| l.starts_with("warmup_months"))
        .expect("a warm-up line")
        .to_string();
    text = text.replace(&warmup, "warmup_months = 1");
    if let Some(l) = lang {
        text = format!("lang = \"{l}\"\n{text}");
    }
    let path = dir.join(format!("short-{}.toml", lang.unwrap_or("en")));
    std::fs::write(&path, text).unwrap();
    path
}

/// Runs `cmd`, which must succeed; what it printed.
fn succeed(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A copy of the files of results folder `from` (not its charts) in a new folder.
fn copy_of(from: &Path) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            std::fs::copy(&p, tmp.path().join(p.file_name().unwrap())).unwrap();
        }
    }
    tmp
}

/// Results written once per test binary: a Russian comparison with its best teams (by
/// `--lang ru`), and a Bulgarian staffing plan (by the scenario's `lang = "bg"`).
struct Fixture {
    _tmp: tempfile::TempDir,
    compare: PathBuf,
    compare_stdout: String,
    staff: PathBuf,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let compare = tmp.path().join("compare");
        let compare_stdout = succeed(
            salesim()
                .arg("compare")
                .arg(short(tmp.path(), None))
                .args(["--optimise", "--structures", "one_level,two_level,conveyor"])
                .args([
                    "--search-replications",
                    "4",
                    "--max-search-replications",
                    "8",
                ])
                .args(["--replications", "3", "--xlsx", "--lang", "ru", "--quiet"])
                .arg("--out")
                .arg(&compare),
        );
        let staff = tmp.path().join("staff");
        succeed(
            salesim()
                .arg("staff")
                .arg(short(tmp.path(), Some("bg")))
                .args(["--role", "call_centre", "--structure", "conveyor"])
                .args(["--replications", "4", "--max-replications", "8", "--quiet"])
                .arg("--out")
                .arg(&staff),
        );
        Fixture {
            _tmp: tmp,
            compare,
            compare_stdout,
            staff,
        }
    })
}

/// The words of Latin script a person reads on a page or in an SVG, once the names and
/// interfaces are taken out: the scenario's name and its claims (their expressions and
/// sources, as `claims.csv` has them), file names and `salesim` itself. A Russian or
/// Bulgarian page leaves none but the units and names in `allowed`.
fn latin_words(text: &str, names: &[String], allowed: &[&str]) -> BTreeSet<String> {
    let mut t = text.to_string();
    for n in names {
        t = t.replace(n.as_str(), " ");
    }
    let mut out = BTreeSet::new();
    // The command to redraw a page is an interface too.
    let t = t.replace("salesim report", " ");
    for word in t.split(|c: char| !(c.is_ascii_alphanumeric() || "_./".contains(c))) {
        // File names (`summary.csv`, `charts/revenue.svg`, `.png`) are interfaces.
        let w = word.trim_matches(|c| c == '.' || c == '/');
        if is_file_name(w) {
            continue;
        }
        if w.is_empty() || !w.chars().any(|c| c.is_ascii_alphabetic()) {
            continue;
        }
        if w.chars().filter(|c| c.is_ascii_alphabetic()).count() >= 2 && !allowed.contains(&w) {
            out.insert(w.to_string());
        }
    }
    out
}

/// Whether `w` names a file (`summary.csv`, `charts/revenue.svg`, `.png`).
fn is_file_name(w: &str) -> bool {
    [
        ".csv", ".svg", ".png", ".toml", ".json", ".html", ".xlsx", ".md",
    ]
    .iter()
    .any(|e| w.ends_with(e) || w == &e[1..])
}

/// A page's readable text: without its styles, inline charts and tags, entities decoded.
fn page_text(html: &str) -> String {
    let mut t = html.to_string();
    for (open, close) in [("<style>", "</style>"), ("<svg", "</svg>")] {
        while let Some(a) = t.find(open) {
            let b = t[a..].find(close).map_or(t.len(), |b| a + b + close.len());
            t.replace_range(a..b, " ");
        }
    }
    let mut out = String::new();
    let mut inside = false;
    for c in t.chars() {
        match c {
            '<' => inside = true,
            '>' => {
                inside = false;
                out.push(' ');
            }
            _ if !inside => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

/// The texts of an SVG's `<text>` elements, joined.
fn svg_text(svg: &str) -> String {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The names a comparison's pages may show in Latin script: the scenario's name, and the
/// claims' expressions and sources (the scenario's own words).
fn names_of(dir: &Path) -> Vec<String> {
    let mut names = vec!["Building-materials wholesaler".to_string()];
    if let Ok(text) = std::fs::read_to_string(dir.join("claims.csv")) {
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let head = r.headers().unwrap().clone();
        for rec in r.records() {
            let rec = rec.unwrap();
            for col in ["claim", "source"] {
                if let Some(i) = head.iter().position(|h| h == col) {
                    names.push(rec[i].to_string());
                }
            }
        }
    }
    // Longest first, so a claim is taken out whole before a part of it.
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    names
}

/// Units and proper names that stay as they are in every language.
const ALLOWED: [&str; 5] = ["salesim", "USD", "Erlang", "SVG", "PNG"];

#[test]
fn a_russian_report_and_its_charts_have_no_english_word_outside_names_and_units() {
    let f = fixture();
    let names = names_of(&f.compare);
    let html = std::fs::read_to_string(f.compare.join("report.html")).unwrap();
    assert!(
        html.contains("<html lang=\"ru\">"),
        "the page says its language"
    );
    let text = page_text(&html);
    // The check can fail: an English sentence on the page is caught.
    let english = latin_words("Итоги: the totals over 24 months", &names, &ALLOWED);
    assert_eq!(english.len(), 4, "{english:?}");
    let left = latin_words(&text, &names, &ALLOWED);
    assert!(
        left.is_empty(),
        "English words on the Russian page: {left:?}"
    );
    // Every section is there, in Russian: the best teams, the ranking, the charts.
    for heading in [
        "Что говорят цифры",
        "Лучший состав для каждой структуры",
        "Структуры по валовой прибыли",
        "Графики",
        "Штат по ролям и месяцам",
        "Ключевые допущения",
    ] {
        assert!(text.contains(heading), "no section {heading:?}");
    }
    let charts: Vec<PathBuf> = std::fs::read_dir(f.compare.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "svg"))
        .collect();
    assert_eq!(charts.len(), 6, "{charts:?}");
    for chart in charts {
        let text = svg_text(&std::fs::read_to_string(&chart).unwrap());
        let left = latin_words(&text, &names, &ALLOWED);
        assert!(
            left.is_empty(),
            "{}: English words {left:?}",
            chart.display()
        );
    }
}

#[test]
fn numbers_and_months_are_written_the_languages_way() {
    let f = fixture();
    let text = page_text(&std::fs::read_to_string(f.compare.join("report.html")).unwrap());
    // Thousands grouped by a narrow no-break space, a decimal comma, a percentage with a
    // no-break space, month names in Russian.
    let grouped = text
        .split(|c: char| !(c.is_ascii_digit() || c == '\u{202F}'))
        .any(|w| w.contains('\u{202F}') && w.len() > 4);
    assert!(grouped, "no number grouped by U+202F");
    assert!(text.contains("\u{A0}%"), "no percentage in the Russian way");
    assert!(
        text.split_whitespace()
            .any(|w| w.contains(',') && w.trim_matches(|c: char| !c.is_ascii_digit()).contains(',')),
        "no decimal comma"
    );
    assert!(text.contains("янв"), "no Russian month name");
    assert!(!text.contains(" Jan"), "an English month name");
    // The CSVs stay an interface: English columns, plain digits.
    let summary = std::fs::read_to_string(f.compare.join("summary.csv")).unwrap();
    assert!(
        summary.starts_with("structure,metric"),
        "{}",
        &summary[..60]
    );
    assert!(!summary.contains('\u{202F}'));
}

#[test]
fn the_terminal_tables_are_in_the_language_asked() {
    let f = fixture();
    let out = &f.compare_stdout;
    for words in [
        "структура",
        "валовая прибыль, USD",
        "лучшие составы",
        "прогона на структуру",
    ] {
        assert!(out.contains(words), "{words:?} not in\n{out}");
    }
    // A Bulgarian replication, asked by the flag.
    let tmp = tempfile::tempdir().unwrap();
    let text = succeed(
        salesim()
            .arg("run")
            .arg(short(tmp.path(), None))
            .args(["--lang", "bg", "--out"])
            .arg(tmp.path()),
    );
    for words in ["месец", "лийдове", "общо", "зърно"] {
        assert!(text.contains(words), "{words:?} not in\n{text}");
    }
}

#[test]
fn a_scenarios_lang_sets_the_staffing_page_and_chart_and_report_redraws_it() {
    let f = fixture();
    let html = std::fs::read_to_string(f.staff.join("report.html")).unwrap();
    assert!(html.contains("<html lang=\"bg\">"));
    let text = page_text(&html);
    let names = ["Building-materials wholesaler".to_string()];
    let left = latin_words(&text, &names, &ALLOWED);
    assert!(
        left.is_empty(),
        "English words on the Bulgarian page: {left:?}"
    );
    assert!(text.contains("Планът по месеци"), "{text}");
    let svg = std::fs::read_to_string(f.staff.join("charts/staffing.svg")).unwrap();
    let left = latin_words(&svg_text(&svg), &names, &ALLOWED);
    assert!(
        left.is_empty(),
        "English words on the Bulgarian chart: {left:?}"
    );
    // Redrawn without a flag, the page keeps the language it was made in; with one, it
    // takes the one asked for, and back again gives the same bytes.
    let tmp = copy_of(&f.staff);
    let report = |lang: Option<&str>| {
        let mut cmd = salesim();
        cmd.arg("report").arg(tmp.path());
        if let Some(l) = lang {
            cmd.args(["--lang", l]);
        }
        cmd.assert().success();
        std::fs::read_to_string(tmp.path().join("report.html")).unwrap()
    };
    assert_eq!(report(None), html);
    assert!(report(Some("en")).contains("The plan, month by month"));
    assert_eq!(report(Some("bg")), html);
}

#[test]
fn report_redraws_the_russian_run_byte_for_byte_and_in_english_on_request() {
    let f = fixture();
    let tmp = copy_of(&f.compare);
    let run = |args: &[&str]| {
        salesim()
            .arg("report")
            .arg(tmp.path())
            .args(args)
            .assert()
            .success();
        (
            std::fs::read_to_string(tmp.path().join("report.html")).unwrap(),
            std::fs::read(tmp.path().join("results.xlsx")).unwrap(),
        )
    };
    let made = std::fs::read_to_string(f.compare.join("report.html")).unwrap();
    let book = std::fs::read(f.compare.join("results.xlsx")).unwrap();
    assert_eq!(
        run(&["--lang", "ru", "--xlsx"]),
        (made.clone(), book.clone())
    );
    // The scenario says nothing: without the flag the folder is drawn in English.
    let (english_page, _) = run(&["--xlsx"]);
    assert!(english_page.contains("What the numbers say"));
    assert!(!english_page.contains("Что говорят цифры"));
}

#[test]
fn the_russian_workbook_names_its_sheets_in_russian_and_keeps_numbers_as_numbers() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let f = fixture();
    let mut book: Xlsx<_> = open_workbook(f.compare.join("results.xlsx")).unwrap();
    let names = book.sheet_names();
    for sheet in [
        "Рейтинг",
        "Итоги",
        "Выручка по месяцам",
        "Потери лидов по причинам",
        "Сводка",
        "Составы",
        "Допущения",
        "Происхождение",
    ] {
        assert!(
            names.iter().any(|n| n == sheet),
            "no sheet {sheet}: {names:?}"
        );
    }
    let ranked = book.worksheet_range("Рейтинг").unwrap();
    assert_eq!(ranked.get((0, 1)), Some(&Data::String("структура".into())));
    assert!(
        matches!(ranked.get((1, 2)), Some(Data::Float(x)) if *x > 0.0),
        "gross profit is a number: {:?}",
        ranked.get((1, 2))
    );
    // The table sheets stay their CSVs: English columns.
    let summary = book.worksheet_range("Сводка").unwrap();
    assert_eq!(summary.get((0, 0)), Some(&Data::String("structure".into())));
}

#[test]
fn a_language_nobody_wrote_is_refused_naming_the_field_and_the_choices() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = short(tmp.path(), Some("de"));
    let out = tmp.path().join("out");
    for args in [vec!["validate"], vec!["compare", "--quiet", "--out"]] {
        let mut cmd = salesim();
        cmd.arg(args[0]).arg(&bad).args(&args[1..]);
        if args.len() > 1 {
            cmd.arg(&out);
        }
        let o = cmd.output().unwrap();
        let cmd = args[0];
        assert_eq!(o.status.code(), Some(2), "{cmd}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("lang") && err.contains("en, ru, bg") && err.contains("\"de\""),
            "{cmd}: {err}"
        );
    }
    let o = salesim()
        .args(["compare", "--lang", "de", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("--lang") && err.contains("ru"), "{err}");
    assert!(!out.exists(), "nothing written");
}

/// Every key the code names in a catalogue lookup is in the English catalogue (and so, by
/// the library's own test, in every other): a key mistyped in the code is caught here,
/// not shown to a reader as the key itself.
#[test]
fn every_key_the_code_looks_up_is_in_the_catalogue() {
    let en = english();
    let sections: BTreeSet<String> = en
        .keys()
        .filter_map(|k| k.split('.').next())
        .map(String::from)
        .collect();
    let mut files = vec![];
    // The report and the command line look words up; the layers below never do.
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut stack = vec![src.join("report"), src.join("cli")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "rs") {
                files.push(p);
            }
        }
    }
    let mut seen = 0;
    let mut unknown = vec![];
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for lit in text.split('"').skip(1).step_by(2) {
            let is_key = lit.contains('.')
                && lit
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.')
                && !lit.ends_with('.')
                && !is_file_name(lit)
                && sections.contains(lit.split('.').next().unwrap());
            if is_key {
                seen += 1;
                if !en.has(lit) {
                    unknown.push(format!("{}: {lit}", f.display()));
                }
            }
        }
    }
    assert!(seen > 200, "only {seen} keys found: the scan is broken");
    assert!(
        unknown.is_empty(),
        "keys not in assets/lang/en.toml: {unknown:#?}"
    );
    // The Russian and Bulgarian catalogues are complete (the library tests say how).
    for lang in [Lang::Ru, Lang::Bg] {
        assert!(salesim::report::lang::missing(en, words(lang)).is_empty());
    }
}
