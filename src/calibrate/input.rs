//! Reading the files people actually have: UTF-8 with or without a byte-order mark,
//! UTF-16 from Excel's "Unicode text", Windows-1251 from Russian-language exports;
//! `,`, `;` or tab between fields; decimal points or commas, thousands grouped by
//! spaces; dates as `2026-03-01 14:05`, `01.03.2026 14:05`, `03/01/2026 2:05 PM` or
//! Unix seconds. The file is decoded as a stream: memory does not grow with its length.

use std::collections::BTreeMap;
use std::io::{self, Read};

use encoding_rs::{Encoding, UTF_8, WINDOWS_1251};

use crate::engine::Date;

/// How many bytes are looked at to recognise the encoding and the separator.
const SNIFF: usize = 64 * 1024;

/// What was recognised in a file (or set by the mapping).
#[derive(Clone, Debug, PartialEq)]
pub struct Dialect {
    /// The encoding's name.
    pub encoding: &'static str,
    /// The field separator.
    pub separator: u8,
    /// The decimal separator of numbers.
    pub decimal: u8,
    /// The order of day, month and year in dates written with `.`, `/` or `-` that do not
    /// start with the year: `dmy` or `mdy`.
    pub date_order: DateOrder,
}

/// The order of a date's fields when the year is last.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateOrder {
    /// 01.03.2026 is the first of March.
    Dmy,
    /// 03/01/2026 is the first of March.
    Mdy,
}

/// What a mapping may force; `None` recognises it from the file.
#[derive(Clone, Debug, Default)]
pub struct Forced {
    /// An encoding label (`utf-8`, `windows-1251`, `utf-16le`...).
    pub encoding: Option<String>,
    /// `,`, `;` or `tab`.
    pub separator: Option<String>,
    /// `.` or `,`.
    pub decimal: Option<String>,
    /// `dmy` or `mdy`.
    pub date_order: Option<String>,
}

/// A file opened for reading: the header and a stream of records.
pub struct Table {
    /// The column names, trimmed.
    pub header: Vec<String>,
    /// What was recognised.
    pub dialect: Dialect,
    reader: csv::Reader<Box<dyn Read>>,
}

impl Table {
    /// Opens `input`: recognises its encoding and separator (unless forced), reads the
    /// header. Fails on an unreadable file, an unknown forced setting or no header.
    pub fn open(mut input: Box<dyn Read>, forced: &Forced) -> Result<Table, String> {
        let mut head = Vec::with_capacity(SNIFF);
        (&mut input)
            .take(SNIFF as u64)
            .read_to_end(&mut head)
            .map_err(|e| format!("cannot read: {e}"))?;
        let (encoding, bom) = match &forced.encoding {
            Some(label) => {
                let e = Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
                    format!("encoding: unknown encoding {label:?}; expected utf-8, windows-1251, utf-16le or another WHATWG label")
                })?;
                let bom = Encoding::for_bom(&head)
                    .filter(|(b, _)| *b == e)
                    .map_or(0, |(_, n)| n);
                (e, bom)
            }
            None => match Encoding::for_bom(&head) {
                Some((e, n)) => (e, n),
                None if looks_utf8(&head) => (UTF_8, 0),
                None => (WINDOWS_1251, 0),
            },
        };
        head.drain(..bom);
        let rest: Box<dyn Read> = Box::new(io::Cursor::new(head).chain(input));
        let mut stream: Box<dyn Read> = if encoding == UTF_8 {
            rest
        } else {
            Box::new(Decode::new(rest, encoding))
        };
        // The separator: the most frequent of , ; tab in the first line, outside quotes.
        let mut first = Vec::new();
        let mut byte = [0u8; 1];
        while first.len() < SNIFF {
            match stream.read(&mut byte) {
                Ok(0) => break,
                Ok(_) => {
                    first.push(byte[0]);
                    if byte[0] == b'\n' {
                        break;
                    }
                }
                Err(e) => return Err(format!("cannot read: {e}")),
            }
        }
        let separator = match forced.separator.as_deref().map(str::trim) {
            Some(",") => b',',
            Some(";") => b';',
            Some("tab" | "\t") => b'\t',
            Some(other) => {
                return Err(format!(
                    "separator: expected \",\", \";\" or \"tab\", found {other:?}"
                ))
            }
            None => sniff_separator(&first),
        };
        let decimal = match forced.decimal.as_deref().map(str::trim) {
            Some(".") => b'.',
            Some(",") => b',',
            Some(other) => {
                return Err(format!("decimal: expected \".\" or \",\", found {other:?}"))
            }
            // A file separated by ; is the export of a locale that writes 2,5.
            None if separator == b';' => b',',
            None => b'.',
        };
        let date_order = match forced.date_order.as_deref().map(str::trim) {
            Some("dmy") | None => DateOrder::Dmy,
            Some("mdy") => DateOrder::Mdy,
            Some(other) => {
                return Err(format!(
                    "date_order: expected \"dmy\" or \"mdy\", found {other:?}"
                ))
            }
        };
        let full: Box<dyn Read> = Box::new(io::Cursor::new(first).chain(stream));
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(separator)
            .flexible(true)
            .has_headers(true)
            .from_reader(full);
        let header: Vec<String> = reader
            .byte_headers()
            .map_err(|e| format!("cannot read the header: {e}"))?
            .iter()
            .map(|f| String::from_utf8_lossy(f).trim().to_string())
            .collect();
        if header.iter().all(String::is_empty) {
            return Err("the file is empty: no header line".into());
        }
        Ok(Table {
            header,
            dialect: Dialect {
                encoding: encoding.name(),
                separator,
                decimal,
                date_order,
            },
            reader,
        })
    }

    /// The index of the first of `names` in the header (case and spaces ignored).
    pub fn column(&self, names: &[String]) -> Option<usize> {
        names.iter().find_map(|n| {
            self.header
                .iter()
                .position(|h| super::mapping::same_name(h, n))
        })
    }

    /// Reads the next record into `rec`; `Ok(false)` at the end. A broken record (a
    /// quote never closed) is an error with its line.
    pub fn next(&mut self, rec: &mut csv::ByteRecord) -> Result<bool, String> {
        self.reader
            .read_byte_record(rec)
            .map_err(|e| format!("unreadable CSV: {e}"))
    }
}

