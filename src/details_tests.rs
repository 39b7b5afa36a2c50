use lopdf::dictionary;
use serde_json::json;

use super::*;

/// A page whose head holds `head`.
fn page(head: &str) -> String {
    format!("<!doctype html><html><head>{head}</head><body><p>Text.</p></body></html>")
}

fn some(s: &str) -> Option<String> {
    Some(s.to_string())
}

#[test]
fn highwire_tags() {
    let html = page(
        r#"<meta name="citation_title" content="On  the Keeping of &amp; Quoting">
        <meta name="citation_author" content="Hermes, Kris">
        <meta name="citation_author" content="Anna Berg">
        <meta name="citation_author" content="Kris Hermes">
        <meta name="citation_publication_date" content="2016/07/14">
        <meta name="citation_journal_title" content="Journal of Made-up Studies">
        <meta name="citation_publisher" content="Example Press">
        <meta name="citation_volume" content="12">
        <meta name="citation_issue" content="3">
        <meta name="citation_firstpage" content="12">
        <meta name="citation_lastpage" content="19">
        <meta name="citation_doi" content="doi:10.5555/ABC.123">
        <meta name="citation_pdf_url" content="https://example.org/a/paper.pdf">"#,
    );
    let details = from_html(&html, "https://example.org/a/paper");
    assert_eq!(
        details,
        Details {
            title: some("On the Keeping of & Quoting"),
            authors: vec!["Kris Hermes".into(), "Anna Berg".into()],
            date: some("2016-07-14"),
            container: some("Journal of Made-up Studies"),
            publisher: some("Example Press"),
            volume: some("12"),
            issue: some("3"),
            pages: some("12–19"),
            doi: some("10.5555/abc.123"),
            pdf_url: some("https://example.org/a/paper.pdf"),
            kind: some("article"),
        }
    );
}

#[test]
fn highwire_author_list_and_report() {
    let html = page(
        r#"<meta name="citation_authors" content="Berg, Anna; Carl Dahl">
        <meta name="citation_technical_report_institution" content="Institute of Examples">
        <meta name="citation_date" content="Spring 2016">"#,
    );
    let details = from_html(&html, "https://example.org/");
    assert_eq!(details.authors, ["Anna Berg", "Carl Dahl"]);
    assert_eq!(details.publisher.as_deref(), Some("Institute of Examples"));
    assert_eq!(details.kind.as_deref(), Some("report"));
    assert_eq!(details.date.as_deref(), Some("2016"));
}

#[test]
fn relative_pdf_addresses() {
    let at = |href: &str| {
        let html = page(&format!(
            r#"<meta name="citation_pdf_url" content="{href}">"#
        ));
        from_html(&html, "https://example.org/papers/2016/one.html?x=1").pdf_url
    };
    assert_eq!(
        at("one.pdf"),
        some("https://example.org/papers/2016/one.pdf")
    );
    assert_eq!(
        at("/files/one.pdf"),
        some("https://example.org/files/one.pdf")
    );
    assert_eq!(
        at("../pdf/one.pdf"),
        some("https://example.org/papers/pdf/one.pdf")
    );
    assert_eq!(
        at("//cdn.example.net/one.pdf"),
        some("https://cdn.example.net/one.pdf")
    );
    assert_eq!(at("javascript:void(0)"), None);
    assert_eq!(resolve("", "one.pdf"), None);
    assert_eq!(
        resolve("https://example.org", "one.pdf"),
        some("https://example.org/one.pdf")
    );
}

