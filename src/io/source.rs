//! A spreadsheet's CSV export opened as a stream of UTF-8, whatever its size: the file is read
//! in blocks (never whole), once to decide its encoding and check its quotes, then again as the
//! rows are imported. Memory does not grow with the file.

use crate::error::UserError;
use encoding_rs::Encoding;
use encoding_rs_io::DecodeReaderBytesBuilder;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// Files over this size are refused: a Packages sheet of a million rows is about 110-240 MB.
const MAX_FILE_BYTES: u64 = 1024 * 1024 * 1024;

/// A checked CSV file, ready to be read (as often as needed) as UTF-8.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: PathBuf,
    /// Its size in bytes (for a progress bar).
    pub size: u64,
    /// None: UTF-8 (or the encoding its byte-order mark names).
    encoding: Option<&'static Encoding>,
    /// The header line, decoded.
    pub first_line: String,
}

fn cannot(path: &Path, e: std::io::Error) -> UserError {
    UserError::new(format!("cannot read {}: {e}", path.display())).hint("check the file name and that you can read it")
}

impl Source {
    /// Open and check a CSV file: not binary, not empty, not too large, and (unless forced) its
    /// encoding: UTF-8 with or without a BOM, UTF-16 with a BOM, else Windows-1252 (Excel's).
    pub fn open(path: &Path, forced: Option<&str>) -> Result<Source, UserError> {
        let mut f = std::fs::File::open(path).map_err(|e| cannot(path, e))?;
        let meta = f.metadata().map_err(|e| cannot(path, e))?;
        let size = meta.len();
        if size >= MAX_FILE_BYTES {
            return Err(UserError::new(format!("{} is larger than 1 GB; hcp does not read it", path.display()))
                .hint("is it the right file? A Packages sheet of a million rows is about 240 MB"));
        }
        // The first block decides whether this is text at all, before an endless input
        // (/dev/zero) or a binary file is read any further.
        let mut head = Vec::new();
        (&mut f).take(8192).read_to_end(&mut head).map_err(|e| cannot(path, e))?;
        let bom = head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") || head.starts_with(b"\xEF\xBB\xBF");
        if !bom && head.contains(&0) {
            return Err(UserError::new(format!("{} is not a CSV file (it contains binary data)", path.display()))
                .hint("in Excel use File > Save As > CSV UTF-8 (or CSV), then import that file"));
        }
        // The file is read more than once (its encoding and quotes, then its rows), which a
        // pipe or a device cannot be.
        if !meta.is_file() {
            return Err(UserError::new(format!("{} is not a regular file (a pipe or a device)", path.display()))
                .hint("save the export to a file first, then import that file"));
        }
        let encoding = match forced.map(str::to_ascii_lowercase).as_deref() {
            Some("utf-8" | "utf8") => {
                if let Some(at) = first_bad_utf8(path)? {
                    return Err(UserError::new(format!(
                        "{}: the file is not UTF-8 (byte {at} is not valid); try --encoding windows-1252",
                        path.display()
                    )));
                }
                None
            }
            Some("windows-1252" | "cp1252" | "latin1") => Some(encoding_rs::WINDOWS_1252),
            Some(e) => {
                return Err(UserError::new(format!(
                    "{}: unknown encoding '{e}'; use utf-8 or windows-1252",
                    path.display()
                )))
            }
            None if bom => None,
            None => first_bad_utf8(path)?.map(|_| encoding_rs::WINDOWS_1252),
        };
        let mut src = Source { path: path.to_path_buf(), size, encoding, first_line: String::new() };
        let mut lines = BufReader::new(src.reader()?);
        let mut first = Vec::new();
        (&mut lines).take(64 * 1024).read_until(b'\n', &mut first).map_err(|e| cannot(path, e))?;
        src.first_line = String::from_utf8_lossy(&first).trim_end_matches(['\r', '\n']).to_string();
        let mut rest = [0u8; 64 * 1024];
        let mut blank = src.first_line.trim().is_empty();
        while blank {
            let n = lines.read(&mut rest).map_err(|e| cannot(path, e))?;
            if n == 0 {
                break;
            }
            blank = rest[..n].iter().all(u8::is_ascii_whitespace);
        }
        if blank {
            return Err(UserError::new(format!("{} is empty", path.display()))
                .hint("export the spreadsheet as CSV with its header row"));
        }
        Ok(src)
    }

    /// The file from its start, as UTF-8 (any byte-order mark dropped).
    pub fn reader(&self) -> Result<Box<dyn Read + Send>, UserError> {
        let f = std::fs::File::open(&self.path).map_err(|e| cannot(&self.path, e))?;
        Ok(Box::new(DecodeReaderBytesBuilder::new().encoding(self.encoding).build(f)))
    }

