//! Dot-voting and decisions as a fold of events: candidates, votes with their allowances,
//! every dot placed or removed, and yes/no/abstain decisions by organisation.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::ids::{CandidateId, CommentId, DecisionId, VoteId};
use super::refusal::VoteRefusal;
use super::voter::VoterKey;

/// A candidate priority on the long list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Candidate number, consecutive from 1.
    pub id: CandidateId,
    /// Current wording.
    pub text: String,
    /// Comments it came from (one when promoted; more after merges).
    pub sources: Vec<CommentId>,
    /// Merged into another candidate, which now carries its dots and links.
    pub merged_into: Option<CandidateId>,
    /// Adding it was undone: it keeps its number and stands for nothing.
    pub undone: bool,
}

/// How a vote is set up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VoteRules {
    /// What is being decided, e.g. "Shortlist: round 1".
    pub title: String,
    /// Candidate ids on the ballot.
    pub candidates: Vec<CandidateId>,
    /// Dots each voter may place.
    pub dots: u32,
    /// Most dots one voter may put on one candidate.
    pub cap: u32,
    /// Who votes: participant ids, or organisation names when each organisation has one voice
    /// (`by_org`; [`VoteRules::voter`] says which).
    pub voters: Vec<VoterKey>,
    /// One voice per organisation rather than per attendee.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub by_org: bool,
    /// The tally stays hidden until the vote closes (against a bandwagon).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hidden: bool,
    /// Joined terminals may cast, each as their own participant (or organisation).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub joiners: bool,
}

impl VoteRules {
    /// Default dots for a ballot: about a third of the candidates, at least one.
    pub fn default_dots(candidates: usize) -> u32 {
        ((candidates as u32 + 1) / 3).max(1)
    }

    /// Default cap: one dot per candidate on short lists, two on long ones.
    pub fn default_cap(candidates: usize) -> u32 {
        if candidates <= 12 {
            1
        } else {
            2
        }
    }
}

/// A vote's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vote {
    /// Vote number, consecutive from 1.
    pub id: VoteId,
    /// Its rules.
    pub rules: VoteRules,
    /// Dots per voter per candidate.
    pub dots: BTreeMap<VoterKey, BTreeMap<CandidateId, u32>>,
    /// Closed: no more dots, the tally shows.
    pub closed: bool,
    /// Dots placed and removed, for the record.
    pub placed: u32,
    /// Dots removed.
    pub removed: u32,
    /// Opening it was undone: it keeps its number, is closed and counts for nothing.
    pub undone: bool,
}

/// One line of a ranked tally.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranked {
    /// Competition rank: equal counts share a rank (1, 2, 2, 4).
    pub rank: u32,
    /// The candidate.
    pub candidate: CandidateId,
    /// Dots it holds.
    pub dots: u32,
    /// Voters who put at least one dot on it.
    pub voters: u32,
}

impl Vote {
    /// Dots a voter has placed in all.
    pub fn used_by(&self, voter: &VoterKey) -> u32 {
        self.dots.get(voter).map_or(0, |d| d.values().sum())
    }

    /// Dots a voter has on one candidate.
    pub fn on(&self, voter: &VoterKey, candidate: CandidateId) -> u32 {
        self.dots.get(voter).and_then(|d| d.get(&candidate)).copied().unwrap_or(0)
    }

    /// Voters who have placed at least one dot.
    pub fn voted(&self) -> usize {
        self.dots.values().filter(|d| d.values().any(|&n| n > 0)).count()
    }

    /// Total dots per candidate on the ballot.
    pub fn totals(&self) -> BTreeMap<CandidateId, u32> {
        let mut totals: BTreeMap<CandidateId, u32> = self.rules.candidates.iter().map(|&c| (c, 0)).collect();
        for dots in self.dots.values() {
            for (candidate, n) in dots {
                *totals.entry(*candidate).or_default() += n;
            }
        }
        totals
    }