/// Whether `bytes` are UTF-8, but for a character cut at the end.
fn looks_utf8(bytes: &[u8]) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    }
}

fn sniff_separator(line: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &b in line {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    [b',', b';', b'\t'][best]
}

/// A reader that decodes another encoding's bytes into UTF-8 as they stream.
struct Decode {
    inner: Box<dyn Read>,
    decoder: encoding_rs::Decoder,
    raw: Vec<u8>,
    out: Vec<u8>,
    pos: usize,
    done: bool,
}

impl Decode {
    fn new(inner: Box<dyn Read>, encoding: &'static Encoding) -> Decode {
        Decode {
            inner,
            decoder: encoding.new_decoder_without_bom_handling(),
            raw: vec![0; 16 * 1024],
            out: Vec::new(),
            pos: 0,
            done: false,
        }
    }
}

impl Read for Decode {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.out.len() {
            if self.done {
                return Ok(0);
            }
            let n = self.inner.read(&mut self.raw)?;
            let last = n == 0;
            let cap = self.decoder.max_utf8_buffer_length(n).unwrap_or(4 * n + 16);
            self.out.clear();
            self.out.resize(cap, 0);
            let (_, _, written, _) =
                self.decoder
                    .decode_to_utf8(&self.raw[..n], &mut self.out, last);
            self.out.truncate(written);
            self.pos = 0;
            self.done = last;
        }
        let k = buf.len().min(self.out.len() - self.pos);
        buf[..k].copy_from_slice(&self.out[self.pos..self.pos + k]);
        self.pos += k;
        Ok(k)
    }
}

/// A field's text, trimmed (invalid UTF-8 replaced).
pub fn text(f: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(f) {
        Ok(s) => std::borrow::Cow::Borrowed(s.trim()),
        Err(_) => std::borrow::Cow::Owned(String::from_utf8_lossy(f).trim().to_string()),
    }
}