#[test]
fn json_ld_graph_with_volume_issue_and_periodical() {
    let html = page(
        r##"<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
          {"@type": "WebPage", "@id": "#page", "name": "A page – Example Site"},
          {"@type": ["ScholarlyArticle"], "headline": "Counting the Uncounted",
           "author": [{"@type": "Person", "name": "Berg, Anna"}, {"@id": "#dahl"},
                      {"@type": "Organization", "name": "Example Lab, Inc."}],
           "datePublished": "2016-07-14T10:00:00+02:00",
           "publisher": {"@type": "Organization", "name": "Example Press"},
           "pageStart": 5, "pageEnd": "9",
           "identifier": {"@type": "PropertyValue", "propertyID": "DOI", "value": "10.5555/cu.1"},
           "isPartOf": {"@type": "PublicationIssue", "issueNumber": "4",
             "isPartOf": {"@type": "PublicationVolume", "volumeNumber": 7,
               "isPartOf": {"@type": "Periodical", "name": "Review of Examples"}}}},
          {"@type": "Person", "@id": "#dahl", "givenName": "Carl", "familyName": "Dahl"}
        ]}</script>"##,
    );
    let details = from_html(&html, "https://example.org/x");
    assert_eq!(
        details,
        Details {
            title: some("Counting the Uncounted"),
            authors: vec![
                "Anna Berg".into(),
                "Carl Dahl".into(),
                "Example Lab, Inc.".into()
            ],
            date: some("2016-07-14"),
            container: some("Review of Examples"),
            publisher: some("Example Press"),
            volume: some("7"),
            issue: some("4"),
            pages: some("5–9"),
            doi: some("10.5555/cu.1"),
            pdf_url: None,
            kind: some("article"),
        }
    );
}

#[test]
fn json_ld_array_site_and_malformed_scripts() {
    let html = page(
        r#"<script type="application/ld+json">{"@type": "NewsArticle", oops}</script>
        <script type="application/ld+json">[{"@type": "Organization", "name": "Nope"},
          {"@type": "http://schema.org/Report", "name": "Yearly Figures", "author": "Anna Berg",
           "isPartOf": {"@type": "WebSite", "name": "Example Site"},
           "sameAs": ["https://example.org/", "https://doi.org/10.5555/YF.2016."]}]</script>"#,
    );
    let details = from_html(&html, "https://example.org/");
    assert_eq!(details.title.as_deref(), Some("Yearly Figures"));
    assert_eq!(details.authors, ["Anna Berg"]);
    assert_eq!(details.container.as_deref(), Some("Example Site"));
    assert_eq!(details.doi.as_deref(), Some("10.5555/yf.2016"));
    assert_eq!(details.kind.as_deref(), Some("report"));
}

#[test]
fn dublin_core_only() {
    let html = page(
        r#"<meta name="DC.title" content="A Study of Things">
        <meta name="DC.creator" content="Dahl, Carl">
        <meta name="dc.creator" content="Eva Falk">
        <meta name="DCTERMS.issued" content="2015-03">
        <meta name="DC.date" content="2019-01-01">
        <meta name="dc.publisher" content="Example University Press">
        <meta name="DC.identifier" content="urn:isbn:0000000000">
        <meta name="DC.identifier" content="https://doi.org/10.5555/st.9">"#,
    );
    let details = from_html(&html, "https://example.org/");
    assert_eq!(
        details,
        Details {
            title: some("A Study of Things"),
            authors: vec!["Carl Dahl".into(), "Eva Falk".into()],
            date: some("2015-03"),
            publisher: some("Example University Press"),
            doi: some("10.5555/st.9"),
            ..Details::default()
        }
    );
}

#[test]
fn open_graph_only() {
    let html = page(
        r#"<meta property="og:title" content="What We Found">
        <meta property="og:site_name" content="Example News">
        <meta property="og:type" content="article">
        <meta property="article:author" content="https://social.example.com/someone">
        <meta property="article:author" content="Gus Holm">
        <meta property="article:published_time" content="2020-02-29T08:00:00Z">
        <meta name="author" content="Someone Else">"#,
    );
    let details = from_html(&html, "https://example.org/");
    assert_eq!(
        details,
        Details {
            title: some("What We Found"),
            authors: vec!["Gus Holm".into()],
            date: some("2020-02-29"),
            container: some("Example News"),
            kind: some("article"),
            ..Details::default()
        }
    );
}

