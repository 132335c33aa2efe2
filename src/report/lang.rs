//! The words of every output a person reads, in the language asked for: one catalogue
//! per language (`assets/lang/en.toml`, `ru.toml`, `bg.toml`), looked up by key, and the
//! numbers and month names of the language.
//!
//! A catalogue is a TOML file of sections and keys. A value is a text, with `{name}`
//! where an argument goes; a table with `one` and `other` (and `few` and `many` for
//! Russian) for a text whose noun agrees with a count; or an array (month names). The
//! English catalogue has every key; a test fails when another lacks one. A key missing
//! at run time falls back to English, then to the key itself, so nothing is ever blank.
//!
//! CSV column names, metric and structure names in files, and field paths in error
//! messages stay English: they are an interface, not prose.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Display;
use std::sync::OnceLock;

pub use crate::scenario::Lang;

/// The catalogues' texts, in the order of [`Lang::ALL`].
const SOURCES: [&str; 3] = [
    include_str!("../../assets/lang/en.toml"),
    include_str!("../../assets/lang/ru.toml"),
    include_str!("../../assets/lang/bg.toml"),
];

/// One entry of a catalogue.
#[derive(Debug)]
enum Entry {
    Text(String),
    /// Forms by count: `one`, `few`, `many`, `other`.
    Plural(HashMap<String, String>),
    List(Vec<String>),
}

/// A language's catalogue and number formats.
#[derive(Debug)]
pub struct Words {
    lang: Lang,
    entries: HashMap<String, Entry>,
}

/// The catalogue of `lang`, read once per process.
pub fn words(lang: Lang) -> &'static Words {
    static LOADED: [OnceLock<Words>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    LOADED[lang as usize].get_or_init(|| Words::parse(lang, SOURCES[lang as usize]))
}

/// The English catalogue: the default, and every other one's fallback.
pub fn english() -> &'static Words {
    words(Lang::En)
}

impl Words {
    /// The catalogue of `lang` from its TOML text. The texts are the crate's own files:
    /// one that does not parse is a broken build, which the catalogue tests catch.
    fn parse(lang: Lang, text: &str) -> Words {
        Words::from_toml(lang, text)
            .unwrap_or_else(|e| panic!("assets/lang/{}.toml: {e}", lang.code()))
    }

    /// A catalogue of `lang` from TOML text (the shipped ones are read by [`words`]).
    pub fn from_toml(lang: Lang, text: &str) -> Result<Words, String> {
        let table: toml::Table = text.parse().map_err(|e: toml::de::Error| e.to_string())?;
        let mut entries = HashMap::new();
        flatten("", &table, &mut entries);
        Ok(Words { lang, entries })
    }

    /// Every text under `key`: the text, each plural form (`one`, `few`, `many`,
    /// `other`, as the catalogue has them), or each item of a list.
    pub fn forms(&self, key: &str) -> Vec<(&str, &str)> {
        match self.entries.get(key) {
            Some(Entry::Text(s)) => vec![("text", s.as_str())],
            Some(Entry::Plural(f)) => {
                let mut v: Vec<(&str, &str)> =
                    f.iter().map(|(k, x)| (k.as_str(), x.as_str())).collect();
                v.sort_unstable();
                v
            }
            Some(Entry::List(items)) => items.iter().map(|x| ("item", x.as_str())).collect(),
            None => vec![],
        }
    }

