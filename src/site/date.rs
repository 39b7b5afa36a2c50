//! Dates as sites write them in front matter and file names, read into
//! one instant: `2015-09-15`, `2015-09-15 13:20:00 -0400`,
//! `2014-05-14T11:02`, `2021-05-11T09:00:00Z`, `May 11, 2021`,
//! `11 May 2021`.

use jiff::civil::{Date, DateTime};
use jiff::tz::{Offset, TimeZone};
use jiff::{Timestamp, ZonedDateTime as Zoned};

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// A date read from a page: the instant, and whether the text gave a time
/// (a date alone is midnight in the site's time zone).
#[derive(Debug, Clone, PartialEq)]
pub struct PageDate {
    /// The instant, in the zone it was read in.
    pub when: Zoned,
}

impl PageDate {
    /// The calendar date, `YYYY-MM-DD`, in `zone`.
    pub fn day_in(&self, zone: &TimeZone) -> Date {
        self.when.with_time_zone(zone.clone()).date()
    }

    /// The date and time in `zone`.
    pub fn in_zone(&self, zone: &TimeZone) -> DateTime {
        self.when.with_time_zone(zone.clone()).datetime()
    }

    /// The date and time in the zone the text wrote it in.
    pub fn as_written(&self) -> DateTime {
        self.when.datetime()
    }

    /// The instant.
    pub fn timestamp(&self) -> Timestamp {
        self.when.timestamp()
    }
}

/// Reads `text` as a date; a date or time without an offset is in `zone`.
pub fn parse(text: &str, zone: &TimeZone) -> Option<PageDate> {
    let text = text.trim().trim_matches(|c| c == '"' || c == '\'');
    if text.is_empty() {
        return None;
    }
    if let Some(date) = numeric(text, zone) {
        return Some(date);
    }
    worded(text).and_then(|date| {
        let when = date.to_zoned_datetime(zone.clone()).ok()?;
        Some(PageDate { when })
    })
}

/// `YYYY-MM-DD`, then an optional time after `T` or a space, then an
/// optional offset (`Z`, `+HH:MM`, `-HHMM`, a space before it).
fn numeric(text: &str, zone: &TimeZone) -> Option<PageDate> {
    let bytes = text.as_bytes();
    if bytes.len() < 8 || !bytes[0].is_ascii_digit() {
        return None;
    }
    let mut parts = text.splitn(3, '-');
    let year: i16 = parts.next()?.parse().ok()?;
    let month: i8 = parts.next()?.parse().ok()?;
    let rest = parts.next()?;
    let day_len = rest.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=2).contains(&day_len) {
        return None;
    }
    let day: i8 = rest[..day_len].parse().ok()?;
    let date = Date::new(year, month, day).ok()?;
    let rest = rest[day_len..].trim_start_matches(['T', 't', ' ']);
    let (time, offset_text) = split_time(rest);
    let datetime = date.to_datetime(time?);
    let when = match offset_text {
        Some(offset) => datetime
            .to_zoned_datetime(TimeZone::fixed(parse_offset(offset)?))
            .ok()?,
        None => datetime.to_zoned_datetime(zone.clone()).ok()?,
    };
    Some(PageDate { when })
}