    /// The ranked tally: most dots first, ties by candidate number, equal counts equal rank.
    pub fn ranking(&self) -> Vec<Ranked> {
        let mut rows: Vec<Ranked> = self
            .totals()
            .into_iter()
            .map(|(candidate, dots)| Ranked {
                rank: 0,
                candidate,
                dots,
                voters: self.dots.values().filter(|d| d.get(&candidate).is_some_and(|&n| n > 0)).count()
                    as u32,
            })
            .collect();
        rows.sort_by(|a, b| b.dots.cmp(&a.dots).then(a.candidate.cmp(&b.candidate)));
        for i in 0..rows.len() {
            rows[i].rank =
                if i > 0 && rows[i].dots == rows[i - 1].dots { rows[i - 1].rank } else { i as u32 + 1 };
        }
        rows
    }

    /// The top `k` candidates, plus any tied with the last of them.
    pub fn top(&self, k: usize) -> Vec<CandidateId> {
        let ranking = self.ranking();
        let Some(cut) = ranking.get(k.max(1) - 1).map(|r| r.dots) else {
            return ranking.iter().map(|r| r.candidate).collect();
        };
        ranking.iter().take_while(|r| r.dots >= cut).map(|r| r.candidate).collect()
    }

    /// Whether `voter` may place a dot on `candidate` now, or the refusal the fold would give.
    pub fn check_place(&self, voter: &VoterKey, candidate: CandidateId) -> Result<(), VoteRefusal> {
        if self.closed {
            return Err(VoteRefusal::Closed(self.id));
        }
        if !self.rules.has_voter(voter) {
            return Err(VoteRefusal::NotAVoter { voter: voter.clone(), vote: self.id });
        }
        if !self.rules.candidates.contains(&candidate) {
            return Err(VoteRefusal::NotOnBallot { candidate, vote: self.id });
        }
        if self.used_by(voter) >= self.rules.dots {
            return Err(VoteRefusal::AllDotsUsed { voter: voter.clone(), dots: self.rules.dots });
        }
        if self.on(voter, candidate) >= self.rules.cap {
            return Err(VoteRefusal::AtCap { voter: voter.clone(), cap: self.rules.cap, candidate });
        }
        Ok(())
    }
}

/// How a decision passes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum MajorityRule {
    /// More than half of all partner organisations say yes (abstaining or absent counts against).
    #[default]
    MajorityOfPartners,
    /// More yes than no among organisations that voted yes or no.
    MajorityOfVotesCast,
}

/// What "more than half" of a decision counts against.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum DecisionBase {
    /// Every partner organisation of the plan, present or not: what sign-off of a plan needs.
    #[default]
    AllPartners,
    /// Only the organisations with someone present when the decision opened (where the
    /// partnership's rules say so).
    Present,
}

impl MajorityRule {
    /// The rule in words, for the screen and the summary.
    pub fn describe(self, organisations: usize) -> String {
        self.describe_on(None, organisations)
    }

    /// The rule in words, saying what it counts against (none: the organisations listed, as
    /// files from before the base was recorded have it).
    pub fn describe_on(self, base: Option<DecisionBase>, organisations: usize) -> String {
        match self {
            MajorityRule::MajorityOfPartners => {
                let whom = match base {
                    None => format!("the {organisations} organisations"),
                    Some(DecisionBase::AllPartners) => {
                        format!("all {organisations} partner organisations, present or not")
                    }
                    Some(DecisionBase::Present) => format!("the {organisations} organisations present"),
                };
                format!("passes with yes from more than half of {whom} ({} needed)", organisations / 2 + 1)
            }
            MajorityRule::MajorityOfVotesCast => {
                "passes with more yes than no (abstentions do not count)".into()
            }
        }
    }
}

/// An organisation's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Choice {
    /// For.
    Yes,
    /// Against.
    No,
    /// Neither.
    Abstain,
}

/// A yes/no/abstain decision, one voice per organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// Decision number, consecutive from 1.
    pub id: DecisionId,
    /// The question, e.g. "Sign off the draft plan".
    pub question: String,
    /// How it passes.
    pub rule: MajorityRule,
    /// What the majority counts against, when the log says (older files do not).
    pub base: Option<DecisionBase>,
    /// The organisations with a voice.
    pub organisations: Vec<String>,
    /// Each organisation's latest answer.
    pub answers: BTreeMap<String, Choice>,
    /// Recorded: no more answers.
    pub closed: bool,
    /// Opening it was undone: it keeps its number, is closed and counts for nothing.
    pub undone: bool,
}

