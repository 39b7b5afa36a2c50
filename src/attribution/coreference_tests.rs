use super::super::testing::{heard, speakers};

fn okafor() -> Option<String> {
    Some("Maria Okafor".to_string())
}

#[test]
fn split_quotations_and_runs_keep_their_speaker() {
    let text = "“We will not move,” Maria Okafor said. “Not this year, not next year.”\n";
    assert_eq!(speakers(text), [okafor(), okafor()]);
    let text =
        "“We will not move,” Maria Okafor said, “not this year.” She added, “Or the next.”\n";
    assert_eq!(speakers(text), [okafor(), okafor(), okafor()]);
    // Somebody else named between them ends the run.
    let text =
        "“We will not move,” Maria Okafor said. Lee Park disagreed. “Rents will rise anyway.”\n";
    assert_eq!(speakers(text)[1], None);
    // A word or two in quotation marks is no part of a run.
    let text = "“We will not move,” Maria Okafor said. The “experts” disagreed.\n";
    assert_eq!(speakers(text)[1], None);
}

#[test]
fn pronouns_are_the_last_person_named() {
    let text = "Maria Okafor chairs the union. She has lived here since 1990.\n\n“The rent doubled,” she said.\n";
    assert_eq!(speakers(text), [okafor()]);
    // Through paragraphs that go on with the pronoun and name nobody else.
    let text = "Maria Okafor chairs the union.\n\nShe has lived here since 1990.\n\n“The rent doubled,” she said.\n";
    assert_eq!(speakers(text), [okafor()]);
    // A place after a preposition is nobody.
    let text = "Maria Okafor chairs the union. She moved here from North Carolina in 1990. “The rent doubled,” she said.\n";
    assert_eq!(speakers(text), [okafor()]);
    // “They” is a group that spoke before.
    let text =
        "“Rent is a wage issue,” wrote Ines Duarte and Paul Kerr. “It always was,” they wrote.\n";
    assert_eq!(
        heard(text)[1].speaker.as_deref(),
        Some("Ines Duarte, Paul Kerr")
    );
    // “We” is the page's own voice, and nobody named.
    let text = "Maria Okafor chairs the union.\n\n“We will not move,” we said.\n";
    assert_eq!(speakers(text), [None]);
}

#[test]
fn a_paragraph_that_continues_the_speech_before_it() {
    let text = "“We will not move,” Maria Okafor said.\n\n“Not this year, not next year.”\n";
    assert_eq!(speakers(text), [okafor(), okafor()]);
    // A quotation left open at the paragraph's end runs into the next.
    let text = "“We will not move,” Maria Okafor said. “The rent doubled in May\n\n“and nobody asked us.”\n";
    assert_eq!(speakers(text), [okafor(), okafor(), okafor()]);
    // Speech reported without marks, then the words.
    let text =
        "A strike is like a storm, Maria Okafor said.\n\n“You can see it coming for days.”\n";
    assert_eq!(speakers(text), [okafor()]);
    // A sentence that reports speech, then the words.
    let text = "Maria Okafor recalled the first meeting. “Nobody believed us.”\n";
    assert_eq!(speakers(text), [okafor()]);
}

#[test]
fn a_person_introduced_then_quoted_in_the_first_person() {
    let text = "Some tenants have given up. Maria Okafor, for one, thinks the board will never listen. “I’ve written to them twice and heard nothing back.”\n";
    assert_eq!(speakers(text), [okafor()]);
    // A question that names her, then her answer.
    let text = "Maria Okafor chairs the union.\n\nWhat would Okafor tell other tenants? “Start small. We began with one building.”\n";
    assert_eq!(speakers(text), [okafor()]);
    // Words not in the first person are nobody's by this rule.
    let text = "Maria Okafor thinks the board will never listen. “The board meets in May.”\n";
    assert_eq!(speakers(text), [None]);
    // Nor when the sentence before names two people.
    let text = "Maria Okafor met Lee Park at the hearing. “I’ve written to them twice and heard nothing.”\n";
    assert_eq!(speakers(text), [None]);
    // The words as a subject, and a name that is no subject, are not this.
    let text = "Ana Ruiz met the board. “Where do I begin?” is what everyone asks.\n";
    assert_eq!(speakers(text), [None]);
    let text =
        "The board ignored Maria Okafor again. “I’ve written to them twice and heard nothing.”\n";
    assert_eq!(speakers(text), [None]);
    // Straight quotation marks are quotation marks.
    let text = "Maria Okafor chairs the union.\n\nWhat does Okafor tell other tenants? \"Start small. We began with one building.\"\n";
    assert_eq!(speakers(text), [okafor()]);
    // A lone first name the page never gives in full is nobody.
    let text = "What would Maria tell other tenants? “Start small. We began with one building.”\n";
    assert_eq!(speakers(text), [None]);
}

#[test]
fn an_interview_answer_is_its_speaker_s() {
    let text = "**What changed?**\n\n**Maria Okafor:** I told them, “the rent is a wage.”\n\n**Lee Park:** We said “no.” Then I said, “not this year.”\n";
    let h = heard(text);
    assert_eq!(h[0].speaker, okafor());
    // “We” in an answer is the speaker's team, nobody named.
    assert_eq!(h[1].speaker, None);
    assert_eq!(h[2].speaker.as_deref(), Some("Lee Park"));
    // Each answering once, named in the introduction.
    let text = "We asked Maria Okafor and Lee Park.\n\n**What changed?**\n\n**Maria Okafor:** I said, “the rent is a wage.”\n\n**Lee Park:** Then I said, “not this year.”\n";
    assert_eq!(speakers(text), [okafor(), Some("Lee Park".to_string())]);
}

#[test]
fn a_list_of_bold_terms_is_no_interview() {
    let text = "What makes a good service? Elasticity and security.\n\n**Broadly Accessible:** Reach it from “anywhere you happen to be working.”\n\n**Elasticity:** It grows and “shrinks with the demand it meets.”\n\n**Security:** It keeps “the keys in one place for everyone.”\n";
    assert_eq!(speakers(text), [None, None, None]);
}