/// The time at the start of `rest` (midnight when there is none) and the
/// offset text after it, if any. `None` for the time when it is malformed.
fn split_time(rest: &str) -> (Option<jiff::civil::Time>, Option<&str>) {
    let rest = rest.trim();
    if rest.is_empty() {
        return (Some(jiff::civil::Time::midnight()), None);
    }
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
        .unwrap_or(rest.len());
    let (clock, offset) = (&rest[..end], rest[end..].trim());
    let mut fields = clock.split(':');
    let hour: i8 = match fields.next().and_then(|h| h.parse().ok()) {
        Some(h) => h,
        // Words after the date (`2017-09-27 (optional)`): Ruby's parser, and
        // so Jekyll, reads the date and passes over them.
        None if parse_offset(rest).is_none() => return (Some(jiff::civil::Time::midnight()), None),
        None => return (Some(jiff::civil::Time::midnight()), Some(rest)),
    };
    let minute: i8 = fields.next().and_then(|m| m.parse().ok()).unwrap_or(0);
    let second: i8 = fields
        .next()
        .and_then(|s| s.split('.').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let time = jiff::civil::Time::new(hour, minute, second, 0).ok();
    let offset = (!offset.is_empty()).then_some(offset);
    (time, offset)
}

/// `Z`, `UTC`, `+HH:MM`, `+HHMM`, `-HH`.
fn parse_offset(text: &str) -> Option<Offset> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("z") || text.eq_ignore_ascii_case("utc") {
        return Some(Offset::UTC);
    }
    let sign: i32 = match text.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = text[1..].chars().filter(char::is_ascii_digit).collect();
    let (hours, minutes) = match digits.len() {
        1 | 2 => (digits.parse::<i32>().ok()?, 0),
        4 => (digits[..2].parse().ok()?, digits[2..].parse().ok()?),
        _ => return None,
    };
    Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).ok()
}

/// `May 11, 2021`, `11 May 2021`, `September 2, 2015`.
fn worded(text: &str) -> Option<DateTime> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let month_of = |w: &str| {
        let lower = w.to_ascii_lowercase();
        MONTHS
            .iter()
            .position(|m| lower.starts_with(m))
            .map(|i| i as i8 + 1)
    };
    let number = |w: &str| {
        w.trim_end_matches(['.', 's', 't', 'n', 'd', 'r', 'h'])
            .parse::<i16>()
            .ok()
    };
    let (month, day, year) = match words.as_slice() {
        [m, d, y, ..] if month_of(m).is_some() => (month_of(m)?, number(d)?, number(y)?),
        [d, m, y, ..] if month_of(m).is_some() => (month_of(m)?, number(d)?, number(y)?),
        _ => return None,
    };
    let date = Date::new(year, month, i8::try_from(day).ok()?).ok()?;
    Some(date.to_datetime(jiff::civil::Time::midnight()))
}

/// The time zone called `name` (`America/New_York`, `UTC`, `+05:00`), if
/// there is one.
pub fn zone(name: &str) -> Option<TimeZone> {
    let name = name.trim();
    if let Some(offset) = parse_offset(name) {
        return Some(TimeZone::fixed(offset));
    }
    TimeZone::get(name).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str, zone: &TimeZone) -> String {
        parse(text, zone)
            .map(|d| d.day_in(zone).to_string())
            .unwrap_or_else(|| "none".into())
    }

    #[test]
    fn the_ways_sites_write_dates() {
        let utc = TimeZone::UTC;
        assert_eq!(day("2015-02-11", &utc), "2015-02-11");
        assert_eq!(day("'2015-02-11'", &utc), "2015-02-11");
        assert_eq!(day("2015-09-15 13:20:00 -0400", &utc), "2015-09-15");
        // Late in the evening in New York is the next day in UTC.
        assert_eq!(day("2015-09-15 23:20:00 -0400", &utc), "2015-09-16");
        assert_eq!(day("2014-05-14T11:02", &utc), "2014-05-14");
        assert_eq!(day("2021-05-11T09:00:00Z", &utc), "2021-05-11");
        assert_eq!(day("2021-05-11T09:00:00+02:00", &utc), "2021-05-11");
        assert_eq!(day("May 11, 2021", &utc), "2021-05-11");
        assert_eq!(day("July 27, 2021", &utc), "2021-07-27");
        assert_eq!(day("11 May 2021", &utc), "2021-05-11");
        assert_eq!(day("2015-2-3", &utc), "2015-02-03");
        assert_eq!(day("2017-09-27 (optional)", &utc), "2017-09-27");
        assert_eq!(day("not a date", &utc), "none");
        assert_eq!(day("2015-13-40", &utc), "none");
        let tokyo = zone("Asia/Tokyo").unwrap();
        assert_eq!(day("2015-09-15 23:20:00 -0400", &tokyo), "2015-09-16");
        assert_eq!(
            parse("2015-09-15 23:20:00 -0400", &utc)
                .unwrap()
                .as_written()
                .date()
                .to_string(),
            "2015-09-15"
        );
    }
}
