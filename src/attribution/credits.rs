//! Credits: a speaker named apart from the words, in the forms sites use.
//!
//! - a credit line after a blockquote or a pull-quote, or as its last
//!   paragraph: `— Name`, `-- Name, Role`, `>**—Name**`, `― Name, [Title](url)`,
//!   `<span>- Name, Role</span>`;
//! - a credit right after the closing mark: `” —**Name**`, `” (Name)`,
//!   `” ([Org](url))`;
//! - a lead-in that ends with a colon before a blockquote or a run of
//!   quoted paragraphs: “as Lee Park argues in a follow-up post:”;
//! - the parameters of an include or a shortcode: `{% include
//!   testimonial.html quote="…" attribution="Name" position="Role" %}`,
//!   `{{< quote author="Name" >}}`.
//!
//! A credit to a role alone (“Email from a user”) names nobody; roles and
//! affiliations are kept with the name.

use super::cast::Cast;
use super::lexicon;
use super::names::{self, Mention, Name};
use super::said::{Said, Speaker};
use super::speech;
use super::text::{Passages, Text};
use crate::passage::{Passage, PassageKind};
use crate::source::{Source, SourceKind, slug};

/// Credit lines longer than this are prose that starts with a dash.
const MAX_CREDIT_BYTES: usize = 300;

/// The longest template tag read, on either side of a quotation, in bytes.
const MAX_TAG_BYTES: usize = 4096;

/// Parameters whose value is the quotation.
const QUOTE_KEYS: &[&str] = &[
    "quote",
    "text",
    "content",
    "body",
    "testimonial",
    "blockquote",
];
/// Parameters whose value is who said it.
const SPEAKER_KEYS: &[&str] = &[
    "attribution",
    "author",
    "cite",
    "name",
    "by",
    "source",
    "speaker",
    "person",
    "credit",
];
/// Parameters whose value is the speaker's role or affiliation.
const ROLE_KEYS: &[&str] = &[
    "position",
    "title",
    "role",
    "job",
    "organization",
    "organisation",
    "org",
    "affiliation",
    "company",
];

/// Runs the credit forms over the page, most explicit first.
pub(super) fn attribute(passages: &Passages, cast: &mut Cast, said: &mut Said) {
    parameters(passages, cast, said);
    right_after(passages, cast, said);
    lines(passages, cast, said);
    lead_ins(passages, cast, said);
}

/// Whether passage `p` is one quotation and nothing else but marks.
pub(super) fn is_whole_quote(passage: &Passage) -> bool {
    let [quote] = passage.quotes.as_slice() else {
        return false;
    };
    let outside = passage.text[..quote.span.start]
        .chars()
        .chain(passage.text[quote.span.end..].chars());
    outside.filter(|c| c.is_alphanumeric()).count() == 0
}

/// Gives passage `p` (a block) to `id`: its whole quotation too.
fn credit_block(passages: &Passages, said: &mut Said, p: usize, id: &str, role: Option<String>) {
    said.block[p].get_or_insert_with(|| id.to_string());
    if is_whole_quote(passages.passage(p)) {
        said.decide(p, 0, Speaker::Source(id.to_string()), role);
    }
}

/// `text` without HTML tags: a credit may be `<span>- Name</span>`.
fn without_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// The text after a credit's dash, if `text` starts with one.
fn after_dash(text: &str) -> Option<&str> {
    let rest = ["—", "―", "--", "–", "- ", "~"]
        .iter()
        .find_map(|d| text.strip_prefix(d))?;
    let rest = rest.trim_start_matches(['-', ' ', '\u{a0}', '*', '_']);
    rest.starts_with(|c: char| c.is_uppercase() || c == '[')
        .then_some(rest)
}

/// What a credit names: a speaker, perhaps with a work of theirs (“—
/// Pierre-Joseph Proudhon, What Is Property?”), or nobody named.
enum Credited {
    Source(String, Option<String>),
    Nobody,
}

