//! Editing `.reframe.toml` for the "Allow …" and "Turn off rule …" quick fixes, keeping the
//! user's comments and layout (toml_edit).

use crate::error::Error;
use toml_edit::{Array, DocumentMut, Item, Value};

/// Adds `value` to the top-level string array `key` (creating it), unless already there.
pub fn add_to_list(source: &str, key: &str, value: &str) -> crate::error::Result<String> {
    let mut doc: DocumentMut = source.parse().map_err(|e: toml_edit::TomlError| {
        Error::Invalid(format!("cannot edit .reframe.toml: {}", e.message()))
    })?;
    let item = doc
        .entry(key)
        .or_insert(Item::Value(Value::Array(Array::new())));
    let array = item.as_array_mut().ok_or_else(|| {
        Error::Invalid(format!("cannot edit .reframe.toml: `{key}` is not a list"))
    })?;
    if !array.iter().any(|v| v.as_str() == Some(value)) {
        array.push(value);
    }
    Ok(doc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_comments_and_layout() {
        let source = "# team config\nallow = [\"a\"] # ours\n\n[severity]\nblame = \"hint\"\n";
        let edited = add_to_list(source, "allow", "treatment-resistant").unwrap();
        assert_eq!(
            edited,
            "# team config\nallow = [\"a\", \"treatment-resistant\"] # ours\n\n[severity]\nblame = \"hint\"\n"
        );
        assert_eq!(add_to_list(&edited, "allow", "a").unwrap(), edited);
    }

    #[test]
    fn creates_missing_key_before_tables() {
        let edited = add_to_list("[severity]\nblame = \"hint\"\n", "disable", "x").unwrap();
        let parsed: toml::Table = toml::from_str(&edited).unwrap();
        assert_eq!(parsed["disable"].as_array().unwrap()[0].as_str(), Some("x"));
        assert_eq!(parsed["severity"]["blame"].as_str(), Some("hint"));
    }

    #[test]
    fn wrong_type_is_an_error() {
        assert!(add_to_list("allow = 3\n", "allow", "x").is_err());
    }
}
