//! Reading a TOML table field by field, collecting every problem with its path.
//!
//! serde's derive stops at the first wrong type; a user fixing a scenario wants the whole
//! list at once, so the scenario is read from a `toml::Table` by these helpers instead.
//! Each helper returns `None` (and records a problem) when a field is missing or wrong;
//! the caller carries on, so one run finds everything.

use std::fmt;

use toml::{Table, Value};

use crate::engine::{Calendar, Weekday};
use crate::model::Dist;

/// One problem in a scenario: where, and which rule it breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Dotted path of the field, e.g. `demand.seasonality`.
    pub path: String,
    /// The rule, e.g. `expected 12 values, found 11`.
    pub rule: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.rule)
        } else {
            write!(f, "{}: {}", self.path, self.rule)
        }
    }
}

/// Problems as a list: `2 problems in the scenario:`, then one indented line each.
pub struct ProblemList<'a>(pub &'a [Problem]);

impl fmt::Display for ProblemList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        write!(
            f,
            "{n} problem{} in the scenario:",
            if n == 1 { "" } else { "s" }
        )?;
        for p in self.0 {
            write!(f, "\n  {p}")?;
        }
        Ok(())
    }
}

/// Problems on one line, separated by `; `.
pub struct ProblemLine<'a>(pub &'a [Problem]);

impl fmt::Display for ProblemLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

/// The distributions a scenario can name.
const KNOWN_DISTS: [&str; 5] = ["fixed", "exponential", "lognormal", "gamma", "uniform"];

/// A range rule for a number.
#[derive(Clone, Copy, Debug)]
pub enum Range {
    /// `>= 0`
    NonNeg,
    /// `> 0`
    Pos,
    /// `0..=1`
    Share,
    /// `lo..=hi`
    Within(f64, f64),
}

impl Range {
    fn check(self, x: f64) -> Result<(), String> {
        let ok = match self {
            Range::NonNeg => x >= 0.0,
            Range::Pos => x > 0.0,
            Range::Share => (0.0..=1.0).contains(&x),
            Range::Within(lo, hi) => (lo..=hi).contains(&x),
        };
        if ok {
            return Ok(());
        }
        Err(match self {
            Range::NonNeg => format!("must be zero or more, found {}", shown(x)),
            Range::Pos => format!("must be more than zero, found {}", shown(x)),
            Range::Share => format!("must be a share between 0 and 1, found {}", shown(x)),
            Range::Within(lo, hi) => {
                format!("must be between {lo} and {hi}, found {}", shown(x))
            }
        })
    }
}

/// A number as a message shows it: plain when it reads well (`12`, `0.25`), else in
/// scientific notation (`1e308`, `1.1e-6`), never three hundred digits.
pub fn shown(x: f64) -> String {
    let a = x.abs();
    if a == 0.0 || (1e-4..1e15).contains(&a) || !a.is_finite() {
        format!("{x}")
    } else {
        format!("{x:e}")
    }
}

/// Joins a path and a key (an empty key, which TOML allows as `""`, is shown as such).
pub fn join(path: &str, key: &str) -> String {
    let key = if key.is_empty() { "\"\"" } else { key };
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// What a value is, in words: `an integer`, `a table`.
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "a string",
        Value::Integer(_) => "an integer",
        Value::Float(_) => "a number",
        Value::Boolean(_) => "a boolean",
        Value::Datetime(_) => "a date",
        Value::Array(_) => "a list",
        Value::Table(_) => "a table",
    }
}

/// Collects problems while reading.
///
/// A table read as a section ([`Reader::open`]) records each key its fields are read by;
/// [`Reader::finish`] then reports every key of the table that nothing read as an
/// unknown field, listing the ones that were read. A section's keys are thus written
/// once, where they are read, and a key the reader forgets to read cannot slip through.
#[derive(Debug, Default)]
pub struct Reader {
    /// The problems found so far, in the order a person reads the file.
    pub problems: Vec<Problem>,
    sections: Vec<Section>,
}