impl Decision {
    /// The rule in words for the decision panel and the summary.
    pub fn rule_line(&self) -> String {
        self.rule.describe_on(self.base, self.organisations.len())
    }

    /// Count of each answer: (yes, no, abstain).
    pub fn counts(&self) -> (usize, usize, usize) {
        let count = |c: Choice| self.answers.values().filter(|&&a| a == c).count();
        (count(Choice::Yes), count(Choice::No), count(Choice::Abstain))
    }

    /// Whether it passes on the answers so far.
    pub fn passes(&self) -> bool {
        let (yes, no, _) = self.counts();
        match self.rule {
            MajorityRule::MajorityOfPartners => yes * 2 > self.organisations.len(),
            MajorityRule::MajorityOfVotesCast => yes > no,
        }
    }
}

/// Candidates, votes and decisions, folded from the log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VotingState {
    /// Every candidate, indexed by `id - 1`.
    pub candidates: Vec<Candidate>,
    /// Every vote, indexed by `id - 1`.
    pub votes: Vec<Vote>,
    /// Every decision, indexed by `id - 1`.
    pub decisions: Vec<Decision>,
}

impl VotingState {
    /// The candidate with this id.
    pub fn candidate(&self, id: CandidateId) -> Option<&Candidate> {
        id.index().and_then(|i| self.candidates.get(i))
    }

    /// Candidates still standing (not merged away), in order.
    pub fn standing(&self) -> impl Iterator<Item = &Candidate> {
        self.candidates.iter().filter(|c| c.merged_into.is_none() && !c.undone)
    }

    /// Every vote that counts (not undone), in order.
    pub fn counted_votes(&self) -> impl DoubleEndedIterator<Item = &Vote> {
        self.votes.iter().filter(|v| !v.undone)
    }

    /// Every decision that counts (not undone), in order.
    pub fn counted_decisions(&self) -> impl DoubleEndedIterator<Item = &Decision> {
        self.decisions.iter().filter(|d| !d.undone)
    }

    /// The vote with this id.
    pub fn vote(&self, id: VoteId) -> Option<&Vote> {
        id.index().and_then(|i| self.votes.get(i))
    }

    /// The decision with this id.
    pub fn decision(&self, id: DecisionId) -> Option<&Decision> {
        id.index().and_then(|i| self.decisions.get(i))
    }

    /// The number the next candidate gets.
    pub fn next_candidate_id(&self) -> CandidateId {
        CandidateId::at(self.candidates.len())
    }

    /// The number the next vote gets.
    pub fn next_vote_id(&self) -> VoteId {
        VoteId::at(self.votes.len())
    }

    /// The number the next decision gets.
    pub fn next_decision_id(&self) -> DecisionId {
        DecisionId::at(self.decisions.len())
    }

    /// The vote taking dots now, if any.
    pub fn open_vote(&self) -> Option<&Vote> {
        self.votes.iter().rev().find(|v| !v.closed)
    }

    /// The latest vote, open or closed.
    pub fn latest_vote(&self) -> Option<&Vote> {
        self.counted_votes().next_back()
    }

    /// The decision taking answers now, if any.
    pub fn open_decision(&self) -> Option<&Decision> {
        self.decisions.iter().rev().find(|d| !d.closed)
    }

    fn standing_mut(&mut self, id: CandidateId) -> Result<&mut Candidate, VoteRefusal> {
        let candidate =
            id.index().and_then(|i| self.candidates.get_mut(i)).ok_or(VoteRefusal::NoSuchCandidate(id))?;
        match candidate.merged_into {
            Some(into) => Err(VoteRefusal::Merged { id, into }),
            None if candidate.undone => Err(VoteRefusal::CandidateUndone(id)),
            None => Ok(candidate),
        }
    }

    fn vote_mut(&mut self, id: VoteId) -> Result<&mut Vote, VoteRefusal> {
        match id.index().and_then(|i| self.votes.get_mut(i)) {
            Some(vote) if vote.undone => Err(VoteRefusal::VoteUndone(id)),
            Some(vote) => Ok(vote),
            None => Err(VoteRefusal::NoSuchVote(id)),
        }
    }