    /// The language.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Every key of the catalogue (for the tests that compare catalogues).
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }

    /// Whether the catalogue has `key`.
    pub fn has(&self, key: &str) -> bool {
        self.entries.contains_key(key)
    }

    fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries.get(key).or_else(|| {
            if self.lang == Lang::En {
                None
            } else {
                english().entries.get(key)
            }
        })
    }

    /// The text under `key`.
    pub fn t<'a>(&'a self, key: &'a str) -> &'a str {
        match self.entry(key) {
            Some(Entry::Text(s)) => s,
            Some(Entry::Plural(forms)) => forms.get("other").map_or(key, String::as_str),
            _ => key,
        }
    }

    /// The text under `key` with each `{name}` replaced by its argument.
    pub fn f(&self, key: &str, args: &[(&str, &dyn Display)]) -> String {
        fill(self.t(key), args)
    }

    /// The form of `key` that agrees with `n`, with `{n}` and the other arguments filled.
    pub fn n(&self, key: &str, n: u64, args: &[(&str, &dyn Display)]) -> String {
        let form = match self.entry(key) {
            Some(Entry::Plural(forms)) => forms
                .get(self.plural_form(n))
                .or_else(|| forms.get("other"))
                .map_or(key, String::as_str),
            Some(Entry::Text(s)) => s,
            _ => key,
        };
        let mut all: Vec<(&str, &dyn Display)> = vec![("n", &n)];
        all.extend_from_slice(args);
        fill(form, &all)
    }

    /// The plural category of `n` in the language (CLDR's rules for whole numbers).
    fn plural_form(&self, n: u64) -> &'static str {
        match self.lang {
            Lang::En | Lang::Bg => {
                if n == 1 {
                    "one"
                } else {
                    "other"
                }
            }
            Lang::Ru => match (n % 10, n % 100) {
                (1, r) if r != 11 => "one",
                (2..=4, r) if !(12..=14).contains(&r) => "few",
                _ => "many",
            },
        }
    }

    /// The items of the list under `key` (empty when there is none).
    pub fn list(&self, key: &str) -> &[String] {
        match self.entry(key) {
            Some(Entry::List(v)) => v,
            _ => &[],
        }
    }

    /// The label of a name the scenario or the model gives (`structure.one_level`,
    /// `role.manager`, `kind.inbound_call`, `metric.gross_profit`): the catalogue's
    /// under `section.name`, else the name itself (a structure or role of the user's own).
    pub fn label<'a>(&'a self, section: &str, name: &'a str) -> &'a str {
        match self.entry(&format!("{section}.{name}")) {
            Some(Entry::Text(s)) => s,
            _ => name,
        }
    }

    /// The label of a metric column (`gross_profit_usd` reads `gross profit, USD`): the
    /// catalogue's `metric.NAME` with the currency when that is its unit; a column the
    /// catalogue has no label for keeps its name.
    pub fn column(&self, column: &str, currency: &str) -> String {
        let (name, unit) = match column.strip_suffix(&format!("_{currency}")) {
            Some(base) => (base, Some(currency.to_uppercase())),
            None => (column, None),
        };
        match (self.entry(&format!("metric.{name}")), unit) {
            (Some(Entry::Text(label)), Some(u)) => format!("{label}, {u}"),
            (Some(Entry::Text(label)), None) => label.clone(),
            _ => column.to_string(),
        }
    }

    /// The short name of calendar month `m` (1 to 12): `Jan`, `янв`.
    pub fn month_short(&self, m: u32) -> &str {
        self.list("months.short")
            .get(m.clamp(1, 12) as usize - 1)
            .map_or("", String::as_str)
    }

    /// The name of calendar month `m` (1 to 12) as it stands in a sentence: `May`, `май`.
    pub fn month_long(&self, m: u32) -> &str {
        self.list("months.long")
            .get(m.clamp(1, 12) as usize - 1)
            .map_or("", String::as_str)
    }

    /// The separator of thousands: a space in English, a narrow no-break space (U+202F)
    /// in Russian and Bulgarian.
    pub fn group(&self) -> char {
        match self.lang {
            Lang::En => ' ',
            Lang::Ru | Lang::Bg => '\u{202F}',
        }
    }

    /// The decimal separator: a point in English, a comma in Russian and Bulgarian.
    pub fn point(&self) -> char {
        match self.lang {
            Lang::En => '.',
            Lang::Ru | Lang::Bg => ',',
        }
    }

    /// A number written the English way (`12.5`, `1 234`) in the language's separators.
    pub fn num<'a>(&self, s: impl Into<Cow<'a, str>>) -> String {
        let s = s.into();
        if self.lang == Lang::En {
            return s.into_owned();
        }
        s.chars()
            .map(|c| match c {
                '.' => self.point(),
                ' ' => self.group(),
                c => c,
            })
            .collect()
    }

    /// `x` with `decimals` decimals in the language's separators: `0.25`, `0,25`.
    pub fn decimal(&self, x: f64, decimals: usize) -> String {
        if !x.is_finite() {
            return super::format::UNDEFINED.into();
        }
        self.num(format!("{x:.decimals$}"))
    }

    /// Whole currency units, thousands grouped: `1 234 567`.
    pub fn money(&self, x: f64) -> String {
        self.num(super::format::money(x))
    }

    /// A share as a percentage with `decimals` decimals: `46.0%`, `46,0 %`.
    pub fn percent(&self, x: f64, decimals: usize) -> String {
        let s = super::format::percent(x, decimals);
        match self.lang {
            Lang::En => s,
            // Russian writes a no-break space before the sign; Bulgarian none.
            Lang::Ru if x.is_finite() => self.num(s.replace('%', "\u{A0}%")),
            _ => self.num(s),
        }
    }

    /// A share with one decimal, the precision of every table.
    pub fn percent1(&self, x: f64) -> String {
        self.percent(x, 1)
    }
}

