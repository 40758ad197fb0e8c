//! Helpers shared by the CLI's integration tests (each test file includes this module).

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs the real `chronicle` binary with `args`, feeding `stdin` (or closing it), and
/// returns its exit status and captured output.
pub fn chronicle(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_chronicle"));
    c.args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .stdin(Stdio::piped());
    let mut child = c.spawn().expect("binary runs");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input)
            .expect("write stdin");
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().expect("binary exits")
}