    /// A candidate joins the long list.
    pub fn add_candidate(
        &mut self,
        id: CandidateId,
        text: &str,
        source: Option<CommentId>,
    ) -> Result<(), VoteRefusal> {
        if id != self.next_candidate_id() {
            return Err(VoteRefusal::CandidateOutOfOrder { expected: self.next_candidate_id() });
        }
        self.candidates.push(Candidate {
            id,
            text: text.to_string(),
            sources: source.into_iter().collect(),
            merged_into: None,
            undone: false,
        });
        Ok(())
    }

    /// A candidate's wording changes.
    pub fn edit_candidate(&mut self, id: CandidateId, text: &str) -> Result<(), VoteRefusal> {
        self.standing_mut(id)?.text = text.to_string();
        Ok(())
    }

    /// Two duplicates become one: `from`'s links and every dot on it move to `into`.
    pub fn merge(&mut self, into: CandidateId, from: CandidateId) -> Result<(), VoteRefusal> {
        if into == from {
            return Err(VoteRefusal::MergeIntoItself);
        }
        self.standing_mut(into)?;
        let sources = std::mem::take(&mut self.standing_mut(from)?.sources);
        self.standing_mut(from)?.merged_into = Some(into);
        self.standing_mut(into)?.sources.extend(sources);
        for vote in self.votes.iter_mut().filter(|v| v.rules.candidates.contains(&from)) {
            vote.rules.candidates.retain(|&c| c != from);
            if !vote.rules.candidates.contains(&into) {
                vote.rules.candidates.push(into);
            }
            // Dots move whole: the total never changes (a voter may end above the cap here).
            for dots in vote.dots.values_mut() {
                if let Some(n) = dots.remove(&from) {
                    *dots.entry(into).or_default() += n;
                }
            }
        }
        Ok(())
    }

    /// A vote opens.
    pub fn open(&mut self, id: VoteId, rules: &VoteRules) -> Result<(), VoteRefusal> {
        if id != self.next_vote_id() {
            return Err(VoteRefusal::VoteOutOfOrder { expected: self.next_vote_id() });
        }
        if let Some(open) = self.open_vote() {
            return Err(VoteRefusal::StillOpen(open.id));
        }
        if rules.dots == 0 || rules.cap == 0 {
            return Err(VoteRefusal::NoDots);
        }
        if rules.candidates.is_empty() || rules.voters.is_empty() {
            return Err(VoteRefusal::EmptyBallot);
        }
        for &c in &rules.candidates {
            self.standing_mut(c)?;
        }
        self.votes.push(Vote {
            id,
            rules: rules.clone(),
            dots: BTreeMap::new(),
            closed: false,
            placed: 0,
            removed: 0,
            undone: false,
        });
        Ok(())
    }

    /// A voter places a dot, within the allowance and the cap.
    pub fn place(
        &mut self,
        vote: VoteId,
        voter: &VoterKey,
        candidate: CandidateId,
    ) -> Result<(), VoteRefusal> {
        let vote = self.vote_mut(vote)?;
        vote.check_place(voter, candidate)?;
        *vote.dots.entry(voter.clone()).or_default().entry(candidate).or_default() += 1;
        vote.placed += 1;
        Ok(())
    }

    /// A voter takes a dot back.
    pub fn remove(
        &mut self,
        vote: VoteId,
        voter: &VoterKey,
        candidate: CandidateId,
    ) -> Result<(), VoteRefusal> {
        let vote = self.vote_mut(vote)?;
        if vote.closed {
            return Err(VoteRefusal::Closed(vote.id));
        }
        let dots = vote
            .dots
            .get_mut(voter)
            .and_then(|d| d.get_mut(&candidate))
            .filter(|n| **n > 0)
            .ok_or_else(|| VoteRefusal::NoDot { voter: voter.clone(), candidate })?;
        *dots -= 1;
        vote.removed += 1;
        Ok(())
    }

