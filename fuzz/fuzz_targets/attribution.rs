//! Fuzz target: see `citeindex_fuzz::attribution`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| citeindex_fuzz::attribution(data));