/// A table whose keys are being recorded as they are read.
#[derive(Debug)]
struct Section {
    /// Which table (compared, never dereferenced): reads of its keys are recorded here.
    table: *const Table,
    path: String,
    /// The table's keys, in the file's order.
    present: Vec<String>,
    /// The keys read, in reading order.
    read: Vec<String>,
    /// Where its unknown keys go among the problems: before those found while reading it.
    at: usize,
}

impl Reader {
    /// Records a problem.
    pub fn problem(&mut self, path: impl Into<String>, rule: impl Into<String>) {
        self.problems.push(Problem {
            path: path.into(),
            rule: rule.into(),
        });
    }

    /// Starts recording which keys of `t` (at `path`) are read. Opening a table again
    /// (the same keys at the same place) goes on recording into its first section.
    pub fn open(&mut self, t: &Table, path: &str) {
        if t.is_empty() {
            return; // nothing in it can be unknown
        }
        let present: Vec<String> = t.keys().cloned().collect();
        let same = |s: &Section| std::ptr::eq(s.table, t) && s.present == present;
        if self.sections.iter().any(same) {
            return;
        }
        self.sections.push(Section {
            table: t,
            path: path.to_string(),
            present,
            read: vec![],
            at: self.problems.len(),
        });
    }

    /// Records that `keys` of `t` are read elsewhere (by another layer).
    pub fn elsewhere(&mut self, t: &Table, keys: &[&str]) {
        for k in keys {
            self.saw(t, k);
        }
    }

    fn saw(&mut self, t: &Table, key: &str) {
        let Some(s) = self
            .sections
            .iter_mut()
            .rev()
            .find(|s| std::ptr::eq(s.table, t))
        else {
            return;
        };
        if !s.read.iter().any(|k| k == key) {
            s.read.push(key.to_string());
        }
    }

