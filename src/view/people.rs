//! People as the screens name and find them.

use crate::model::Plan;

/// Text as typed by someone without the accents: lower case, accents and special letters
/// folded to ASCII (Siân → sian, Małgorzata → malgorzata), so people are found however typed.
pub fn folded(text: &str) -> String {
    deunicode::deunicode(text).to_lowercase()
}

/// Participant ids whose name or organisation contains the filter, in plan order.
pub fn author_matches(plan: &Plan, filter: &str) -> Vec<String> {
    let filter = folded(filter);
    plan.participants
        .iter()
        .filter(|p| {
            filter.is_empty()
                || folded(&p.name).contains(&filter)
                || folded(&p.org).contains(&filter)
                || p.id.to_lowercase().starts_with(&filter)
        })
        .map(|p| p.id.clone())
        .collect()
}

/// A participant's display name, or "nobody in particular".
pub fn author_label(plan: &Plan, id: Option<&str>) -> String {
    match id.and_then(|id| plan.participant(id)) {
        Some(p) => p.name.clone(),
        None => "nobody in particular".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_are_found_without_their_accents_and_in_any_case() {
        let plan: Plan = ron::from_str(
            r#"(title: "People", participants: [
                (id: "malgorzata", name: "Małgorzata Nowak", org: "Riverside Housing"),
                (id: "sian", name: "Siân Evans", org: "Café Cymru"),
                (id: "jose", name: "José Álvarez", org: "Northvale College")])"#,
        )
        .expect("a plan");
        assert_eq!(author_matches(&plan, "malg"), ["malgorzata"]);
        assert_eq!(author_matches(&plan, "sian"), ["sian"]);
        assert_eq!(author_matches(&plan, "SIÂN"), ["sian"]);
        assert_eq!(author_matches(&plan, "cafe"), ["sian"]);
        assert_eq!(author_matches(&plan, "alvarez"), ["jose"]);
    }
}
