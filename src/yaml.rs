//! YAML: the texts users write in it (front matter, `sources.yaml`),
//! checked before `serde_norway` parses them. Its parser recurses once per
//! level of a flow collection and takes super-linear time on the way (100,000
//! levels of `[` took 30 s before it refused them), so one linear pass counts
//! the nesting first and refuses a text past [`MAX_FLOW_NESTING`].

/// How deep `[` and `{` may nest in a YAML text.
pub const MAX_FLOW_NESTING: usize = 128;

/// Refuses a YAML text whose flow collections nest deeper than
/// [`MAX_FLOW_NESTING`]: the 1-based line where the bound is passed, and
/// what is wrong. Brackets in quoted scalars and comments do not count;
/// one pass over the bytes.
pub fn check_flow_nesting(text: &str) -> Result<(), (usize, String)> {
    #[derive(PartialEq)]
    enum In {
        Plain,
        Single,
        Double,
        Comment,
    }
    let bytes = text.as_bytes();
    let (mut state, mut depth, mut line) = (In::Plain, 0usize, 1);
    // The last byte that is not a space, in plain text on this line: a
    // quote opens a scalar only where a scalar may start.
    let mut before: Option<u8> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\n' {
            line += 1;
            before = None;
            if state == In::Comment {
                state = In::Plain;
            }
            i += 1;
            continue;
        }
        match state {
            In::Comment => {}
            In::Double => match b {
                b'\\' => i += 1,
                b'"' => state = In::Plain,
                _ => {}
            },
            In::Single => {
                if b == b'\'' {
                    if bytes.get(i + 1) == Some(&b'\'') {
                        i += 1;
                    } else {
                        state = In::Plain;
                    }
                }
            }
            In::Plain => {
                match b {
                    b'[' | b'{' => {
                        depth += 1;
                        if depth > MAX_FLOW_NESTING {
                            return Err((
                                line,
                                format!(
                                    "its flow collections (`[` and `{{`) nest deeper than {MAX_FLOW_NESTING}; it is not read"
                                ),
                            ));
                        }
                    }
                    b']' | b'}' => depth = depth.saturating_sub(1),
                    b'#' if i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\r') => {
                        state = In::Comment;
                    }
                    b'\'' | b'"' if before.is_none_or(|c| b"[{,:-?".contains(&c)) => {
                        state = if b == b'"' { In::Double } else { In::Single };
                    }
                    _ => {}
                }
                if !matches!(b, b' ' | b'\t' | b'\r') {
                    before = Some(b);
                }
            }
        }
        i += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_past_the_bound_is_refused_on_its_line() {
        let deep = format!("a: 1\nx: {}{}\n", "[".repeat(200), "]".repeat(200));
        let (line, message) = check_flow_nesting(&deep).unwrap_err();
        assert_eq!(line, 2);
        assert!(message.contains("deeper than 128"), "{message}");
        let fine = format!("x: {}{}\n", "[".repeat(128), "]".repeat(128));
        assert!(check_flow_nesting(&fine).is_ok());
    }

    #[test]
    fn brackets_in_quotes_and_comments_do_not_count() {
        let many = "[".repeat(500);
        for text in [
            format!("x: \"{many}\"\n"),
            format!("x: '{many}'\n"),
            format!("x: 'it''s {many}'\n"),
            format!("x: \"a \\\" {many}\"\n"),
            format!("x: 1 # {many}\n"),
            format!("# {many}\n"),
            format!("x: [\"{many}\", '{many}']\n"),
        ] {
            assert!(check_flow_nesting(&text).is_ok(), "{text}");
        }
        // An apostrophe inside a plain scalar opens nothing.
        let text = format!("x: it's {many}\n");
        assert!(check_flow_nesting(&text).is_err());
    }
}
