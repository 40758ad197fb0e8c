//! Article topic, learned from data: a multinomial naive Bayes table over lower-cased
//! letter runs (`data/topic.tsv`, written by `scripts/learn-topic.py` from the BBC
//! sections and world-news headlines; see the script for how, and for its held-out
//! accuracy). The events stage asks one thing of it: how likely the article is one whose
//! topic (sport, entertainment, business, technology) makes a literal reading of force
//! verbs unlikely ("Melzer has now beaten Agassi", "Wasps fought back").

use std::collections::HashMap;

/// The table compiled into the crate.
const TOPIC_TSV: &str = include_str!("../data/topic.tsv");

/// Evidence cap of the posterior, in words: a long article is scored as if it had at most
/// this many known words (every word's weight scaled down alike), so the argmax is the
/// naive Bayes one but the probability stays graded instead of 0 or 1 after a few
/// hundred words.
const EVIDENCE_WORDS: f32 = 30.0;

/// A topic table that cannot be read: which line, and why.
#[derive(Debug, thiserror::Error)]
pub enum TopicError {
    #[error("topic table line {line}: {problem}")]
    Line { line: usize, problem: String },
    #[error("topic table: no `classes` row before the words")]
    NoClasses,
    #[error("topic table: no `against-force` row")]
    NoAgainst,
}

/// A naive Bayes topic model: per class, a log probability per known word.
#[derive(Debug, Clone, Default)]
pub struct TopicModel {
    classes: Vec<String>,
    /// Per class: whether its topic weighs against literal force.
    against: Vec<bool>,
    /// Word -> log P(word | class) per class (Laplace-smoothed).
    logp: HashMap<String, Vec<f32>>,
}

impl TopicModel {
    /// The built-in table (`data/topic.tsv`).
    pub fn builtin() -> Result<Self, TopicError> {
        Self::from_tsv(TOPIC_TSV)
    }

    /// Reads a table in `data/topic.tsv`'s format: `classes` row, `against-force` row
    /// (0/1 per class), then `word <TAB> count per class`; `#` lines are comments.
    pub fn from_tsv(src: &str) -> Result<Self, TopicError> {
        let mut classes: Vec<String> = Vec::new();
        let mut against: Vec<bool> = Vec::new();
        let mut counts: Vec<(String, Vec<u32>)> = Vec::new();
        for (n, line) in src.lines().enumerate() {
            let line_no = n + 1;
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut cols = line.split('\t');
            let key = cols.next().unwrap_or_default();
            let rest: Vec<&str> = cols.collect();
            let bad = |problem: String| TopicError::Line {
                line: line_no,
                problem,
            };
            match key {
                "classes" => classes = rest.iter().map(|s| s.to_string()).collect(),
                "against-force" => {
                    against = rest
                        .iter()
                        .map(|s| match *s {
                            "0" => Ok(false),
                            "1" => Ok(true),
                            other => Err(bad(format!("against-force value {other:?} is not 0 or 1"))),
                        })
                        .collect::<Result<_, _>>()?;
                }
                word => {
                    if classes.is_empty() {
                        return Err(TopicError::NoClasses);
                    }
                    let c: Vec<u32> = rest
                        .iter()
                        .map(|s| s.parse().map_err(|_| bad(format!("count {s:?} is not a number"))))
                        .collect::<Result<_, _>>()?;
                    if c.len() != classes.len() {
                        return Err(bad(format!("{} counts for {} classes", c.len(), classes.len())));
                    }
                    counts.push((word.to_string(), c));
                }
            }
        }
        if classes.is_empty() {
            return Err(TopicError::NoClasses);
        }
        if against.len() != classes.len() {
            return Err(TopicError::NoAgainst);
        }
        let v = counts.len() as f64;
        let totals: Vec<f64> = (0..classes.len())
            .map(|i| counts.iter().map(|(_, c)| f64::from(c[i])).sum())
            .collect();
        let logp = counts
            .into_iter()
            .map(|(w, c)| {
                let lp = c
                    .iter()
                    .zip(&totals)
                    .map(|(&n, &t)| ((f64::from(n) + 1.0) / (t + v)).ln() as f32)
                    .collect();
                (w, lp)
            })
            .collect();
        Ok(TopicModel {
            classes,
            against,
            logp,
        })
    }