    /// A vote closes.
    pub fn close(&mut self, vote: VoteId) -> Result<(), VoteRefusal> {
        let vote = self.vote_mut(vote)?;
        if vote.closed {
            return Err(VoteRefusal::AlreadyClosed(vote.id));
        }
        vote.closed = true;
        Ok(())
    }

    /// A decision opens.
    pub fn open_decision_with(
        &mut self,
        id: DecisionId,
        question: &str,
        rule: MajorityRule,
        base: Option<DecisionBase>,
        organisations: &[String],
    ) -> Result<(), VoteRefusal> {
        if id != self.next_decision_id() {
            return Err(VoteRefusal::DecisionOutOfOrder { expected: self.next_decision_id() });
        }
        if organisations.is_empty() {
            return Err(VoteRefusal::NoOrganisations);
        }
        self.decisions.push(Decision {
            id,
            question: question.to_string(),
            rule,
            base,
            organisations: organisations.to_vec(),
            answers: BTreeMap::new(),
            closed: false,
            undone: false,
        });
        Ok(())
    }

    /// An organisation answers (a later answer replaces an earlier one).
    pub fn answer(&mut self, id: DecisionId, organisation: &str, choice: Choice) -> Result<(), VoteRefusal> {
        let decision = self.decision_mut(id)?;
        if decision.closed {
            return Err(VoteRefusal::AlreadyRecorded(id));
        }
        if !decision.organisations.iter().any(|o| o == organisation) {
            return Err(VoteRefusal::NoVoice { organisation: organisation.to_string(), decision: id });
        }
        decision.answers.insert(organisation.to_string(), choice);
        Ok(())
    }

    /// A decision is recorded with the answers given.
    pub fn record(&mut self, id: DecisionId) -> Result<(), VoteRefusal> {
        let decision = self.decision_mut(id)?;
        if decision.closed {
            return Err(VoteRefusal::AlreadyRecorded(id));
        }
        decision.closed = true;
        Ok(())
    }

    fn decision_mut(&mut self, id: DecisionId) -> Result<&mut Decision, VoteRefusal> {
        match id.index().and_then(|i| self.decisions.get_mut(i)) {
            Some(decision) if decision.undone => Err(VoteRefusal::DecisionUndone(id)),
            Some(decision) => Ok(decision),
            None => Err(VoteRefusal::NoSuchDecision(id)),
        }
    }

    /// The candidate, vote or decision an undone event created stays as a numbered placeholder
    /// that counts for nothing, so later numbers stay as they were recorded. Nothing else is
    /// checked: what it would have needed no longer matters.
    pub(super) fn placeholder(&mut self, event: &super::Event) -> Result<(), VoteRefusal> {
        use super::Event;
        match event {
            Event::CandidateAdded { id, text, .. } => {
                let expected = self.next_candidate_id();
                expect_next(*id == expected, VoteRefusal::CandidateOutOfOrder { expected })?;
                self.candidates.push(Candidate {
                    id: *id,
                    text: text.clone(),
                    sources: Vec::new(),
                    merged_into: None,
                    undone: true,
                });
            }
            Event::VoteOpened { vote, rules } => {
                let expected = self.next_vote_id();
                expect_next(*vote == expected, VoteRefusal::VoteOutOfOrder { expected })?;
                self.votes.push(Vote {
                    id: *vote,
                    rules: rules.clone(),
                    dots: BTreeMap::new(),
                    closed: true,
                    placed: 0,
                    removed: 0,
                    undone: true,
                });
            }
            Event::DecisionOpened { id, question, rule, organisations, base } => {
                let expected = self.next_decision_id();
                expect_next(*id == expected, VoteRefusal::DecisionOutOfOrder { expected })?;
                self.decisions.push(Decision {
                    id: *id,
                    question: question.clone(),
                    rule: *rule,
                    base: *base,
                    organisations: organisations.clone(),
                    answers: BTreeMap::new(),
                    closed: true,
                    undone: true,
                });
            }
            _ => {}
        }
        Ok(())
    }
}

/// A placeholder keeps its recorded number only if that is the next one.
fn expect_next(in_order: bool, refusal: VoteRefusal) -> Result<(), VoteRefusal> {
    if in_order {
        Ok(())
    } else {
        Err(refusal)
    }
}