    /// `;` when the header line has more semicolons than commas (European Excel), a tab when it
    /// has more tabs, else `,`.
    pub fn delimiter(&self) -> u8 {
        let first = &self.first_line;
        let (c, s, t) = (first.matches(',').count(), first.matches(';').count(), first.matches('\t').count());
        if t > c && t > s {
            b'\t'
        } else if s > c {
            b';'
        } else {
            b','
        }
    }

    /// The row where a quote opens and is never properly closed (`QuoteCheck`), read through.
    pub fn unbalanced_quote(&self) -> Result<Option<usize>, UserError> {
        let delimiter = self.delimiter();
        let columns = self.first_line.matches(delimiter as char).count() + 1;
        let mut check = QuoteCheck::new(delimiter, columns);
        let mut r = self.reader()?;
        let mut buf = vec![0u8; 256 * 1024];
        loop {
            let n = r.read(&mut buf).map_err(|e| cannot(&self.path, e))?;
            if n == 0 {
                return Ok(check.finish());
            }
            if let Some(row) = check.feed(&buf[..n]) {
                return Ok(Some(row));
            }
        }
    }
}

/// Where the file stops being UTF-8, read in blocks (a character may straddle two).
fn first_bad_utf8(path: &Path) -> Result<Option<usize>, UserError> {
    let mut f = std::fs::File::open(path).map_err(|e| cannot(path, e))?;
    let mut buf = vec![0u8; 256 * 1024];
    let (mut carry, mut offset) = (0usize, 0usize);
    loop {
        let n = f.read(&mut buf[carry..]).map_err(|e| cannot(path, e))?;
        let len = carry + n;
        match std::str::from_utf8(&buf[..len]) {
            Ok(_) if n == 0 => return Ok(None),
            Ok(_) => carry = 0,
            Err(e) if e.error_len().is_none() && n > 0 => {
                // An unfinished character at the block's end: keep it for the next block.
                let good = e.valid_up_to();
                buf.copy_within(good..len, 0);
                carry = len - good;
                offset += good;
                continue;
            }
            Err(e) => return Ok(Some(offset + e.valid_up_to())),
        }
        offset += len;
    }
}

/// A quote that opens a field and is not closed where it should be: the row (as a spreadsheet
/// numbers them, header = 1) where it opened. A quoted field may hold line breaks, but one that
/// runs on over what looks like a whole row (at least half the header's delimiters), or that
/// leaves its row with more cells than the header, has swallowed a row; one still open at the
/// end of the file was never closed. Fed UTF-8 in blocks of any size: the characters that
/// matter are ASCII, so it reads bytes.
#[derive(Debug)]
pub struct QuoteCheck {
    delimiter: u8,
    columns: usize,
    enough: usize,
    row: usize,
    in_quotes: bool,
    field_start: bool,
    opened: usize,
    /// In the current quoted field: line breaks and the delimiters after the first one.
    breaks: usize,
    spilled: usize,
    /// In a quoted field, a `"` whose meaning depends on the next byte (`""` is a quote).
    pending_quote: bool,
    /// In the current row: its cells, and whether a quoted field in it ran over a line break.
    cells: usize,
    multiline: bool,
}

impl QuoteCheck {
    pub fn new(delimiter: u8, columns: usize) -> QuoteCheck {
        QuoteCheck {
            delimiter,
            columns,
            enough: columns.saturating_sub(1).max(2) / 2,
            row: 1,
            in_quotes: false,
            field_start: true,
            opened: 0,
            breaks: 0,
            spilled: 0,
            pending_quote: false,
            cells: 1,
            multiline: false,
        }
    }

    /// The next block; the row where a bad quote opened, once it is certain.
    pub fn feed(&mut self, bytes: &[u8]) -> Option<usize> {
        bytes.iter().find_map(|&c| self.byte(c))
    }

    /// The end of the file.
    pub fn finish(mut self) -> Option<usize> {
        if self.pending_quote {
            if let Some(row) = self.close() {
                return Some(row);
            }
        }
        (self.in_quotes || (self.multiline && self.cells > self.columns)).then_some(self.opened)
    }

    fn swallowed(&self) -> bool {
        self.breaks > 0 && self.spilled >= self.enough
    }

    /// A quote that ends the quoted field.
    fn close(&mut self) -> Option<usize> {
        self.pending_quote = false;
        if self.swallowed() {
            return Some(self.opened);
        }
        self.in_quotes = false;
        self.multiline |= self.breaks > 0;
        None
    }