#[test]
fn the_author_tag_when_nothing_else_names_one() {
    let html = page(r#"<meta name="author" content="Ida Jonsson and Karl Lund"><title>T</title>"#);
    let details = from_html(&html, "https://example.org/");
    assert_eq!(details.authors, ["Ida Jonsson", "Karl Lund"]);
    assert_eq!(details.title, None, "the window title is not read");
}

#[test]
fn no_markup_says_nothing() {
    let html = page(
        "<title>Just a Page</title><meta charset='utf-8'><meta name='description' content='x'>",
    );
    assert!(from_html(&html, "https://example.org/").is_empty());
    assert!(from_html("", "").is_empty());
}

#[test]
fn precedence_and_empty_values() {
    let html = page(
        r#"<meta property="og:title" content="Social Title">
        <meta name="citation_title" content=" -- ">
        <meta name="citation_title" content="Scholarly Title">
        <meta name="DC.title" content="DC Title">"#,
    );
    assert_eq!(
        from_html(&html, "https://example.org/").title.as_deref(),
        Some("Scholarly Title")
    );
}

#[test]
fn dates() {
    let cases = [
        ("2016", Some("2016")),
        ("2016-07", Some("2016-07")),
        ("2016/07", Some("2016-07")),
        ("2016-07-14", Some("2016-07-14")),
        ("2016/7/4", Some("2016-07-04")),
        ("2016-07-14T10:00:00+02:00", Some("2016-07-14")),
        ("2016-07-14 10:00", Some("2016-07-14")),
        ("July 14, 2016", Some("2016-07-14")),
        ("14 July 2016", Some("2016-07-14")),
        ("Jul 2016", Some("2016-07")),
        ("May 1 2016", None),
        ("Spring 2016", Some("2016")),
        ("2016-02-30", None),
        ("2016-13", None),
        ("0000-00-00", None),
        ("07/14/2016", None),
        ("14.07.2016", None),
        ("2016 or so", None),
        ("July 2016 issue", None),
        ("Ju 2016", None),
        ("", None),
        ("20160714", None),
    ];
    for (text, expected) in cases {
        assert_eq!(date(text).as_deref(), expected, "{text}");
    }
}

#[test]
fn names_as_printed() {
    assert_eq!(person_name("Hermes, Kris").as_deref(), Some("Kris Hermes"));
    assert_eq!(
        person_name("van der Berg, Anna").as_deref(),
        Some("Anna van der Berg")
    );
    assert_eq!(
        person_name("By Kris Hermes").as_deref(),
        Some("Kris Hermes")
    );
    assert_eq!(
        person_name("Kris Hermes, Jr.").as_deref(),
        Some("Kris Hermes, Jr.")
    );
    assert_eq!(
        person_name("Example Co, Ltd").as_deref(),
        Some("Example Co, Ltd")
    );
    assert_eq!(
        person_name("University of Examples, Department of Things").as_deref(),
        Some("University of Examples, Department of Things")
    );
    // A name and what follows it in a byline stay as written.
    for byline in [
        "John Smith, Reuters",
        "Jane Doe, Staff Writer",
        "Kris Hermes, Ph.D.",
    ] {
        assert_eq!(person_name(byline).as_deref(), Some(byline), "{byline}");
    }
    assert_eq!(person_name("https://facebook.com/x"), None);
    assert_eq!(person_name("@someone"), None);
    assert_eq!(person_name(" ; "), None);
}

#[test]
fn author_lists() {
    assert_eq!(
        split_authors("A. Smith; B. Jones"),
        ["A. Smith", "B. Jones"]
    );
    assert_eq!(split_authors("Smith, John"), ["John Smith"]);
    assert_eq!(
        split_authors("A. Smith and B. Jones"),
        ["A. Smith", "B. Jones"]
    );
    assert_eq!(
        split_authors("Anna Berg, Carl Dahl and Eva Falk"),
        ["Anna Berg", "Carl Dahl", "Eva Falk"]
    );
    assert_eq!(
        split_authors("Department of Health and Human Services"),
        ["Department of Health and Human Services"]
    );
    assert_eq!(split_authors("Smith and Wesson"), ["Smith and Wesson"]);
    assert_eq!(
        split_authors("Jane Doe, Staff Writer"),
        ["Jane Doe, Staff Writer"]
    );
    assert_eq!(
        split_authors("Example Research Institute, Anna Berg"),
        ["Example Research Institute, Anna Berg"]
    );
}

#[test]
fn csl_json_answer() {
    let item = json!({
        "type": "article-journal",
        "title": ["Measuring Made-up Things"],
        "author": [
            {"given": "Anna", "family": "Berg", "sequence": "first"},
            {"given": "Ludwig", "non-dropping-particle": "van", "family": "Dam"},
            {"literal": "The Example Consortium"}
        ],
        "editor": [{"given": "Nope", "family": "Editor"}],
        "issued": {"date-parts": [[2016, 7]]},
        "published-online": {"date-parts": [[2016, 6, 30]]},
        "container-title": "Journal of Examples",
        "publisher": "Example Press",
        "volume": 12,
        "issue": "3",
        "page": "12-19",
        "DOI": "10.5555/MMT.2016"
    });
    assert_eq!(
        from_csl_json(&item),
        Details {
            title: some("Measuring Made-up Things"),
            authors: vec![
                "Anna Berg".into(),
                "Ludwig van Dam".into(),
                "The Example Consortium".into()
            ],
            date: some("2016-07"),
            container: some("Journal of Examples"),
            publisher: some("Example Press"),
            volume: some("12"),
            issue: some("3"),
            pages: some("12–19"),
            doi: some("10.5555/mmt.2016"),
            pdf_url: None,
            kind: some("article"),
        }
    );
}

#[test]
fn csl_json_editors_dates_and_kinds() {
    let item = json!({
        "type": "webpage",
        "editor": [{"given": "Eva", "family": "Falk"}],
        "issued": {"date-parts": [[null]]},
        "published-print": {"date-parts": [["2014", "2", "28"]]}
    });
    let details = from_csl_json(&item);
    assert_eq!(details.authors, ["Eva Falk"]);
    assert_eq!(details.date.as_deref(), Some("2014-02-28"));
    assert_eq!(details.kind.as_deref(), Some("web-page"));
    assert_eq!(from_csl_json(&json!({"type": "dataset"})).kind, None);
    assert_eq!(
        from_csl_json(&json!({"issued": {"raw": "March 3, 2001"}}))
            .date
            .as_deref(),
        Some("2001-03-03")
    );
    assert_eq!(
        from_csl_json(&json!({"issued": {"date-parts": [[2016, 2, 31]]}})).date,
        None
    );
    assert!(from_csl_json(&json!("not an item")).is_empty());
    assert!(from_csl_json(&json!({"author": "nobody", "issued": 7})).is_empty());
}

#[test]
fn dois_in_text() {
    let cases = [
        ("https://doi.org/10.1000/XYZ-1", Some("10.1000/xyz-1")),
        ("doi:10.1000/xyz", Some("10.1000/xyz")),
        ("see doi:10.1000/xyz.", Some("10.1000/xyz")),
        (
            "https://example.org/article/10.1371/journal.pone.0001",
            Some("10.1371/journal.pone.0001"),
        ),
        (
            "https://example.org/a/10.1000/abc?download=1#top",
            Some("10.1000/abc"),
        ),
        // An escaped DOI is not read, rather than read wrong.
        ("https://example.org/?doi=10.1000%2Fabc&x=2", None),
        (
            "https://example.org/?doi=10.1000/abc&x=2",
            Some("10.1000/abc"),
        ),
        (
            "(doi: 10.1002/(SICI)1097-0118(199902)30:2)",
            Some("10.1002/(sici)1097-0118(199902)30:2"),
        ),
        ("10.1000.12/xyz", Some("10.1000.12/xyz")),
        ("110.1000/xyz", None),
        ("10.10/xyz", None),
        ("10.1000/", None),
        ("10.1000/.,;", None),
        ("version 10.12345 of it", None),
        ("", None),
        ("https://example.org/", None),
    ];
    for (text, expected) in cases {
        assert_eq!(doi_in(text).as_deref(), expected, "{text}");
    }
}

#[test]
fn page_ranges() {
    assert_eq!(pages(some("12"), some("19")).as_deref(), Some("12–19"));
    assert_eq!(pages(some("12"), some("12")).as_deref(), Some("12"));
    assert_eq!(pages(some("12-19"), some("19")).as_deref(), Some("12–19"));
    assert_eq!(pages(None, some("19")), None);
    assert_eq!(range("e0001"), "e0001");
    assert_eq!(range("12--19"), "12–19");
}

/// A one-page PDF whose information dictionary is `info`.
fn pdf_with_info(info: lopdf::Dictionary) -> Vec<u8> {
    pdf_with(info, None)
}

/// A one-page PDF whose information dictionary is `info`, encrypted as
/// `encrypt` says.
fn pdf_with(info: lopdf::Dictionary, encrypt: Option<lopdf::Dictionary>) -> Vec<u8> {
    use lopdf::{Document, Object};
    let mut document = Document::with_version("1.5");
    let pages_id = document.new_object_id();
    let page_id = document.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "MediaBox" => vec![0.into(), 0.into(), 100.into(), 100.into()],
    });
    document.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => vec![page_id.into()],
            "Count" => 1,
        }),
    );
    let catalog = document.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    let info = document.add_object(info);
    document.trailer.set("Root", catalog);
    document.trailer.set("Info", info);
    if let Some(encrypt) = encrypt {
        let encrypt = document.add_object(encrypt);
        document.trailer.set("Encrypt", encrypt);
    }
    let mut bytes = Vec::new();
    document.save_to(&mut bytes).expect("a PDF is written");
    bytes
}