/// A number as exports write it: `1234.5`, `1 234,50`, `1,234.50`, `12 500 ₽`, `$800`.
/// `decimal` is the separator the file uses when a number has only one kind of mark.
pub fn number(s: &str, decimal: u8) -> Option<f64> {
    let mut buf = [0u8; 64];
    let mut n = 0;
    let (mut dots, mut commas, mut last_mark) = (0, 0, 0u8);
    for c in s.chars() {
        let b = match c {
            '0'..='9' | '-' | '+' | 'e' | 'E' => c as u8,
            '.' => {
                dots += 1;
                last_mark = b'.';
                b'.'
            }
            ',' => {
                commas += 1;
                last_mark = b',';
                b','
            }
            // Grouping and currency: spaces, no-break spaces, apostrophes, symbols.
            ' ' | '\u{a0}' | '\u{202f}' | '\'' | '$' | '€' | '₽' | '£' => continue,
            _ if c.is_alphabetic() && n > 0 => break, // "12 500 руб."
            _ if c.is_alphabetic() => continue,
            _ => return None,
        };
        if n == buf.len() {
            return None;
        }
        buf[n] = b;
        n += 1;
    }
    // Which mark is the decimal one: the last of two kinds, else the file's.
    let point = if dots > 0 && commas > 0 {
        last_mark
    } else if dots + commas > 1 {
        // 1.234.567 or 1,234,567: grouping only.
        0
    } else {
        decimal
    };
    let mut out = String::with_capacity(n);
    for &b in &buf[..n] {
        match b {
            b'.' | b',' if b == point => out.push('.'),
            b'.' | b',' => {}
            _ => out.push(b as char),
        }
    }
    out.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// A duration in seconds: `83`, `83.5`, `1:23` or `00:01:23`.
pub fn seconds(s: &str, decimal: u8) -> Option<f64> {
    if s.contains(':') {
        let mut total = 0.0;
        for part in s.split(':') {
            total = total * 60.0 + number(part, decimal)?;
        }
        Some(total)
    } else {
        number(s, decimal)
    }
}

/// A moment as seconds since 1970-01-01 00:00 on the company's clock (time zones are
/// read past and ignored: an export is in the company's time).
pub fn moment(s: &str, order: DateOrder) -> Option<i64> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s.bytes().all(|b| b.is_ascii_digit()) && s.len() >= 9 {
        // Unix seconds, or milliseconds.
        let v: i64 = s.parse().ok()?;
        let secs = if s.len() >= 12 { v / 1000 } else { v };
        // Within the years a date written out may have (1900-2200).
        return (-2_208_988_800..7_289_654_400)
            .contains(&secs)
            .then_some(secs);
    }
    let b = s.as_bytes();
    let mut nums = [0i64; 7];
    let mut widths = [0usize; 7];
    let mut count = 0;
    let mut i = 0;
    let mut pm = None;
    while i < b.len() && count < 7 {
        if b[i].is_ascii_digit() {
            let start = i;
            let mut v = 0i64;
            while i < b.len() && b[i].is_ascii_digit() {
                v = v * 10 + i64::from(b[i] - b'0');
                i += 1;
            }
            nums[count] = v;
            widths[count] = i - start;
            count += 1;
            // A time zone after the seconds ("+03:00", "Z") is not read.
            if count == 6 && i < b.len() && b[i] == b'.' {
                i += 1;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                break;
            }
        } else {
            // Bytes, not text: a damaged field may hold any character here.
            let rest = &b[i..];
            if rest.len() >= 2 {
                let two = &rest[..2];
                if two.eq_ignore_ascii_case(b"am") {
                    pm = Some(false);
                } else if two.eq_ignore_ascii_case(b"pm") {
                    pm = Some(true);
                }
            }
            if count >= 5 && (b[i] == b'+' || b[i] == b'Z') {
                break;
            }
            i += 1;
        }
    }
    if count < 3 {
        return None;
    }
    let (y, m, d) = if widths[0] == 4 {
        (nums[0], nums[1], nums[2])
    } else if widths[2] == 4 || widths[2] == 2 {
        let year = if widths[2] == 2 {
            2000 + nums[2]
        } else {
            nums[2]
        };
        match order {
            DateOrder::Dmy => (year, nums[1], nums[0]),
            DateOrder::Mdy => (year, nums[0], nums[1]),
        }
    } else {
        return None;
    };
    let mut hh = if count > 3 { nums[3] } else { 0 };
    let mm = if count > 4 { nums[4] } else { 0 };
    let ss = if count > 5 { nums[5] } else { 0 };
    match pm {
        Some(true) if hh < 12 => hh += 12,
        Some(false) if hh == 12 => hh = 0,
        _ => {}
    }
    if hh > 23 || mm > 59 || ss > 60 || !(1900..=2200).contains(&y) {
        return None;
    }
    let date = Date::new(y as i32, u32::try_from(m).ok()?, u32::try_from(d).ok()?)?;
    Some(date.days_since_epoch() * 86_400 + hh * 3600 + mm * 60 + ss)
}

/// Bad values found in the rows, per column and rule: how many, the first five line
/// numbers and an example.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Problems {
    /// By (file, column, rule).
    pub found: BTreeMap<(String, String, &'static str), Problem>,
}

/// One kind of bad value in one column.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Problem {
    /// Rows with it.
    pub count: u64,
    /// The first five lines (numbered from 1, the header being line 1).
    pub lines: Vec<u64>,
    /// The first bad value.
    pub example: String,
}

impl Problems {
    /// Records a bad value of `column` in `file` at `line`.
    pub fn add(&mut self, file: &str, column: &str, rule: &'static str, line: u64, value: &str) {
        let p = self
            .found
            .entry((file.to_string(), column.to_string(), rule))
            .or_default();
        p.count += 1;
        if p.lines.len() < 5 {
            p.lines.push(line);
        }
        if p.example.is_empty() {
            p.example = value.chars().take(40).collect();
        }
    }

