//! Permalink: a URL template (`/:year/:month/:day/:title/`) filled in for a
//! page, and the slug and path rules Jekyll and Hugo apply to its parts.

/// Jekyll's `slugify`: runs of characters other than letters, marks and
/// digits (and, in the pretty mode, `._~!$&'()+,;=@`) become one hyphen,
/// hyphens at the ends go, and the case is kept only when `cased`.
pub fn jekyll_slugify(text: &str, pretty: bool, cased: bool) -> String {
    let keeps = |c: char| {
        c.is_alphanumeric()
            || unicode_normalization::char::is_combining_mark(c)
            || (pretty && "._~!$&'()+,;=@".contains(c))
    };
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.chars() {
        if keeps(c) {
            if gap && !out.is_empty() {
                out.push('-');
            }
            gap = false;
            out.push(c);
        } else {
            gap = true;
        }
    }
    // A hyphen the text itself had at an end is kept out too.
    let out = out.trim_matches('-');
    if cased {
        out.to_string()
    } else {
        out.to_lowercase()
    }
}

/// Hugo's `urlize` of a title or slug: spaces to hyphens, and only what a
/// path may hold; the case is lowered later with the whole path.
pub fn hugo_urlize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        match c {
            ' ' | '\t' => out.push('-'),
            c if c.is_alphanumeric()
                || unicode_normalization::char::is_combining_mark(c)
                || "-._~/+".contains(c) =>
            {
                out.push(c)
            }
            _ => {}
        }
    }
    // Hugo collapses the hyphens it made next to each other.
    let mut collapsed = String::with_capacity(out.len());
    for c in out.chars() {
        if !(c == '-' && collapsed.ends_with('-')) {
            collapsed.push(c);
        }
    }
    collapsed
}

/// Fills in the `:name` placeholders of `template` with `value(name)`;
/// a placeholder `value` does not know is left as it is written.
pub fn fill(template: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(at) = rest.find(':') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let len = after
            .find(|c: char| !(c.is_ascii_lowercase() || c == '_'))
            .unwrap_or(after.len());
        // The longest name first: `:slugorfilename` before `:slug`.
        let mut filled = None;
        for end in (1..=len).rev() {
            if let Some(v) = value(&after[..end]) {
                filled = Some((v, end));
                break;
            }
        }
        match filled {
            Some((v, end)) => {
                out.push_str(&v);
                rest = &after[end..];
            }
            None => {
                out.push(':');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Jekyll's last step: one leading slash, no `..` or `./`, no doubled slashes.
pub fn sanitize(url: &str) -> String {
    let url = format!("/{url}").replace("..", "/").replace("./", "");
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        if !(c == '/' && out.ends_with('/')) {
            out.push(c);
        }
    }
    out
}

/// A path as it goes in a URL: what a path may hold as it is, the rest
/// (spaces, `#`, `%`, letters beyond ASCII) percent-encoded.
pub fn escape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        let keep = b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/".contains(&b);
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_as_jekyll_makes_them() {
        assert_eq!(
            jekyll_slugify("a-story-of-Things", true, true),
            "a-story-of-Things"
        );
        assert_eq!(jekyll_slugify("Custom Slug!", true, true), "Custom-Slug!");
        assert_eq!(
            jekyll_slugify("The _config.yml file", false, false),
            "the-config-yml-file"
        );
        assert_eq!(
            jekyll_slugify("The _config.yml file", true, false),
            "the-_config.yml-file"
        );
        assert_eq!(jekyll_slugify("ann-lee", false, false), "ann-lee");
        assert_eq!(
            jekyll_slugify("-Café au lait-", false, false),
            "café-au-lait"
        );
    }

    #[test]
    fn templates_are_filled_longest_name_first() {
        let value = |name: &str| match name {
            "year" => Some("2015".to_string()),
            "slug" => Some("short".to_string()),
            "slugorfilename" => Some("long".to_string()),
            "title" => Some("t".to_string()),
            _ => None,
        };
        assert_eq!(fill("/:year/:slugorfilename/", value), "/2015/long/");
        assert_eq!(fill("/:year/:slug.html", value), "/2015/short.html");
        assert_eq!(fill("/a:b/:title/", value), "/a:b/t/");
        assert_eq!(
            sanitize("//news//big stuff/../x/./y/"),
            "/news/big stuff/x/y/"
        );
        assert_eq!(escape("/news/big stuff/é#"), "/news/big%20stuff/%C3%A9%23");
        assert_eq!(hugo_urlize("My Slug"), "My-Slug");
        assert_eq!(hugo_urlize("A Post Title: yes?"), "A-Post-Title-yes");
    }
}