/// A PDF text string as UTF-16BE with its byte order mark.
fn utf16(text: &str) -> lopdf::Object {
    let mut bytes = vec![0xFE, 0xFF];
    bytes.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    lopdf::Object::String(bytes, lopdf::StringFormat::Hexadecimal)
}

/// A PDF text string as PDFDocEncoding bytes.
fn pdf_doc(bytes: &[u8]) -> lopdf::Object {
    lopdf::Object::String(bytes.to_vec(), lopdf::StringFormat::Literal)
}

fn sample_pdf() -> Vec<u8> {
    pdf_with_info(dictionary! {
        "Title" => utf16("Über Zitate — ein Bericht"),
        "Author" => pdf_doc(b"Ren\xe9e Dubois; A. Smith"),
        "CreationDate" => pdf_doc(b"D:20190101120000Z"),
    })
}

#[test]
fn a_pdfs_information_dictionary() {
    assert_eq!(
        from_pdf(&sample_pdf()),
        Details {
            title: some("Über Zitate — ein Bericht"),
            authors: vec!["Renée Dubois".into(), "A. Smith".into()],
            ..Details::default()
        }
    );
    let word = pdf_with_info(dictionary! {
        "Title" => pdf_doc(b"Microsoft Word - Draft Report.docx"),
        "Author" => pdf_doc(b"Administrator"),
    });
    let details = from_pdf(&word);
    assert_eq!(details.title.as_deref(), Some("Draft Report"));
    assert!(details.authors.is_empty());
    let junk = pdf_with_info(dictionary! {
        "Title" => pdf_doc(b"scan_0042.pdf"),
        "Author" => pdf_doc(b"Smith, John"),
    });
    let details = from_pdf(&junk);
    assert_eq!(details.title, None);
    assert_eq!(details.authors, ["John Smith"]);
}

