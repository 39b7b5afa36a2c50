//! Tests of [`super::check`] on a corpus of invented sentences, indexed for
//! real, so the look-ups are the ones `citeindex check` makes.

use super::*;
use crate::site::{Site, SiteOptions};

const SOURCES: &str = "sources:
  - id: ada-quill
    kind: person
    title: Ada Quill
  - id: bram-holt
    kind: person
    title: Bram Holt
";

const PAGE: &str = "---
title: Notes on Tides
---
Ada Quill wrote that “the tide keeps no appointment with the harbour master” in her logbook.

Bram Holt said, “every lighthouse is a promise made to strangers at night.”
";

/// Indexes the invented corpus and checks `draft` against it.
fn check_draft(draft: &str) -> Report {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    std::fs::write(corpus.join("sources.yaml"), SOURCES).unwrap();
    std::fs::write(corpus.join("notes.md"), PAGE).unwrap();
    let site = Site::open(&corpus, &SiteOptions::default()).unwrap();
    let (index, _) = Index::open(
        &site,
        &dir.path().join("index"),
        &crate::index::Options::default(),
    )
    .unwrap();
    check(&index, draft, cite::Style::ChicagoNotes).unwrap()
}

fn only(report: &Report) -> &Quotation {
    assert_eq!(report.quotations.len(), 1, "{:#?}", report.quotations);
    &report.quotations[0]
}

#[test]
fn words_as_written_by_whom_the_draft_says_are_verified() {
    let report =
        check_draft("As Quill wrote, “the tide keeps no appointment with the harbour master.”\n");
    let q = only(&report);
    assert_eq!(q.verdict, Verdict::Verified, "{q:#?}");
    assert_eq!(q.named.as_deref(), Some("Quill"));
    assert_eq!(q.speaker.as_ref().map(|s| s.id.as_str()), Some("ada-quill"));
    let found = q.found.as_ref().unwrap();
    assert_eq!(
        found.wording,
        "the tide keeps no appointment with the harbour master"
    );
    assert!(found.cited.is_some());
    assert!(report.ok);
}

#[test]
fn case_and_dashes_changed_are_still_verified_with_the_corpus_wording() {
    let report = check_draft("“The Tide keeps no appointment with the harbour-master”\n");
    let q = only(&report);
    assert_eq!(q.verdict, Verdict::Verified, "{q:#?}");
    assert_eq!(q.found.as_ref().unwrap().status, Status::Normalised);
}

#[test]
fn a_changed_word_is_a_misquotation_with_a_diff() {
    let report = check_draft(
        "The logbook says\n\n“every lighthouse is a promise made to sailors at night.”\n",
    );
    let q = only(&report);
    assert_eq!(q.verdict, Verdict::Misquoted, "{q:#?}");
    assert_eq!(q.line, 3);
    let found = q.found.as_ref().unwrap();
    assert!(found.wording.contains("strangers"), "{}", found.wording);
    assert!(!found.diff.is_empty());
    assert!(!report.ok);
}

#[test]
fn words_given_to_the_wrong_person_are_misattributed() {
    let report =
        check_draft("As Holt wrote, “the tide keeps no appointment with the harbour master.”\n");
    let q = only(&report);
    assert_eq!(q.verdict, Verdict::Misattributed, "{q:#?}");
    assert_eq!(q.named.as_deref(), Some("Holt"));
    assert_eq!(q.speaker.as_ref().map(|s| s.id.as_str()), Some("ada-quill"));
}

#[test]
fn invented_words_are_not_found() {
    let report =
        check_draft("She insisted that “granite remembers every storm that broke upon it.”\n");
    let q = only(&report);
    assert_eq!(q.verdict, Verdict::NotFound, "{q:#?}");
    assert!(q.found.is_none());
    assert!(!report.ok);
}

#[test]
fn short_quotations_and_scare_quotes_are_listed_not_judged() {
    let report = check_draft("The so-called “quiet sea” was not quiet, and “tides” are “rude.”\n");
    assert!(!report.quotations.is_empty());
    assert!(
        report.quotations.iter().all(|q| !q.verdict.is_judged()),
        "{:#?}",
        report.quotations
    );
    assert_eq!(report.judged, 0);
    assert!(report.ok);
}

#[test]
fn the_span_of_each_quotation_slices_the_draft_to_its_words() {
    let draft = "# Draft\n\nFirst, “every lighthouse is a promise made to strangers at night.”\n\nThen “the tide keeps no appointment with the harbour master.”\n";
    let report = check_draft(draft);
    assert_eq!(report.quotations.len(), 2);
    for q in &report.quotations {
        assert_eq!(&draft[q.span.clone().unwrap()], q.text);
    }
    assert_eq!(report.quotations[1].line, 5);
}

#[test]
fn surnames_match_people_but_not_organisations() {
    let person = |id: &str, name: &str, kind| Source {
        id: id.into(),
        kind,
        title: Some(name.into()),
        ..Source::default()
    };
    let quill = person("a", "Ada Quill", SourceKind::Person);
    let surname = person("b", "Quill", SourceKind::Person);
    assert!(same_person(&quill, &surname));
    let one = person("c", "Tide Law Collective", SourceKind::Organisation);
    let other = person("d", "Harbour Law Collective", SourceKind::Organisation);
    assert!(!same_person(&one, &other));
}

#[test]
fn fixing_corrects_misquotations_and_cites_what_was_found() {
    let draft = "He wrote “every lighthouse is a promise made to sailors at night.”\n\nAnd “granite remembers every storm that broke upon it.”\n";
    let report = check_draft(draft);
    let fixed = fix(draft, &report, CiteAs::Footnotes);
    assert!(
        fixed.starts_with(
            "He wrote “every lighthouse is a promise made to strangers at night.”[^check-1]"
        ),
        "{fixed}"
    );
    assert!(fixed.contains("\n[^check-1]: "), "{fixed}");
    assert!(
        fixed.contains("“granite remembers every storm that broke upon it.”\n"),
        "{fixed}"
    );
    assert!(!fixed.contains("[^check-2]"), "{fixed}");
    let inline = fix(draft, &report, CiteAs::Inline);
    assert!(inline.contains("at night.” ("), "{inline}");
}
