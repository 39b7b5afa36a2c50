//! Sites read the way their generators build them: fixture sites built by
//! the real `jekyll` and `hugo` (Debian's packages), and every URL
//! citeindex gives a page checked against what the generator wrote.
//! Without the generators these tests say what they skipped; with
//! `CITEINDEX_GENERATORS=required` (as in `.ci/run`) they fail instead.

mod util;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use util::Env;

/// The generator `name` on the PATH, or `None` (the test skipped, said so).
fn generator(name: &str, what: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(name))
            .find(|p| p.is_file())
    });
    if found.is_some() {
        return found;
    }
    util::skip(
        "CITEINDEX_GENERATORS",
        what,
        &format!("`{name}` is not installed (apt-get install {name})"),
    );
    None
}

/// Runs a generator; it must succeed.
fn build(command: &mut Command) {
    let out = command.output().expect("run the generator");
    assert!(
        out.status.success(),
        "{command:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A page as citeindex knows it.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct PageRow {
    path: String,
    url: String,
    title: String,
    authors: Vec<String>,
    date: Option<String>,
}

/// The pages citeindex knows, in corpus path order.
fn pages(env: &Env) -> Vec<PageRow> {
    let sources = env.json(&["sources"]);
    let mut out = Vec::new();
    for s in sources.as_array().unwrap() {
        let Some(page) = s["page"].as_str() else {
            continue;
        };
        if page.starts_with("sources/") {
            continue;
        }
        let authors = s["authors"]
            .as_array()
            .map(|a| a.iter().map(|n| n.as_str().unwrap().to_string()).collect())
            .unwrap_or_default();
        out.push(PageRow {
            path: page.to_string(),
            url: s["url"].as_str().unwrap_or("").to_string(),
            title: s["title"].as_str().unwrap_or("").to_string(),
            authors,
            date: s["date"].as_str().map(String::from),
        });
    }
    out.sort();
    out
}

/// The file a generator wrote for the page at `url` (below `base`, the
/// site's address), in its output folder.
fn built_file(out: &Path, url: &str, base: &str) -> PathBuf {
    let path = url.strip_prefix(base).unwrap_or(url);
    let path = percent_decode(path);
    let path = path.trim_start_matches('/');
    if path.is_empty() || path.ends_with('/') {
        out.join(path).join("index.html")
    } else {
        out.join(path)
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(Ok(b)) = text.get(i + 1..i + 3).map(|h| u8::from_str_radix(h, 16))
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Every passage of the index at `dir`: (id, kind, text, the file that
/// holds its words when that is not its page's).
fn every_passage(dir: &Path) -> Vec<(String, String, String, Option<String>)> {
    let index = tantivy::Index::open_in_dir(dir).unwrap();
    citeindex::register_analyzers(&index);
    let schema = index.schema();
    let [id, text, data] = ["id", "text", "data"].map(|f| schema.get_field(f).unwrap());
    let searcher = index.reader().unwrap().searcher();
    let mut out = Vec::new();
    for (segment, reader) in searcher.segment_readers().iter().enumerate() {
        for doc in reader.doc_ids_alive() {
            let doc: tantivy::TantivyDocument = searcher
                .doc(tantivy::DocAddress::new(segment as u32, doc))
                .unwrap();
            let field = |f| {
                use tantivy::schema::Value as _;
                doc.get_first(f)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string()
            };
            let stored: Value = serde_json::from_str(&field(data)).unwrap();
            let kind = stored["kind"].as_str().unwrap_or("").to_string();
            let file = stored["file"].as_str().map(String::from);
            out.push((field(id), kind, field(text), file));
        }
    }
    out
}

/// The markup a visitor never reads that `text` shows: template syntax, a
/// kramdown attribute list, or a well-formed HTML tag (quotes balanced, as
/// CommonMark wants of a tag; a broken one is printed as text).
fn markup_in(text: &str) -> Vec<String> {
    let mut found: Vec<String> = ["{{", "{%", "{:"]
        .iter()
        .filter(|m| text.contains(*m))
        .map(|m| m.to_string())
        .collect();
    for (at, _) in text.match_indices('<') {
        let rest = &text[at + 1..];
        let name_at = usize::from(rest.starts_with('/'));
        let name: String = rest[name_at..]
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        let after = &rest[name_at + name.len()..];
        if !name.starts_with(|c: char| c.is_ascii_alphabetic())
            || !after.starts_with(['>', ' ', '/', '\n'])
        {
            continue;
        }
        match rest.find('>') {
            Some(close) if rest[..close].matches('"').count().is_multiple_of(2) => {
                found.push(format!("<{}>", &rest[..close]));
            }
            Some(_) => {}
            // A tag cut before its `>`: an attribute with its value shows
            // it is one (`<a href="…" class="…"`).
            None => {
                let attribute =
                    after
                        .trim_start()
                        .split_once("=\"")
                        .is_some_and(|(name, value)| {
                            !name.is_empty()
                                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                                && value.contains('"')
                        });
                if attribute {
                    found.push(format!("<{name}"));
                }
            }
        }
    }
    found
}

/// Whether the site's source writes `tag` as markup: raw, outside the
/// `code spans` that show a tag as written (an escaped `&lt;b&gt;` or
/// `\<b\>` is text the visitor reads).
fn raw_in_source(site: &Path, id: &str, file: Option<&str>, tag: &str) -> bool {
    let written = |source: String| {
        source
            .lines()
            .any(|line| line.split('`').step_by(2).any(|prose| prose.contains(tag)))
    };
    if let Some(file) = file {
        return written(util::read_text(&site.join(file)));
    }
    let stem = site.join(id.split('#').next().unwrap_or(id));
    let (Some(dir), Some(name)) = (stem.parent(), stem.file_name()) else {
        return true;
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return true;
    };
    let source: String = entries
        .flatten()
        .filter(|e| e.path().file_stem() == Some(name))
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .collect();
    written(source)
}

/// Every passage of the index, by id, from a search for each of `words`.
fn passages_with(env: &Env, word: &str) -> Vec<Value> {
    env.json(&["search", word, "--limit", "1000"])["hits"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

const JEKYLL_SITE: &[(&str, &str)] = &[
    (
        "_config.yml",
        "title: \"Harbor Notes: a blog of the tenants\"\nurl: \"https://harbor.example.org\"\nbaseurl: \"/notes\"\npermalink: pretty\ntimezone: UTC\ncollections:\n  people:\n    output: true\n    permalink: /team/:name/\n  guides:\n    output: true\n  authors:\n    output: false\nexclude:\n  - private.md\ndefaults:\n  - scope:\n      path: \"\"\n      type: posts\n    values:\n      layout: post\n",
    ),
    (
        "_layouts/default.html",
        "<html><body>{{ content }}</body></html>\n",
    ),
    (
        "_layouts/post.html",
        "---\nlayout: default\n---\n<article>{{ content }}</article>\n",
    ),
    (
        "_layouts/story.html",
        "---\nlayout: default\n---\n<main>{% capture body %}{% include {{ page.article }} %}{% endcapture %}{{ body | markdownify }}</main>\n",
    ),
    (
        "_includes/pull.html",
        "<blockquote class=\"pull\">{{ include.quote }}<cite>{{ include.attribution }}</cite></blockquote>\n",
    ),
    (
        "_includes/stories/rent-strike.md",
        "The strike began in May: marigoldwick words of the fragment.\n\nIt ended in June.\n",
    ),
    ("_includes/orphan.md", "Nobody includes this.\n"),
    (
        "_includes/card.html",
        "<a href=\"https://guides.example.org/borage\"\n   class=\"card\"\n>\n  <img src=\"card.png\"\n    alt=\"\">\n  <span>Read the borage guide</span>\n</a>\n",
    ),
    (
        "_authors/ada.md",
        "---\nname: ada\nfull_name: Ada Quill\n---\nAda writes.\n",
    ),
    ("_data/authors.yml", "kim:\n  name: Kim Park\n"),
    (
        "_posts/2015-02-10-A-First-Post.md",
        "---\ntitle: A first post about APIs at 18F\ndate: 2015-02-11\nauthors: [ada, kim]\n---\nWritten for {{ site.title }} by {{ \"ada\" | team_link }}: lanternwort words.\n{: .lead }\n\n{% include pull.html quote=\"We stay put, together.\" attribution=\"ada\" %}\n\n<figure>\n  <img src=\"{{ site.baseurl }}/x.png\" alt=\"a photo\">\n  <figcaption>The meeting hall, with hollyhock chairs</figcaption>\n</figure>\n",
    ),
    (
        "_posts/2015-09-15-late_night.md",
        "---\ntitle: Late\ndate: 2015-09-15 23:20:00 -0400\ncategories: [News, Big Stuff]\n---\nLate words.\n",
    ),
    (
        "_posts/2016-01-01-slugged.markdown",
        "---\ntitle: Slugged\ntitle: Slugged Again\nslug: Custom Slug!\ncategory: tech\n---\nSlug words.\n",
    ),
    (
        "_posts/2016-02-02-own.md",
        "---\ntitle: Own\npermalink: /own/:title.html\n---\nOwn words.\n",
    ),
    (
        "_posts/2099-01-01-future.md",
        "---\ntitle: Future\n---\nFuture words: cloudberry.\n",
    ),
    (
        "_drafts/a-draft.md",
        "---\ntitle: Draft\n---\nDraft words: dewberry.\n",
    ),
    (
        "blog/_posts/2017-03-04-in-blog.md",
        "---\ntitle: In blog\n---\nBlog words.\n",
    ),
    ("_people/ann-lee.md", "---\nname: Ann\n---\nAnn words.\n"),
    (
        "_guides/sub/deep-guide.md",
        "---\ntitle: Deep guide\n---\nGuide words.\n",
    ),
    (
        "pages/about.md",
        "---\ntitle: About us\n---\nAbout words.\n\n{% include card.html %}\n",
    ),
    ("index.md", "---\ntitle: Home\n---\nHome words.\n"),
    (
        "contact.md",
        "---\ntitle: Contact\npermalink: /contact-us/\n---\nContact words.\n",
    ),
    (
        "plain.md",
        "No front matter, so a static file: elderflower.\n",
    ),
    (
        "press.html",
        "---\ntitle: Press\n---\n<div class=\"intro\">\n    <p>We answer questions\n      about mulberry trees.</p>\n\n    <p>{{ site.title }} writes back.</p>\n</div>\n",
    ),
    (
        "static.html",
        "<html><body>A static file: bramble.</body></html>\n",
    ),
    (
        "private.md",
        "---\ntitle: Private\n---\nExcluded words: foxglove.\n",
    ),
    (
        "story.md",
        "---\ntitle: The rent strike\nlayout: story\narticle: stories/rent-strike.md\n---\n",
    ),
];

#[test]
fn a_jekyll_site_is_read_as_jekyll_builds_it() {
    let Some(jekyll) = generator("jekyll", "URLs checked against jekyll's build") else {
        return;
    };
    let env = Env::with(JEKYLL_SITE);
    let out = env.dir.path().join("built");
    build(
        Command::new(jekyll)
            .arg("build")
            .arg("--safe")
            .arg("-s")
            .arg(&env.corpus)
            .arg("-d")
            .arg(&out)
            .env("TZ", "UTC"),
    );
    let run = env.run(&["index"]).expect(0);
    assert!(
        run.stdout().starts_with("indexed jekyll site:"),
        "{}",
        run.stdout()
    );
    assert!(
        run.stderr().contains("warning: _posts/2016-01-01-slugged.markdown:2: the front matter key `title` is given again later"),
        "{}",
        run.stderr()
    );
    // A fragment that no page includes is indexed on its own, and says so.
    assert!(
        run.stderr()
            .contains("warning: _includes/orphan.md:1: no page includes this fragment"),
        "{}",
        run.stderr()
    );
    assert_eq!(
        passages_with(&env, "nobody")[0]["page"]["path"],
        "_includes/orphan.md"
    );
    // An HTML page is a page, read as HTML; one without front matter is a
    // static file, copied, not a page.
    let press = passages_with(&env, "mulberry");
    assert_eq!(press.len(), 1, "{press:?}");
    assert_eq!(
        press[0]["text"],
        "We answer questions about mulberry trees."
    );
    assert_eq!(
        press[0]["page"]["url"],
        "https://harbor.example.org/notes/press/"
    );
    assert!(passages_with(&env, "bramble").is_empty());
    // An HTML include whose tags run over lines is read as HTML: its words
    // are the page's, and no piece of a tag is left in them.
    let card = passages_with(&env, "borage");
    assert_eq!(card.len(), 1, "{card:?}");
    assert_eq!(card[0]["text"], "Read the borage guide", "{}", card[0]);
    assert_eq!(card[0]["page"]["title"], "About us");
    assert_eq!(card[0]["file"], "_includes/card.html");
    let pages: Vec<_> = pages(&env)
        .into_iter()
        .filter(|p| p.path != "_includes/orphan.md")
        .collect();
    let paths: Vec<&str> = pages.iter().map(|p| p.path.as_str()).collect();
    for left_out in [
        "plain.md",
        "static.html",
        "private.md",
        "_posts/2099-01-01-future.md",
        "_drafts/a-draft.md",
        "_includes/stories/rent-strike.md",
        "_authors/ada.md",
    ] {
        assert!(
            !paths.contains(&left_out),
            "{left_out} is not a page of the site: {paths:?}"
        );
    }
    assert_eq!(pages.len(), 12, "{paths:?}");
    for PageRow { path, url, .. } in &pages {
        assert!(
            url.starts_with("https://harbor.example.org/notes/"),
            "{path}: {url}"
        );
        let file = built_file(&out, url, "https://harbor.example.org/notes");
        assert!(
            file.is_file(),
            "{path}: {url} is not in jekyll's build ({})",
            file.display()
        );
    }
    let first = pages
        .iter()
        .find(|p| p.path.contains("A-First-Post"))
        .unwrap();
    assert_eq!(
        first.url,
        "https://harbor.example.org/notes/2015/02/11/A-First-Post/"
    );
    assert_eq!(first.authors, ["Ada Quill", "Kim Park"]);
    assert_eq!(first.date.as_deref(), Some("2015-02-11"));
    let late = pages
        .iter()
        .find(|p| p.path.contains("late_night"))
        .unwrap();
    assert_eq!(
        late.date.as_deref(),
        Some("2015-09-16"),
        "the date is the site's zone's"
    );
    let slugged = pages.iter().find(|p| p.path.contains("slugged")).unwrap();
    assert_eq!(slugged.title, "Slugged Again");

    // The text as a visitor reads it.
    let hits = passages_with(&env, "lanternwort");
    assert_eq!(
        hits[0]["text"],
        "Written for Harbor Notes: a blog of the tenants by Ada Quill: lanternwort words."
    );
    let quote = env.json(&["quote", "We stay put, together."]);
    assert_eq!(quote["status"], "exact", "{quote}");
    let passage = &quote["matches"][0]["passage"];
    assert_eq!(passage["kind"], "blockquote", "{passage}");
    assert_eq!(passage["page"]["title"], "A first post about APIs at 18F");
    let caption = passages_with(&env, "hollyhock");
    assert_eq!(
        caption[0]["text"],
        "The meeting hall, with hollyhock chairs"
    );
    // A fragment a layout includes by the page's front matter is the page's text.
    let fragment = passages_with(&env, "marigoldwick");
    assert_eq!(fragment.len(), 1);
    assert_eq!(fragment[0]["page"]["title"], "The rent strike");
    assert_eq!(fragment[0]["page"]["path"], "story.md");
    assert_eq!(fragment[0]["file"], "_includes/stories/rent-strike.md");
    assert_eq!(fragment[0]["line"], 1);
    let story = pages.iter().find(|p| p.path == "story.md").unwrap();
    assert!(built_file(&out, &story.url, "https://harbor.example.org/notes").is_file());
    for word in ["site", "include", "lead", "img", "figure", "baseurl"] {
        for hit in passages_with(&env, word) {
            let text = hit["text"].as_str().unwrap();
            assert!(
                !text.contains("{{")
                    && !text.contains("{%")
                    && !text.contains("{:")
                    && !text.contains('<'),
                "template syntax or a tag in {}: {text}",
                hit["id"]
            );
        }
    }
    // A citation names the website and keeps the title's case.
    let cited = env.json(&["cite", "_posts/2015-02-10-a-first-post#p1"]);
    let text = cited["text"].as_str().unwrap();
    assert!(
        text.contains("APIs") && text.contains("18F") && text.contains("Harbor Notes"),
        "{text}"
    );
    assert!(
        text.contains("https://harbor.example.org/notes/2015/02/11/A-First-Post/"),
        "{text}"
    );
    assert_eq!(
        cited["link"],
        "https://harbor.example.org/notes/2015/02/11/A-First-Post/"
    );

    // With --drafts and --future, those are pages too.
    let run = env.run(&["--drafts", "--future", "index"]).expect(0);
    assert!(run.stdout().contains("15 pages"), "{}", run.stdout());
}

#[test]
fn a_change_to_an_include_layout_or_author_reprocesses_exactly_its_pages() {
    let env = Env::with(JEKYLL_SITE);
    env.run(&["index"]).expect(0);
    let processed = |run: util::Run| -> String {
        let out = run.stdout();
        out.split(" processed")
            .next()
            .unwrap()
            .rsplit('(')
            .next()
            .unwrap()
            .to_string()
    };
    env.write(
        "_includes/stories/rent-strike.md",
        b"The strike ended: snowdrop words.\n",
    );
    assert_eq!(processed(env.run(&["index"]).expect(0)), "1");
    assert_eq!(
        passages_with(&env, "snowdrop")[0]["page"]["path"],
        "story.md"
    );
    env.write(
        "_authors/ada.md",
        b"---\nname: ada\nfull_name: Ada Q. Quill\n---\n",
    );
    assert_eq!(processed(env.run(&["index"]).expect(0)), "1");
    let cited = env.json(&["cite", "_posts/2015-02-10-a-first-post#p1"]);
    assert!(
        cited["text"].as_str().unwrap().contains("Ada Q. Quill"),
        "{cited}"
    );
    env.write(
        "_layouts/story.html",
        b"<main>{% include {{ page.article }} %}</main>\n",
    );
    assert_eq!(processed(env.run(&["index"]).expect(0)), "1");
    // An author no file names yet: the post is redone when the file comes.
    env.write(
        "_posts/2015-03-01-by-zed.md",
        b"---\ntitle: By Zed\nauthor: zed\n---\nZed words.\n",
    );
    assert_eq!(processed(env.run(&["index"]).expect(0)), "1");
    env.write(
        "_authors/zed.md",
        b"---\nname: zed\nfull_name: Zed Vale\n---\n",
    );
    assert_eq!(processed(env.run(&["index"]).expect(0)), "1");
    let cited = env.json(&["cite", "_posts/2015-03-01-by-zed#p1"]);
    assert!(
        cited["text"].as_str().unwrap().contains("Zed Vale"),
        "{cited}"
    );
    // The configuration changes every page.
    let config = JEKYLL_SITE[0].1.replace("Harbor Notes", "Quay Notes");
    env.write("_config.yml", config.as_bytes());
    assert_eq!(processed(env.run(&["index"]).expect(0)), "13");
    // An author whose file is a page (Hugo's author taxonomy): a change to
    // it redoes the posts that name the author, too.
    let hugo = Env::with(HUGO_SITE);
    hugo.run(&["index"]).expect(0);
    hugo.write(
        "content/authors/jane-roe/_index.md",
        b"---\ntitle: Jane Q. Roe\n---\nJane writes.\n",
    );
    assert_eq!(processed(hugo.run(&["index"]).expect(0)), "2");
    let first = pages(&hugo)
        .into_iter()
        .find(|p| p.path.ends_with("First-Post.md"))
        .unwrap();
    assert_eq!(first.authors, ["Jane Q. Roe"]);
    assert!(
        env.json(&["cite", "index#p1"])["text"]
            .as_str()
            .unwrap()
            .contains("Quay Notes")
    );
}

const HUGO_SITE: &[(&str, &str)] = &[
    (
        "hugo.toml",
        "baseURL = \"https://news.example.com/\"\ntitle = \"Example News\"\n[permalinks]\n  posts = \"/:year/:month/:day/:slug/\"\n[taxonomies]\n  author = \"authors\"\n",
    ),
    (
        "layouts/_default/single.html",
        "<html><body>{{ .Content }}</body></html>",
    ),
    (
        "layouts/_default/list.html",
        "<html><body>{{ .Content }}</body></html>",
    ),
    (
        "layouts/shortcodes/quote.html",
        "<blockquote>{{ .Inner }}<cite>{{ .Get \"author\" }}</cite></blockquote>",
    ),
    (
        "content/posts/First-Post.md",
        "---\ntitle: \"A Post Title\"\ndate: 2015-09-15T13:20:00-04:00\nauthors: [jane-roe]\n---\nText of the post: bilberry.\n\n{{< quote author=\"jane-roe\" >}}The pier stays open.{{< /quote >}}\n",
    ),
    (
        "content/posts/bundle/index.md",
        "---\ntitle: Bundle Post\ndate: 2016-01-02\nslug: My Slug\n---\nBundle words.\n",
    ),
    (
        "content/posts/bundle/extra.md",
        "---\ntitle: A resource\n---\nResource words: quince.\n",
    ),
    (
        "content/posts/draft.md",
        "---\ntitle: Draft\ndate: 2016-01-02\ndraft: true\n---\nDraft words: medlar.\n",
    ),
    (
        "content/posts/future.md",
        "---\ntitle: Future\ndate: 2099-01-02\n---\nFuture words: sloe.\n",
    ),
    (
        "content/posts/later.md",
        "---\ntitle: Later\ndate: 2016-01-02\npublishDate: 2099-01-01\n---\nLater words: damson.\n",
    ),
    (
        "content/posts/expired.md",
        "---\ntitle: Expired\ndate: 2016-01-02\nexpiryDate: 2017-01-01\n---\nExpired words: rowan.\n",
    ),
    (
        "content/posts/dup.md",
        "---\ntitle: Dup\ntitle: Dup Two\ndate: 2017-05-05\n---\nDuplicate words.\n",
    ),
    (
        "content/posts/_index.md",
        "---\ntitle: Posts\n---\nThe section.\n",
    ),
    (
        "content/about/index.md",
        "---\ntitle: About\nurl: /about-us/\n---\nAbout words.\n",
    ),
    (
        "content/authors/jane-roe/_index.md",
        "---\ntitle: Jane Roe\n---\nJane writes.\n",
    ),
];

#[test]
fn a_hugo_site_is_read_as_hugo_builds_it() {
    let Some(hugo) = generator("hugo", "URLs checked against hugo's build") else {
        return;
    };
    let env = Env::with(HUGO_SITE);
    let out = env.dir.path().join("public");
    build(
        Command::new(hugo)
            .arg("-s")
            .arg(&env.corpus)
            .arg("-d")
            .arg(&out)
            .arg("--quiet"),
    );
    let run = env.run(&["index"]).expect(0);
    assert!(
        run.stdout().starts_with("indexed hugo site:"),
        "{}",
        run.stdout()
    );
    let pages = pages(&env);
    let paths: Vec<&str> = pages.iter().map(|p| p.path.as_str()).collect();
    for left_out in [
        "draft.md",
        "future.md",
        "later.md",
        "expired.md",
        "extra.md",
    ] {
        assert!(
            !paths.iter().any(|p| p.ends_with(left_out)),
            "{left_out}: {paths:?}"
        );
    }
    assert_eq!(pages.len(), 6, "{paths:?}");
    for PageRow { path, url, .. } in &pages {
        let file = built_file(&out, url, "https://news.example.com");
        assert!(
            file.is_file(),
            "{path}: {url} is not in hugo's build ({})",
            file.display()
        );
    }
    let first = pages
        .iter()
        .find(|p| p.path.ends_with("First-Post.md"))
        .unwrap();
    assert_eq!(
        first.url,
        "https://news.example.com/2015/09/15/a-post-title/"
    );
    assert_eq!(first.authors, ["Jane Roe"]);
    let quote = env.json(&["quote", "The pier stays open."]);
    assert_eq!(
        quote["matches"][0]["passage"]["kind"], "blockquote",
        "{quote}"
    );
    let dup = pages.iter().find(|p| p.path.ends_with("dup.md")).unwrap();
    assert_eq!(dup.title, "Dup Two");
    assert!(passages_with(&env, "quince").is_empty());
}

/// Every page URL citeindex gives `files` is a file of the generator's build.
fn urls_are_built(files: &[(String, String)], generator: &Path, base: &str) -> Vec<PageRow> {
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let env = Env::with(&files);
    let out = env.dir.path().join("built");
    let mut command = Command::new(generator);
    if generator.ends_with("jekyll") {
        command.arg("build").arg("--safe").env("TZ", "UTC");
    } else {
        command.arg("--quiet");
    }
    build(command.arg("-s").arg(&env.corpus).arg("-d").arg(&out));
    env.run(&["index"]).expect(0);
    let pages: Vec<PageRow> = pages(&env)
        .into_iter()
        .filter(|p| !p.path.starts_with("_includes/"))
        .collect();
    for PageRow { path, url, .. } in &pages {
        let file = built_file(&out, url, base);
        assert!(
            file.is_file(),
            "{path}: {url} is not in the build ({})",
            file.display()
        );
    }
    pages
}

/// `serve --site-url` wins over the address a site's configuration gives:
/// pages published there are moved, in their links and citations (that a
/// page whose address is another site's keeps it is `links`' unit test).
#[test]
fn the_site_url_given_to_serve_wins_over_the_configurations() {
    let env = Env::with(JEKYLL_SITE);
    let server = util::Server::start(&env, &["--site-url", "https://mirror.example/"]);
    let (status, body) = util::get(&server.url("/api/search?q=lanternwort&style=apa"));
    assert_eq!(status, 200, "{body}");
    let hit = &serde_json::from_str::<Value>(&body).unwrap()["hits"][0];
    assert_eq!(
        hit["page"]["url"], "https://mirror.example/2015/02/11/A-First-Post/",
        "{hit}"
    );
    assert_eq!(hit["cited"]["link"], hit["page"]["url"], "{hit}");
    assert!(
        hit["citation"]
            .as_str()
            .unwrap()
            .contains("https://mirror.example/2015/02/11/A-First-Post/"),
        "{hit}"
    );
    assert!(!body.contains("harbor.example.org"), "{body}");
}

#[test]
fn every_permalink_style_and_ugly_urls_are_where_the_generators_publish() {
    if let Some(jekyll) = generator("jekyll", "permalink styles checked against jekyll's build") {
        for style in [
            "date",
            "pretty",
            "ordinal",
            "none",
            "/:categories/:year/:slug:output_ext",
        ] {
            let files: Vec<(String, String)> = JEKYLL_SITE
                .iter()
                .map(|(p, t)| {
                    (
                        p.to_string(),
                        t.replace("permalink: pretty\n", &format!("permalink: \"{style}\"\n")),
                    )
                })
                .collect();
            let pages = urls_are_built(&files, &jekyll, "https://harbor.example.org/notes");
            // A wrong `:slug` (the file name with its date) is not built.
            assert!(pages.len() > 10, "{style}: {} pages", pages.len());
        }
    }
    if let Some(hugo) = generator("hugo", "ugly URLs checked against hugo's build") {
        let files: Vec<(String, String)> = HUGO_SITE
            .iter()
            .map(|(p, t)| {
                let t = if *p == "hugo.toml" {
                    format!("uglyURLs = true\n{t}")
                } else {
                    t.to_string()
                };
                (p.to_string(), t)
            })
            .collect();
        let pages = urls_are_built(&files, &hugo, "https://news.example.com");
        let first = pages
            .iter()
            .find(|p| p.path.ends_with("First-Post.md"))
            .unwrap();
        assert_eq!(
            first.url,
            "https://news.example.com/2015/09/15/a-post-title.html"
        );
        assert!(
            pages
                .iter()
                .any(|p| p.url.ends_with("/authors/jane-roe.html")),
            "{:?}",
            pages.iter().map(|p| &p.url).collect::<Vec<_>>()
        );
    }
}

/// The text between `open` and `close` in `html`, entities decoded.
fn between(html: &str, open: &str, close: &str) -> Option<String> {
    let start = html.find(open)? + open.len();
    let end = html[start..].find(close)? + start;
    Some(citeindex::decode_entities(html[start..end].trim()))
}

// The 18F site (public domain), as jekyll 4.3 builds it: every post's URL,
// title and authors are what the site publishes, by Jekyll's rules, not
// the file name's.
#[test]
fn the_18f_site_publishes_what_citeindex_says() {
    let Some(archive) = util::shared_corpus(
        "18f-jekyll.tar.zst",
        "the 18F site's URLs, titles and authors",
    ) else {
        return;
    };
    let Some(jekyll) = generator("jekyll", "the 18F site built by jekyll") else {
        return;
    };
    let env = Env::empty();
    util::unpack(&archive, env.dir.path());
    let site = env.dir.path().join("18f-jekyll");
    let index = env.dir.path().join("18f-index");
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_citeindex"))
            .arg("--corpus")
            .arg(&site)
            .arg("--index")
            .arg(&index)
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, out, err) = run(&["index"]);
    assert_eq!(code, Some(0), "{out}\n{err}");
    println!("18F: {out}");

    // Jekyll's own build, with layouts that print what the site shows of a
    // page (its title, its authors by the authors collection's full name,
    // found as the site's `team_link` finds them: by `name`, else by file)
    // and content left unrendered: the site's plugins are not installed.
    // Inside the site: in safe mode Jekyll reads layouts from nowhere else.
    let probe = site.join("_probe_layouts");
    std::fs::create_dir_all(&probe).unwrap();
    let layout = "<title>{{ page.title }}</title>\n<authors>{% for a in page.authors %}{% assign p = site.authors | where: \"name\", a | first %}{% unless p %}{% assign p = site.authors | where: \"slug\", a | first %}{% endunless %}{{ p.full_name }}|{% endfor %}</authors>\n{{ content }}\n";
    for entry in std::fs::read_dir(site.join("_layouts")).unwrap().flatten() {
        std::fs::write(probe.join(entry.file_name()), layout).unwrap();
    }
    std::fs::write(probe.join("probe.html"), layout).unwrap();
    let config = env.dir.path().join("override.yml");
    std::fs::write(
        &config,
        "plugins: []\nlayouts_dir: _probe_layouts\ndefaults:\n  - scope:\n      path: \"\"\n    values:\n      render_with_liquid: false\n      layout: probe\n",
    )
    .unwrap();
    let built = env.dir.path().join("18f-built");
    build(
        Command::new(jekyll)
            .arg("build")
            .arg("--safe")
            .arg("-s")
            .arg(&site)
            .arg("--config")
            .arg(format!(
                "{},{}",
                site.join("_config.yml").display(),
                config.display()
            ))
            .arg("-d")
            .arg(&built)
            .env("TZ", "UTC"),
    );
    let (_, sources, _) = run(&["sources", "--json"]);
    let sources: Value = serde_json::from_str(&sources).unwrap();
    let (mut posts, mut urls, mut titles, mut authors) = (0, 0, 0, 0);
    let mut misses = Vec::new();
    for s in sources.as_array().unwrap() {
        let Some(page) = s["page"].as_str() else {
            continue;
        };
        if !page.starts_with("_posts/") {
            continue;
        }
        posts += 1;
        let url = s["url"].as_str().unwrap();
        let file = built_file(&built, url, "https://18f.gsa.gov");
        let Ok(html) = std::fs::read_to_string(&file) else {
            misses.push(format!("{page}: no {url} in the build"));
            continue;
        };
        urls += 1;
        let title = between(&html, "<title>", "</title>").unwrap_or_default();
        if s["title"].as_str() == Some(title.as_str()) {
            titles += 1;
        } else {
            misses.push(format!(
                "{page}: title {:?}, the site shows {title:?}",
                s["title"]
            ));
        }
        let shown: Vec<String> = between(&html, "<authors>", "</authors>")
            .unwrap_or_default()
            .split('|')
            .filter(|a| !a.is_empty())
            .map(String::from)
            .collect();
        let ours: Vec<String> = s["authors"]
            .as_array()
            .map(|a| a.iter().map(|n| n.as_str().unwrap().to_string()).collect())
            .unwrap_or_default();
        if ours == shown {
            authors += 1;
        } else {
            misses.push(format!(
                "{page}: authors {ours:?}, the site shows {shown:?}"
            ));
        }
    }
    println!(
        "18F posts: {posts}; URLs {urls}, titles {titles}, author lists {authors} as the site publishes them"
    );
    for miss in &misses {
        println!("  {miss}");
    }
    assert!(posts >= 500, "{posts} posts");
    assert!(
        misses.is_empty(),
        "{} misses:\n{}",
        misses.len(),
        misses.join("\n")
    );

    // No template syntax and no tag in the text a visitor reads, in any
    // passage (code shows code as it is written, and text may show a tag
    // the source escapes or puts in a code span).
    let all = every_passage(&index);
    let marked: Vec<(&String, Vec<String>)> = all
        .iter()
        .filter(|(_, kind, _, _)| kind != "code")
        .map(|(id, _, text, file)| {
            let leaks = markup_in(text)
                .into_iter()
                .filter(|m| m.starts_with('{') || raw_in_source(&site, id, file.as_deref(), m))
                .collect::<Vec<_>>();
            (id, leaks)
        })
        .filter(|(_, leaks)| !leaks.is_empty())
        .collect();
    println!(
        "18F passages with markup outside code: {} of {}",
        marked.len(),
        all.len()
    );
    for (id, leaks) in &marked {
        println!("  {id}: {leaks:?}");
    }
    assert!(all.len() > 10_000, "{} passages", all.len());
    assert!(marked.is_empty(), "{} passages with markup", marked.len());

    // Every testimonial include is a quotation credited to the person its
    // `attribution=` names; the site's two credits that name nobody (a
    // role, an email's sender) give a quotation of nobody, not a source.
    const NOBODY: &[&str] = &["Email from CALC user", "FEC product owner"];
    let mut testimonials = 0;
    let mut uncredited = 0;
    for entry in walk(&site) {
        let text = std::fs::read_to_string(&entry).unwrap_or_default();
        let mut rest = text.as_str();
        while let Some(at) = rest.find("{% include testimonial.html") {
            rest = &rest[at..];
            let end = rest.find("%}").unwrap_or(rest.len());
            let call = &rest[..end];
            rest = &rest[end..];
            let param = |key: &str| {
                call.split(&format!("{key}=\""))
                    .nth(1)
                    .and_then(|q| q.split('"').next())
                    .map(str::trim)
            };
            let Some(quote) = param("quote") else {
                continue;
            };
            let credit = param("attribution").unwrap_or("");
            let words: String = quote
                .split_whitespace()
                .take(8)
                .collect::<Vec<_>>()
                .join(" ");
            let (_, out, _) = run(&["--no-update", "quote", &words, "--json"]);
            let found: Value = serde_json::from_str(&out).unwrap();
            let relative = entry
                .strip_prefix(&site)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let Some(m) = found["matches"]
                .as_array()
                .unwrap()
                .iter()
                .find(|m| m["passage"]["page"]["path"] == relative.as_str())
            else {
                // A page the site leaves out (a README) holds no testimonial.
                assert!(
                    !relative.starts_with('_') || relative.starts_with("_includes"),
                    "{relative}: {words:?} not found"
                );
                continue;
            };
            let passage = &m["passage"];
            assert_eq!(passage["kind"], "blockquote", "{words}: {found}");
            let source = Some(&passage["excerpted_from"]).filter(|s| !s.is_null());
            if NOBODY.contains(&credit) {
                assert!(
                    passage["excerpted_from"].is_null(),
                    "the testimonial {words:?} credited to {credit:?} names nobody: {passage}"
                );
                uncredited += 1;
                continue;
            }
            let named = source.map(|s| s["title"].as_str().unwrap_or_default());
            assert_eq!(
                named,
                Some(credit),
                "the testimonial {words:?} is {credit:?}'s: {passage}"
            );
            testimonials += 1;
        }
    }
    println!("18F testimonials credited: {testimonials}, of nobody: {uncredited}");
    assert!(testimonials >= 10, "{testimonials}");
    assert_eq!(uncredited, NOBODY.len());
}

/// The Markdown files under `dir`.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                todo.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                out.push(path);
            }
        }
    }
    out
}
