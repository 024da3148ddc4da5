//! The fleet view: its lists, the replacement form, and the judged fleet
//! arriving from its job.

use super::*;

impl App {
    pub(super) fn refilter_fleet(&mut self) {
        let Some(view) = self.fleet.as_mut() else {
            return;
        };
        let Some(fleet) = &view.fleet else { return };
        match view.pane {
            FleetPane::Nodes => view
                .nodes
                .refilter(fleet.nodes.iter().map(|n| (n.search.as_str(), ""))),
            FleetPane::Links => view
                .links
                .refilter(fleet.links.iter().map(|l| (l.search.as_str(), ""))),
        }
    }

    /// `R`: the replacement form, holding the current replacements.
    pub(super) fn ask_replace(&mut self) {
        match &self.fleet {
            Some(view) if self.current_tab() == Tab::Fleet => {
                let form = Form::replace(&view.replace);
                self.open_form(form);
            }
            _ => self.status(
                "R: open the fleet view (tlsctl tui --conf A.conf B.conf) to rehearse a replacement",
                Tone::Warn,
            ),
        }
    }

    /// Judges the fleet again under the replacements `text` spells.
    pub(super) fn rehearse(&mut self, text: &str) -> Vec<Effect> {
        let Ok(replace) = parse_replacements(text) else {
            return Vec::new();
        };
        let Some(view) = self.fleet.as_mut() else {
            return Vec::new();
        };
        view.replace = replace.clone();
        let configs = view.configs.clone();
        let options = view.options.clone();
        self.busy += 1;
        self.status(
            if replace.is_empty() {
                "checking the fleet as it is...".to_owned()
            } else {
                format!(
                    "checking the fleet with {}...",
                    crate::pki::render::counted(replace.len(), "replacement")
                )
            },
            Tone::Dim,
        );
        vec![Effect::LoadFleet {
            configs,
            replace,
            options,
        }]
    }

    pub(super) fn fleet_done(
        &mut self,
        result: Result<Box<crate::tui::data::fleet::Fleet>, String>,
    ) {
        let Some(view) = self.fleet.as_mut() else {
            return;
        };
        match result {
            Ok(fleet) => {
                view.error = None;
                view.nodes
                    .refilter(fleet.nodes.iter().map(|n| (n.search.as_str(), "")));
                view.links
                    .refilter(fleet.links.iter().map(|l| (l.search.as_str(), "")));
                // What the user asked for: the verdicts, worst first.
                view.links.top();
                let (ok, one_way, broken) = fleet.counts();
                let mut text = format!("{ok} ok, {one_way} one-way, {broken} broken");
                let mut tone = if one_way + broken > 0 {
                    Tone::Bad
                } else {
                    Tone::Good
                };
                if fleet.rehearsed() {
                    let worse = fleet.worse();
                    text = format!(
                        "after the replacement: {text}; {}",
                        if worse == 0 {
                            "nothing gets worse".to_owned()
                        } else {
                            format!("{} worse", crate::pki::render::counted(worse, "connection"))
                        }
                    );
                    if worse > 0 {
                        tone = Tone::Bad;
                    }
                }
                let refused = fleet.peers_refused();
                if !fleet.result.peers.is_empty() {
                    text.push_str(&format!(
                        "; {} of {} refused",
                        refused,
                        crate::pki::render::counted(fleet.result.peers.len(), "peer")
                    ));
                    if refused > 0 {
                        tone = Tone::Bad;
                    }
                }
                for w in &fleet.warnings {
                    text.push_str(&format!("; warning: {}", w.message));
                    if tone == Tone::Good {
                        tone = Tone::Warn;
                    }
                }
                view.fleet = Some(*fleet);
                self.status(text, tone);
            }
            Err(e) => {
                view.fleet = None;
                view.error = Some(e.clone());
                self.status(e, Tone::Bad);
            }
        }
    }
}
