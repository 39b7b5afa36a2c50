//! Report: answers written for people, in a terminal or a pipe.
//!
//! Highlighted words are bold yellow on a terminal and `**between stars**`
//! elsewhere, so that the highlight survives a pipe or a file.

use std::io::{self, Write};

use crate::check::{Report as CheckReport, Verdict};
use crate::highlight::Fragment;
use crate::hit::Hit;
use crate::index::SourceRow;
use crate::quote::{Lookup, Status};
use crate::search::Results;
use crate::source::Source;

/// How to write.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    /// Use terminal colours.
    pub color: bool,
}

/// Matched words: bold yellow.
const HIGHLIGHT: anstyle::Style = anstyle::Style::new()
    .bold()
    .fg_color(Some(anstyle::Color::Ansi(anstyle::AnsiColor::Yellow)));
/// Ids, counts and other details.
const DIM: anstyle::Style = anstyle::Style::new().dimmed();
/// Titles and verdicts.
const BOLD: anstyle::Style = anstyle::Style::new().bold();

impl Style {
    /// `text` in `look` on a terminal, as it is elsewhere.
    fn paint(&self, look: anstyle::Style, text: &str) -> String {
        if self.color {
            format!("{}{text}{}", look.render(), look.render_reset())
        } else {
            text.to_string()
        }
    }

    fn highlight(&self, text: &str) -> String {
        if self.color {
            self.paint(HIGHLIGHT, text)
        } else {
            format!("**{text}**")
        }
    }

    fn dim(&self, text: &str) -> String {
        self.paint(DIM, text)
    }

    fn bold(&self, text: &str) -> String {
        self.paint(BOLD, text)
    }
}

fn snippet(fragments: &[Fragment], style: Style) -> String {
    let joined: String = fragments
        .iter()
        .map(|f| {
            if f.highlighted {
                style.highlight(&f.text)
            } else {
                f.text.clone()
            }
        })
        .collect();
    joined.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    format!("{}…", cut.trim_end())
}

fn label(source: &Source) -> String {
    let name = source.name();
    let short = source.short_label();
    if short == name {
        name
    } else {
        format!("{short} ({})", clip(&name, 60))
    }
}

/// Writes search results.
pub fn write_results(out: &mut dyn Write, results: &Results, style: Style) -> io::Result<()> {
    if results.hits.is_empty() {
        writeln!(out, "No passage matches {}.", results.query)?;
        return Ok(());
    }
    let last = results.offset + results.hits.len();
    let all = if results.total == 1 {
        "1 passage".to_string()
    } else {
        format!("{} passages", results.total)
    };
    // "1 passage", "3 passages"; a range only when some are not shown.
    let shown = if results.offset == 0 && last == results.total {
        all
    } else {
        format!("{}–{} of {all}", results.offset + 1, last)
    };
    writeln!(out, "{}", style.dim(&shown))?;
    for (i, h) in results.hits.iter().enumerate() {
        writeln!(out)?;
        hit(out, results.offset + i + 1, h, style)?;
    }
    Ok(())
}

fn hit(out: &mut dyn Write, n: usize, hit: &Hit, style: Style) -> io::Result<()> {
    let mut place = vec![hit.page.title.clone()];
    place.extend(hit.headings.iter().cloned());
    writeln!(
        out,
        "{n}. {}  {}",
        style.bold(&place.join(" › ")),
        style.dim(&format!(
            "{} ({}, line {}, score {:.2})",
            hit.id,
            hit.kind.as_str(),
            hit.line,
            hit.score
        ))
    )?;
    writeln!(out, "   {}", snippet(&hit.snippet, style))?;
    if let Some(url) = &hit.url {
        writeln!(out, "   link: {url}")?;
    }
    if let Some(said) = hit.said_by() {
        let how = if hit.excerpted_from.is_some() {
            "excerpt of"
        } else {
            "on page"
        };
        writeln!(out, "   {how}: {}", label(&said))?;
    }
    for q in hit.quotes.iter().filter(|q| q.speaker.is_some()) {
        if let Some(speaker) = &q.speaker {
            writeln!(
                out,
                "   quotes: “{}” — {}",
                clip(&q.text, 50),
                label(speaker)
            )?;
        }
    }
    Ok(())
}

/// How many characters of a passage a quote look-up shows on each side of
/// the wording, unless asked for all of it.
pub const QUOTE_WINDOW: usize = 160;