    fn byte(&mut self, c: u8) -> Option<usize> {
        if self.in_quotes {
            if self.pending_quote {
                if c == b'"' {
                    self.pending_quote = false;
                    return None;
                }
                if let Some(row) = self.close() {
                    return Some(row);
                }
            } else {
                match c {
                    b'"' => self.pending_quote = true,
                    b'\n' if self.swallowed() => return Some(self.opened),
                    b'\n' => self.breaks += 1,
                    c if c == self.delimiter && self.breaks > 0 => self.spilled += 1,
                    _ => {}
                }
                return None;
            }
        }
        match c {
            b'"' if self.field_start => {
                (self.in_quotes, self.opened, self.breaks, self.spilled) = (true, self.row, 0, 0);
            }
            b'\n' => {
                if self.multiline && self.cells > self.columns {
                    return Some(self.opened);
                }
                (self.row, self.field_start, self.cells, self.multiline) = (self.row + 1, true, 1, false);
                return None;
            }
            c if c == self.delimiter => {
                (self.field_start, self.cells) = (true, self.cells + 1);
                return None;
            }
            _ => {}
        }
        self.field_start = false;
        None
    }
}

#[cfg(test)]
mod tests {
    use super::QuoteCheck;
    use proptest::prelude::*;

    fn unbalanced_quote(text: &str, delimiter: u8, columns: usize) -> Option<usize> {
        let mut c = QuoteCheck::new(delimiter, columns);
        c.feed(text.as_bytes()).or_else(|| c.finish())
    }

    #[test]
    fn an_unclosed_quote_is_found_where_it_opened() {
        let ok = "Client ID,Client Name,Notes\n1,Ann,\"two\nlines\"\n2,Bob,x\n";
        assert_eq!(unbalanced_quote(ok, b',', 3), None);
        let escaped = "a,b\n1,\"say \"\"hi\"\"\nthere\"\n2,x\n";
        assert_eq!(unbalanced_quote(escaped, b',', 2), None);
        let swallowed = "a,b,c,d,e\n1,\"Ann,x,y,z\n2,Bob,x,y,z\n3,Cy,x,y,z\n";
        assert_eq!(unbalanced_quote(swallowed, b',', 5), Some(2));
        let closed_later = "a,b,c,d,e\n1,\"Ann,x,y,z\n2,Bob,\"x\",y,z\n";
        assert_eq!(unbalanced_quote(closed_later, b',', 5), Some(2));
        assert_eq!(unbalanced_quote("a,b\n1,\"open", b',', 2), Some(2));
        assert_eq!(unbalanced_quote("a,b\n1,\"closed at the end\"", b',', 2), None);
    }

    fn read(bytes: &[u8], forced: Option<&str>) -> Result<(String, u8), String> {
        use std::io::Read;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.csv");
        std::fs::write(&path, bytes).unwrap();
        let src = super::Source::open(&path, forced).map_err(|e| e.to_string())?;
        let mut text = String::new();
        src.reader().unwrap().read_to_string(&mut text).unwrap();
        Ok((text, src.delimiter()))
    }

    #[test]
    fn encodings_byte_order_marks_and_delimiters() {
        assert_eq!(read(b"\xEF\xBB\xBFa,b\n", None).unwrap(), ("a,b\n".to_string(), b','));
        // £ is 0xA3 and ë is 0xEB in Windows-1252.
        assert_eq!(read(b"a;b\n\xA312.50;Zo\xEB\n", None).unwrap(), ("a;b\n£12.50;Zoë\n".to_string(), b';'));
        assert!(read(b"a\n\xA3\n", Some("utf-8")).unwrap_err().contains("byte 2 is not valid"));
        assert_eq!(read(b"a\tb\tc\n", None).unwrap().1, b'\t');
        assert!(read(b"a\n", Some("ebcdic")).unwrap_err().contains("unknown encoding"));
        assert!(read(b"  \n \n", None).unwrap_err().contains("is empty"));
        // A character cut by the 256 KB block boundary is still UTF-8.
        let mut big = vec![b'a'; 256 * 1024 - 1];
        big.extend_from_slice("ë\n".as_bytes());
        assert!(read(&big, None).unwrap().0.ends_with("ë\n"));
    }

    proptest! {
        /// Fed in blocks of any size, the check finds what it finds in one block.
        #[test]
        fn blocks_do_not_change_the_answer(text in "[a-c,\"\n]{0,80}", cut in 1usize..9) {
            let whole = unbalanced_quote(&text, b',', 3);
            let mut c = QuoteCheck::new(b',', 3);
            let found = text.as_bytes().chunks(cut).find_map(|b| c.feed(b)).or_else(|| c.finish());
            prop_assert_eq!(found, whole);
        }
    }
}