    /// The class names, in the table's order.
    pub fn classes(&self) -> &[String] {
        &self.classes
    }

    /// Posterior probability of each class for `text` (uniform priors, evidence capped at
    /// [`EVIDENCE_WORDS`]); empty for an empty model. Linear in the text.
    pub fn posterior(&self, text: &str) -> Vec<f32> {
        if self.classes.is_empty() {
            return Vec::new();
        }
        let mut sum = vec![0f32; self.classes.len()];
        let mut known = 0usize;
        for w in letter_runs(text) {
            if let Some(lp) = self.logp.get(w.as_str()) {
                known += 1;
                for (s, l) in sum.iter_mut().zip(lp) {
                    *s += l;
                }
            }
        }
        let scale = if known as f32 > EVIDENCE_WORDS {
            EVIDENCE_WORDS / known as f32
        } else {
            1.0
        };
        let max = sum.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let exp: Vec<f32> = sum.iter().map(|s| ((s - max) * scale).exp()).collect();
        let z: f32 = exp.iter().sum();
        exp.into_iter().map(|e| e / z).collect()
    }

    /// The most likely class of `text`, if the model has any.
    pub fn classify(&self, text: &str) -> Option<&str> {
        let p = self.posterior(text);
        let best = (0..p.len()).max_by(|&a, &b| p[a].total_cmp(&p[b]).then(b.cmp(&a)))?;
        self.classes.get(best).map(String::as_str)
    }

    /// How strongly `text` is about a topic that weighs against a literal reading of
    /// force: the probability of those topics, scaled by how much of the text the model
    /// knows (full weight from [`EVIDENCE_WORDS`] known words up; a headline or a single
    /// sentence says too little about its section to hold its verbs against it). 0 for an
    /// empty model.
    pub fn against_force(&self, text: &str) -> f32 {
        let known = letter_runs(text)
            .filter(|w| self.logp.contains_key(w.as_str()))
            .count() as f32;
        let p: f32 = self
            .posterior(text)
            .iter()
            .zip(&self.against)
            .filter(|(_, &a)| a)
            .map(|(p, _)| p)
            .sum();
        p * (known / EVIDENCE_WORDS).min(1.0)
    }
}

/// Lower-cased runs of two or more alphabetic characters: the tokens the table was
/// learned over (the same rule as `scripts/learn-topic.py`).
fn letter_runs(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| w.chars().nth(1).is_some())
        .map(str::to_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_table_loads_and_tells_sport_from_war() {
        let m = TopicModel::builtin().expect("the committed table reads");
        assert_eq!(m.classes().len(), 6);
        let sport = "Wales came from 15-6 down to beat France 24-18 in the Six Nations; \
                     the fly-half kicked two penalties and the coach praised his side.";
        let war = "Troops shelled rebel positions near the city; the ministry of defence said \
                   missiles struck a military convoy and civilians were killed.";
        assert_eq!(m.classify(sport), Some("sport"));
        assert_ne!(m.classify(war), Some("sport"));
        let long_sport = [sport; 3].join(" ");
        assert!(
            m.against_force(&long_sport) > 0.8,
            "{}",
            m.against_force(&long_sport)
        );
        assert!(
            m.against_force(sport) < m.against_force(&long_sport),
            "one sentence counts less"
        );
        assert!(m.against_force(war) < 0.5, "{}", m.against_force(war));
        // No words it knows: the classes stay even.
        let p = m.posterior("");
        assert!(p.iter().all(|&x| (x - 1.0 / 6.0).abs() < 1e-6), "{p:?}");
    }

    #[test]
    fn a_broken_table_is_refused_with_its_line() {
        let missing = "classes\ta\tb\nagainst-force\t1\t0\nword\t1\n";
        match TopicModel::from_tsv(missing) {
            Err(TopicError::Line { line: 3, .. }) => {}
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            TopicModel::from_tsv("word\t1\t2\n"),
            Err(TopicError::NoClasses)
        ));
        assert!(matches!(
            TopicModel::from_tsv("classes\ta\tb\nword\t1\t2\n"),
            Err(TopicError::NoAgainst)
        ));
        assert!(TopicModel::from_tsv("classes\ta\tb\nagainst-force\t1\tx\n").is_err());
    }
}