/// Writes a quote look-up, each passage as a window around the words.
pub fn write_lookup(out: &mut dyn Write, lookup: &Lookup, style: Style) -> io::Result<()> {
    write_lookup_with(out, lookup, style, false)
}

/// Writes a quote look-up; with `full`, each passage whole.
pub fn write_lookup_with(
    out: &mut dyn Write,
    lookup: &Lookup,
    style: Style,
    full: bool,
) -> io::Result<()> {
    if lookup.status == Status::NotFound {
        writeln!(
            out,
            "Not found: no passage holds these words in this order."
        )?;
        if !lookup.nearest.is_empty() {
            writeln!(out, "\nNearest passages:")?;
        }
        for (i, h) in lookup.nearest.iter().enumerate() {
            writeln!(
                out,
                "{}. {}  {}",
                i + 1,
                style.bold(&h.page.title),
                style.dim(&h.id)
            )?;
            writeln!(out, "   {}", snippet(&h.snippet, style))?;
        }
        return Ok(());
    }
    let count = lookup.matches.len();
    writeln!(
        out,
        "{}",
        style.dim(&format!(
            "{count} match{}",
            if count == 1 { "" } else { "es" }
        ))
    )?;
    for (i, m) in lookup.matches.iter().enumerate() {
        let status = match m.status {
            Status::Exact => "exact",
            Status::Normalised => "normalised",
            Status::Close => "close",
            Status::NotFound => "not found",
        };
        writeln!(out)?;
        writeln!(
            out,
            "{}. {} match in {}  {}",
            i + 1,
            status,
            style.bold(&m.passage.page.title),
            style.dim(&m.passage.id)
        )?;
        writeln!(out, "   wording: “{}”", m.wording)?;
        if m.status == Status::Close {
            writeln!(
                out,
                "   similar: {:.0}%  (asked → written: [-dropped-] {{+added+}})",
                m.similarity * 100.0
            )?;
            writeln!(out, "   diff:    {}", crate::align::diff_line(&m.diff))?;
        }
        let passage = if full {
            snippet(&m.passage.snippet, style)
        } else {
            window(&m.passage.text, m.span.clone(), style)
        };
        writeln!(out, "   passage: {passage}")?;
        if let Some(speaker) = &m.speaker {
            writeln!(out, "   speaker: {}", label(speaker))?;
        }
        writeln!(out, "   chain:   {}", m.attribution)?;
        match &m.cited {
            Some(cited) => writeln!(out, "   cite:    {}", indent(&cited.text, "            "))?,
            None => writeln!(out, "   cite:    {}", m.citation)?,
        }
    }
    Ok(())
}

/// The wording at `span` of `text` in bold, with up to [`QUOTE_WINDOW`]
/// characters either side, cut at a word and marked `…` where cut.
fn window(text: &str, span: std::ops::Range<usize>, style: Style) -> String {
    let Some(wording) = text.get(span.clone()) else {
        return text.to_string();
    };
    let before = &text[..span.start];
    let after = &text[span.end..];
    let start = before
        .char_indices()
        .rev()
        .nth(QUOTE_WINDOW)
        .map_or(0, |(at, _)| at);
    let head = if start == 0 {
        before
    } else {
        let cut = &before[start..];
        cut.find(' ').map_or(cut, |space| &cut[space + 1..])
    };
    let end = after
        .char_indices()
        .nth(QUOTE_WINDOW)
        .map_or(after.len(), |(at, _)| at);
    let tail = if end == after.len() {
        after
    } else {
        let cut = &after[..end];
        cut.rfind(' ').map_or(cut, |space| &cut[..space])
    };
    format!(
        "{}{head}{}{tail}{}",
        if head.len() < before.len() { "…" } else { "" },
        style.bold(wording),
        if tail.len() < after.len() { "…" } else { "" },
    )
}

fn indent(text: &str, by: &str) -> String {
    text.replace('\n', &format!("\n{by}"))
}

/// Writes a citation: what to paste, then the bibliography and the link.
pub fn write_citation(out: &mut dyn Write, citation: &crate::cite::Citation) -> io::Result<()> {
    writeln!(out, "{}", citation.text)?;
    if !citation.bibliography.is_empty() {
        writeln!(out, "\nBibliography:")?;
        for entry in &citation.bibliography {
            writeln!(out, "  {entry}")?;
        }
    }
    if let Some(link) = &citation.link {
        writeln!(out, "\nPassage: {link}")?;
    }
    Ok(())
}

