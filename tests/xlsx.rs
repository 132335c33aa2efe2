//! `--xlsx`: the results as an Excel workbook. Read back (calamine), every table sheet
//! holds its CSV to the digit; the native charts reference the ranges they draw; the
//! same folder gives the same bytes; and LibreOffice opens it and prints a first page
//! that is not blank (run where LibreOffice is installed: CI installs it and sets
//! SALESIM_REQUIRE_LIBREOFFICE, so there it cannot skip).

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use calamine::{open_workbook, Data, Reader, Xlsx};

fn salesim() -> Command {
    Command::cargo_bin("salesim").unwrap()
}

/// A comparison of the default scenario (3 replications), with the workbook.
fn compare(dir: &Path, extra: &[&str]) -> PathBuf {
    let out = dir.join("cmp");
    let o = salesim()
        .args([
            "compare",
            "--replications",
            "3",
            "--quiet",
            "--xlsx",
            "--out",
        ])
        .arg(&out)
        .args(extra)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let said = String::from_utf8(o.stdout).unwrap();
    assert!(said.contains("results.xlsx"), "{said}");
    out
}

/// The CSV `file` of `dir`, as rows of cells (the header first).
fn csv_rows(dir: &Path, file: &str, excel: bool) -> Vec<Vec<String>> {
    let bytes = std::fs::read(dir.join(file)).unwrap();
    let bytes = bytes
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(&bytes)
        .to_vec();
    csv::ReaderBuilder::new()
        .delimiter(if excel { b';' } else { b',' })
        .has_headers(false)
        .from_reader(bytes.as_slice())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// Every cell of sheet `sheet` equals the CSV's: a number to the digit (the f64 the CSV's
/// text parses to), text as text, an empty cell as empty.
fn sheet_is_csv(
    book: &mut Xlsx<std::io::BufReader<std::fs::File>>,
    sheet: &str,
    rows: &[Vec<String>],
    excel: bool,
) {
    let range = book.worksheet_range(sheet).unwrap();
    assert_eq!(
        range.height(),
        rows.len(),
        "{sheet}: {} rows in the sheet, {} in the CSV",
        range.height(),
        rows.len()
    );
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let got = range.get_value((r as u32, c as u32));
            let num = if excel {
                cell.replace(',', ".")
            } else {
                cell.clone()
            };
            match (num.parse::<f64>().ok().filter(|x| x.is_finite()), got) {
                (Some(x), Some(Data::Float(y))) => {
                    assert!(
                        x == *y,
                        "{sheet} row {r} col {c}: {y} in the sheet, {cell} in the CSV"
                    )
                }
                (None, Some(Data::String(s))) => assert_eq!(s, cell, "{sheet} row {r} col {c}"),
                (None, None | Some(Data::Empty)) if cell.is_empty() => {}
                (want, got) => {
                    panic!("{sheet} row {r} col {c}: CSV {cell:?} ({want:?}), sheet {got:?}")
                }
            }
        }
    }
}

#[test]
fn every_table_sheet_holds_its_csv_to_the_digit() {
    for excel in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let extra: &[&str] = if excel { &["--excel"] } else { &[] };
        let out = compare(dir.path(), extra);
        let mut book: Xlsx<_> = open_workbook(out.join("results.xlsx")).unwrap();
        let names = book.sheet_names();
        for want in [
            "Ranked",
            "Totals",
            "Revenue by month",
            "Lost leads by cause",
            "Summary",
            "Monthly",
            "Differences",
            "Claims",
            "Assumptions",
            "Provenance",
        ] {
            assert!(names.iter().any(|n| n == want), "{want} missing: {names:?}");
        }
        for (sheet, file) in [
            ("Summary", "summary.csv"),
            ("Monthly", "monthly.csv"),
            ("Differences", "differences.csv"),
            ("Claims", "claims.csv"),
        ] {
            sheet_is_csv(&mut book, sheet, &csv_rows(&out, file, excel), excel);
        }
        // The ranked sheet leads with the structure the terminal ranks first, at the
        // summary's gross profit.
        let ranked = book.worksheet_range("Ranked").unwrap();
        let first = ranked.get_value((1, 1)).unwrap().to_string();
        let profit = match ranked.get_value((1, 2)) {
            Some(Data::Float(x)) => *x,
            other => panic!("{other:?}"),
        };
        let summary = csv_rows(&out, "summary.csv", excel);
        let mean = summary
            .iter()
            .find(|r| r[0] == first && r[1] == "gross_profit_usd")
            .map(|r| r[3].replace(',', ".").parse::<f64>().unwrap())
            .unwrap();
        assert!(profit == mean, "{first}: {profit} vs {mean}");
    }
}

