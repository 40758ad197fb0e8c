//! `chronicle query`'s filter flags, made from the filters' one definition
//! (`EventFilter::PARAMS`, `QuoteFilter::PARAMS`): a flag per parameter name, its help the
//! parameter's own description, its value read by the filter's `set_param`, so the CLI,
//! the HTTP API (`/api/events?...`), its OpenAPI description and the Python package's
//! keyword arguments take the same names and refuse the same values with the same words.

use chronicle_store::{EventFilter, FilterError, ParamKind, QuoteFilter};
use clap::{Arg, ArgAction, ArgMatches, Args, Command, FromArgMatches};

/// The flags of `query actors` and `query articles`, which read no store filter.
pub const ACTOR_FLAGS: [(&str, &str); 2] = [
    ("actor", "a name or code substring"),
    ("limit", "rows to give at most: a whole number, 0 or more"),
];
pub const ARTICLE_FLAGS: [(&str, &str); 2] = [
    (
        "text",
        "(required) an FTS5 query over title and text (`Peskov AND ceasefire`, `\"peace plan\"`, `Zaporizh*`)",
    ),
    ("limit", "rows to give at most: a whole number, 0 or more (default 20)"),
];

/// One flag: a parameter name and what it means for each query kind that takes it.
struct Flag {
    name: &'static str,
    kind: ParamKind,
    /// (query kind, what the flag means there).
    help: Vec<(&'static str, String)>,
}

impl Flag {
    /// The help: each meaning once, after the kinds that give it ("Events, quotes: ...").
    fn help(&self) -> String {
        let mut merged: Vec<(Vec<&str>, &str)> = Vec::new();
        for (who, what) in &self.help {
            match merged.iter_mut().find(|(_, w)| *w == what.as_str()) {
                Some((whos, _)) => whos.push(who),
                None => merged.push((vec![who], what)),
            }
        }
        merged
            .iter()
            .map(|(whos, what)| {
                let whos = whos.join(", ");
                let mut c = whos.chars();
                let whos = match c.next() {
                    Some(f) => f.to_uppercase().chain(c).collect::<String>(),
                    None => whos,
                };
                format!("{whos}: {what}.")
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Every filter flag once, in the order of the events' parameters, then the quotes', then
/// the others'.
fn flags() -> Vec<Flag> {
    let mut all: Vec<Flag> = Vec::new();
    let mut add = |name: &'static str, kind: ParamKind, help: (&'static str, String)| match all
        .iter_mut()
        .find(|f| f.name == name)
    {
        Some(f) => f.help.push(help),
        None => all.push(Flag {
            name,
            kind,
            help: vec![help],
        }),
    };
    for p in EventFilter::PARAMS {
        add(p.name, p.kind, ("events", p.description()));
    }
    for p in QuoteFilter::PARAMS {
        add(p.name, p.kind, ("quotes", p.description()));
    }
    for (name, help) in ACTOR_FLAGS {
        add(name, ParamKind::Text, ("actors", help.to_string()));
    }
    for (name, help) in ARTICLE_FLAGS {
        add(name, ParamKind::Text, ("articles", help.to_string()));
    }
    all
}

/// The filter flags given on a command line, as (parameter name, text) pairs.
#[derive(Debug, Clone, Default)]
pub struct FilterFlags {
    pub given: Vec<(&'static str, String)>,
}

impl FilterFlags {
    /// The text given for parameter `name`, if any.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.given
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// An event filter from the flags (all of them must be its parameters), checked.
    pub fn event_filter(&self) -> Result<EventFilter, FilterError> {
        EventFilter::from_params(self.given.iter().map(|(n, v)| (*n, v.as_str())))
    }

    /// A quote filter from the flags (all of them must be its parameters).
    pub fn quote_filter(&self) -> Result<QuoteFilter, FilterError> {
        QuoteFilter::from_params(self.given.iter().map(|(n, v)| (*n, v.as_str())))
    }

    /// The first flag given that is not among `takes`.
    pub fn first_outside(&self, takes: &[&str]) -> Option<&'static str> {
        self.given.iter().map(|(n, _)| *n).find(|n| !takes.contains(n))
    }
}

impl FromArgMatches for FilterFlags {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        let mut given = Vec::new();
        for f in flags() {
            if f.kind == ParamKind::Switch {
                if m.get_flag(f.name) {
                    given.push((f.name, "true".to_string()));
                }
            } else if let Some(v) = m.get_one::<String>(f.name) {
                given.push((f.name, v.clone()));
            }
        }
        Ok(FilterFlags { given })
    }

    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

impl Args for FilterFlags {
    fn augment_args(mut cmd: Command) -> Command {
        for f in flags() {
            let mut arg = Arg::new(f.name).long(f.name.replace('_', "-")).help(f.help());
            arg = match f.kind {
                ParamKind::Switch => arg.action(ArgAction::SetTrue),
                kind => arg.action(ArgAction::Set).value_name(match kind {
                    ParamKind::Date => "DATE",
                    ParamKind::Count => "N",
                    ParamKind::Fraction => "0-1",
                    ParamKind::BBox => "W,S,E,N",
                    ParamKind::Cameo => "CODE",
                    ParamKind::Plover => "TYPE",
                    ParamKind::Modality => "MODALITY",
                    ParamKind::Text | ParamKind::Switch => "TEXT",
                }),
            };
            if f.kind == ParamKind::BBox {
                arg = arg.allow_hyphen_values(true);
            }
            cmd = cmd.arg(arg);
        }
        cmd
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        flags: FilterFlags,
    }

    #[test]
    fn every_parameter_of_both_filters_is_a_flag_set_through_the_filter() {
        let mut args = vec!["q".to_string()];
        for p in EventFilter::PARAMS {
            args.push(format!("--{}", p.flag()));
            match p.kind {
                ParamKind::Switch => continue,
                ParamKind::Date => args.push("2025-12".into()),
                ParamKind::Count => args.push("3".into()),
                ParamKind::Fraction => args.push("0.5".into()),
                ParamKind::BBox => args.push("-10,40,39,49.5".into()),
                ParamKind::Cameo => args.push("19".into()),
                ParamKind::Plover => args.push("assault".into()),
                ParamKind::Modality => args.push("reported".into()),
                ParamKind::Text => args.push("x".into()),
            }
        }
        let cli = Cli::try_parse_from(&args).expect("parses");
        assert_eq!(cli.flags.given.len(), EventFilter::PARAMS.len());
        let f = cli.flags.event_filter().expect("a filter");
        assert!(f.clustered);
        assert_eq!(f.bbox, Some([-10.0, 40.0, 39.0, 49.5]));
        assert_eq!(f.after, Some(3));
        assert_eq!(f.min_confidence, Some(0.5));
        for p in QuoteFilter::PARAMS {
            let cli = Cli::try_parse_from(["q", &format!("--{}", p.flag()), "4"]).expect("parses");
            assert_eq!(cli.flags.get(p.name), Some("4"));
            cli.flags.quote_filter().expect("a quote filter");
        }
    }

    #[test]
    fn a_value_the_filter_cannot_mean_is_refused_in_the_filters_words() {
        let cli = Cli::try_parse_from(["q", "--min-confidence", "2"]).expect("parses");
        let err = cli.flags.event_filter().expect_err("refused");
        assert_eq!(err.field(), "min_confidence");
        assert!(err.message("--").contains("0 to 1"), "{}", err.message("--"));
        let cli = Cli::try_parse_from(["q", "--speaker", "Peskov"]).expect("parses");
        assert_eq!(
            cli.flags.first_outside(&EventFilter::param_names()),
            Some("speaker")
        );
    }
}
