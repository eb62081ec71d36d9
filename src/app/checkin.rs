//! People at the console: the roll call, walk-ins and deputies, and the base a decision is
//! counted against.

use super::state::AppState;
use crate::model::DecisionBase;

/// The organisations with a voice in a new decision and what its majority counts against:
/// every partner organisation of the plan (what sign-off needs), or, when the plan names none,
/// the organisations of those present, as before.
pub fn decision_base(state: &AppState) -> (Vec<String>, Option<DecisionBase>) {
    let partners = state.plan.partner_organisations();
    if partners.is_empty() {
        (super::vote::voters(state, true), None)
    } else {
        (partners, Some(DecisionBase::AllPartners))
    }
}
