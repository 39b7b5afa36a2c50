//! Error: what can go wrong, said so that the user knows what to fix.
//!
//! Every failure of the library is one [`Error`]. Its [`ErrorCode`] is the
//! one place that decides what the failure means to a caller: the `code` of
//! the HTTP API's error body, the HTTP status, and the exit status of the
//! command line.

use std::path::PathBuf;

use serde::Serialize;

/// Exit status: the command did what was asked.
pub const EXIT_OK: u8 = 0;
/// Exit status: nothing was found where something was asked for (a quote
/// look-up with no match, a quotation that does not verify, a failed fetch).
pub const EXIT_NOT_FOUND: u8 = 1;
/// Exit status: bad input — a query, an option or a corpus file to fix.
pub const EXIT_BAD_INPUT: u8 = 2;
/// Exit status: a failure inside — the index damaged, the file system failing.
pub const EXIT_FAILURE: u8 = 3;

/// What went wrong, for a program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// A query that cannot be run as typed.
    BadQuery,
    /// An option or parameter with a value it cannot take.
    BadParameter,
    /// A parameter that must be given.
    MissingParameter,
    /// A source name that no source goes by.
    UnknownSource,
    /// Nothing at that address: a passage id, an endpoint.
    NotFound,
    /// The answer took longer than the time limit.
    Timeout,
    /// A request body past its size limit.
    TooLarge,
    /// The search cluster (`serve --engine`) did not answer.
    Unavailable,
    /// A corpus file that cannot be read as a page or registry.
    CorpusFile,
    /// The corpus directory is missing or cannot be read.
    CorpusUnreadable,
    /// A failure inside: the index, the file system.
    Internal,
}

impl ErrorCode {
    /// The exit status of a command that failed so.
    pub fn exit_status(self) -> u8 {
        match self {
            ErrorCode::Internal | ErrorCode::Timeout | ErrorCode::Unavailable => EXIT_FAILURE,
            _ => EXIT_BAD_INPUT,
        }
    }

    /// The HTTP status of a request that failed so.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::BadQuery
            | ErrorCode::BadParameter
            | ErrorCode::MissingParameter
            | ErrorCode::UnknownSource => 400,
            ErrorCode::NotFound => 404,
            ErrorCode::TooLarge => 413,
            ErrorCode::Timeout | ErrorCode::Unavailable => 503,
            ErrorCode::CorpusFile | ErrorCode::CorpusUnreadable | ErrorCode::Internal => 500,
        }
    }

    /// The code a web client is shown: a failure inside is `internal`,
    /// whatever it was, since its details are for the server's log.
    pub fn public(self) -> ErrorCode {
        if self.http_status() == 500 {
            ErrorCode::Internal
        } else {
            self
        }
    }
}

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
    /// An option or parameter given a value it cannot take.
    #[error("{message}")]
    Parameter {
        /// The option or parameter (`limit`, `--cors-origin`).
        name: String,
        /// What is wrong with the value, and what it may be, as a sentence
        /// that names the option or parameter.
        message: String,
    },
    /// A parameter that must be given is missing or empty.
    #[error("`{0}` is required and must not be empty")]
    MissingParameter(String),
    /// A name that no source goes by.
    #[error("no source is called `{name}`{hint}")]
    UnknownSource {
        /// The name given.
        name: String,
        /// Suggestions, starting with "; ", or nothing.
        hint: String,
    },
    /// A passage id that is not in the index.
    #[error("there is no passage `{0}`; ids look like `page#p4`, as search shows them")]
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
    /// Another engine (a Typesense cluster): no node answered.
    #[error("{0}")]
    Engine(String),
    /// Another engine answered, but refused the request or answered what
    /// citeindex cannot read (a missing collection, another version's).
    #[error("{0}")]
    EngineRefused(String),

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
    /// What the failure means to a caller: its exit and HTTP statuses.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Corpus { .. } => ErrorCode::CorpusFile,
            Error::CorpusDir { .. } => ErrorCode::CorpusUnreadable,
            Error::Query(_) => ErrorCode::BadQuery,
            Error::Parameter { .. } => ErrorCode::BadParameter,
            Error::MissingParameter(_) => ErrorCode::MissingParameter,
            Error::UnknownSource { .. } => ErrorCode::UnknownSource,
            Error::UnknownPassage(_) => ErrorCode::NotFound,
            Error::Engine(_) => ErrorCode::Unavailable,
            Error::Index { .. }
            | Error::Tantivy(_)
            | Error::Io { .. }
            | Error::EngineRefused(_) => ErrorCode::Internal,
        }
    }

    /// A bad value of the option or parameter `name`.
    pub fn parameter(name: impl Into<String>, message: impl Into<String>) -> Error {
        Error::Parameter {
            name: name.into(),
            message: message.into(),
        }
    }

    /// Wraps an I/O error with the path it happened on.
    pub fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.into();
        move |source| Error::Io { path, source }
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_input_exits_2_and_answers_4xx_and_failures_inside_exit_3_and_answer_500() {
        let bad = [
            Error::Query("x".into()),
            Error::parameter("limit", "x"),
            Error::MissingParameter("q".into()),
            Error::UnknownSource {
                name: "x".into(),
                hint: String::new(),
            },
        ];
        for e in bad {
            assert_eq!(e.code().exit_status(), EXIT_BAD_INPUT, "{e}");
            assert_eq!(e.code().http_status(), 400, "{e}");
        }
        let passage = Error::UnknownPassage("x#p1".into());
        assert_eq!(passage.code().http_status(), 404);
        assert_eq!(passage.code().exit_status(), EXIT_BAD_INPUT);
        let corpus = Error::Corpus {
            path: "a.md".into(),
            line: 1,
            message: "x".into(),
        };
        assert_eq!(corpus.code().exit_status(), EXIT_BAD_INPUT);
        assert_eq!(corpus.code().public(), ErrorCode::Internal);
        let inside = Error::Index {
            path: "index".into(),
            message: "damaged".into(),
        };
        assert_eq!(inside.code().exit_status(), EXIT_FAILURE);
        assert_eq!(inside.code().http_status(), 500);
        assert_ne!(EXIT_FAILURE, EXIT_NOT_FOUND);
    }
}
