//! Segment: a run of a page's text as Markdown is to read it — template
//! tags resolved or removed, includes spliced in — with where each of its
//! bytes stands in the corpus file that holds the words, so that passages
//! keep byte spans and lines of that file.

use std::ops::Range;

/// Text of one corpus file, rewritten for reading.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// The corpus file the text comes from.
    pub file: String,
    /// What Markdown reads.
    pub text: String,
    /// Pieces of `text` in order: each a range of `text` and the range of
    /// the file it stands for (the same length when copied, any when
    /// replaced).
    pieces: Vec<(Range<usize>, Range<usize>)>,
    /// Byte offsets of the line breaks of the file.
    line_breaks: std::sync::Arc<Vec<usize>>,
}

impl Segment {
    /// The whole of `range` of `file` (whose text is `whole`), as it stands.
    pub fn verbatim(file: &str, whole: &str, range: Range<usize>) -> Segment {
        let mut builder = Builder::new(file, whole);
        builder.copy(range);
        builder.finish()
    }

    /// The file offset where the byte at `at` of the text came from.
    pub fn start_in_file(&self, at: usize) -> usize {
        // The first piece that reaches past `at`.
        let i = self.pieces.partition_point(|(text, _)| text.end <= at);
        match self.pieces.get(i) {
            Some((text, file)) if text.len() == file.len() && at > text.start => {
                file.start + (at - text.start)
            }
            Some((_, file)) => file.start,
            None => self.pieces.last().map_or(0, |(_, file)| file.end),
        }
    }

    /// The file offset where the text before `at` ends.
    pub fn end_in_file(&self, at: usize) -> usize {
        // The last piece that starts before `at`.
        let i = self.pieces.partition_point(|(text, _)| text.start < at);
        match i.checked_sub(1).map(|i| &self.pieces[i]) {
            Some((text, file)) if text.len() == file.len() && at < text.end => {
                file.start + (at - text.start)
            }
            Some((_, file)) => file.end,
            None => self.pieces.first().map_or(0, |(_, file)| file.start),
        }
    }

    /// The 1-based line of the file at file offset `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        1 + self.line_breaks.partition_point(|&b| b < offset)
    }
}

/// Makes a [`Segment`] piece by piece.
#[derive(Debug)]
pub struct Builder<'f> {
    file: String,
    whole: &'f str,
    text: String,
    pieces: Vec<(Range<usize>, Range<usize>)>,
    line_breaks: std::sync::Arc<Vec<usize>>,
}

impl<'f> Builder<'f> {
    /// A segment of `file`, whose whole text is `whole`.
    pub fn new(file: &str, whole: &'f str) -> Builder<'f> {
        Builder {
            file: file.to_string(),
            whole,
            text: String::new(),
            pieces: Vec::new(),
            line_breaks: std::sync::Arc::new(
                memchr::memchr_iter(b'\n', whole.as_bytes()).collect(),
            ),
        }
    }

    /// Copies `range` of the file as it stands.
    pub fn copy(&mut self, range: Range<usize>) {
        if range.is_empty() {
            return;
        }
        let start = self.text.len();
        self.text.push_str(&self.whole[range.clone()]);
        self.pieces.push((start..self.text.len(), range));
    }

    /// Puts `with` where `range` of the file stands.
    pub fn replace(&mut self, range: Range<usize>, with: &str) {
        let start = self.text.len();
        self.text.push_str(with);
        self.pieces.push((start..self.text.len(), range));
    }

    /// The segment.
    pub fn finish(self) -> Segment {
        Segment {
            file: self.file,
            text: self.text,
            pieces: self.pieces,
            line_breaks: self.line_breaks,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_back_through_copies_and_replacements() {
        let whole = "ab{{ site.title }}cd{% if x %}ef";
        let mut b = Builder::new("f.md", whole);
        b.copy(0..2);
        b.replace(2..18, "Site Name");
        b.copy(18..20);
        b.replace(20..30, "");
        b.copy(30..32);
        let s = b.finish();
        assert_eq!(s.text, "abSite Namecdef");
        assert_eq!(s.start_in_file(0), 0);
        assert_eq!(s.start_in_file(1), 1);
        // Inside a replacement: its start, and its end for an end.
        assert_eq!(s.start_in_file(2), 2);
        assert_eq!(s.start_in_file(5), 2);
        assert_eq!(s.end_in_file(5), 18);
        assert_eq!(s.end_in_file(11), 18);
        assert_eq!(s.start_in_file(11), 18);
        assert_eq!(s.start_in_file(13), 30);
        assert_eq!(s.end_in_file(15), 32);
        assert_eq!(&whole[s.start_in_file(11)..s.end_in_file(13)], "cd");
    }
}
