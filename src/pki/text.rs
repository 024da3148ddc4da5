//! Text from certificates and peers made safe to show: a leaf module that
//! the model and the renderers both use.

/// `text` with every control character (C0, C1, DEL) shown as an escape
/// (`\n`, `\r`, `\t`, `\u{1b}`), so that nothing a certificate or a peer
/// holds can move the cursor, fake a line or recolour the terminal.
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}
