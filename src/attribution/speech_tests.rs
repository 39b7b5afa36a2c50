use super::super::testing::{heard, speaker, speakers};
use crate::source::SourceKind;

fn one(s: &str) -> Option<String> {
    Some(s.to_string())
}

#[test]
fn the_verb_and_the_name_on_either_side() {
    for text in [
        "“We will not move,” said Tomas Okafor.",
        "“We will not move,” Tomas Okafor said.",
        "“We will not move,” Tomas Okafor says.",
        "Tomas Okafor said, “We will not move.”",
        "Tomas Okafor said: “We will not move.”",
        "Tomas Okafor explained that, “We will not move.”",
        "Tomas Okafor explains in the post, “We will not move.”",
        "“We will not move,” Tomas Okafor pointed out.",
        "“We will not move,” Tomas Okafor, a tenant since 1990, told reporters.",
        "As Tomas Okafor put it, “we will not move.”",
        "But Tomas Okafor has long argued that the tenants “will not move.”",
        "Tomas Okafor stood on the steps and said “we will not move.”",
    ] {
        assert_eq!(
            speaker(text, "will not move"),
            one("Tomas Okafor"),
            "{text}"
        );
    }
}

#[test]
fn every_tense_of_the_lexicon() {
    for verb in [
        "says", "said", "wrote", "writes", "adds", "added", "recalled", "insists",
    ] {
        let text = format!("“The lease ends in May,” Ines Duarte {verb}.");
        assert_eq!(speaker(&text, "The lease"), one("Ines Duarte"), "{verb}");
    }
    // A participle's subject is the sentence's.
    let text = "Ines Duarte, another organiser, left early, saying, “The lease ends in May.”";
    assert_eq!(speaker(text, "The lease"), one("Ines Duarte"));
}

#[test]
fn according_to_and_a_lead_in_before_a_term() {
    let text = "According to Lee Park, the word “eviction” covers “every removal against a tenant’s will.”";
    let h = heard(text);
    assert_eq!(h[0].speaker, None);
    assert_eq!(h[1].speaker, one("Lee Park"));
    // A discourse word is not the name.
    let text = "As Lee Park reported, “the mill closed in May.”";
    assert_eq!(speaker(text, "the mill"), one("Lee Park"));
}

#[test]
fn two_authors_and_a_website() {
    let text = "“Rent is a wage issue,” wrote Ines Duarte and Paul Kerr.";
    let h = heard(text);
    assert_eq!(h[0].speaker.as_deref(), Some("Ines Duarte, Paul Kerr"));
    let text = "“Every tenant counts,” reads the Tenants Union’s website.";
    assert_eq!(speaker(text, "Every tenant"), one("Tenants Union"));
    // A possessive resolves to its base.
    let text = "According to the Harbor Coalition’s archive, the strike “lasted forty days.”";
    assert_eq!(speaker(text, "lasted"), one("Harbor Coalition"));
}

#[test]
fn a_name_and_a_noun_of_speech_before_a_colon() {
    for (text, who) in [
        (
            "Maria Okafor’s advice: “Plan less, ship more.”",
            "Maria Okafor",
        ),
        (
            "Harbor Union recommendation: “Plan less, ship more.”",
            "Harbor Union",
        ),
        ("> 7F recommendation: “Plan less, ship more.”", "7F"),
    ] {
        assert_eq!(speakers(text), [one(who)], "{text}");
    }
    // A role in the plural is no part of the names after it.
    // A role in the plural is no part of the names after it.
    let text = "Designers Ana Ruiz and Lee Park met.\n\n“Ship small,” Ruiz said.";
    assert_eq!(speakers(text), [one("Ana Ruiz")]);
    // A work the text describes, not names, is nobody named.
    let text =
        "But a 2019 Harbor Union memo confirms that “tenants may not be charged twice for it.”";
    assert_eq!(speakers(text), [None]);
    let text = "The Harbor Union memo confirms that “tenants may not be charged twice for it.”";
    assert_eq!(speakers(text), [one("Harbor Union memo")]);
    // A compound that describes is no name: the message is nobody's here.
    let text = "Later, Dana Whit sent this Union-wide message: “Plan less, ship more.”";
    assert_eq!(speakers(text), [None]);
    // A lone word opening the sentence is a name only if the page says so.
    assert_eq!(speakers("Critics’ advice: “Plan less.”"), [None]);
}

