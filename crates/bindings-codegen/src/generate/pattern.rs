//! Strings a simple regular expression matches: literals, escapes
//! (`\d`, `\w`, `\s`, `\.`), character classes, `.`, groups with `|`
//! (the first alternative) and quantifiers. Each candidate is checked with
//! regress (the engine the generated types use), so a pattern beyond this
//! reader yields no candidate rather than a wrong one.

/// Candidates matching `pattern`: each quantifier at its least, then at
/// least once.
pub fn sample(pattern: &str) -> Vec<String> {
    let chars: Vec<char> = pattern.chars().collect();
    [false, true]
        .into_iter()
        .filter_map(|at_least_once| {
            let mut reader = Reader {
                chars: &chars,
                at: 0,
                at_least_once,
            };
            reader.sequence().ok()
        })
        .filter(|text| matches(pattern, text))
        .collect()
}

/// Whether `text` matches `pattern` (ECMA 262, as the generated types
/// check it); an unreadable pattern matches nothing.
pub fn matches(pattern: &str, text: &str) -> bool {
    regress::Regex::new(pattern).is_ok_and(|regex| regex.find(text).is_some())
}

struct Reader<'a> {
    chars: &'a [char],
    at: usize,
    at_least_once: bool,
}

type Unsupported = ();

impl Reader<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn next(&mut self) -> Result<char, Unsupported> {
        let c = self.peek().ok_or(())?;
        self.at += 1;
        Ok(c)
    }

    /// Alternatives up to `)` or the end: the first one's text.
    fn sequence(&mut self) -> Result<String, Unsupported> {
        let mut out = String::new();
        while let Some(c) = self.peek() {
            match c {
                ')' => break,
                '|' => {
                    self.skip_alternatives()?;
                    break;
                }
                '^' | '$' => self.at += 1,
                _ => {
                    let atom = self.atom()?;
                    let count = self.quantifier()?;
                    out.push_str(&atom.repeat(count));
                }
            }
        }
        Ok(out)
    }

    /// Skips from a `|` to the group's `)` (or the end).
    fn skip_alternatives(&mut self) -> Result<(), Unsupported> {
        let mut depth = 0usize;
        while let Some(c) = self.peek() {
            match c {
                '\\' => self.at += 1,
                '(' => depth += 1,
                ')' if depth == 0 => return Ok(()),
                ')' => depth -= 1,
                _ => {}
            }
            self.at += 1;
        }
        Ok(())
    }

    fn atom(&mut self) -> Result<String, Unsupported> {
        match self.next()? {
            '\\' => escape(self.next()?).map(String::from),
            '[' => self.class().map(String::from),
            '(' => {
                if self.peek() == Some('?') {
                    self.at += 1;
                    if self.next()? != ':' {
                        return Err(());
                    }
                }
                let inner = self.sequence()?;
                (self.next()? == ')').then_some(inner).ok_or(())
            }
            '.' => Ok("a".into()),
            c if "*+?{}".contains(c) => Err(()),
            c => Ok(c.to_string()),
        }
    }

    /// A character class: its first member (or one outside a negated
    /// class).
    fn class(&mut self) -> Result<char, Unsupported> {
        let negated = self.peek() == Some('^');
        if negated {
            self.at += 1;
        }
        let mut members = Vec::new();
        loop {
            match self.next()? {
                ']' if !members.is_empty() || !negated => break,
                '\\' => members.push(escape(self.next()?)?),
                c => members.push(c),
            }
        }
        if negated {
            return "a0_-xZ".chars().find(|c| !members.contains(c)).ok_or(());
        }
        members.first().copied().ok_or(())
    }

    /// How many times the atom before is repeated.
    fn quantifier(&mut self) -> Result<usize, Unsupported> {
        let (least, most) = match self.peek() {
            Some('*') => (0, usize::MAX),
            Some('+') => (1, usize::MAX),
            Some('?') => (0, 1),
            Some('{') => {
                self.at += 1;
                let mut text = String::new();
                while let Some(c) = self.peek().filter(|c| *c != '}') {
                    text.push(c);
                    self.at += 1;
                }
                let least = text.split(',').next().unwrap_or_default().trim();
                let most = text.split(',').nth(1).map(str::trim);
                let least: usize = least.parse().map_err(drop)?;
                let most = match most {
                    Some("") | None if text.contains(',') => usize::MAX,
                    Some(most) => most.parse().map_err(drop)?,
                    None => least,
                };
                return self.count(least, most);
            }
            _ => return Ok(1),
        };
        self.count(least, most)
    }

    fn count(&mut self, least: usize, most: usize) -> Result<usize, Unsupported> {
        self.at += 1;
        if self.peek() == Some('?') {
            self.at += 1;
        }
        Ok(if self.at_least_once {
            least.max(1).min(most)
        } else {
            least
        })
    }
}

fn escape(c: char) -> Result<char, Unsupported> {
    match c {
        'd' => Ok('0'),
        'w' => Ok('a'),
        's' => Ok(' '),
        'D' | 'W' | 'S' => Ok('-'),
        'b' | 'B' => Err(()),
        c if c.is_ascii_alphanumeric() => Err(()),
        c => Ok(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_common_patterns() {
        assert_eq!(sample("^[a-z]+$"), vec!["a".to_owned(), "a".to_owned()]);
        assert!(sample("^\\d{4}-\\d{2}$").contains(&"0000-00".to_owned()));
        assert!(sample("^(foo|bar)[^/]*$").contains(&"foo".to_owned()));
        assert!(sample("^(?=x)").is_empty());
    }
}