    /// Rows skipped or values left out, in all.
    pub fn total(&self) -> u64 {
        self.found.values().map(|p| p.count).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_exports_write_them() {
        assert_eq!(number("1234.5", b'.'), Some(1234.5));
        assert_eq!(number("1 234,50", b','), Some(1234.5));
        assert_eq!(number("1,234.50", b'.'), Some(1234.5));
        assert_eq!(number("1.234,50", b'.'), Some(1234.5));
        assert_eq!(number("12\u{a0}500 ₽", b','), Some(12500.0));
        assert_eq!(number("12 500 руб.", b','), Some(12500.0));
        assert_eq!(number("$800", b'.'), Some(800.0));
        assert_eq!(number("2,5", b','), Some(2.5));
        assert_eq!(number("1,234,567", b'.'), Some(1_234_567.0));
        assert_eq!(number("abc", b'.'), None);
        assert_eq!(number("", b'.'), None);
        assert_eq!(seconds("00:01:23", b'.'), Some(83.0));
        assert_eq!(seconds("1:23", b'.'), Some(83.0));
    }

    #[test]
    fn dates_as_exports_write_them() {
        let at = |d: i64, h: i64, m: i64, s: i64| {
            Date::new(2026, 3, 1).unwrap().days_since_epoch() * 86_400
                + d * 86_400
                + h * 3600
                + m * 60
                + s
        };
        let dmy = DateOrder::Dmy;
        assert_eq!(moment("2026-03-01 14:05:07", dmy), Some(at(0, 14, 5, 7)));
        assert_eq!(
            moment("2026-03-01T14:05:07.123+03:00", dmy),
            Some(at(0, 14, 5, 7))
        );
        assert_eq!(moment("2026-03-01T14:05:07Z", dmy), Some(at(0, 14, 5, 7)));
        assert_eq!(moment("01.03.2026 14:05", dmy), Some(at(0, 14, 5, 0)));
        assert_eq!(moment("01.03.2026", dmy), Some(at(0, 0, 0, 0)));
        assert_eq!(
            moment("03/01/2026 2:05 PM", DateOrder::Mdy),
            Some(at(0, 14, 5, 0))
        );
        assert_eq!(
            moment("03/01/2026 12:05 AM", DateOrder::Mdy),
            Some(at(0, 0, 5, 0))
        );
        let unix = at(0, 14, 5, 7);
        assert_eq!(moment(&unix.to_string(), dmy), Some(unix));
        assert_eq!(moment(&(unix * 1000).to_string(), dmy), Some(unix));
        assert_eq!(moment("31.02.2026", dmy), None);
        assert_eq!(moment("999999999999999999", dmy), None);
        // A stray character before a date (a damaged file) is read past, not cut
        // through: here a day-first date with a two-digit year.
        let d = Date::new(2011, 3, 26).unwrap().days_since_epoch() * 86_400;
        assert_eq!(
            moment("\u{2021}26-03-11 13:15:10", dmy),
            Some(d + 13 * 3600 + 15 * 60 + 10)
        );
        assert_eq!(moment("yesterday", dmy), None);
        assert_eq!(moment("2026-03-01 25:00", dmy), None);
    }

    #[test]
    fn encodings_and_separators_are_recognised() {
        let utf8 = "\u{feff}Дата;Сумма\n01.03.2026;1 234,5\n";
        let t = Table::open(
            Box::new(io::Cursor::new(utf8.as_bytes().to_vec())),
            &Forced::default(),
        )
        .unwrap();
        assert_eq!(t.header, vec!["Дата", "Сумма"]);
        assert_eq!(
            (t.dialect.encoding, t.dialect.separator, t.dialect.decimal),
            ("UTF-8", b';', b',')
        );
        let (cp, _, _) = WINDOWS_1251.encode("Дата;Сумма\n01.03.2026;1 234,5\n");
        let mut t = Table::open(
            Box::new(io::Cursor::new(cp.into_owned())),
            &Forced::default(),
        )
        .unwrap();
        assert_eq!(t.header, vec!["Дата", "Сумма"]);
        assert_eq!(t.dialect.encoding, "windows-1251");
        let mut rec = csv::ByteRecord::new();
        assert!(t.next(&mut rec).unwrap());
        assert_eq!(number(&text(&rec[1]), t.dialect.decimal), Some(1234.5));
        let t = Table::open(
            Box::new(io::Cursor::new(b"a,b\n1,2\n".to_vec())),
            &Forced::default(),
        )
        .unwrap();
        assert_eq!(t.dialect.separator, b',');
        let bad = Forced {
            encoding: Some("klingon".into()),
            ..Forced::default()
        };
        assert!(Table::open(Box::new(io::Cursor::new(b"a\n".to_vec())), &bad).is_err());
    }
}