#[test]
fn an_encrypted_pdf_it_cannot_read_says_nothing() {
    let info = dictionary! { "Title" => pdf_doc(b"Sealed Report") };
    let encrypt = dictionary! { "Filter" => "Standard", "V" => 99, "R" => 99 };
    assert_eq!(
        from_pdf(&pdf_with(info.clone(), None)).title.as_deref(),
        Some("Sealed Report")
    );
    assert!(from_pdf(&pdf_with(info, Some(encrypt))).is_empty());
}

#[test]
fn pdf_titles_that_are_no_titles() {
    for junk in [
        "",
        "  ",
        "untitled",
        "Untitled-1",
        "Document1",
        "Slide 1",
        "final.indd",
        "x.QXD",
    ] {
        assert_eq!(pdf_title(junk), None, "{junk}");
    }
    assert_eq!(pdf_title("Microsoft Word - x.doc").as_deref(), Some("x"));
    assert_eq!(
        pdf_title("Title 42 Explained").as_deref(),
        Some("Title 42 Explained")
    );
}

#[test]
fn garbage_says_nothing_and_never_panics() {
    assert!(from_pdf(b"").is_empty());
    assert!(from_pdf(b"not a pdf at all").is_empty());
    assert!(from_pdf(b"%PDF-1.4\n%%EOF").is_empty());
    let pdf = sample_pdf();
    for end in 0..pdf.len() {
        let _ = from_pdf(&pdf[..end]);
    }
    // Every byte flipped, one at a time.
    for at in 0..pdf.len() {
        let mut flipped = pdf.clone();
        flipped[at] ^= 0xA5;
        let _ = from_pdf(&flipped);
    }
    let html = page(
        r##"<meta name="citation_title" content="Ünïcödé “quoted”">
        <meta name="citation_pdf_url" content="../../x.pdf">
        <script type="application/ld+json">{"@graph": [{"@type": "Article", "isPartOf":
        {"@id": "#a"}, "author": [[[]]], "name": {"@value": 3}},
        {"@id": "#a", "isPartOf": {"@id": "#a"}}]}
        </script>"##,
    );
    for (end, _) in html.char_indices() {
        let _ = from_html(&html[..end], "https://example.org/a/b/c");
    }
    let deep = format!(
        "<html><head>{}</head>{}",
        "<meta name=author content='A. B'>",
        "<div>".repeat(5000)
    );
    assert_eq!(from_html(&deep, "").authors, ["A. B"]);
    assert!(from_html(&"<div>".repeat(5000), "").is_empty());
    for value in [
        json!(null),
        json!([1, "x", {"author": [{"given": 3}]}]),
        json!({"title": {"a": 1}, "issued": {"date-parts": "2016"}, "page": ["-"], "DOI": 5}),
        json!({"issued": {"date-parts": [[99999, -1, 400]]}}),
    ] {
        let _ = from_csl_json(&value);
    }
}

proptest::proptest! {
    #[test]
    fn noise_says_nothing_and_never_panics(noise in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
        let _ = from_pdf(&noise);
        let text = String::from_utf8_lossy(&noise).into_owned();
        let _ = from_html(&text, &text);
        let _ = doi_in(&text);
        let _ = date(&text);
        let _ = split_authors(&text);
    }
}

#[test]
fn details_round_trip_as_json() {
    let details = Details {
        title: some("T"),
        authors: vec!["A B".into()],
        ..Details::default()
    };
    let json = serde_json::to_value(&details).expect("serialised");
    assert_eq!(json, json!({"title": "T", "authors": ["A B"]}));
    let back: Details = serde_json::from_value(json).expect("deserialised");
    assert_eq!(back, details);
    assert!(Details::default().is_empty());
    assert!(!details.is_empty());
}
