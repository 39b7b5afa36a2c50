//! A source read from a web archive's snapshot, cited as Chicago has it:
//! the address as published, then "archived at SNAPSHOT, DAY".

use super::{Forms, Source, Style};

/// The note (for notes) and the bibliography entry of a source kept at
/// the web archive's `url`, each with where and when it was archived.
pub(super) fn chicago(
    style: Style,
    source: &Source,
    url: &str,
    mut forms: Forms,
    mut entry: String,
) -> (Forms, String) {
    let when = source.archived_at.as_deref().map(long_date);
    let phrase = |lead: &str, address: &str| match &when {
        Some(day) => format!("{lead} {address}, {day}"),
        None => format!("{lead} {address}"),
    };
    if style == Style::ChicagoNotes {
        let link = format!(
            "<a href=\"{}\">{}</a>",
            html_escape::encode_double_quoted_attribute(url),
            html_escape::encode_text(url)
        );
        let add = |form: &str, added: &str| format!("{}, {added}.", form.trim_end_matches('.'));
        forms = Forms {
            text: add(&forms.text, &phrase("archived at", url)),
            markdown: add(&forms.markdown, &phrase("archived at", url)),
            html: add(&forms.html, &phrase("archived at", &link)),
        };
    }
    if !entry.is_empty() {
        entry = format!(
            "{}. {}.",
            entry.trim_end_matches('.'),
            phrase("Archived at", url)
        );
    }
    (forms, entry)
}

/// A day as Chicago writes it: `2009-03-14` is March 14, 2009; a month or
/// a year alone as such.
fn long_date(iso: &str) -> String {
    let parts: Vec<&str> = iso.split('-').collect();
    let format = match parts.len() {
        3 => "%B %-d, %Y",
        2 => "%B %Y",
        _ => return iso.to_string(),
    };
    let padded = match parts.len() {
        2 => format!("{iso}-01"),
        _ => iso.to_string(),
    };
    jiff::civil::Date::strptime("%Y-%m-%d", &padded)
        .map(|d| d.strftime(format).to_string())
        .unwrap_or_else(|_| iso.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn days_months_and_years_as_chicago_writes_them() {
        assert_eq!(super::long_date("2009-03-14"), "March 14, 2009");
        assert_eq!(super::long_date("2009-03"), "March 2009");
        assert_eq!(super::long_date("2009"), "2009");
        assert_eq!(super::long_date("2009-13-01"), "2009-13-01");
    }
}