/// Reads a credit: `text` is the credit's words, `link` the address of a
/// link in them after the name, if any.
fn read_credit(
    credit: &str,
    link: Option<(&str, &str)>,
    cast: &mut Cast,
    passages: &Passages,
    p: usize,
) -> Option<Credited> {
    let text = Text::new(credit, &[]);
    passages.work(text.tokens.len());
    let mention = match names::starting_at(&text, 0, text.tokens.len()) {
        Some((mention, _)) => mention,
        None => return Some(Credited::Nobody),
    };
    let Mention::Named(found) = mention else {
        return Some(Credited::Nobody);
    };
    let name: &Name = found.first()?;
    if name.text.starts_with("Anonymous")
        || name.text.starts_with("Unknown")
        || lexicon::IMAGE_CREDITS
            .iter()
            .any(|m| credit.to_ascii_lowercase().starts_with(m))
    {
        return Some(Credited::Nobody);
    }
    // A credit line is where a name stands alone (“— Voltaire”): a single
    // word that ends the line, or its name part, is a name; one that runs
    // on into a sentence (“— Create features …”) must be known.
    let rest = credit[name.span.end.min(credit.len())..].trim_start();
    let alone = rest.is_empty() || rest.starts_with([',', '(', ';']);
    if !alone && !speech::known_word(name, cast, passages) {
        return Some(Credited::Nobody);
    }
    // A name that qualifies a role (“— Harbor Union spokesperson”, “— FWU
    // product owner”) credits somebody it does not name.
    let qualifies_a_role = !alone
        && rest
            .split(',')
            .next()
            .unwrap_or("")
            .split_whitespace()
            .any(|w| {
                w.starts_with(char::is_lowercase)
                    && lexicon::is_role_word(w.trim_matches(|c: char| !c.is_alphanumeric()))
            });
    if qualifies_a_role {
        return Some(Credited::Nobody);
    }
    // A short or differently spelt form of a person the page names in
    // full is that person.
    let speaker = cast.resolve(name, (p, 0), passages);
    let after = name.role.clone();
    // A work of theirs: a linked title, or a title-like phrase after the
    // comma (capitalised, with no role word in it, and no organisation's:
    // “— Ana Ruiz, Harbor Tenants Union” is where she works).
    let title = match link {
        Some((title, _)) => Some(title.to_string()),
        None => after.clone().filter(|t| {
            t.starts_with(|c: char| c.is_uppercase())
                && !t.contains('&')
                && !t.split_whitespace().any(|w| {
                    let w = w.trim_matches(|c: char| !c.is_alphanumeric());
                    lexicon::is_role_word(w) || lexicon::is_organisation_word(w)
                })
                && !t.chars().all(|c| c.is_ascii_digit() || c.is_whitespace())
        }),
    };
    let title = title
        .map(|t| {
            t.trim_matches(|c: char| "\"“”‘’*_().,".contains(c) || c.is_whitespace())
                .to_string()
        })
        .filter(|t| !t.is_empty());
    let Some(title) = title else {
        if let Some(year) = after.filter(|a| a.trim().chars().all(|c| c.is_ascii_digit())) {
            if let Some(source) = cast.get_mut(&speaker) {
                source.date.get_or_insert(year);
            }
            return Some(Credited::Source(speaker, None));
        }
        return Some(Credited::Source(speaker, name.role.clone()));
    };
    if let Some((_, url)) = link
        && let Some(source) = cast.registry.by_url(url)
    {
        return Some(Credited::Source(source.id.clone(), None));
    }
    if let Some(source) = cast.registry.by_name(&title) {
        return Some(Credited::Source(source.id.clone(), None));
    }
    let author = cast
        .get(&speaker)
        .map_or_else(|| name.text.clone(), Source::name);
    let id = cast.add(Source {
        id: slug(&format!("{} {title}", name.text)),
        kind: SourceKind::Book,
        title: Some(title),
        authors: vec![author],
        url: link.map(|(_, url)| url.to_string()),
        ..Source::default()
    });
    Some(Credited::Source(id, None))
}

