//! Fuzz target: see `citeindex_fuzz::passages`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| citeindex_fuzz::passages(data));