/// What `other` lacks against the reference catalogue `reference`, one line each: a key
/// missing, a plural form its language needs missing, a list of another length, or an
/// argument (`{name}`) the reference fills and it does not use, or uses and the
/// reference does not fill.
pub fn missing(reference: &Words, other: &Words) -> Vec<String> {
    let needed: &[&str] = match other.lang {
        Lang::Ru => &["one", "few", "many", "other"],
        Lang::En | Lang::Bg => &["one", "other"],
    };
    let mut out = vec![];
    let mut keys: Vec<&str> = reference.keys().collect();
    keys.sort_unstable();
    for key in keys {
        let (want, got) = (reference.forms(key), other.forms(key));
        if got.is_empty() {
            out.push(format!("{key}: missing"));
            continue;
        }
        let kind = |f: &[(&str, &str)]| f.first().map(|x| x.0 == "item");
        if kind(&want) == Some(true) && want.len() != got.len() {
            out.push(format!(
                "{key}: {} items, the reference has {}",
                got.len(),
                want.len()
            ));
        }
        let plural = want.len() > 1 && want[0].0 != "item";
        if plural {
            for f in needed {
                if !got.iter().any(|(k, _)| k == f) {
                    out.push(format!("{key}: no `{f}` form"));
                }
            }
        }
        // Arguments: `{n}` may go unsaid in a form for one; every other argument the
        // reference uses, each form uses too, and none other.
        let args = |f: &[(&str, &str)]| -> std::collections::BTreeSet<String> {
            f.iter().flat_map(|(_, t)| arguments(t)).collect()
        };
        let (a, b) = (args(&want), args(&got));
        for x in a.symmetric_difference(&b) {
            out.push(format!("{key}: argument {{{x}}} not in both"));
        }
        for (form, text) in &got {
            let own = arguments(text);
            for x in a.iter().filter(|x| x.as_str() != "n" && !own.contains(*x)) {
                out.push(format!("{key}.{form}: does not use {{{x}}}"));
            }
        }
    }
    let mut extra: Vec<&str> = other.keys().filter(|k| !reference.has(k)).collect();
    extra.sort_unstable();
    out.extend(extra.iter().map(|k| format!("{k}: not in the reference")));
    out
}

/// The `{name}` arguments of a text.
fn arguments(text: &str) -> std::collections::BTreeSet<String> {
    let mut out = std::collections::BTreeSet::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        out.insert(after[..close].to_string());
        rest = &after[close + 1..];
    }
    out
}

/// Flattens nested tables into dotted keys; a table with an `other` key is one plural
/// entry.
fn flatten(prefix: &str, t: &toml::Table, out: &mut HashMap<String, Entry>) {
    for (k, v) in t {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            toml::Value::String(s) => {
                out.insert(key, Entry::Text(s.clone()));
            }
            toml::Value::Table(sub) if sub.contains_key("other") => {
                let forms = sub
                    .iter()
                    .filter_map(|(f, v)| v.as_str().map(|s| (f.clone(), s.to_string())))
                    .collect();
                out.insert(key, Entry::Plural(forms));
            }
            toml::Value::Table(sub) => flatten(&key, sub, out),
            toml::Value::Array(items) => {
                let list = items
                    .iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect();
                out.insert(key, Entry::List(list));
            }
            _ => {}
        }
    }
}