/// The formulas (`<c:f>`) of every chart in the workbook's package, per chart file.
fn chart_formulas(book: &Path) -> Vec<(String, Vec<String>)> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(book).unwrap()).unwrap();
    let mut out = vec![];
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().to_string();
        if !(name.starts_with("xl/charts/chart") && name.ends_with(".xml")) {
            continue;
        }
        let mut xml = String::new();
        f.read_to_string(&mut xml).unwrap();
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let fs = doc
            .descendants()
            .filter(|n| n.tag_name().name() == "f")
            .filter_map(|n| n.text().map(str::to_string))
            .collect();
        out.push((name, fs));
    }
    out.sort();
    out
}

#[test]
fn the_charts_are_native_and_reference_their_ranges() {
    let dir = tempfile::tempdir().unwrap();
    let out = compare(dir.path(), &[]);
    let charts = chart_formulas(&out.join("results.xlsx"));
    assert_eq!(charts.len(), 3, "{charts:?}");
    let all: Vec<&String> = charts.iter().flat_map(|(_, f)| f).collect();
    let has = |f: &str| all.iter().any(|x| x.as_str() == f);
    // Five structures: rows 2-6 of Totals; the 95% half-widths are the error bars.
    assert!(
        has("Totals!$A$2:$A$6") && has("Totals!$B$2:$B$6"),
        "{all:?}"
    );
    let bars = all
        .iter()
        .filter(|x| x.as_str() == "Totals!$C$2:$C$6")
        .count();
    assert_eq!(bars, 2, "plus and minus error bars: {all:?}");
    // 36 months: rows 2-37, a series per structure in columns B-F.
    assert!(has("'Revenue by month'!$A$2:$A$37"), "{all:?}");
    for col in ["B", "C", "D", "E", "F"] {
        assert!(
            has(&format!("'Revenue by month'!${col}$2:${col}$37")),
            "{col}: {all:?}"
        );
    }
    // Eight causes in columns B-I, five structures.
    for col in ["B", "I"] {
        assert!(
            has(&format!("'Lost leads by cause'!${col}$2:${col}$6")),
            "{col}: {all:?}"
        );
    }
}

#[test]
fn the_same_folder_gives_the_same_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let out = compare(dir.path(), &[]);
    let first = std::fs::read(out.join("results.xlsx")).unwrap();
    let o = salesim()
        .arg("report")
        .arg(&out)
        .arg("--xlsx")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let again = std::fs::read(out.join("results.xlsx")).unwrap();
    assert!(first == again, "report --xlsx redraws a different workbook");
}

#[test]
fn a_staffing_plan_has_its_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("q.toml");
    std::fs::write(&scenario, common::scenario_text("erlang_a.toml")).unwrap();
    let out = dir.path().join("staff");
    let o = salesim()
        .arg("staff")
        .arg(&scenario)
        .args([
            "--role",
            "operator",
            "--target",
            "lost<=0.05",
            "--quiet",
            "--xlsx",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut book: Xlsx<_> = open_workbook(out.join("results.xlsx")).unwrap();
    sheet_is_csv(
        &mut book,
        "Plan",
        &csv_rows(&out, "staffing.csv", false),
        false,
    );
    sheet_is_csv(
        &mut book,
        "Comparison",
        &csv_rows(&out, "staffing_comparison.csv", false),
        false,
    );
    let charts = chart_formulas(&out.join("results.xlsx"));
    assert_eq!(charts.len(), 1);
    assert!(
        charts[0].1.iter().any(|f| f == "Headcount!$B$2"),
        "{charts:?}"
    );
}

#[test]
fn libreoffice_prints_the_workbook_and_its_first_page_is_not_blank() {
    let soffice = ["soffice", "libreoffice"].into_iter().find(|b| {
        std::process::Command::new(b)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    let Some(soffice) = soffice else {
        assert!(
            std::env::var_os("SALESIM_REQUIRE_LIBREOFFICE").is_none(),
            "SALESIM_REQUIRE_LIBREOFFICE is set but LibreOffice was not found"
        );
        eprintln!("skipped: no LibreOffice (CI installs it and sets SALESIM_REQUIRE_LIBREOFFICE)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = compare(dir.path(), &[]);
    let profile = dir.path().join("lo-profile");
    let pdf_dir = dir.path().join("pdf");
    let o = std::process::Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&pdf_dir)
        .arg(out.join("results.xlsx"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let pdf = pdf_dir.join("results.pdf");
    assert!(
        std::fs::metadata(&pdf)
            .map(|m| m.len() > 1000)
            .unwrap_or(false),
        "no PDF"
    );
    let png = dir.path().join("page");
    let o = std::process::Command::new("pdftoppm")
        .args(["-png", "-r", "40", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&pdf)
        .arg(&png)
        .output()
        .expect("pdftoppm (poppler-utils) beside LibreOffice");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let file = std::fs::File::open(png.with_extension("png")).unwrap();
    let mut reader = png::Decoder::new(std::io::BufReader::new(file))
        .read_info()
        .unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    buf.truncate(info.buffer_size());
    // A page with a table on it: a good share of its pixels are not white.
    let dark = buf.iter().filter(|&&b| b < 200).count();
    assert!(
        dark * 200 > buf.len(),
        "the first page is blank: {dark} dark bytes of {}",
        buf.len()
    );
}
