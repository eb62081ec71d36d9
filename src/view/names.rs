//! How a participant is named wherever one is shown.

use crate::model::Plan;

/// The name to show for a participant id: their full name from the plan, or the id itself
/// when the plan does not list them (an id left in the log after a hand edit stays readable).
pub fn display_name<'a>(plan: &'a Plan, id: &'a str) -> &'a str {
    plan.participant(id).map_or(id, |p| p.name.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Participant, Role};

    #[test]
    fn a_listed_id_gives_the_full_name_and_an_unknown_one_itself() {
        let plan = Plan {
            id: None,
            title: "t".into(),
            series: None,
            date: None,
            time_zone: None,
            themes: Vec::new(),
            participants: vec![Participant {
                id: "amara".into(),
                name: "Amara Obi".into(),
                org: "Org".into(),
                role: Role::Partner,
                email: None,
            }],
            rooms: Vec::new(),
            agenda: Vec::new(),
            timer_bell: false,
        };
        assert_eq!(display_name(&plan, "amara"), "Amara Obi");
        assert_eq!(display_name(&plan, "ghost"), "ghost");
    }
}
