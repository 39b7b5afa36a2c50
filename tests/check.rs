//! `citeindex check`: the real binary checking drafts against the seed corpus.

mod util;

use std::io::Write;
use std::process::Stdio;

use serde_json::Value;
use util::Env;

const DRAFT: &str = "# A draft

According to the JCLC, solidarity tactics encompass “many different forms of non-cooperation, all of which are designed to produce leverage for collective bargaining.”

As Hermes wrote, “many different forms of non-cooperation, all of which are designed to produce leverage for collective bargaining.”

The JCLC says it works “particularly when the defendants are well organized, similarly situated and working together in great numbers.”

Some say “the moon is made of green cheese entirely.” There is no “right” tactic.
";

fn write_draft(env: &Env, text: &str) -> String {
    let path = env.dir.path().join("draft.md");
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

fn verdicts(report: &Value) -> Vec<(String, u64)> {
    report["quotations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            (
                q["verdict"].as_str().unwrap().to_string(),
                q["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn each_quotation_of_a_draft_gets_its_verdict_and_line() {
    let env = Env::seed();
    let draft = write_draft(&env, DRAFT);
    let run = env.run(&["check", &draft, "--json"]).expect(1);
    let report: Value = serde_json::from_str(&run.stdout()).unwrap();
    let expected = [
        ("verified", 3),
        ("misattributed", 5),
        ("misquoted", 7),
        ("not-found", 9),
        ("scare", 9),
    ];
    let expected: Vec<(String, u64)> = expected.iter().map(|(v, l)| (v.to_string(), *l)).collect();
    assert_eq!(verdicts(&report), expected, "{report:#}");
    let q = &report["quotations"];
    assert_eq!(q[0]["speaker"]["id"], "jclc");
    assert_eq!(q[1]["speaker"]["id"], "jclc");
    assert_eq!(q[1]["named"], "Hermes");
    assert!(
        q[2]["found"]["wording"]
            .as_str()
            .unwrap()
            .contains("well-organized, similarly-situated")
    );
    assert!(!q[2]["found"]["diff"].as_array().unwrap().is_empty());
    assert!(!q[3]["nearest"].as_array().unwrap().is_empty());
    assert_eq!(report["judged"], 4);
    assert_eq!(report["verified"], 1);

    let text = env.run(&["check", &draft]).expect(1).stdout();
    assert!(text.contains("line 5: misattributed"), "{text}");
    assert!(text.contains("line 9: not found"), "{text}");
}

#[test]
fn a_draft_whose_quotations_all_stand_passes_and_stdin_is_read() {
    let env = Env::seed();
    let draft = "Legal solidarity is a “strategy that uses group decision-making and action to protect people.”\n";
    let mut child = env
        .command(&["check", "-", "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(draft.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(verdicts(&report), vec![("verified".to_string(), 1)]);
    assert_eq!(report["ok"], true);
}

#[test]
fn fix_corrects_misquotations_cites_and_adds_a_bibliography_never_over_the_draft() {
    let env = Env::seed();
    let draft = write_draft(&env, DRAFT);
    let out = env.dir.path().join("fixed.md");
    env.run(&["check", &draft, "--fix", "-o", out.to_str().unwrap()])
        .expect(1);
    let fixed = std::fs::read_to_string(&out).unwrap();
    assert!(
        fixed.contains("it works “particularly when the defendants are well-organized, similarly-situated, and working together in large numbers.”[^check-2]"),
        "{fixed}"
    );
    assert!(
        fixed.contains("collective bargaining.”[^check-1]"),
        "{fixed}"
    );
    assert!(
        fixed.contains("\n[^check-1]: Just Cause Law Collective, quoted in Kris Hermes"),
        "{fixed}"
    );
    assert!(fixed.contains("\n## Bibliography\n"), "{fixed}");
    assert!(
        fixed.contains("“the moon is made of green cheese entirely.”"),
        "{fixed}"
    );

    let inline = env
        .run(&[
            "check", &draft, "--fix", "--cite", "inline", "--style", "apa",
        ])
        .stdout();
    assert!(inline.contains("collective bargaining.” ("), "{inline}");

    let refused = env.run(&["check", &draft, "--fix", "-o", &draft]).expect(2);
    assert!(
        refused.stderr().contains("never writes over"),
        "{}",
        refused.stderr()
    );
    assert_eq!(std::fs::read_to_string(&draft).unwrap(), DRAFT);
}

#[test]
fn a_missing_or_binary_draft_is_bad_input() {
    let env = Env::seed();
    let missing = env.dir.path().join("missing.md");
    let run = env.run(&["check", missing.to_str().unwrap()]).expect(2);
    assert!(run.stderr().contains("could not read"), "{}", run.stderr());
    let binary = env.dir.path().join("binary.md");
    std::fs::write(&binary, [0xff, 0xfe, 0x00, 0x80]).unwrap();
    let run = env.run(&["check", binary.to_str().unwrap()]).expect(2);
    assert!(run.stderr().contains("not UTF-8"), "{}", run.stderr());
}
