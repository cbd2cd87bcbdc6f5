//! Migration 3's Rust step: in every table's CHECK constraints, `column IN ('a', 'b', …)` is
//! written `(column = 'a' OR column = 'b' OR …)`. It is the same constraint, but SQLite builds a
//! temporary table for each IN list every time a row is written: eight for a referral, which
//! made writing one cost seven times what it needs to (measured; issue 18). The change is made by
//! SQLite's documented procedure for altering a CHECK constraint in place (the table's stored
//! definition rewritten with `writable_schema`, the schema version raised, the file checked).

use anyhow::Result;
use rusqlite::Transaction;

/// The index just past the parenthesis that closes the one open before `s` (quotes skipped).
fn closing(s: &str) -> Option<usize> {
    let (mut depth, mut quoted) = (1usize, false);
    for (i, c) in s.char_indices() {
        match c {
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// A constant a list may hold: a quoted word without quotes or commas inside, or a number.
fn constant(v: &str) -> bool {
    let quoted = v.len() >= 2 && v.starts_with('\'') && v.ends_with('\'') && !v[1..v.len() - 1].contains(['\'', ',']);
    quoted || (!v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '-'))
}

/// `x IN (…)` lists of constants inside one CHECK expression, as OR chains.
fn rewrite_lists(expr: &str) -> String {
    let mut out = String::new();
    let mut rest = expr;
    while let Some(at) = rest.find(" IN (") {
        let before = &rest[..at];
        let start = before.rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.')).map_or(0, |i| i + 1);
        let column = &before[start..];
        let list_from = at + " IN (".len();
        let Some(len) = closing(&rest[list_from..]) else { break };
        let values: Vec<&str> = rest[list_from..list_from + len].split(',').map(str::trim).collect();
        if column.is_empty() || column.eq_ignore_ascii_case("not") || !values.iter().all(|v| constant(v)) {
            out.push_str(&rest[..list_from + len + 1]);
        } else {
            out.push_str(&rest[..start]);
            let terms: Vec<String> = values.iter().map(|v| format!("{column} = {v}")).collect();
            out.push_str(&format!("({})", terms.join(" OR ")));
        }
        rest = &rest[list_from + len + 1..];
    }
    out.push_str(rest);
    out
}

/// A table definition with the IN lists of its CHECK constraints written as OR chains.
pub fn or_chains(sql: &str) -> String {
    let mut out = String::new();
    let mut rest = sql;
    while let Some(i) = rest.find("CHECK (") {
        let open = i + "CHECK (".len();
        out.push_str(&rest[..open]);
        rest = &rest[open..];
        let Some(end) = closing(rest) else { break };
        out.push_str(&rewrite_lists(&rest[..end]));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Rewrite every table's CHECK lists in place; the file is checked before the migration commits.
pub fn rewrite(tx: &Transaction) -> Result<()> {
    let tables: Vec<(String, String)> = tx
        .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND sql LIKE '%CHECK (%'")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let version: i64 = tx.query_row("PRAGMA schema_version", [], |r| r.get(0))?;
    tx.execute_batch("PRAGMA writable_schema = ON")?;
    let mut changed = 0;
    for (name, sql) in tables {
        let new = or_chains(&sql);
        if new != sql {
            tx.execute("UPDATE sqlite_schema SET sql = ?1 WHERE type = 'table' AND name = ?2", [&new, &name])?;
            changed += 1;
        }
    }
    tx.execute_batch(&format!("PRAGMA schema_version = {}", version + 1))?;
    tx.execute_batch("PRAGMA writable_schema = OFF")?;
    if changed > 0 {
        let check: String = tx.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
        anyhow::ensure!(check == "ok", "the database did not check out after its constraints were rewritten: {check}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::or_chains;

    #[test]
    fn in_lists_become_or_chains_and_nothing_else_changes() {
        let sql = "CREATE TABLE t (\n    team TEXT NOT NULL CHECK (team IN ('act', 'stp', 'keah')),\n    flag INTEGER CHECK (flag IN (0, 1)),\n    docs TEXT CHECK (json_valid(docs) AND json_type(docs) = 'array'),\n    n INTEGER CHECK (n BETWEEN 1 AND 7),\n    note TEXT DEFAULT 'in (x)'\n) STRICT";
        let want = "CREATE TABLE t (\n    team TEXT NOT NULL CHECK ((team = 'act' OR team = 'stp' OR team = 'keah')),\n    flag INTEGER CHECK ((flag = 0 OR flag = 1)),\n    docs TEXT CHECK (json_valid(docs) AND json_type(docs) = 'array'),\n    n INTEGER CHECK (n BETWEEN 1 AND 7),\n    note TEXT DEFAULT 'in (x)'\n) STRICT";
        assert_eq!(or_chains(sql), want);
        assert_eq!(or_chains(want), want, "rewriting twice changes nothing");
        let multi = "CHECK (rule IN ('a-1', 'b')), CHECK (x NOT IN ('a')), CHECK (y IN (SELECT 1))";
        assert_eq!(
            or_chains(multi),
            "CHECK ((rule = 'a-1' OR rule = 'b')), CHECK (x NOT IN ('a')), CHECK (y IN (SELECT 1))"
        );
    }

    #[test]
    fn the_rewritten_tables_refuse_what_they_refused() {
        let mut store = crate::store::Store::in_memory().expect("store");
        let conn = store.conn();
        let sql: String = conn
            .query_row("SELECT sql FROM sqlite_schema WHERE name = 'referrals'", [], |r| r.get(0))
            .expect("referrals");
        assert!(!sql.contains(" IN ('"), "{sql}");
        assert!(sql.contains("team = 'act' OR team = 'stp' OR team = 'keah'"), "{sql}");
        let bad = store.write(|tx| {
            tx.execute(
                "INSERT INTO offers (referral_id, provider_id, tier, placement_type, offered_at, deadline, offered_by) \
                 VALUES (1, 1, 'gold', 'contract', 'x', 'y', 'z')",
                [],
            )?;
            Ok(())
        });
        assert!(bad.unwrap_err().to_string().contains("CHECK"), "a tier outside the list is refused");
    }
}
