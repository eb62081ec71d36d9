//! Participant ids made from names: ASCII, lower case, accents folded (Siân → sian,
//! Małgorzata → malgorzata), unique within the plan.

/// A name folded for comparison: ASCII, lower case, single spaces (so "Sian  EVANS" matches
/// "Siân Evans").
pub fn fold_name(name: &str) -> String {
    deunicode::deunicode(name).to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An id-shaped slug: ASCII letters and digits, words joined by `-`.
pub fn slug(text: &str) -> String {
    let folded = deunicode::deunicode(text).to_lowercase();
    let mut slug = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.is_empty() {
        "person".to_string()
    } else {
        slug
    }
}

/// The slug of the first word of a name.
pub fn first_name_slug(name: &str) -> String {
    slug(name.split_whitespace().next().unwrap_or(name))
}

/// `base`, or `base-2`, `base-3`, ... whichever `taken` does not hold.
pub fn unique(base: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_string();
    }
    (2..).map(|n| format!("{base}-{n}")).find(|c| !taken(c)).unwrap_or_else(|| base.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_fold_to_ascii() {
        assert_eq!(slug("Siân"), "sian");
        assert_eq!(slug("Małgorzata"), "malgorzata");
        assert_eq!(slug("José Núñez-García"), "jose-nunez-garcia");
        assert_eq!(slug("Zoë O'Brien"), "zoe-o-brien");
        assert_eq!(slug("!!!"), "person");
    }

    #[test]
    fn names_compare_without_accents_case_or_spacing() {
        assert_eq!(fold_name("Siân  Evans"), fold_name("sian evans"));
    }

    #[test]
    fn unique_adds_a_number() {
        let taken = ["sam", "sam-2"];
        assert_eq!(unique("sam", |c| taken.contains(&c)), "sam-3");
        assert_eq!(unique("ann", |c| taken.contains(&c)), "ann");
    }
}
