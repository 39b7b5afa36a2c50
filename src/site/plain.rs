//! A plain folder of Markdown: every Markdown file a page, read as today.

use crate::corpus::{Corpus, FileRole, plain_role};
use crate::error::Result;
use crate::page::Page;

use super::{Generator, Published, SiteKind, Website};

/// No generator.
#[derive(Debug, Clone, Copy)]
pub struct Plain;

impl Generator for Plain {
    fn kind(&self) -> SiteKind {
        SiteKind::Plain
    }

    fn role(&self, path: &str, is_dir: bool) -> FileRole {
        plain_role(path, is_dir)
    }

    fn publish(&self, page: Page, _: &Corpus) -> Result<Published> {
        Ok(Published::Page {
            page: Box::new(page),
            depends: vec![],
        })
    }

    fn website(&self) -> Website {
        Website::default()
    }
}
