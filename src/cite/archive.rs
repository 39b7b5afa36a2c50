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
        // A registry may give any address and day: only a web address is
        // linked, and nothing goes into the HTML unescaped.
        let shown = html_escape::encode_text(url);
        let link = match url.starts_with("http://") || url.starts_with("https://") {
            true => format!(
                "<a href=\"{}\">{shown}</a>",
                html_escape::encode_double_quoted_attribute(url)
            ),
            false => shown.into_owned(),
        };
        let html = match &when {
            Some(day) => format!("archived at {link}, {}", html_escape::encode_text(day)),
            None => format!("archived at {link}"),
        };
        let add = |form: &str, added: &str| format!("{}, {added}.", form.trim_end_matches('.'));
        forms = Forms {
            text: add(&forms.text, &phrase("archived at", url)),
            markdown: add(&forms.markdown, &phrase("archived at", url)),
            html: add(&forms.html, &html),
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
    use super::*;

    #[test]
    fn what_a_registry_gives_goes_into_the_html_escaped() {
        let source = Source {
            id: "s".into(),
            archived_url: Some("javascript:alert(1)".into()),
            archived_at: Some("<b>2009</b>".into()),
            ..Source::default()
        };
        let forms = Forms {
            text: "Note.".into(),
            markdown: "Note.".into(),
            html: "Note.".into(),
        };
        let (forms, entry) = chicago(
            Style::ChicagoNotes,
            &source,
            "javascript:alert(1)",
            forms,
            "Entry.".into(),
        );
        assert_eq!(
            forms.html,
            "Note, archived at javascript:alert(1), &lt;b&gt;2009&lt;/b&gt;."
        );
        assert!(!forms.html.contains("<a"), "{}", forms.html);
        assert_eq!(
            entry,
            "Entry. Archived at javascript:alert(1), <b>2009</b>."
        );
    }

    #[test]
    fn days_months_and_years_as_chicago_writes_them() {
        assert_eq!(super::long_date("2009-03-14"), "March 14, 2009");
        assert_eq!(super::long_date("2009-03"), "March 2009");
        assert_eq!(super::long_date("2009"), "2009");
        assert_eq!(super::long_date("2009-13-01"), "2009-13-01");
    }
}