/// Credit lines: a paragraph that starts with a dash and names someone,
/// closing the blockquote it ends or follows, or the quoted paragraph
/// before it.
fn lines(passages: &Passages, cast: &mut Cast, said: &mut Said) {
    for i in 0..passages.len() {
        let line = passages.passage(i);
        let plain;
        let text = if line.kind == PassageKind::Html || line.text.starts_with('<') {
            plain = without_tags(&line.text);
            plain.as_str()
        } else {
            line.text.as_str()
        };
        if text.len() > MAX_CREDIT_BYTES || line.kind == PassageKind::Heading {
            continue;
        }
        let Some(rest) = after_dash(text) else {
            continue;
        };
        // What the line closes: its own blockquote, or the one just before.
        let group = match line.blockquote {
            Some(group) => Some(group),
            None => i
                .checked_sub(1)
                .and_then(|p| passages.passage(p).blockquote),
        };
        let credited: Vec<usize> = match group {
            Some(group) => (0..i)
                .rev()
                .take_while(|&p| passages.passage(p).blockquote == Some(group))
                .collect(),
            None => match i.checked_sub(1) {
                Some(p) if is_whole_quote(passages.passage(p)) => vec![p],
                _ => vec![],
            },
        };
        if credited.is_empty() {
            continue;
        }
        let offset = text.len() - rest.len();
        let link = line
            .links
            .iter()
            .find(|l| line.kind != PassageKind::Html && l.span.start > offset)
            .map(|l| (&line.text[l.span.clone()], l.url.as_str()));
        match read_credit(rest, link, cast, passages, i) {
            Some(Credited::Source(id, role)) => {
                said.cites[i].push(id.clone());
                for p in credited {
                    credit_block(passages, said, p, &id, role.clone());
                }
            }
            Some(Credited::Nobody) => {
                for p in credited {
                    if is_whole_quote(passages.passage(p)) {
                        said.decide(p, 0, Speaker::Unnamed, None);
                    }
                }
            }
            None => {}
        }
    }
}

/// A credit right after a closing mark: `” —Name, Role`, `” (Name)`.
fn right_after(passages: &Passages, cast: &mut Cast, said: &mut Said) {
    for p in 0..passages.len() {
        let passage = passages.passage(p);
        if passage.quotes.is_empty() {
            continue;
        }
        let text = passages.text(p);
        for q in 0..text.quotes.len() {
            if !said.open(p, q) {
                continue;
            }
            let after = text.after(q);
            let Some(first) = text.tokens.get(after.start).filter(|_| !after.is_empty()) else {
                continue;
            };
            let dash = first.is_mark('—')
                || first.is_mark('―')
                || first.is_mark('–')
                || first.is_mark('-');
            let parenthesis = first.is_mark('(');
            if !(dash || parenthesis) {
                continue;
            }
            let mut start = after.start + 1;
            while text.tokens.get(start).is_some_and(|t| t.is_mark('-')) {
                start += 1;
            }
            let Some((Mention::Named(found), end)) = names::starting_at(text, start, after.end)
            else {
                continue;
            };
            let [name] = found.as_slice() else { continue };
            // A credit names someone and ends: “— Ana Ruiz, Chair.”, not
            // “- Create features that …”.
            let name_end = text
                .tokens
                .partition_point(|t| t.span.start < name.span.end);
            let ends = name_end.max(end) >= after.end
                || text
                    .tokens
                    .get(name_end)
                    .is_none_or(|t| t.kind == crate::token::TokenKind::Punctuation);
            if !ends
                || !speech::believable(
                    &Mention::Named(found.clone()),
                    passage,
                    text,
                    cast,
                    passages,
                )
            {
                continue;
            }
            if parenthesis {
                // The whole parenthesis is the name, and not the quotation's
                // own abbreviation (“Find It Fast” (FIF)).
                let closes = text.tokens.get(end).is_some_and(|t| t.is_mark(')'))
                    || text
                        .tokens
                        .get(end.saturating_sub(1))
                        .is_some_and(|t| t.is_mark(')'));
                let quoted = text.slice(text.quotes[q].start..text.quotes[q].end);
                let letters: String = name.text.chars().filter(|c| c.is_uppercase()).collect();
                let own_initials = names::is_acronym(&letters)
                    && quoted
                        .split_whitespace()
                        .filter_map(|w| w.chars().next())
                        .collect::<String>()
                        .to_uppercase()
                        .starts_with(&letters);
                if !closes || own_initials {
                    continue;
                }
            }
            let (speaker, role) = speech::speaker_of(
                &Mention::Named(vec![name.clone()]),
                passage,
                text,
                p,
                cast,
                passages,
            );
            said.decide(p, q, speaker, role);
        }
    }
}