/// `text` with each `{name}` replaced by the argument of that name (an unknown one kept).
fn fill(text: &str, args: &[(&str, &dyn Display)]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match args.iter().find(|(n, _)| *n == name) {
                    Some((_, v)) => out.push_str(&v.to_string()),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_arguments_and_keeps_unknown_ones() {
        let x = 3;
        assert_eq!(
            fill("{a} of {b} ({c})", &[("a", &x), ("b", &"five")]),
            "3 of five ({c})"
        );
        assert_eq!(fill("no braces", &[]), "no braces");
        assert_eq!(fill("open { only", &[]), "open { only");
    }

    #[test]
    fn russian_plurals_follow_the_last_digits() {
        let ru = words(Lang::Ru);
        let forms: Vec<&str> = [1, 2, 5, 11, 12, 21, 22, 25, 111, 101]
            .iter()
            .map(|&n| ru.plural_form(n))
            .collect();
        assert_eq!(
            forms,
            ["one", "few", "many", "many", "many", "one", "few", "many", "many", "one"]
        );
        assert_eq!(words(Lang::Bg).plural_form(1), "one");
        assert_eq!(words(Lang::Bg).plural_form(2), "other");
    }

    #[test]
    fn every_catalogue_has_every_key_form_and_argument_of_the_english_one() {
        for lang in [Lang::Ru, Lang::Bg] {
            let gaps = missing(english(), words(lang));
            assert!(gaps.is_empty(), "{}: {gaps:#?}", lang.code());
        }
        // The check can fail: a catalogue without a key, a form or an argument is caught.
        let broken = Words::from_toml(
            Lang::Ru,
            "[report]\ncharts = \"Графики\"\n[reading.span_from]\none = \"{n} месяц с {from} по {to}\"\nother = \"{n} месяцев по {to}\"\n",
        )
        .unwrap();
        let gaps = missing(english(), &broken);
        for gap in [
            "report.reading: missing",
            "reading.span_from: no `few` form",
            "reading.span_from.other: does not use {from}",
        ] {
            assert!(gaps.contains(&gap.to_string()), "{gap} not in {gaps:?}");
        }
    }

    #[test]
    fn a_missing_key_falls_back_to_english_then_to_the_key() {
        let broken = Words::from_toml(Lang::Ru, "[report]\ncharts = \"Графики\"\n").unwrap();
        assert_eq!(broken.t("report.charts"), "Графики");
        assert_eq!(broken.t("report.reading"), "What the numbers say");
        assert_eq!(broken.t("no.such.key"), "no.such.key");
    }

    #[test]
    fn numbers_take_the_languages_separators() {
        let (en, ru, bg) = (english(), words(Lang::Ru), words(Lang::Bg));
        assert_eq!(en.money(1_234_567.0), "1 234 567");
        assert_eq!(ru.money(1_234_567.0), "1\u{202F}234\u{202F}567");
        assert_eq!(en.percent1(0.4601), "46.0%");
        assert_eq!(ru.percent1(0.4601), "46,0\u{A0}%");
        assert_eq!(bg.percent1(0.4601), "46,0%");
        assert_eq!(ru.decimal(0.25, 2), "0,25");
        assert_eq!(ru.percent1(f64::NAN), "-");
        assert_eq!(en.column("gross_profit_usd", "usd"), "gross profit, USD");
        assert_eq!(
            ru.column("lost_leads_share", "usd"),
            "доля предотвратимых потерь"
        );
        assert_eq!(
            ru.column("time_manager_idle_share", "usd"),
            "time_manager_idle_share"
        );
        assert_eq!(en.month_short(1), "Jan");
        assert_eq!(ru.month_short(1), "янв");
        assert_eq!(bg.month_short(6), "юни");
    }
}
