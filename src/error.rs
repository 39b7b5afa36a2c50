//! Error: what can go wrong, said so that the user knows what to fix.

use std::path::PathBuf;

/// Everything the library can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A corpus file that cannot be read as a page or registry.
    #[error("{path}:{line}: {message}")]
    Corpus {
        /// Path of the file, relative to the corpus.
        path: String,
        /// 1-based line where the problem is.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The corpus directory itself is missing or unreadable.
    #[error("corpus {}: {message}", path.display())]
    CorpusDir {
        /// The directory given.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A query that cannot be run as typed.
    #[error("bad query: {0}")]
    Query(String),
    /// A `--source` that names no known source.
    #[error("no source is called `{name}`{hint}")]
    UnknownSource {
        /// The name given.
        name: String,
        /// Suggestions, starting with "; ", or nothing.
        hint: String,
    },
    /// A passage id that is not in the index.
    #[error("no passage has the id `{0}`")]
    UnknownPassage(String),
    /// The index is in use by another writer, or damaged.
    #[error("index {}: {message}", path.display())]
    Index {
        /// The index directory.
        path: PathBuf,
        /// What is wrong, and what to do.
        message: String,
    },
    /// Tantivy failed.
    #[error(transparent)]
    Tantivy(#[from] tantivy::TantivyError),
    /// The file system failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory concerned.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

impl Error {
    /// Whether the user can fix this by changing what they typed or gave:
    /// such errors exit with status 2 and answer 4xx over HTTP.
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            Error::Query(_)
                | Error::UnknownSource { .. }
                | Error::UnknownPassage(_)
                | Error::CorpusDir { .. }
                | Error::Corpus { .. }
        )
    }

    /// Wraps an I/O error with the path it happened on.
    pub fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.into();
        move |source| Error::Io { path, source }
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