/// A lead-in ending with a colon gives the block after it to its speaker:
/// a blockquote, or a run of paragraphs that are each a quotation.
fn lead_ins(passages: &Passages, cast: &mut Cast, said: &mut Said) {
    for i in 0..passages.len().saturating_sub(1) {
        let lead = passages.passage(i);
        if !lead.text.trim_end().ends_with(':')
            || lead.blockquote.is_some()
            || lead.kind == PassageKind::Heading
            || said.note[i]
        {
            continue;
        }
        let text = passages.text(i);
        let Some(found) = speech::lead_in(text) else {
            continue;
        };
        let targets: Vec<usize> = match passages.passage(i + 1).blockquote {
            Some(group) => (i + 1..passages.len())
                .take_while(|&p| passages.passage(p).blockquote == Some(group))
                .collect(),
            None => (i + 1..passages.len())
                .take_while(|&p| is_whole_quote(passages.passage(p)))
                .collect(),
        };
        if targets.is_empty() {
            continue;
        }
        let (speaker, role) = speech::speaker_of(&found.mention, lead, text, i, cast, passages);
        for p in targets {
            match &speaker {
                Speaker::Source(id) => credit_block(passages, said, p, id, role.clone()),
                other => {
                    if is_whole_quote(passages.passage(p)) {
                        // A pronoun is resolved where the lead-in stands.
                        let other = match other {
                            Speaker::Pronoun(..) => Speaker::Open,
                            other => other.clone(),
                        };
                        if other != Speaker::Open {
                            said.decide(p, 0, other, None);
                        }
                    }
                }
            }
        }
    }
}

/// The `key="value"` parameters of the template tag around byte `at` of
/// `text`, if a tag (`{% … %}`, `{{< … >}}`, `{{% … %}}`) holds it.
fn tag_parameters(text: &str, at: usize) -> Option<Vec<(String, std::ops::Range<usize>)>> {
    // A tag is short: look no further than this on either side.
    let reach = |i: usize| {
        (i..=text.len())
            .find(|&b| text.is_char_boundary(b))
            .unwrap_or(text.len())
    };
    let from = reach(at.saturating_sub(MAX_TAG_BYTES));
    let to = reach((at + MAX_TAG_BYTES).min(text.len()));
    let open = from + text[from..at].rfind("{%").max(text[from..at].rfind("{{"))?;
    let close = text[at..to]
        .find("%}")
        .into_iter()
        .chain(text[at..to].find("}}"))
        .min()
        .map(|c| at + c)?;
    if text[open..at].contains("%}") || text[open..at].contains("}}") {
        return None;
    }
    let tag = &text[open..close];
    let mut out = Vec::new();
    let bytes = tag.as_bytes();
    let mut i = 0;
    while let Some(eq) = tag[i..].find('=').map(|e| i + e) {
        let key_start = tag[..eq]
            .trim_end()
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .map_or(0, |k| k + 1);
        let key = tag[key_start..eq].trim().to_ascii_lowercase();
        let mut v = eq + 1;
        while v < bytes.len() && bytes[v] == b' ' {
            v += 1;
        }
        let Some(mark) = tag[v..].chars().next() else {
            break;
        };
        let closing = match mark {
            '"' => '"',
            '\'' => '\'',
            '“' => '”',
            _ => {
                i = eq + 1;
                continue;
            }
        };
        let value_start = v + mark.len_utf8();
        let Some(end) = tag[value_start..].find(closing).map(|e| value_start + e) else {
            break;
        };
        out.push((key, open + value_start..open + end));
        i = end + closing.len_utf8();
    }
    Some(out)
}