#[test]
fn a_noun_of_speech_and_its_wording() {
    for (text, who) in [
        (
            "Maria Okafor’s motto is “plan less and ship more.”",
            "Maria Okafor",
        ),
        (
            "The Harbor Union’s mission is “to house every worker in the city.”",
            "Harbor Union",
        ),
        (
            "We share the Harbor Union’s mission to “house every worker in the city by 2030.”",
            "Harbor Union",
        ),
        (
            "The motto of the Harbor Union is “plan less and ship more.”",
            "Harbor Union",
        ),
    ] {
        assert_eq!(speakers(text), [one(who)], "{text}");
    }
    // An answer “to” words quotes the question, not the one answering.
    let text = "Maria Okafor’s answer to “what comes after the strike” took an hour.";
    assert_eq!(speakers(text), [None]);
    // A noun of speech that belongs to nobody named.
    assert_eq!(
        speakers("The message was “nobody reads the forms we send.”"),
        [None]
    );
}

#[test]
fn publications_speak_and_carry_words() {
    let text = "“We will stay,” Rosa Vance told the Guardian.";
    let h = &heard(text)[0];
    assert_eq!(h.speaker, one("Rosa Vance"));
    assert_eq!(h.via, one("The Guardian"));
    let text = "“The mill will close,” reported the Harbor Gazette.";
    let h = &heard(text)[0];
    assert_eq!(h.speaker, one("The Harbor Gazette"));
    assert_eq!(h.kind, Some(SourceKind::Publication));
    let text = "The Atlantic noted that the town is “the most stubborn place in the state.”";
    assert_eq!(speaker(text, "the most"), one("The Atlantic"));
    // A work speaks too, and is one: “The Harbor Housing policy defines …”.
    let text = "The Harbor Housing policy defines a tenant as “anyone who pays rent.”";
    let h = &heard(text)[0];
    assert_eq!(h.speaker, one("Harbor Housing policy"));
    assert_eq!(h.kind, Some(SourceKind::Report));
}

#[test]
fn the_name_without_its_role_title_or_affiliation() {
    let cases = [
        (
            "Union President Dana Whit said, “We vote tonight.”",
            "Dana Whit",
            "Union President",
        ),
        (
            "“We vote tonight,” said Director of Operations at the Bureau, Sam Ortega.",
            "Sam Ortega",
            "Director of Operations at the Bureau",
        ),
        (
            "Longtime organiser Rosa Vance, one of those arrested, said “we vote tonight.”",
            "Rosa Vance",
            "one of those arrested",
        ),
        (
            "Rev. Ada Nkemelu, a pastor with the Harbor Church, said “we vote tonight.”",
            "Ada Nkemelu",
            "a pastor with the Harbor Church",
        ),
        (
            "José Luis Ferrán from the Harbor Bail Fund said “we vote tonight.”",
            "José Luis Ferrán",
            "from the Harbor Bail Fund",
        ),
    ];
    for (text, name, role) in cases {
        let h = &heard(text)[0];
        assert_eq!(h.speaker.as_deref(), Some(name), "{text}");
        assert_eq!(h.role.as_deref(), Some(role), "{text}");
        assert_eq!(h.kind, Some(SourceKind::Person), "{text}");
    }
}

#[test]
fn nobody_named_stays_nobody() {
    for text in [
        "“I was scared,” one caller said.",
        "A blind friend told me, “the buttons have no labels.”",
        "Critics say the plan is “doomed from the start.”",
        "The executive director of the bureau said “no comment at all.”",
        "Someone wrote: “this is the best site in town.”",
    ] {
        assert_eq!(speakers(text), [None], "{text}");
    }
}

#[test]
fn nouns_that_look_like_verbs_report_nothing() {
    // “remarks”, “points”, “post” here are nouns, and “United” a name's word.
    for text in [
        "In her opening remarks, “the rent is too high” was the theme.",
        "We asked at various points, “what should we build?”",
        "As we wrote in our Spring Fair post, “tenants came in hundreds.”",
        "The United States government moved to “the cloud,” at last.",
    ] {
        assert_eq!(speakers(text), [None], "{text}");
    }
}