    /// The value of `key` in `t`, recording the read.
    pub fn get<'a>(&mut self, t: &'a Table, key: &str) -> Option<&'a Value> {
        self.saw(t, key);
        t.get(key)
    }

    /// Reports the keys of every open section that nothing read, each before the
    /// problems found while reading its section; closes the sections.
    pub fn finish(&mut self) {
        for s in std::mem::take(&mut self.sections).into_iter().rev() {
            let expected = s.read.join(", ");
            let unknown: Vec<Problem> = s
                .present
                .iter()
                .filter(|k| !s.read.contains(k))
                .map(|k| Problem {
                    path: join(&s.path, k),
                    rule: format!("unknown field; expected one of: {expected}"),
                })
                .collect();
            self.problems.splice(s.at..s.at, unknown);
        }
    }

    fn wrong(&mut self, path: String, expected: &str, v: &Value) {
        self.problem(path, format!("expected {expected}, found {}", type_name(v)));
    }

    fn required<'a>(&mut self, t: &'a Table, path: &str, key: &str) -> Option<&'a Value> {
        let v = self.get(t, key);
        if v.is_none() {
            self.problem(join(path, key), "missing");
        }
        v
    }

    /// A number in `range` from a value (integers are accepted as numbers).
    pub fn number_value(&mut self, v: &Value, path: String, range: Range) -> Option<f64> {
        let x = match v {
            Value::Float(f) => *f,
            Value::Integer(i) => *i as f64,
            other => {
                self.wrong(path, "a number", other);
                return None;
            }
        };
        if !x.is_finite() {
            self.problem(path, format!("must be a finite number, found {x}"));
            return None;
        }
        match range.check(x) {
            Ok(()) => Some(x),
            Err(rule) => {
                self.problem(path, rule);
                None
            }
        }
    }

    /// A required number.
    pub fn number(&mut self, t: &Table, path: &str, key: &str, range: Range) -> Option<f64> {
        let v = self.required(t, path, key)?;
        self.number_value(v, join(path, key), range)
    }

    /// An optional number; `Some(None)` when absent, `None` when present but wrong.
    pub fn opt_number(
        &mut self,
        t: &Table,
        path: &str,
        key: &str,
        range: Range,
    ) -> Option<Option<f64>> {
        match self.get(t, key) {
            None => Some(None),
            Some(v) => self.number_value(v, join(path, key), range).map(Some),
        }
    }

    /// A number with a default when absent (wrong values record a problem and give the
    /// default, so reading goes on).
    pub fn number_or(&mut self, t: &Table, path: &str, key: &str, range: Range, d: f64) -> f64 {
        self.opt_number(t, path, key, range).flatten().unwrap_or(d)
    }

    /// A whole number in `lo..=hi` from a value.
    pub fn int_value(&mut self, v: &Value, path: String, lo: i64, hi: i64) -> Option<i64> {
        match v {
            Value::Integer(i) if (lo..=hi).contains(i) => Some(*i),
            Value::Integer(i) => {
                self.problem(
                    path,
                    format!("must be a whole number from {lo} to {hi}, found {i}"),
                );
                None
            }
            other => {
                self.wrong(path, "a whole number", other);
                None
            }
        }
    }

    /// A required whole number in `lo..=hi`.
    pub fn int(&mut self, t: &Table, path: &str, key: &str, lo: i64, hi: i64) -> Option<i64> {
        let v = self.required(t, path, key)?;
        self.int_value(v, join(path, key), lo, hi)
    }

    /// An optional whole number with a default.
    pub fn int_or(&mut self, t: &Table, path: &str, key: &str, lo: i64, hi: i64, d: i64) -> i64 {
        match self.get(t, key) {
            None => d,
            Some(v) => self.int_value(v, join(path, key), lo, hi).unwrap_or(d),
        }
    }

    /// A string from a value.
    pub fn string_value(&mut self, v: &Value, path: String) -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            other => {
                self.wrong(path, "a string", other);
                None
            }
        }
    }

    /// A required string.
    pub fn string(&mut self, t: &Table, path: &str, key: &str) -> Option<String> {
        let v = self.required(t, path, key)?;
        self.string_value(v, join(path, key))
    }

    /// An optional string.
    pub fn opt_string(&mut self, t: &Table, path: &str, key: &str) -> Option<Option<String>> {
        match self.get(t, key) {
            None => Some(None),
            Some(v) => self.string_value(v, join(path, key)).map(Some),
        }
    }

    /// A required list.
    pub fn list<'a>(&mut self, t: &'a Table, path: &str, key: &str) -> Option<&'a [Value]> {
        let v = self.required(t, path, key)?;
        self.list_value(v, join(path, key))
    }

    /// A list from a value.
    pub fn list_value<'a>(&mut self, v: &'a Value, path: String) -> Option<&'a [Value]> {
        match v {
            Value::Array(a) => Some(a),
            other => {
                self.wrong(path, "a list", other);
                None
            }
        }
    }

    /// A list of numbers in `range`, of length `len` when given.
    pub fn numbers(
        &mut self,
        v: &Value,
        path: String,
        range: Range,
        len: Option<usize>,
    ) -> Option<Vec<f64>> {
        let a = self.list_value(v, path.clone())?;
        if let Some(n) = len {
            if a.len() != n {
                self.problem(path, format!("expected {n} values, found {}", a.len()));
                return None;
            }
        }
        let xs: Vec<Option<f64>> = a
            .iter()
            .enumerate()
            .map(|(i, x)| self.number_value(x, format!("{path}[{i}]"), range))
            .collect();
        xs.into_iter().collect()
    }

    /// A list of strings.
    pub fn strings(&mut self, v: &Value, path: String) -> Option<Vec<String>> {
        let a = self.list_value(v, path.clone())?;
        let xs: Vec<Option<String>> = a
            .iter()
            .enumerate()
            .map(|(i, x)| self.string_value(x, format!("{path}[{i}]")))
            .collect();
        xs.into_iter().collect()
    }

    /// A per-month list: 12 values are January..December (repeated over the horizon), any
    /// other length must match the horizon and runs from its first month.
    pub fn monthly(
        &mut self,
        v: &Value,
        path: String,
        cal: &Calendar,
        range: Range,
    ) -> Option<Vec<f64>> {
        let months = cal.months();
        let len = match v {
            Value::Array(a) => a.len(),
            _ => 0,
        };
        let xs = self.numbers(v, path.clone(), range, None)?;
        if len == 12 {
            Some(
                (0..months)
                    .map(|m| xs[cal.calendar_month(m) as usize - 1])
                    .collect(),
            )
        } else if len == months {
            Some(xs)
        } else {
            self.problem(
                path,
                format!("expected 12 values (January..December) or {months} (one per month of the horizon), found {len}"),
            );
            None
        }
    }

    /// Weekday names from a list.
    pub fn weekdays(&mut self, v: &Value, path: String) -> Option<Vec<Weekday>> {
        let names = self.strings(v, path.clone())?;
        let mut out = vec![];
        for (i, n) in names.iter().enumerate() {
            match Weekday::parse(n) {
                Some(d) => out.push(d),
                None => {
                    self.problem(
                        format!("{path}[{i}]"),
                        format!(
                            "unknown weekday {n:?}; expected mon, tue, wed, thu, fri, sat or sun"
                        ),
                    );
                    return None;
                }
            }
        }
        Some(out)
    }

    /// An optional sub-table (absent gives an empty table).
    pub fn table<'a>(&mut self, t: &'a Table, path: &str, key: &str) -> Option<&'a Table> {
        static EMPTY: std::sync::OnceLock<Table> = std::sync::OnceLock::new();
        match self.get(t, key) {
            None => Some(EMPTY.get_or_init(Table::new)),
            Some(Value::Table(s)) => Some(s),
            Some(other) => {
                self.wrong(join(path, key), "a table", other);
                None
            }
        }
    }

    /// A required distribution: a plain number (always that value) or a table such as
    /// `{ dist = "lognormal", mean = 6, cv = 1 }`.
    pub fn dist(&mut self, t: &Table, path: &str, key: &str) -> Option<Dist> {
        let v = self.required(t, path, key)?;
        self.dist_value(v, join(path, key))
    }

    /// An optional distribution with a default.
    pub fn dist_or(&mut self, t: &Table, path: &str, key: &str, d: Dist) -> Option<Dist> {
        match self.get(t, key) {
            None => Some(d),
            Some(v) => self.dist_value(v, join(path, key)),
        }
    }

    /// A distribution from a value.
    pub fn dist_value(&mut self, v: &Value, path: String) -> Option<Dist> {
        let t = match v {
            Value::Integer(_) | Value::Float(_) => {
                return self.number_value(v, path, Range::NonNeg).map(Dist::Fixed);
            }
            Value::Table(t) => t,
            other => {
                self.wrong(path, "a number or a distribution table", other);
                return None;
            }
        };
        let kind = self.string(t, &path, "dist")?;
        let p = path.as_str();
        if KNOWN_DISTS.contains(&kind.as_str()) {
            // A known distribution's other keys are its parameters: read them as a
            // section (an unknown one's keys mean nothing yet).
            self.open(t, p);
            self.saw(t, "dist");
        }
        match kind.as_str() {
            "fixed" => self.number(t, p, "value", Range::NonNeg).map(Dist::Fixed),
            "exponential" => {
                let mean = self.number(t, p, "mean", Range::Pos)?;
                Some(Dist::Exponential { mean })
            }
            "lognormal" => {
                let (mean, median) = (self.get(t, "mean"), self.get(t, "median"));
                let cv = self.number(t, p, "cv", Range::Pos);
                match (mean, median) {
                    (Some(m), None) => {
                        let m = self.number_value(m, join(p, "mean"), Range::Pos)?;
                        Some(Dist::lognormal_mean_cv(m, cv?))
                    }
                    (None, Some(m)) => {
                        let m = self.number_value(m, join(p, "median"), Range::Pos)?;
                        Some(Dist::lognormal_median_cv(m, cv?))
                    }
                    _ => {
                        self.problem(
                            path.clone(),
                            "a lognormal needs exactly one of mean or median",
                        );
                        None
                    }
                }
            }
            "gamma" => {
                let mean = self.number(t, p, "mean", Range::Pos);
                let cv = self.number(t, p, "cv", Range::Pos);
                Some(Dist::gamma_mean_cv(mean?, cv?))
            }
            "uniform" => {
                let min = self.number(t, p, "min", Range::NonNeg);
                let max = self.number(t, p, "max", Range::NonNeg);
                let (min, max) = (min?, max?);
                if min > max {
                    self.problem(
                        path.clone(),
                        format!("min ({min}) is more than max ({max})"),
                    );
                    return None;
                }
                Some(Dist::Uniform { min, max })
            }
            other => {
                self.problem(
                    join(p, "dist"),
                    format!(
                        "unknown distribution {other:?}; expected one of: {}",
                        KNOWN_DISTS.join(", ")
                    ),
                );
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(s: &str) -> Table {
        s.parse().unwrap()
    }

    #[test]
    fn collects_every_problem() {
        let t = table("a = -1\nb = 'x'\nc = [1, 2]\nzz = 1\n");
        let mut r = Reader::default();
        r.open(&t, "top");
        assert_eq!(r.number(&t, "top", "a", Range::NonNeg), None);
        assert_eq!(r.number(&t, "top", "b", Range::NonNeg), None);
        let c = r.get(&t, "c").unwrap();
        assert_eq!(r.numbers(c, "top.c".into(), Range::NonNeg, Some(3)), None);
        assert_eq!(r.number(&t, "top", "d", Range::NonNeg), None);
        r.finish();
        let msgs: Vec<String> = r.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            msgs,
            vec![
                "top.zz: unknown field; expected one of: a, b, c, d",
                "top.a: must be zero or more, found -1",
                "top.b: expected a number, found a string",
                "top.c: expected 3 values, found 2",
                "top.d: missing",
            ]
        );
    }

    #[test]
    fn distributions() {
        let t = table(
            "a = 5\nb = { dist = 'lognormal', mean = 6, cv = 1 }\nc = { dist = 'uniform', min = 3, max = 1 }\nd = { dist = 'weibull' }\ne = { dist = 'lognormal', cv = 1 }",
        );
        let mut r = Reader::default();
        r.open(&t, "");
        assert_eq!(r.dist(&t, "", "a"), Some(Dist::Fixed(5.0)));
        assert!((r.dist(&t, "", "b").unwrap().mean() - 6.0).abs() < 1e-12);
        assert_eq!(r.dist(&t, "", "c"), None);
        assert_eq!(r.dist(&t, "", "d"), None);
        assert_eq!(r.dist(&t, "", "e"), None);
        assert_eq!(r.problems.len(), 3);
        assert_eq!(r.problems[0].to_string(), "c: min (3) is more than max (1)");
        assert!(r.problems[1]
            .rule
            .starts_with("unknown distribution \"weibull\""));
        assert_eq!(
            r.problems[2].rule,
            "a lognormal needs exactly one of mean or median"
        );
        // A known distribution's keys are checked; an unknown one's are not (yet).
        let t = table(
            "f = { dist = 'exponential', mean = 3, sd = 1 }\ng = { dist = 'weibull', shape = 2 }",
        );
        let mut r = Reader::default();
        r.open(&t, "");
        assert!(r.dist(&t, "", "f").is_some());
        assert_eq!(r.dist(&t, "", "g"), None);
        r.finish();
        let msgs: Vec<String> = r.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        assert_eq!(msgs[0], "f.sd: unknown field; expected one of: dist, mean");
        assert!(msgs[1].starts_with("g.dist: unknown distribution \"weibull\""));
    }
}