/// Writes where a fetched source's details were read, and what went wrong.
fn write_details_found(
    out: &mut dyn Write,
    from: &[crate::source::Origin],
    warnings: &[String],
) -> io::Result<()> {
    let names: Vec<String> = from
        .iter()
        .filter_map(|o| serde_json::to_value(o).ok())
        .filter_map(|v| v.as_str().map(String::from))
        .collect();
    if names.is_empty() {
        writeln!(out, "        it states no details of itself")?;
    } else {
        writeln!(out, "        details read from: {}", names.join(", "))?;
    }
    for warning in warnings {
        writeln!(out, "        warning: {warning}")?;
    }
    Ok(())
}

/// Writes the sources table.
pub fn write_sources(out: &mut dyn Write, rows: &[SourceRow], style: Style) -> io::Result<()> {
    let width = rows
        .iter()
        .map(|r| r.source.id.chars().count())
        .max()
        .unwrap_or(2)
        .clamp(2, 40);
    writeln!(
        out,
        "{}",
        style.bold(&format!(
            "{:<width$}  {:<12}  {:>8}  {:>6}  NAME",
            "ID", "KIND", "PASSAGES", "QUOTES"
        ))
    )?;
    for row in rows {
        let kind = serde_json::to_value(row.source.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        writeln!(
            out,
            "{:<width$}  {:<12}  {:>8}  {:>6}  {}",
            row.source.id,
            kind,
            row.counts.passages,
            row.counts.quotes,
            clip(&row.source.name(), 70)
        )?;
    }
    for row in rows {
        for conflict in &row.source.conflicts {
            writeln!(out, "\n{}", conflict_text(&row.source.id, conflict))?;
        }
    }
    Ok(())
}

/// A disagreement between the registry and a source's own details, said.
pub fn conflict_text(id: &str, conflict: &crate::source::Conflict) -> String {
    let from = match conflict.from {
        crate::source::Origin::Registry => "the registry",
        crate::source::Origin::Page => "its page",
        crate::source::Origin::Pdf => "its PDF",
        crate::source::Origin::Doi => "its DOI's record",
        crate::source::Origin::Archive => "the archived copy of its page",
    };
    format!(
        "{id}: the registry's {} \u{201c}{}\u{201d} is kept; {from} says \u{201c}{}\u{201d}",
        conflict.field, conflict.registry, conflict.found
    )
}

/// Writes the corpus-wide verification report, a block per check and a
/// count of each verdict.
pub fn write_verification(
    out: &mut dyn Write,
    checks: &[crate::verify::Checked],
    style: Style,
) -> io::Result<()> {
    use crate::hit::Verdict;
    if checks.is_empty() {
        return writeln!(
            out,
            "Nothing to check: no source quoted or excerpted in the corpus has its full text indexed."
        );
    }
    for c in checks {
        let v = &c.verification;
        let verdict = match v.status {
            Verdict::Verified => "verified",
            Verdict::VerifiedWithDifferences => "verified with differences",
            Verdict::NotFound => "NOT FOUND",
        };
        let words: String = if c.words.chars().count() > 160 {
            let cut: String = c.words.chars().take(157).collect();
            format!("{cut}…")
        } else {
            c.words.clone()
        };
        writeln!(
            out,
            "{}  {}  {}",
            style.bold(verdict),
            style.dim(&c.passage),
            c.speaker.as_deref().unwrap_or("")
        )?;
        writeln!(out, "   words:   {words}")?;
        let place = match (v.source_page, &v.passage) {
            (Some(page), _) => format!("{}, page {page}", v.document),
            (None, Some(p)) => format!("{} ({p})", v.document),
            (None, None) => v.document.clone(),
        };
        match v.status {
            Verdict::NotFound => writeln!(out, "   not in:  {place}")?,
            _ => writeln!(out, "   in:      {place}")?,
        }
        if v.status == Verdict::VerifiedWithDifferences {
            if let Some(wording) = &v.wording {
                writeln!(out, "   source:  “{wording}”")?;
            }
            writeln!(
                out,
                "   diff:    {}  (page → source: [-dropped-] {{+added+}}, {:.0}% similar)",
                crate::align::diff_line(&v.diff),
                v.similarity.unwrap_or(0.0) * 100.0
            )?;
        }
        writeln!(out)?;
    }
    let count = |verdict| {
        checks
            .iter()
            .filter(|c| c.verification.status == verdict)
            .count()
    };
    writeln!(
        out,
        "{} checked: {} verified, {} with differences, {} not found",
        checks.len(),
        count(Verdict::Verified),
        count(Verdict::VerifiedWithDifferences),
        count(Verdict::NotFound)
    )
}

/// Writes what `fetch` did, a line per source and a count.
pub fn write_fetched(
    out: &mut dyn Write,
    fetched: &[crate::fetch::Fetched],
    style: Style,
) -> io::Result<()> {
    use crate::fetch::Outcome;
    if fetched.is_empty() {
        return writeln!(out, "No source has a URL of a work to fetch.");
    }
    let (mut saved, mut kept, mut refreshed, mut failed) = (0, 0, 0, 0);
    for f in fetched {
        match &f.outcome {
            Outcome::Saved {
                path,
                bytes,
                archived_url,
                details_from,
                warnings,
            } => {
                saved += 1;
                write!(out, "saved   {}  {path} ({bytes} bytes)", style.bold(&f.id))?;
                match archived_url {
                    Some(snapshot) => writeln!(out, " from the web archive: {snapshot}")?,
                    None => writeln!(out)?,
                }
                write_details_found(out, details_from, warnings)?;
            }
            Outcome::Kept { path } => {
                kept += 1;
                writeln!(
                    out,
                    "kept    {}  {path} is there already (--force replaces it)",
                    style.bold(&f.id)
                )?;
            }
            Outcome::Refreshed {
                path,
                details_from,
                warnings,
            } => {
                refreshed += 1;
                writeln!(
                    out,
                    "read    {}  {path} again for details",
                    style.bold(&f.id)
                )?;
                write_details_found(out, details_from, warnings)?;
            }
            Outcome::Failed { message } => {
                failed += 1;
                writeln!(out, "FAILED  {}  {}: {message}", style.bold(&f.id), f.url)?;
            }
        }
    }
    match refreshed {
        0 => writeln!(out, "\n{saved} saved, {kept} kept, {failed} failed"),
        n => writeln!(
            out,
            "\n{saved} saved, {kept} kept, {n} read again, {failed} failed"
        ),
    }
}

/// The verdicts on a draft, each quotation with its line.
pub fn write_check(out: &mut dyn Write, report: &CheckReport, style: Style) -> io::Result<()> {
    for q in &report.quotations {
        let verdict = match q.verdict {
            Verdict::Verified => "verified",
            Verdict::Misquoted => "misquoted",
            Verdict::Misattributed => "misattributed",
            Verdict::NotFound => "not found",
            Verdict::TooShort => "not judged (short)",
            Verdict::Term => "not judged (term)",
            Verdict::Scare => "not judged (scare quote)",
            Verdict::Title => "not judged (title)",
        };
        writeln!(
            out,
            "line {}: {}  “{}”",
            q.line,
            style.bold(verdict),
            clip(&q.text, 80)
        )?;
        if let Some(named) = &q.named {
            writeln!(out, "   named:   {named}")?;
        }
        if let Some(found) = &q.found {
            if q.verdict == Verdict::Misquoted {
                writeln!(out, "   corpus:  “{}”", found.wording)?;
                writeln!(out, "   similar: {:.0}%", found.similarity * 100.0)?;
                writeln!(out, "   diff:    {}", crate::align::diff_line(&found.diff))?;
            }
            if let Some(speaker) = &q.speaker {
                writeln!(out, "   speaker: {}", label(speaker))?;
            }
            writeln!(out, "   passage: {}", style.dim(&found.passage.id))?;
            writeln!(out, "   chain:   {}", found.attribution)?;
            let cite = found.cited.as_ref().map_or(&found.citation, |c| &c.text);
            writeln!(out, "   cite:    {}", indent(cite, "            "))?;
        }
        for h in &q.nearest {
            writeln!(
                out,
                "   nearest: {}  {}",
                style.dim(&h.id),
                snippet(&h.snippet, style)
            )?;
        }
    }
    writeln!(
        out,
        "{}",
        style.dim(&format!(
            "{} quotation{}, {} judged, {} verified",
            report.quotations.len(),
            if report.quotations.len() == 1 {
                ""
            } else {
                "s"
            },
            report.judged,
            report.verified
        ))
    )
}
