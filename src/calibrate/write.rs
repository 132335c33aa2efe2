//! The calibrated scenario: the template's text with every fitted figure replaced and
//! its comment saying so (`# fitted: 1,204 calls, 95% CI 48-57 s`), every other figure
//! and its source comment left as the template wrote them.

use toml_edit::{Array, DocumentMut, InlineTable, Item, Value as TomlValue};

use super::fit::{grouped, Fit, Value};

/// A number in a comment: grouped when large, three significant digits when small.
pub fn shown(x: f64) -> String {
    let a = x.abs();
    if !x.is_finite() {
        "-".into()
    } else if x == 0.0 {
        "0".into()
    } else if a >= 1000.0 {
        let s = grouped(a.round() as u64);
        if x < 0.0 {
            format!("-{s}")
        } else {
            s
        }
    } else if a >= 100.0 {
        format!("{x:.0}")
    } else if a >= 10.0 {
        format!("{x:.1}")
    } else if a >= 1.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.3}")
    }
}

fn float(x: f64) -> TomlValue {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        TomlValue::from(x as i64)
    } else {
        TomlValue::from(x)
    }
}

fn toml_value(v: &Value) -> TomlValue {
    let dist = |kind: &str, pairs: &[(&str, f64)]| {
        let mut t = InlineTable::new();
        t.insert("dist", kind.into());
        for (k, x) in pairs {
            t.insert(*k, float(*x));
        }
        TomlValue::InlineTable(t)
    };
    match v {
        Value::Number(x, _) => float(*x),
        Value::List(xs, _) => TomlValue::Array(xs.iter().map(|&x| float(x)).collect::<Array>()),
        Value::Exponential(m) => dist("exponential", &[("mean", *m)]),
        Value::LognormalMean(m, cv) => dist("lognormal", &[("mean", *m), ("cv", *cv)]),
        Value::LognormalMedian(m, cv) => dist("lognormal", &[("median", *m), ("cv", *cv)]),
        Value::Text(s) => TomlValue::from(s.as_str()),
        Value::Points(ps) => TomlValue::Array(
            ps.iter()
                .map(|&(x, y)| TomlValue::Array([float(x), float(y)].into_iter().collect()))
                .collect::<Array>(),
        ),
    }
}

/// The comment a fitted figure carries.
pub fn comment(f: &Fit) -> String {
    match f.estimate {
        Some(e) => {
            let unit = if f.unit.is_empty() || f.unit == "money" {
                String::new()
            } else {
                format!(" {}", f.unit)
            };
            format!(
                "# fitted: {}, 95% CI {}-{}{unit}",
                f.from,
                shown(e.lo),
                shown(e.hi)
            )
        }
        None => format!("# fitted: {}", f.from),
    }
}

/// The table a dotted path leads to, created when the template lacks it;
/// `segments.NAME` is the segment of that name.
fn table_at<'d>(
    doc: &'d mut DocumentMut,
    parts: &[&str],
) -> Result<&'d mut toml_edit::Table, String> {
    let mut t = doc.as_table_mut();
    let mut i = 0;
    while i < parts.len() {
        if parts[i] == "segments" && i + 1 < parts.len() {
            let name = parts[i + 1];
            let list = t
                .get_mut("segments")
                .and_then(Item::as_array_of_tables_mut)
                .ok_or_else(|| "the template has no [[segments]]".to_string())?;
            t = list
                .iter_mut()
                .find(|s| s.get("name").and_then(Item::as_str) == Some(name))
                .ok_or_else(|| format!("the template has no segment named {name:?}"))?;
            i += 2;
            continue;
        }
        let entry = t.entry(parts[i]).or_insert_with(|| {
            let mut tbl = toml_edit::Table::new();
            tbl.set_implicit(false);
            Item::Table(tbl)
        });
        t = entry
            .as_table_mut()
            .ok_or_else(|| format!("{} is not a table in the template", parts[..=i].join(".")))?;
        i += 1;
    }
    Ok(t)
}

/// The template with the fits written in, under `header` (comment lines).
pub fn scenario(template: &str, fits: &[Fit], name: &str, header: &str) -> Result<String, String> {
    let mut doc: DocumentMut = template
        .parse()
        .map_err(|e: toml_edit::TomlError| format!("the template is not TOML: {e}"))?;
    doc["name"] = toml_edit::value(name);
    for f in fits {
        let Some(v) = &f.write else { continue };
        let parts: Vec<&str> = f.path.split('.').collect();
        let (key, tables) = parts.split_last().ok_or("an empty path")?;
        let t = table_at(&mut doc, tables)?;
        let mut value = toml_value(v);
        value.decor_mut().set_prefix(" ");
        value.decor_mut().set_suffix(format!("  {}", comment(f)));
        t.insert(key, Item::Value(value));
    }
    Ok(format!("{header}{doc}"))
}