/// Include and shortcode parameters: the quotation given as `quote=` is
/// said by the `attribution=` (`author=`, `cite=`) person, in the role
/// `position=` (`title=`, `organization=`) gives.
fn parameters(passages: &Passages, cast: &mut Cast, said: &mut Said) {
    for p in 0..passages.len() {
        let passage = passages.passage(p);
        if passage.quotes.is_empty()
            || !(passage.text.contains("{%") || passage.text.contains("{{"))
        {
            continue;
        }
        for (q, quote) in passage.quotes.iter().enumerate() {
            let Some(params) = tag_parameters(&passage.text, quote.span.start) else {
                continue;
            };
            let Some((key, _)) = params.iter().find(|(_, span)| *span == quote.span) else {
                continue;
            };
            if !QUOTE_KEYS.contains(&key.as_str()) {
                // A credit's own value is no quotation anybody said.
                said.decide(p, q, Speaker::Unnamed, None);
                continue;
            }
            let value = |keys: &[&str]| {
                params
                    .iter()
                    .filter(|(k, _)| keys.contains(&k.as_str()))
                    .map(|(_, span)| passage.text[span.clone()].trim())
                    .filter(|v| !v.is_empty())
                    .collect::<Vec<&str>>()
            };
            let role = value(ROLE_KEYS).join(", ");
            let role = (!role.is_empty()).then_some(role);
            let Some(who) = value(SPEAKER_KEYS).into_iter().next() else {
                continue;
            };
            let text = Text::new(who, &[]);
            passages.work(text.tokens.len());
            let speaker = match names::starting_at(&text, 0, text.tokens.len()) {
                Some((Mention::Named(found), end))
                    if end >= text.tokens.len().saturating_sub(1)
                        && speech::known_word(&found[0], cast, passages) =>
                {
                    let name = &found[0];
                    Speaker::Source(cast.resolve_text(&name.text, name.kind))
                }
                _ => Speaker::Unnamed,
            };
            said.decide(p, q, speaker, role);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{heard, read, speaker};
    use super::*;

    fn one(s: &str) -> Option<String> {
        Some(s.to_string())
    }

    /// Who the blockquote of `markdown` is by (its first passage's credit).
    fn credited(markdown: &str) -> Option<String> {
        let (passages, findings) = read(markdown);
        let quoted = passages.iter().find(|p| p.blockquote.is_some())?;
        let id = quoted.excerpted_from.clone()?;
        findings
            .discovered
            .iter()
            .find(|s| s.id == id)
            .map(Source::name)
    }

    #[test]
    fn credit_lines_in_the_forms_sites_use() {
        for text in [
            "> The rent is a wage.\n>\n> — Ana Ruiz\n",
            "> The rent is a wage.\n\n-- Ana Ruiz\n",
            "> The rent is a wage.\n>\n> **—Ana Ruiz**\n",
            "> The rent is a wage.\n\n― Ana Ruiz, Chair of the Harbor Union\n",
            "> The rent is a wage.\n\n<span>- Ana Ruiz, Chair</span>\n",
        ] {
            assert_eq!(credited(text), one("Ana Ruiz"), "{text}");
        }
        // A paragraph that is all one quotation, then its credit.
        let text = "“The rent is a wage.”\n\n— Ana Ruiz, Chair\n";
        let h = &heard(text)[0];
        assert_eq!(h.speaker, one("Ana Ruiz"));
        assert_eq!(h.role.as_deref(), Some("Chair"));
        // A credit to nobody in particular names nobody.
        assert_eq!(credited("> The rent is a wage.\n\n— Anonymous\n"), None);
    }

    #[test]
    fn a_lone_word_and_an_affiliation_in_a_credit_line() {
        // A credit line is where one word is a name.
        assert_eq!(
            credited("> Power yields to nothing.\n\n— Okonkwo\n"),
            one("Okonkwo")
        );
        // After the comma, where the speaker works is no work of theirs.
        let (passages, findings) =
            read("> The rent is a wage.\n\n— Ana Ruiz, Harbor Logistics & Company\n");
        let id = passages[0].excerpted_from.clone().unwrap();
        let source = findings.discovered.iter().find(|s| s.id == id).unwrap();
        assert_eq!(source.name(), "Ana Ruiz");
        assert_eq!(source.kind, SourceKind::Person);
        // A surname, or the name spelt without its hyphen, is the person
        // the page names in full.
        let text = "Ana Ruiz-Lind chairs the fund.\n\n> We stay.\n\n— Ana RuizLind\n";
        assert_eq!(credited(text), one("Ana Ruiz-Lind"));
        let text = "Ana Ruiz-Lind chairs the fund.\n\n> We stay.\n\n— Ruiz-Lind\n";
        assert_eq!(credited(text), one("Ana Ruiz-Lind"));
        // A body's role names nobody.
        let text =
            "The Ferry Workers Union (FWU) met.\n\n> We strike at dawn.\n\n— FWU product owner\n";
        assert_eq!(credited(text), None);
        let (passages, findings) = read("> The rent is a wage.\n\n— Ana Ruiz, Tenant Union\n");
        let id = passages[0].excerpted_from.clone().unwrap();
        let source = findings.discovered.iter().find(|s| s.id == id).unwrap();
        assert_eq!(source.name(), "Ana Ruiz");
    }

    #[test]
    fn a_credit_right_after_the_closing_mark() {
        for text in [
            "“The rent is a wage.” —Ana Ruiz",
            "“The rent is a wage.” - Ana Ruiz, Chair",
            "“The rent is a wage.” (Ana Ruiz)",
            "“The rent is a wage.” ([Harbor Tenants Union](https://example.org))",
        ] {
            let who = speaker(text, "rent is a wage");
            assert!(
                who == one("Ana Ruiz") || who == one("Harbor Tenants Union"),
                "{text}: {who:?}"
            );
        }
        // The quotation's own abbreviation, or a sentence that goes on, is
        // no credit.
        assert_eq!(
            speaker("We built “Find It Fast” (FIF) last year.", "Find It"),
            None
        );
        assert_eq!(
            speaker(
                "“Build more choosers” - Create features that users want.",
                "Build"
            ),
            None
        );
    }

    #[test]
    fn a_lead_in_ending_with_a_colon_credits_the_block_after_it() {
        let text = "As Lee Park argues in a follow-up post:\n\n> Rent strikes work when whole buildings act.\n";
        assert_eq!(credited(text), one("Lee Park"));
        let text = "Tomas Okafor’s advice to new organisers:\n\n“Knock on every door.”\n\n“Then knock again.”\n";
        assert_eq!(
            super::super::testing::speakers(text),
            [one("Tomas Okafor"), one("Tomas Okafor")]
        );
        // Unnamed people in their own words stay unnamed.
        let text = "Here is what the tenants said, in their own words:\n\n“We were never asked.”\n";
        assert_eq!(super::super::testing::speakers(text), [None]);
    }

    #[test]
    fn include_and_shortcode_parameters() {
        let text = r#"{% include testimonial.html quote="The Fund changed how we work." attribution="Ana Ruiz" position="Chair, Harbor Fund" %}"#;
        let h = heard(text);
        let quote = h.iter().find(|h| h.words.starts_with("The Fund")).unwrap();
        assert_eq!(quote.speaker, one("Ana Ruiz"));
        assert_eq!(quote.role.as_deref(), Some("Chair, Harbor Fund"));
        // The credit's own value is no quotation of anybody.
        assert!(
            h.iter()
                .filter(|h| h.words == "Ana Ruiz")
                .all(|h| h.speaker.is_none())
        );
        let text = r#"{{< quote author="Lee Park" >}} “We stay.” {{< /quote >}}"#;
        let _ = heard(text);
        // A role alone names nobody.
        let text = r#"{% include testimonial.html quote="It saved us a week." attribution="Email from a user" %}"#;
        assert_eq!(speaker(text, "saved us"), None);
    }

    #[test]
    fn parameters_of_a_tag() {
        let text = r#"{% include testimonial.html quote="We won." attribution="Ana Ruiz" position='Chair' %}"#;
        let at = text.find("We").unwrap();
        let params = tag_parameters(text, at).unwrap();
        let keys: Vec<(&str, &str)> = params
            .iter()
            .map(|(k, span)| (k.as_str(), &text[span.clone()]))
            .collect();
        assert_eq!(
            keys,
            [
                ("quote", "We won."),
                ("attribution", "Ana Ruiz"),
                ("position", "Chair")
            ]
        );
        assert_eq!(tag_parameters("no tag “here”", 10), None);
    }

    #[test]
    fn credit_dashes_and_tags() {
        assert_eq!(after_dash("— Ana Ruiz"), Some("Ana Ruiz"));
        assert_eq!(after_dash("-- Ana Ruiz, Chair"), Some("Ana Ruiz, Chair"));
        assert_eq!(after_dash("—**Ana Ruiz**"), Some("Ana Ruiz**"));
        assert_eq!(after_dash("- not a credit"), None);
        assert_eq!(
            without_tags("<span>- Ana Ruiz, Chair</span>"),
            "- Ana Ruiz, Chair"
        );
    }
}
